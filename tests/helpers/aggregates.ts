/**
 * Both aggregate tables as a comparable snapshot, for tests that check the live aggregates against a
 * rebuild from the raw responses. Floating-point sums are kept to 12 significant digits: the live path
 * adds a group's deltas in arrival order and the rebuild in id order, which may change the last bits.
 */
import type { DB } from '#db/client.ts'

const rounded = (row: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'number' ? Number(v.toPrecision(12)) : v]))

export async function aggregateSnapshot(db: DB) {
  const items = await db
    .selectFrom('item_aggregate')
    .selectAll()
    .orderBy(['agency_id', 'item_id', 'answer_value', 'stratum', 'entry_channel', 'period_month'])
    .execute()
  const composites = await db
    .selectFrom('composite_aggregate')
    .selectAll()
    .orderBy(['agency_id', 'composite', 'version_id', 'stratum', 'entry_channel', 'period_month'])
    .execute()
  return { items: items.map(rounded), composites: composites.map(rounded) }
}
