/**
 * The one scope rule, the product's security boundary: a user sees the agencies in the subtree of their
 * own agency; administrators (scopePath null) see every agency. Agency paths are materialised id paths
 * that end in a slash ("/1/2/"), so a prefix test cannot confuse "/1/2/" with its sibling "/1/23/".
 *
 * History follows the tree, not the calendar: a deactivated unit inside the subtree stays visible (its
 * past scores are still the user's to read), and a predecessor that was merged in from outside the
 * subtree is not visible through this rule; seeing a successor's history is decided where successions are.
 */
import type { ReferenceExpression, SelectQueryBuilder } from 'kysely'

export interface Scope {
  /** Materialised path of the user's agency; null for administrators, who see everything. */
  scopePath: string | null
}

/** The scope of someone who sees everything: the CLI, seeding, and administrators. */
export const EVERYTHING: Scope = { scopePath: null }

/** Whether the agency at `agencyPath` lies in the scope. */
export function canSee(scope: Scope, agency: { path: string }): boolean {
  return scope.scopePath === null || agency.path.startsWith(scope.scopePath)
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
