/** Which questionnaire versions the counted responses of a period were answered on. */
import type { Executor } from './questionnaires.ts'

export interface AnsweredVersion {
  versionId: number
  versionNumber: number
  responses: number
}

/** Versions of the questionnaire with (non-quarantined) responses of these agencies in the months, oldest first. */
export async function answeredVersions(
  db: Executor,
  filter: { questionnaireCode: string; fromMonth: string; toMonth: string; agencyIds: number[] },
): Promise<AnsweredVersion[]> {
  const rows = await db
    .selectFrom('response as r')
    .innerJoin('questionnaire_version as v', 'v.id', 'r.version_id')
    .innerJoin('questionnaire as q', 'q.id', 'v.questionnaire_id')
    .select(['v.id as versionId', 'v.version_number as versionNumber', (eb) => eb.fn.countAll<number>().as('n')])
    .where('q.code', '=', filter.questionnaireCode)
    .where('r.period_month', '>=', filter.fromMonth)
    .where('r.period_month', '<=', filter.toMonth)
    .where('r.agency_id', 'in', filter.agencyIds.length ? filter.agencyIds : [-1])
    .where('r.quarantine_reason', 'is', null)
    .groupBy(['v.id', 'v.version_number'])
    .orderBy('v.version_number')
    .execute()
  return rows.map((r) => ({ versionId: r.versionId, versionNumber: r.versionNumber, responses: Number(r.n) }))
}
