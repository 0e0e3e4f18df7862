/**
 * The additive aggregates. Every write is an upsert that adds to the counters, in the same transaction as
 * the response it comes from; PostgreSQL and SQLite share the `on conflict … do update` syntax (db/dialect.ts).
 */
import { type Kysely, sql } from 'kysely'
import { dialectOf, insertRows } from '#db/dialect.ts'
import type { Database, EntryChannel } from '#db/schema.ts'
import type { Executor } from './questionnaires.ts'

export interface ItemAggregateDelta {
  agencyId: number
  periodMonth: string
  itemId: number
  answerValue: number
  stratum: string
  entryChannel: EntryChannel
  weightMicro: number
  /** -1 takes a response back out (re-quarantined); 1 by default. */
  sign?: 1 | -1
}

export interface CompositeDelta {
  agencyId: number
  periodMonth: string
  versionId: number
  composite: string
  stratum: string
  entryChannel: EntryChannel
  weightMicro: number
  x: number
  /** -1 takes a response back out (re-quarantined); 1 by default. */
  sign?: 1 | -1
}

/**
 * Adds up rows that land on the same aggregate key, then orders them by key. One statement may not
 * update a row twice (PostgreSQL refuses it), and writers that lock rows in one order cannot deadlock.
 */
function mergeByKey<Row extends { n: number }>(
  rows: Row[],
  key: (row: Row) => string,
  add: (into: Row, row: Row) => void,
  order: (a: Row, b: Row) => number,
): Row[] {
  // The rows are the caller's own fresh objects: the first of each key takes the others' sums.
  const merged = new Map<string, Row>()
  for (const row of rows) {
    const k = key(row)
    const into = merged.get(k)
    if (into) add(into, row)
    else merged.set(k, row)
  }
  return [...merged.values()].sort(order)
}

/** Orders aggregate rows by their primary key, column by column (numbers as numbers). */
function byColumns<Row>(...columns: (keyof Row)[]) {
  return (a: Row, b: Row) => {
    for (const column of columns) {
      const x = a[column]
      const y = b[column]
      if (x !== y) return x < y ? -1 : 1
    }
    return 0
  }
}

/**
 * Raises the stamp of each agency-month whose aggregates this transaction changes
 * (db/migrations/2026-12-01T0100_aggregate_stamps.ts): the scores memo's key moves with every change.
 * In key order, as the aggregate rows are, so writers still lock in one order.
 */
async function stampAggregates(db: Executor, rows: ReadonlyArray<{ agency_id: number; period_month: string }>) {
  await insertRows(db, 'aggregate_stamp', aggregateStampRows(rows), {
    addOnConflict: { key: ['agency_id', 'period_month'], add: ['version'] },
  })
}

const pick = (r: { agency_id: number; period_month: string }) => ({
  agency_id: r.agency_id,
  period_month: r.period_month,
})

/** The stamps that aggregate rows raise, one per agency-month, in key order (response-writes.ts too). */
export function aggregateStampRows(rows: ReadonlyArray<{ agency_id: number; period_month: string }>) {
  const keys = new Map<string, { agency_id: number; period_month: string; version: number }>()
  for (const r of rows) keys.set(`${r.agency_id}|${r.period_month}`, { ...pick(r), version: 1 })
  return [...keys.values()].sort(byColumns('agency_id', 'period_month'))
}

export const COMPOSITE_SUMS = [
  'n',
  'sum_w_micro',
  'sum_w2',
  'sum_wx',
  'sum_wx2',
  'sum_w2x',
  'sum_w2x2',
  'sum_x',
  'sum_x2',
] as const

/** The item aggregates' primary key, and the order their rows are written (and locked) in. */
export const ITEM_AGGREGATE_KEY = [
  'agency_id',
  'item_id',
  'answer_value',
  'stratum',
  'entry_channel',
  'period_month',
] as const
export const ITEM_AGGREGATE_SUMS = ['n', 'sum_w_micro', 'sum_w2'] as const

/** The item aggregate rows that `deltas` add to, one per key, in key order. */
export function itemAggregateRows(deltas: ItemAggregateDelta[]) {
  return mergeByKey(
    deltas.map((d) => {
      const w = d.weightMicro / 1e6
      const sign = d.sign ?? 1
      return {
        agency_id: d.agencyId,
        period_month: d.periodMonth,
        item_id: d.itemId,
        answer_value: d.answerValue,
        stratum: d.stratum,
        entry_channel: d.entryChannel,
        n: sign,
        sum_w_micro: sign * d.weightMicro,
        sum_w2: sign * w * w,
      }
    }),
    (r) => `${r.agency_id}|${r.item_id}|${r.answer_value}|${r.stratum}|${r.entry_channel}|${r.period_month}`,
    (into, r) => {
      into.n += r.n
      into.sum_w_micro += r.sum_w_micro
      into.sum_w2 += r.sum_w2
    },
    byColumns(...ITEM_AGGREGATE_KEY),
  )
}

/** The composite aggregates' primary key, and the order their rows are written (and locked) in. */
export const COMPOSITE_AGGREGATE_KEY = [
  'agency_id',
  'composite',
  'version_id',
  'stratum',
  'entry_channel',
  'period_month',
] as const

/** The composite aggregate rows that `deltas` add to, one per key, in key order. */
export function compositeAggregateRows(deltas: CompositeDelta[]) {
  return mergeByKey(
    deltas.map((d) => {
      const w = d.weightMicro / 1e6
      const s = d.sign ?? 1
      return {
        agency_id: d.agencyId,
        period_month: d.periodMonth,
        version_id: d.versionId,
        composite: d.composite,
        stratum: d.stratum,
        entry_channel: d.entryChannel,
        n: s,
        sum_w_micro: s * d.weightMicro,
        sum_w2: s * w * w,
        sum_wx: s * w * d.x,
        sum_wx2: s * w * d.x * d.x,
        sum_w2x: s * w * w * d.x,
        sum_w2x2: s * w * w * d.x * d.x,
        sum_x: s * d.x,
        sum_x2: s * d.x * d.x,
      }
    }),
    (r) => `${r.agency_id}|${r.composite}|${r.version_id}|${r.stratum}|${r.entry_channel}|${r.period_month}`,
    (into, r) => {
      for (const column of COMPOSITE_SUMS) into[column] += r[column]
    },
    byColumns(...COMPOSITE_AGGREGATE_KEY),
  )
}

/**
 * Adds a transaction's item and composite deltas to the aggregates, and raises the stamps of the
 * agency-months they touch once for both: the two kinds of row share their agency-months, and each
 * statement less is one less for every group commit (ADR 0057).
 */
export async function addAggregates(
  db: Executor,
  deltas: { items: ItemAggregateDelta[]; composites: CompositeDelta[] },
): Promise<void> {
  const itemRows = deltas.items.length ? itemAggregateRows(deltas.items) : []
  const compositeRows = deltas.composites.length ? compositeAggregateRows(deltas.composites) : []
  if (itemRows.length)
    await insertRows(db, 'item_aggregate', itemRows, {
      addOnConflict: { key: ITEM_AGGREGATE_KEY, add: ITEM_AGGREGATE_SUMS },
    })
  if (compositeRows.length)
    await insertRows(db, 'composite_aggregate', compositeRows, {
      addOnConflict: { key: COMPOSITE_AGGREGATE_KEY, add: COMPOSITE_SUMS },
    })
  if (itemRows.length || compositeRows.length) await stampAggregates(db, [...itemRows, ...compositeRows])
}

/** One item aggregate row as a rebuild computes it: the counters summed over all its responses. */
export interface ItemAggregateTotals {
  agencyId: number
  periodMonth: string
  itemId: number
  answerValue: number
  stratum: string
  entryChannel: EntryChannel
  n: number
  sumWMicro: number
  sumW2: number
}

/** One composite aggregate row as a rebuild computes it. */
export interface CompositeAggregateTotals {
  agencyId: number
  periodMonth: string
  versionId: number
  composite: string
  stratum: string
  entryChannel: EntryChannel
  n: number
  sumWMicro: number
  sumW2: number
  sumWx: number
  sumWx2: number
  sumW2x: number
  sumW2x2: number
  sumX: number
  sumX2: number
}

/** Throws every aggregate away and writes the given rows instead; the caller owns the transaction. */
export async function replaceAggregates(
  trx: Executor,
  items: ItemAggregateTotals[],
  composites: CompositeAggregateTotals[],
): Promise<void> {
  await trx.deleteFrom('item_aggregate').execute()
  await trx.deleteFrom('composite_aggregate').execute()
  // Agency 0's stamp stands for the whole table: the sum moves even for a rebuild that writes no row.
  await stampAggregates(trx, [{ agency_id: 0, period_month: '' }])
  const itemRows = items.map((r) => ({
    agency_id: r.agencyId,
    period_month: r.periodMonth,
    item_id: r.itemId,
    answer_value: r.answerValue,
    stratum: r.stratum,
    entry_channel: r.entryChannel,
    n: r.n,
    sum_w_micro: r.sumWMicro,
    sum_w2: r.sumW2,
  }))
  // Chunks keep each statement under the databases' limits on bound parameters.
  for (let i = 0; i < itemRows.length; i += 500)
    await trx
      .insertInto('item_aggregate')
      .values(itemRows.slice(i, i + 500))
      .execute()
  const compositeRows = composites.map((r) => ({
    agency_id: r.agencyId,
    period_month: r.periodMonth,
    version_id: r.versionId,
    composite: r.composite,
    stratum: r.stratum,
    entry_channel: r.entryChannel,
    n: r.n,
    sum_w_micro: r.sumWMicro,
    sum_w2: r.sumW2,
    sum_wx: r.sumWx,
    sum_wx2: r.sumWx2,
    sum_w2x: r.sumW2x,
    sum_w2x2: r.sumW2x2,
    sum_x: r.sumX,
    sum_x2: r.sumX2,
  }))
  for (let i = 0; i < compositeRows.length; i += 500)
    await trx
      .insertInto('composite_aggregate')
      .values(compositeRows.slice(i, i + 500))
      .execute()
}

/**
 * True when both aggregate tables are empty while counted responses exist: after a migration that re-keys
 * them (docs/decisions/0042-channel-in-aggregate-keys.md), or a rebuild that was interrupted.
 */
export async function aggregatesMissing(db: Executor): Promise<boolean> {
  const item = await db.selectFrom('item_aggregate').select('agency_id').limit(1).executeTakeFirst()
  const composite = await db.selectFrom('composite_aggregate').select('agency_id').limit(1).executeTakeFirst()
  if (item || composite) return false
  const counted = await db
    .selectFrom('response')
    .select('id')
    .where('quarantine_reason', 'is', null)
    .limit(1)
    .executeTakeFirst()
  return counted !== undefined
}

/** An arbitrary constant: the PostgreSQL advisory lock that one rebuild at a time holds. */
const REBUILD_LOCK = 4_242_001

/**
 * Runs `work` while holding the aggregate rebuild lock, so servers that start together after an upgrade
 * rebuild once: the second waits, then finds the aggregates present. PostgreSQL only (an advisory lock on
 * one pooled connection); SQLite writers are serialised by the database already.
 */
export async function withRebuildLock<T>(db: Kysely<Database>, work: (db: Kysely<Database>) => Promise<T>) {
  if (dialectOf(db) !== 'postgres') return work(db)
  return db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${REBUILD_LOCK})`.execute(connection)
    try {
      return await work(connection)
    } finally {
      await sql`select pg_advisory_unlock(${REBUILD_LOCK})`.execute(connection)
    }
  })
}
