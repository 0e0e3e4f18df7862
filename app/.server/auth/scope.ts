/**
 * The one scope rule, the product's security boundary: a user sees the agencies in the subtree of their
 * own agency; administrators (scopePath null) see every agency. Agency paths are materialised id paths
 * that end in a slash ("/1/2/"), so a prefix test cannot confuse "/1/2/" with its sibling "/1/23/".
 *
 * History follows the tree: a deactivated unit inside the subtree stays visible (its past scores are still
 * the user's to read). A predecessor merged (renamed, split) into the subtree from outside it is readable
 * only for periods that start before its succession date, and only through `canSeeDuring` with the
 * scope's `history` grants (ADR 0046; the grants are computed from the successions by
 * services/history-scope.ts). `canSee` and `whereInScope` stay the tree alone: writes and today's data.
 */
import type { ReferenceExpression, SelectQueryBuilder } from 'kysely'
import type { HistoryGrant } from '#app/domain/successions.ts'

export interface Scope {
  /** Materialised path of the user's agency; null for administrators, who see everything. */
  scopePath: string | null
  /** Predecessors' subtrees inherited through successions, each readable before its date (ADR 0046). */
  history?: readonly HistoryGrant[]
}

/** The scope of someone who sees everything: the CLI, seeding, and administrators. */
export const EVERYTHING: Scope = { scopePath: null }

/** Whether the agency at `agencyPath` lies in the scope. */
export function canSee(scope: Scope, agency: { path: string }): boolean {
  return scope.scopePath === null || agency.path.startsWith(scope.scopePath)
}

/**
 * Whether the agency's data for a period that starts on `periodStart` (YYYY-MM or YYYY-MM-DD) may be read:
 * the tree rule, or a history grant whose succession date is after the period's first day. A period that
 * straddles the date is readable (the predecessor ended at the date, so it holds only data from before).
 */
export function canSeeDuring(scope: Scope, agency: { path: string }, periodStart: string): boolean {
  if (canSee(scope, agency)) return true
  const firstDay = periodStart.length === 7 ? `${periodStart}-01` : periodStart
  return (scope.history ?? []).some((h) => agency.path.startsWith(h.path) && firstDay < h.before)
}

/** LIKE pattern of a scope's subtree; paths hold only digits and slashes, so nothing needs escaping. */
export function subtreePattern(path: string): string {
  if (!/^\/(\d+\/)*$/.test(path)) throw new Error(`not an agency path: ${path}`)
  return `${path}%`
}

/** Restricts a query to the agencies in scope, by the column that holds an agency's path. */
export function whereInScope<DB, TB extends keyof DB, O>(
  qb: SelectQueryBuilder<DB, TB, O>,
  pathColumn: ReferenceExpression<DB, TB>,
  scope: Scope,
): SelectQueryBuilder<DB, TB, O> {
  if (scope.scopePath === null) return qb
  const pattern = subtreePattern(scope.scopePath)
  return qb.where((eb) => eb(pathColumn, 'like', pattern))
}
