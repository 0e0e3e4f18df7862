/**
 * A scope with the history its subtree inherited through successions (ADR 0046): the grants that let
 * `canSeeDuring` (auth/scope.ts) show a merged-in predecessor's scores for periods before the merger.
 * Computed per request from the successions, which are few; administrators need none.
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { historyGrants } from '#app/domain/successions.ts'
import type { Scope } from '../auth/scope.ts'
import { listAllAgencies } from '../repos/agency-tree.ts'
import { listSuccessions } from '../repos/successions.ts'

export async function withHistory(db: Kysely<Database>, scope: Scope): Promise<Scope> {
  if (scope.scopePath === null) return scope
  const edges = await listSuccessions(db)
  if (!edges.length) return { scopePath: scope.scopePath, history: [] }
  const pathOf = new Map((await listAllAgencies(db)).map((a) => [a.id, a.path]))
  return { scopePath: scope.scopePath, history: historyGrants(scope.scopePath, edges, pathOf) }
}
