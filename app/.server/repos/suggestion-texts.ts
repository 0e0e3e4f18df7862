/**
 * The suggestions of a questionnaire's respondents over a range of months, newest first: the agency page's
 * latest list and the themes of what citizens write (docs/insight.md), where every suggestion of the range
 * counts, so the read is capped: past the cap the themes say how many were read. Blank texts are left out.
 */
import type { EntryChannel } from '#db/schema.ts'
import type { Executor } from './questionnaires.ts'

export interface SuggestionText {
  responseId: number
  text: string
  /** YYYY-MM of the response's period. */
  month: string
  /** When it was submitted (ISO 8601). */
  at: string
}

export async function suggestionsInMonths(
  db: Executor,
  filter: {
    questionnaireCode: string
    agencyIds: number[]
    fromMonth: string
    toMonth: string
    channels?: readonly EntryChannel[] | null
  },
  limit: number,
): Promise<SuggestionText[]> {
  let query = db
    .selectFrom('answer as a')
    .innerJoin('questionnaire_item as i', 'i.id', 'a.item_id')
    // Joined on the partition and shard keys too, so each partition (or shard) joins on its own.
    .innerJoin('response as r', (join) =>
      join
        .onRef('r.id', '=', 'a.response_id')
        .onRef('r.agency_id', '=', 'a.agency_id')
        .onRef('r.period_month', '=', 'a.period_month'),
    )
    .innerJoin('questionnaire_version as v', 'v.id', 'r.version_id')
    .innerJoin('questionnaire as q', 'q.id', 'v.questionnaire_id')
    .select(['r.id', 'a.value_text', 'r.period_month', 'r.submitted_at'])
    .where('i.role', '=', 'suggestion')
    .where('q.code', '=', filter.questionnaireCode)
    .where('r.agency_id', 'in', filter.agencyIds.length ? filter.agencyIds : [-1])
    .where('r.period_month', '>=', filter.fromMonth)
    .where('r.period_month', '<=', filter.toMonth)
    .where('a.value_text', 'is not', null)
    // Quarantined responses count nowhere (docs/anti-rigging.md).
    .where('r.quarantine_reason', 'is', null)
    .orderBy('r.submitted_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(limit)
  if (filter.channels?.length) query = query.where('r.entry_channel', 'in', filter.channels)
  const rows = await query.execute()
  return rows
    .filter((r) => r.value_text!.trim().length > 0)
    .map((r) => ({ responseId: r.id, text: r.value_text!, month: r.period_month, at: r.submitted_at }))
}
