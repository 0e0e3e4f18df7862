/** Streams raw responses with their answers, in id order, for exports of any size. */
import type { Executor } from './questionnaires.ts'

export interface RawResponseFilter {
  questionnaireId: number
  /** The agencies whose responses are exported (already resolved for scope, root and boundaries). */
  agencyIds: number[]
  fromMonth: string
  toMonth: string
}

/** One row per answer (or one with null answer fields for a response without answers), ordered by response. */
export function streamRawAnswers(db: Executor, filter: RawResponseFilter) {
  return db
    .selectFrom('response as r')
    .innerJoin('questionnaire_version as v', 'v.id', 'r.version_id')
    .innerJoin('agency as ag', 'ag.id', 'r.agency_id')
    .leftJoin('procedure as p', 'p.id', 'r.procedure_id')
    .leftJoin('answer as a', 'a.response_id', 'r.id')
    .leftJoin('questionnaire_item as i', 'i.id', 'a.item_id')
    .select([
      'r.id', 'r.submitted_at', 'r.period_month', 'ag.code as agency_code', 'p.code as procedure_code', 'r.channel', 'r.version_id', 'v.version_number',
      'r.weight_micro', 'r.stratum', 'r.source', 'i.code as item_code', 'a.value_number', 'a.value_text',
    ])
    .where('v.questionnaire_id', '=', filter.questionnaireId)
    .where('r.period_month', '>=', filter.fromMonth)
    .where('r.period_month', '<=', filter.toMonth)
    .where('r.agency_id', 'in', filter.agencyIds.length ? filter.agencyIds : [-1])
    .orderBy('r.id')
    .stream(500)
}
