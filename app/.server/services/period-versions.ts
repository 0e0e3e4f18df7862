/**
 * The questionnaire versions whose responses a score table counts: the same agencies as the scores (the
 * caller's scope and the chosen root, merged units with their successor on today's boundaries) and the
 * same months. Downloads name them, since a period may have been answered on an older version.
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import type { Scope } from '../auth/scope.ts'
import { wordingInPeriod } from '#app/domain/questionnaire/period-wording.ts'
import { findAgencySummary } from '../repos/agency-tree.ts'
import { type AnsweredVersion, answeredVersions } from '../repos/response-versions.ts'
import { agencyIdsCountingFor, type Boundaries } from './scores.ts'
import { getVersionDefinition } from './survey-definition.ts'

export async function versionsInPeriod(
  db: Kysely<Database>,
  scope: Scope,
  request: {
    questionnaireCode: string
    rootAgencyCode: string | null
    months: { from: string; to: string }
    boundaries: Boundaries
  },
): Promise<AnsweredVersion[]> {
  const root = request.rootAgencyCode ? await findAgencySummary(db, request.rootAgencyCode) : undefined
  const scopes: Scope[] = [scope, ...(root ? [{ scopePath: root.path }] : [])]
  const agencyIds = await agencyIdsCountingFor(db, scopes, request.boundaries)
  return answeredVersions(db, {
    questionnaireCode: request.questionnaireCode,
    fromMonth: request.months.from,
    toMonth: request.months.to,
    agencyIds,
  })
}

/**
 * The wording each question had in the versions the period was answered on (same agencies and months as
 * the scores), by item code; empty when the period has no answers (labels then come from the version).
 */
export async function wordingOfPeriod(
  db: Kysely<Database>,
  scope: Scope,
  request: Parameters<typeof versionsInPeriod>[2],
) {
  const answered = await versionsInPeriod(db, scope, request)
  const definitions = []
  for (const v of answered)
    definitions.push({
      versionNumber: v.versionNumber,
      responses: v.responses,
      definition: await getVersionDefinition(db, v.versionId, 'published'),
    })
  return wordingInPeriod(definitions)
}
