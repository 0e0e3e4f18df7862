/**
 * Per-(link, network, window) counters in the database, so every app server on one database shares them.
 * Each update is one upsert that adds and returns the new total: two servers adding at once both see a
 * total that includes the other's addition, so a cap holds without a lock of our own.
 */
import type { Kysely, Transaction } from 'kysely'
import { insertRows } from '#db/dialect.ts'
import type { Database } from '#db/schema.ts'

type Executor = Kysely<Database> | Transaction<Database>

export type CounterKind = 'issued' | 'counted'

/** The hour and the UTC day a moment falls in, as the window keys of the counters. */
export function windowsOf(at: Date): { hour: string; day: string } {
  const iso = at.toISOString()
  return { hour: iso.slice(0, 13), day: iso.slice(0, 10) }
}

export interface CounterAddition {
  linkId: number
  networkHash: string
  /** How many to add. */
  count: number
}

export interface CounterTotals {
  hour: number
  day: number
}

const keyOf = (linkId: number, networkHash: string) => `${linkId}:${networkHash}`

/**
 * Adds to the hourly and daily counters of each (link, network) and returns each one's new totals, keyed
 * `linkId:networkHash`. One statement for all of them.
 */
export async function addToCounters(
  db: Executor,
  kind: CounterKind,
  additions: CounterAddition[],
  at: Date,
): Promise<Map<string, CounterTotals>> {
  const totals = new Map<string, CounterTotals>()
  if (!additions.length) return totals
  const { hour, day } = windowsOf(at)
  // In key order, as the aggregates are (ADR 0028): an upsert locks its rows in the order given, and two
  // servers' group commits locking the same counters in opposite orders would deadlock on PostgreSQL.
  const ordered = [...additions].sort((a, b) =>
    a.linkId !== b.linkId
      ? a.linkId - b.linkId
      : a.networkHash < b.networkHash
        ? -1
        : a.networkHash > b.networkHash
          ? 1
          : 0,
  )
  const rows = ordered.flatMap((a) => [
    { link_id: a.linkId, network_hash: a.networkHash, kind: `${kind}:h`, window_start: hour, count: a.count },
    { link_id: a.linkId, network_hash: a.networkHash, kind: `${kind}:d`, window_start: day, count: a.count },
  ])
  // Written as SQL text (insertRows): this runs in every group commit, where Kysely's node per value showed.
  const updated = await insertRows(db, 'network_counter', rows, {
    addOnConflict: { key: ['link_id', 'network_hash', 'kind', 'window_start'], add: ['count'] },
    returning: ['link_id', 'network_hash', 'kind', 'count'],
  })
  for (const row of updated) {
    const key = keyOf(row.link_id, row.network_hash)
    const entry = totals.get(key) ?? { hour: 0, day: 0 }
    if (row.kind.endsWith(':h')) entry.hour = Number(row.count)
    else entry.day = Number(row.count)
    totals.set(key, entry)
  }
  return totals
}

export const counterKey = keyOf

/** Spends form-token nonces; returns the ones that were not spent before (the others are replays). */
export async function spendNonces(db: Executor, nonces: string[], at: Date): Promise<Set<string>> {
  if (!nonces.length) return new Set()
  const usedAt = at.toISOString()
  // In key order too: a replayed nonce waits on the other transaction's insert, which must not wait on ours.
  const inserted = await insertRows(
    db,
    'form_token_use',
    [...nonces].sort().map((nonce) => ({ nonce, used_at: usedAt })),
    { skipOnConflict: ['nonce'], returning: ['nonce'] },
  )
  return new Set(inserted.map((r) => r.nonce))
}

/**
 * Deletes counter windows that can no longer decide a cap: hourly windows that began before `hourBefore`
 * and daily windows that began before `dayBefore` (window keys as `windowsOf` writes them). Returns how many.
 */
export async function deleteOldCounters(db: Executor, hourBefore: string, dayBefore: string): Promise<number> {
  const result = await db
    .deleteFrom('network_counter')
    .where((eb) =>
      eb.or([
        eb.and([eb('kind', 'like', '%:h'), eb('window_start', '<', hourBefore)]),
        eb.and([eb('kind', 'like', '%:d'), eb('window_start', '<', dayBefore)]),
      ]),
    )
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

/** Deletes the nonces spent before `before` (an ISO instant). Returns how many. */
export async function deleteSpentNoncesBefore(db: Executor, before: string): Promise<number> {
  const result = await db.deleteFrom('form_token_use').where('used_at', '<', before).executeTakeFirst()
  return Number(result.numDeletedRows)
}
