/**
 * The two rules every population count passes, whoever enters or approves it (docs/decisions/0037):
 * who may move the rollups a count feeds, and which counts are plausible at all.
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { formatPeriod, monthRange, type NamedPeriod, previousPeriod } from '#app/domain/period.ts'
import { canSee, type Scope } from '../auth/scope.ts'
import { listAllAgencies } from '../repos/agency-tree.ts'
import { countResponsesReceived, findPopulationCount } from '../repos/population-counts.ts'
import { successorMap } from './scores.ts'

/** Larger than any agency's caseload in a period, and within a 32-bit integer column on PostgreSQL. */
export const MAX_POPULATION_COUNT = 1_000_000_000
/** A count more than this many times the previous period's is a typing mistake, or an attempt. */
export const MAX_GROWTH_FROM_PREVIOUS = 100

/** The top-level agency of a path: "/1/5/12/" → "/1/". */
const rootOf = (path: string) => path.slice(0, path.indexOf('/', 1) + 1)

/**
 * For each agency, the roots of the trees whose rollups its count feeds. A count is a post-stratification
 * cell of the agency's own score and of every ancestor's, up to the top of its tree; on today's
 * boundaries a merged unit's count goes to its final successor, whose ancestors it then feeds too. A
 * scope that holds a root holds every agency below it, so "covers the roots" is "covers every rollup".
 */
export async function rollupRootsOf(db: Kysely<Database>): Promise<(agency: { id: number; path: string }) => string[]> {
  const [agencies, successors] = await Promise.all([listAllAgencies(db), successorMap(db)])
  const pathOf = new Map(agencies.map((a) => [a.id, a.path]))
  return (agency) => {
    const successorPath = pathOf.get(successors.get(agency.id) ?? agency.id) ?? agency.path
    return [...new Set([rootOf(agency.path), rootOf(successorPath)])]
  }
}

/** Whether a scope covers every rollup a count with these roots feeds: then it may move them alone. */
export function coversEveryRollup(scope: Scope, roots: string[]): boolean {
  return roots.every((root) => canSee(scope, { path: root }))
}

export interface Implausible {
  status: 422
  error: 'analytics.population.belowResponses' | 'analytics.population.jumpFromPrevious'
  values: Record<string, string | number>
}

/**
 * Why a count cannot be right, or null: fewer than the responses the agency already received in the
 * period (each response is one of the interactions counted), or more than 100 times the approved count of
 * the period before (a slipped key, or an attempt to outweigh every other unit).
 */
export async function implausibility(
  db: Kysely<Database>,
  agencyId: number,
  period: NamedPeriod,
  count: number,
): Promise<Implausible | null> {
  const { from, to } = monthRange(period)
  const received = await countResponsesReceived(db, agencyId, from, to)
  if (count < received)
    return {
      status: 422,
      error: 'analytics.population.belowResponses',
      values: { value: count, received, period: formatPeriod(period) },
    }
  const before = formatPeriod(previousPeriod(period))
  const previous = await findPopulationCount(db, agencyId, before)
  if (previous !== null && count > MAX_GROWTH_FROM_PREVIOUS * previous)
    return {
      status: 422,
      error: 'analytics.population.jumpFromPrevious',
      values: { value: count, previous, previousPeriod: before, factor: MAX_GROWTH_FROM_PREVIOUS },
    }
  return null
}
