/**
 * Work derived from the aggregates, kept in this server's memory under the version of the aggregates it read
 * (docs/decisions/0057-scores-memo-by-aggregate-stamp.md). A version is the sum and count of the
 * per-agency-month stamps that every aggregate write raises in its own transaction
 * (db/migrations/2026-12-01T0100_aggregate_stamps.ts), so a new submission, a quarantine or its release, a
 * rebuild — anything that changes an aggregate — changes it. It is read for the months the work reads (and
 * the rebuilds' stamp): this month's submissions leave last year's kept tables alone, which is what a
 * province reading closed periods while citizens answer needs. Reading it is one small query and writes
 * nothing: the memo works on the read-only replica handle (ADR 0056).
 *
 * The version is read before the work it keys, so what is kept is never older than its key: a write that
 * commits in between is in the result already, and its stamp makes the next request miss anyway.
 * Everything else the work depends on (agencies, successions, options, population counts…) is in the key
 * the caller gives.
 */
import type { Executor } from '../repos/questionnaires.ts'

/** Entries per database handle; each is one score table (a few hundred KB for a province's tree). */
const MAX_ENTRIES = 32

/** One memo per database handle: a test process opens many databases, a server a primary and a replica. */
const memos = new WeakMap<object, Map<string, Promise<unknown>>>()

/**
 * The version of the aggregates of the months from–to (YYYY-MM, both included; every month when omitted)
 * and of the rebuilds, whose stamp (agency 0) stands for the whole table.
 */
export async function aggregateVersion(db: Executor, months?: { from: string; to: string }): Promise<string> {
  let query = db
    .selectFrom('aggregate_stamp')
    .select((eb) => [eb.fn.sum<number | string>('version').as('v'), eb.fn.countAll<number | string>().as('c')])
  if (months)
    query = query.where((eb) =>
      eb.or([
        eb('agency_id', '=', 0),
        eb.and([eb('period_month', '>=', months.from), eb('period_month', '<=', months.to)]),
      ]),
    )
  const row = await query.executeTakeFirst()
  return `${Number(row?.v ?? 0)}/${Number(row?.c ?? 0)}`
}

/**
 * `compute()`'s result for `key` at `version`, computed once: concurrent requests share the promise, a
 * failure is not kept. Every caller gets its own copy, so nothing a caller changes reaches the next one.
 */
export async function memoised<T>(db: object, version: string, work: string, compute: () => Promise<T>): Promise<T> {
  let entries = memos.get(db)
  if (!entries) {
    entries = new Map()
    memos.set(db, entries)
  }
  // Versions only go up, so an entry of an older version is never asked for again: the least recently used
  // entries go first, and those are the stale ones.
  const key = `${version} ${work}`
  let entry = entries.get(key) as Promise<T> | undefined
  if (entry) {
    // Most recently used last: the first entry is the one to drop.
    entries.delete(key)
    entries.set(key, entry)
  } else {
    entry = compute()
    entries.set(key, entry)
    entry.catch(() => entries.get(key) === entry && entries.delete(key))
    for (const old of entries.keys()) {
      if (entries.size <= MAX_ENTRIES) break
      entries.delete(old)
    }
  }
  return structuredClone(await entry)
}
