/**
 * Raw responses for exports of any size, read in keyset-paginated batches (responses by id, then their
 * answers by an id range), so memory stays flat and no query holds the connection for long.
 */
import type { Executor } from './questionnaires.ts'

export interface RawResponseFilter {
  questionnaireId: number
  /** The agencies whose responses are exported (already resolved for scope, root and boundaries). */
  agencyIds: number[]
  fromMonth: string
  toMonth: string
}

/**
 * The next window of responses after `afterId`: the window is cut on the primary key first (a range
 * scan however large the table), then filtered, so every batch costs the same and the whole export is
 * one pass over the table. A window may hold no matching response; `done` says when the table ends.
 */
export async function rawResponseBatch(db: Executor, filter: RawResponseFilter, afterId: number, limit: number) {
  const window = await db
    .selectFrom('response')
    .select('id')
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute()
  if (!window.length) return { responses: [], answers: [], lastId: afterId, done: true }
  const lastId = window[window.length - 1].id
  const responses = await db
    .selectFrom('response as r')
    .innerJoin('questionnaire_version as v', 'v.id', 'r.version_id')
    .innerJoin('agency as ag', 'ag.id', 'r.agency_id')
    .leftJoin('procedure as p', 'p.id', 'r.procedure_id')
    .select([
      'r.id',
      'r.submitted_at',
      'r.period_month',
      'ag.code as agency_code',
      'p.code as procedure_code',
      'r.channel',
      'r.version_id',
      'v.version_number',
      'r.weight_micro',
      'r.stratum',
      'r.source',
    ])
    .where('r.id', '>', afterId)
    .where('r.id', '<=', lastId)
    .where('v.questionnaire_id', '=', filter.questionnaireId)
    .where('r.period_month', '>=', filter.fromMonth)
    .where('r.period_month', '<=', filter.toMonth)
    .where('r.agency_id', 'in', filter.agencyIds.length ? filter.agencyIds : [-1])
    .orderBy('r.id')
    .execute()
  if (!responses.length) return { responses, answers: [], lastId, done: false }
  const answers = await db
    .selectFrom('answer as a')
    .innerJoin('questionnaire_item as i', 'i.id', 'a.item_id')
    .select(['a.response_id', 'i.code', 'a.value_number', 'a.value_text'])
    .where('a.response_id', '>=', responses[0].id)
    .where('a.response_id', '<=', responses[responses.length - 1].id)
    .execute()
  return { responses, answers, lastId, done: false }
}
