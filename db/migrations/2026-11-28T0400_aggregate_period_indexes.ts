/**
 * Score queries select aggregates by a month range for a whole province; the primary keys start with
 * the agency, so the period needs its own index. Frozen like every migration.
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('item_aggregate_period_idx').on('item_aggregate').columns(['period_month', 'item_id']).execute()
  await db.schema.createIndex('composite_aggregate_period_idx').on('composite_aggregate').columns(['period_month', 'version_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('composite_aggregate_period_idx').execute()
  await db.schema.dropIndex('item_aggregate_period_idx').execute()
}
