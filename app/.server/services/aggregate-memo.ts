/**
 * Work derived from the aggregates, kept in this server's memory under the aggregates' version
 * (docs/decisions/0057-scores-memo-by-aggregate-stamp.md). The version is the sum and count of the
 * per-agency-month stamps that every aggregate write raises in its own transaction
 * (db/migrations/2026-12-01T0100_aggregate_stamps.ts), so a new submission, a quarantine or its release, a
 * rebuild — anything that changes an aggregate — changes it. Reading it is one small query and writes
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

interface Memo {
  version: string
  entries: Map<string, Promise<unknown>>
}

/** One memo per database handle: a test process opens many databases, a server a primary and a replica. */
const memos = new WeakMap<object, Memo>()

export async function aggregateVersion(db: Executor): Promise<string> {
  const row = await db
    .selectFrom('aggregate_stamp')
    .select((eb) => [eb.fn.sum<number | string>('version').as('v'), eb.fn.countAll<number | string>().as('c')])
    .executeTakeFirst()
  return `${Number(row?.v ?? 0)}/${Number(row?.c ?? 0)}`
}

/**
 * `compute()`'s result for `key` at `version`, computed once: concurrent requests share the promise, a
 * failure is not kept. Every caller gets its own copy, so nothing a caller changes reaches the next one.
 */
export async function memoised<T>(db: object, version: string, key: string, compute: () => Promise<T>): Promise<T> {
  let memo = memos.get(db)
  // A new version makes every entry stale: versions only go up, so none of them will be asked for again.
  if (!memo || memo.version !== version) {
    memo = { version, entries: new Map() }
    memos.set(db, memo)
  }
  const { entries } = memo
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
