/**
 * The per-respondent read behind driver analysis (docs/insight.md): a regression needs each respondent's
 * answers side by side, which the additive aggregates cannot give. Numeric answers only (scale items),
 * of counted (not quarantined) responses of one questionnaire, some agencies and a month range.
 */
import { sql } from 'kysely'
import type { EntryChannel } from '#db/schema.ts'
import type { Executor } from './questionnaires.ts'

export interface DriverAnswerRow {
  responseId: number
  versionId: number
  weightMicro: number
  stratum: string | null
  itemCode: string
  value: number
}

export async function numericAnswersOf(
  db: Executor,
  filter: {
    questionnaireId: number
    agencyIds: number[]
    fromMonth: string
    toMonth: string
    channels?: readonly EntryChannel[] | null
    /**
     * Only every `every`-th response, by id (a systematic subsample with equal probabilities, independent
     * of the answers); 1 or absent: all.
     */
    every?: number
  },
): Promise<DriverAnswerRow[]> {
  let query = db
    .selectFrom('answer as a')
    // Joined on the partition and shard keys too, so each partition (or shard) joins on its own.
    .innerJoin('response as r', (join) =>
      join
        .onRef('r.id', '=', 'a.response_id')
        .onRef('r.agency_id', '=', 'a.agency_id')
        .onRef('r.period_month', '=', 'a.period_month'),
    )
    .innerJoin('questionnaire_version as v', 'v.id', 'r.version_id')
    .innerJoin('questionnaire_item as i', 'i.id', 'a.item_id')
    .select(['r.id', 'r.version_id', 'r.weight_micro', 'r.stratum', 'i.code', 'a.value_number'])
    .where('v.questionnaire_id', '=', filter.questionnaireId)
    .where('a.agency_id', 'in', filter.agencyIds.length ? filter.agencyIds : [-1])
    .where('a.period_month', '>=', filter.fromMonth)
    .where('a.period_month', '<=', filter.toMonth)
    .where('a.value_number', 'is not', null)
    .where('r.quarantine_reason', 'is', null)
    .orderBy('r.id')
  if (filter.channels?.length) query = query.where('r.entry_channel', 'in', filter.channels)
  if (filter.every && filter.every > 1) query = query.where(sql<number>`${sql.ref('r.id')} % ${filter.every}`, '=', 0)
  const rows = await query.execute()
  return rows.map((r) => ({
    responseId: r.id,
    versionId: r.version_id,
    weightMicro: r.weight_micro,
    stratum: r.stratum,
    itemCode: r.code,
    value: Number(r.value_number),
  }))
}
