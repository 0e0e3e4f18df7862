/** Scores as a signed-in user (or an API token) may see them: always inside their agency subtree. */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { computeScores, type ScoresResult } from '../services/scores.ts'
import type { AnalyticsQuery } from './query.ts'

export interface Scope {
  /** Path of the agency subtree the caller may see; null = everything (administrators). */
  scopePath: string | null
}

export type ScopedScores = ScoresResult | { ok: false; error: 'forbidden' }

/** The agency the table starts from: the one asked for, else the caller's own, else all roots. */
export async function resolveRoot(db: Kysely<Database>, scope: Scope, agencyCode: string | undefined) {
  if (agencyCode) {
    const agency = await db
      .selectFrom('agency')
      .select(['code', 'path'])
      .where('code', '=', agencyCode)
      .executeTakeFirst()
    if (!agency) return { ok: false as const, error: 'unknownAgency' as const }
    if (scope.scopePath !== null && !agency.path.startsWith(scope.scopePath))
      return { ok: false as const, error: 'forbidden' as const }
    return { ok: true as const, code: agency.code }
  }
  if (scope.scopePath === null) return { ok: true as const, code: null }
  const own = await db.selectFrom('agency').select('code').where('path', '=', scope.scopePath).executeTakeFirstOrThrow()
  return { ok: true as const, code: own.code }
}

export async function scoresForScope(
  db: Kysely<Database>,
  scope: Scope,
  query: AnalyticsQuery,
  intervals: 'all' | 'no-criteria' = 'all',
): Promise<ScopedScores> {
  const root = await resolveRoot(db, scope, query.agency)
  if (!root.ok) return { ok: false, error: root.error }
  return computeScores(db, {
    questionnaireCode: query.q,
    rootAgencyCode: root.code,
    period: query.period,
    boundaries: query.boundaries,
    options: {
      weighting: query.weighting,
      interval: query.ci,
      intervals,
      ...(query.method ? { method: query.method } : {}),
    },
  })
}
