/**
 * Successions between agencies (the 2025 reorganisation: merged into, split from, renamed) as pure rules:
 * which new edge would close a cycle, and which predecessors' history a subtree inherits. An edge always
 * points from the older unit (predecessor) to the newer one (successor), whatever its kind:
 * merged_into — the predecessor merged into the successor; renamed — the predecessor is now called the
 * successor; split_from — the successor was split from the predecessor.
 */
export type SuccessionKind = 'merged_into' | 'split_from' | 'renamed'
export const SUCCESSION_KINDS: readonly SuccessionKind[] = ['merged_into', 'split_from', 'renamed']

export interface SuccessionEdge {
  predecessorId: number
  successorId: number
  effectiveDate: string
}

/**
 * Whether adding predecessor → successor closes a cycle: the successor already leads (through any chain of
 * successions) to the predecessor, or they are the same unit. A unit cannot be its own ancestor in time.
 */
export function closesCycle(edges: readonly SuccessionEdge[], predecessorId: number, successorId: number): boolean {
  if (predecessorId === successorId) return true
  const next = new Map<number, number[]>()
  for (const e of edges) next.set(e.predecessorId, [...(next.get(e.predecessorId) ?? []), e.successorId])
  const seen = new Set<number>()
  const stack = [successorId]
  while (stack.length) {
    const id = stack.pop()!
    if (id === predecessorId) return true
    if (seen.has(id)) continue
    seen.add(id)
    stack.push(...(next.get(id) ?? []))
  }
  return false
}

/** A predecessor's subtree whose data a scope may read for periods that start before `before`. */
export interface HistoryGrant {
  /** Materialised path of the predecessor ("/11/"): its whole subtree as it was. */
  path: string
  /** The succession's effective date (YYYY-MM-DD); the earliest along a chain of successions. */
  before: string
}

/**
 * The history a subtree inherits: every predecessor of a unit in the subtree, and (transitively) every
 * predecessor of a unit inside an inherited subtree, each readable before its succession date (along a
 * chain, the earliest date). Predecessors already in the subtree need no grant.
 */
export function historyGrants(
  scopePath: string,
  edges: readonly SuccessionEdge[],
  pathOf: ReadonlyMap<number, string>,
): HistoryGrant[] {
  const grants = new Map<string, string>()
  const inScope = (path: string) => path.startsWith(scopePath)
  // The latest date up to which a path is readable through the scope or a grant (null: not at all).
  const readableBefore = (path: string): string | null => {
    if (inScope(path)) return '9999-12-31'
    let best: string | null = null
    for (const [p, before] of grants) if (path.startsWith(p) && (best === null || before > best)) best = before
    return best
  }
  // Each round adds grants reached through the previous ones; a chain cannot be longer than the edges.
  for (let round = 0; round <= edges.length; round++) {
    let changed = false
    for (const e of edges) {
      const successorPath = pathOf.get(e.successorId)
      const predecessorPath = pathOf.get(e.predecessorId)
      if (!successorPath || !predecessorPath || inScope(predecessorPath)) continue
      const through = readableBefore(successorPath)
      if (through === null) continue
      // Dates are ISO texts: the earlier sorts first.
      const before = [through, e.effectiveDate].sort()[0]!
      const had = grants.get(predecessorPath)
      if (had === undefined || before > had) {
        grants.set(predecessorPath, before)
        changed = true
      }
    }
    if (!changed) break
  }
  return [...grants].map(([path, before]) => ({ path, before })).sort((a, b) => a.path.localeCompare(b.path))
}

/** The day before an ISO date: when a unit that merges on `date` stops existing. */
export function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() - 1)
  return d.toISOString().slice(0, 10)
}

/** Whether a YYYY-MM-DD text is a real calendar date (2025-02-30 is not). */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false
  const d = new Date(`${text}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text
}

/**
 * Where each merged unit's responses count on today's boundaries: the end of its chain of takeovers
 * (merged into, renamed; a district → a commune → …). A unit that ended without a takeover of its own
 * follows its nearest ancestor that has one: a department of a merged province, recorded only as "the
 * province merged into the new one", counts for the new province rather than for nobody.
 */
export function finalSuccessors(
  takeovers: ReadonlyArray<{ predecessorId: number; successorId: number }>,
  agencies: ReadonlyArray<{ id: number; path: string; validTo: string | null }>,
): Map<number, number> {
  const next = new Map(takeovers.map((r) => [r.predecessorId, r.successorId]))
  const final = new Map<number, number>()
  for (const start of next.keys()) {
    let id = start
    for (let hops = 0; next.has(id) && hops < 50; hops++) id = next.get(id)!
    final.set(start, id)
  }
  for (const a of agencies) {
    if (a.validTo === null || final.has(a.id)) continue
    const ancestors = a.path.split('/').filter(Boolean).map(Number).slice(0, -1).reverse()
    const taken = ancestors.find((id) => final.has(id))
    if (taken !== undefined) final.set(a.id, final.get(taken)!)
  }
  return final
}
