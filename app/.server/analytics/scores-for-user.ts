/** Scores as a signed-in user (or an API token) may see them: always inside their agency subtree. */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { monthRange } from '#app/domain/period.ts'
import { canSee, canSeeDuring, type Scope } from '../auth/scope.ts'
import { type AgencySummary, findAgencyByPath, findAgencySummary } from '../repos/agency-tree.ts'
import { withHistory } from '../services/history-scope.ts'
import { computeScores, type ScoresResult } from '../services/scores.ts'
import type { AnalyticsQuery } from './query.ts'

export type ScopedScores = ScoresResult | { ok: false; error: 'forbidden' }

/** The HTTP status of each reason scores cannot be given: the same for the pages, the downloads and the API. */
export const SCORES_ERROR_STATUS: Record<Extract<ScopedScores, { ok: false }>['error'], 403 | 404 | 422> = {
  forbidden: 403,
  unknownAgency: 404,
  unknownQuestionnaire: 404,
  noPopulation: 422,
  populationMismatch: 422,
}

export type RootResult =
  | { ok: true; agency: AgencySummary | null }
  | { ok: false; error: 'unknownAgency' | 'forbidden' }

/**
 * The agency the table starts from: the one asked for, else the caller's own, else all roots (null). With
 * `periodStart`, a predecessor merged into the caller's subtree may be asked for, for periods that start
 * before its succession date (the scope's history, ADR 0046); without it, the tree alone decides.
 */
export async function resolveRoot(
  db: Kysely<Database>,
  scope: Scope,
  agencyCode: string | undefined,
  periodStart?: string,
): Promise<RootResult> {
  if (agencyCode) {
    const agency = await findAgencySummary(db, agencyCode)
    if (!agency) return { ok: false, error: 'unknownAgency' }
    const visible =
      canSee(scope, agency) ||
      (periodStart !== undefined && canSeeDuring(await withHistory(db, scope), agency, periodStart))
    if (!visible) return { ok: false, error: 'forbidden' }
    return { ok: true, agency }
  }
  if (scope.scopePath === null) return { ok: true, agency: null }
  const own = await findAgencyByPath(db, scope.scopePath)
  if (!own) throw new Error(`no agency at the scope path ${scope.scopePath}`)
  return { ok: true, agency: own }
}

export async function scoresForScope(
  db: Kysely<Database>,
  scope: Scope,
  query: AnalyticsQuery,
  intervals: 'all' | 'no-criteria' = 'all',
): Promise<ScopedScores> {
  const root = await resolveRoot(db, scope, query.agency, monthRange(query.period).from)
  if (!root.ok) return root
  return computeScores(db, {
    questionnaireCode: query.q,
    rootAgencyCode: root.agency?.code ?? null,
    period: query.period,
    boundaries: query.boundaries,
    channels: query.channels,
    compare: query.compare,
    options: {
      weighting: query.weighting,
      interval: query.ci,
      collapse: query.collapse,
      intervals,
      ...(query.method ? { method: query.method } : {}),
    },
  })
}
