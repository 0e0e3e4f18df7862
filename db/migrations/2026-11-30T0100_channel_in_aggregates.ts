/**
 * The entry channel (invitation, open link, kiosk, import) becomes a key of both additive aggregates, so
 * scores can be filtered and split by channel without reading raw responses
 * (docs/decisions/0042-channel-in-aggregate-keys.md).
 *
 * Aggregates are derived data and the existing rows cannot be split by channel without the responses'
 * answers, which only the app's scoring functions read. So this migration empties both tables and re-keys
 * them; the migrate step (`rebuildAggregatesIfMissing`, run by the server start and `hailong migrate`)
 * then rebuilds them from the counted responses. An interrupted rebuild is simply run again at the next
 * start: empty aggregates beside counted responses are what it looks for.
 *
 * - SQLite: both tables are dropped and created again (WITHOUT ROWID, key order as before with the channel
 *   before the month), in one transaction.
 * - PostgreSQL: the tables may have been partitioned by month (db/postgres/partition-by-month.sql), so they
 *   are altered, not recreated: rows deleted, column added, primary key replaced (it still contains
 *   `period_month`, the partition key). PostgreSQL runs the migration in a transaction.
 */
import { type Kysely, PostgresAdapter, sql } from 'kysely'

type AnyDb = Kysely<any>

const isPostgres = (db: AnyDb) => db.getExecutor().adapter instanceof PostgresAdapter

const ITEM_KEY = ['agency_id', 'item_id', 'answer_value', 'stratum', 'entry_channel', 'period_month']
const COMPOSITE_KEY = ['agency_id', 'composite', 'version_id', 'stratum', 'entry_channel', 'period_month']

export async function up(db: AnyDb): Promise<void> {
  if (isPostgres(db)) await upPostgres(db)
  else await db.transaction().execute((trx) => recreateSqlite(trx, true))
}

async function upPostgres(db: AnyDb): Promise<void> {
  for (const [table, key] of [
    ['item_aggregate', ITEM_KEY],
    ['composite_aggregate', COMPOSITE_KEY],
  ] as const) {
    await sql`delete from ${sql.table(table)}`.execute(db)
    await sql`alter table ${sql.table(table)} add column entry_channel text not null`.execute(db)
    await sql`alter table ${sql.table(table)} drop constraint ${sql.id(`${table}_pk`)}`.execute(db)
    await sql`alter table ${sql.table(table)} add constraint ${sql.id(`${table}_pk`)} primary key (${sql.join(
      key.map((c) => sql.id(c)),
    )})`.execute(db)
  }
}

/** Both tables as the initial migration made them, with or without the channel in their key. */
async function recreateSqlite(db: AnyDb, withChannel: boolean): Promise<void> {
  await db.schema.dropTable('item_aggregate').execute()
  await db.schema.dropTable('composite_aggregate').execute()
  const channel = withChannel ? ['entry_channel'] : []
  const key = (columns: readonly string[]) => columns.filter((c) => withChannel || c !== 'entry_channel')

  let items = db.schema
    .createTable('item_aggregate')
    .addColumn('agency_id', 'integer', (c) => c.notNull().references('agency.id'))
    .addColumn('period_month', 'text', (c) => c.notNull())
    .addColumn('item_id', 'integer', (c) => c.notNull().references('questionnaire_item.id'))
    .addColumn('answer_value', 'integer', (c) => c.notNull())
    .addColumn('stratum', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('sum_w_micro', 'bigint', (c) => c.notNull())
    .addColumn('sum_w2', 'double precision', (c) => c.notNull())
  for (const column of channel) items = items.addColumn(column, 'text', (c) => c.notNull())
  await items
    .addPrimaryKeyConstraint('item_aggregate_pk', key(ITEM_KEY) as never)
    .modifyEnd(sql`without rowid`)
    .execute()

  let composites = db.schema
    .createTable('composite_aggregate')
    .addColumn('agency_id', 'integer', (c) => c.notNull().references('agency.id'))
    .addColumn('period_month', 'text', (c) => c.notNull())
    .addColumn('version_id', 'integer', (c) => c.notNull().references('questionnaire_version.id'))
    .addColumn('composite', 'text', (c) => c.notNull())
    .addColumn('stratum', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('sum_w_micro', 'bigint', (c) => c.notNull())
    .addColumn('sum_w2', 'double precision', (c) => c.notNull())
    .addColumn('sum_wx', 'double precision', (c) => c.notNull())
    .addColumn('sum_wx2', 'double precision', (c) => c.notNull())
    .addColumn('sum_w2x', 'double precision', (c) => c.notNull())
    .addColumn('sum_w2x2', 'double precision', (c) => c.notNull())
    .addColumn('sum_x', 'double precision', (c) => c.notNull())
    .addColumn('sum_x2', 'double precision', (c) => c.notNull())
  for (const column of channel) composites = composites.addColumn(column, 'text', (c) => c.notNull())
  await composites
    .addPrimaryKeyConstraint('composite_aggregate_pk', key(COMPOSITE_KEY) as never)
    .modifyEnd(sql`without rowid`)
    .execute()
}

/** Back to the keys without the channel; the aggregates are emptied again and need a rebuild. */
export async function down(db: AnyDb): Promise<void> {
  if (!isPostgres(db)) {
    await db.transaction().execute((trx) => recreateSqlite(trx, false))
    return
  }
  for (const [table, key] of [
    ['item_aggregate', ITEM_KEY],
    ['composite_aggregate', COMPOSITE_KEY],
  ] as const) {
    await sql`delete from ${sql.table(table)}`.execute(db)
    await sql`alter table ${sql.table(table)} drop constraint ${sql.id(`${table}_pk`)}`.execute(db)
    await sql`alter table ${sql.table(table)} drop column entry_channel`.execute(db)
    await sql`alter table ${sql.table(table)} add constraint ${sql.id(`${table}_pk`)} primary key (${sql.join(
      key.filter((c) => c !== 'entry_channel').map((c) => sql.id(c)),
    )})`.execute(db)
  }
}
