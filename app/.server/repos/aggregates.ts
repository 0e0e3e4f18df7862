/**
 * The additive aggregates. Every write is an upsert that adds to the counters, in the same transaction as
 * the response it comes from; PostgreSQL and SQLite share the `on conflict … do update` syntax (db/dialect.ts).
 */
import { addExcluded } from '#db/dialect.ts'
import type { Executor } from './questionnaires.ts'

export interface ItemAggregateDelta {
  agencyId: number
  periodMonth: string
  itemId: number
  answerValue: number
  stratum: string
  weightMicro: number
}

export interface CompositeDelta {
  agencyId: number
  periodMonth: string
  versionId: number
  composite: string
  stratum: string
  weightMicro: number
  x: number
}

export async function addItemAggregates(db: Executor, deltas: ItemAggregateDelta[]): Promise<void> {
  if (!deltas.length) return
  await db
    .insertInto('item_aggregate')
    .values(
      deltas.map((d) => {
        const w = d.weightMicro / 1e6
        return {
          agency_id: d.agencyId, period_month: d.periodMonth, item_id: d.itemId, answer_value: d.answerValue,
          stratum: d.stratum, n: 1, sum_w_micro: d.weightMicro, sum_w2: w * w,
        }
      }),
    )
    .onConflict((oc) =>
      oc.columns(['agency_id', 'item_id', 'answer_value', 'stratum', 'period_month']).doUpdateSet({
        n: addExcluded('item_aggregate', 'n'),
        sum_w_micro: addExcluded('item_aggregate', 'sum_w_micro'),
        sum_w2: addExcluded('item_aggregate', 'sum_w2'),
      }),
    )
    .execute()
}

export async function addCompositeAggregates(db: Executor, deltas: CompositeDelta[]): Promise<void> {
  if (!deltas.length) return
  await db
    .insertInto('composite_aggregate')
    .values(
      deltas.map((d) => {
        const w = d.weightMicro / 1e6
        return {
          agency_id: d.agencyId, period_month: d.periodMonth, version_id: d.versionId, composite: d.composite,
          stratum: d.stratum, n: 1, sum_w_micro: d.weightMicro, sum_w2: w * w,
          sum_wx: w * d.x, sum_wx2: w * d.x * d.x, sum_w2x: w * w * d.x, sum_w2x2: w * w * d.x * d.x,
          sum_x: d.x, sum_x2: d.x * d.x,
        }
      }),
    )
    .onConflict((oc) =>
      oc.columns(['agency_id', 'composite', 'version_id', 'stratum', 'period_month']).doUpdateSet({
        n: addExcluded('composite_aggregate', 'n'),
        sum_w_micro: addExcluded('composite_aggregate', 'sum_w_micro'),
        sum_w2: addExcluded('composite_aggregate', 'sum_w2'),
        sum_wx: addExcluded('composite_aggregate', 'sum_wx'),
        sum_wx2: addExcluded('composite_aggregate', 'sum_wx2'),
        sum_w2x: addExcluded('composite_aggregate', 'sum_w2x'),
        sum_w2x2: addExcluded('composite_aggregate', 'sum_w2x2'),
        sum_x: addExcluded('composite_aggregate', 'sum_x'),
        sum_x2: addExcluded('composite_aggregate', 'sum_x2'),
      }),
    )
    .execute()
}

export async function clearAggregates(db: Executor): Promise<void> {
  await db.deleteFrom('item_aggregate').execute()
  await db.deleteFrom('composite_aggregate').execute()
}
