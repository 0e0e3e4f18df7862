/**
 * Dossier counts per agency and calendar month, as the one-stop shop (bộ phận một cửa) knows them: the
 * denominators of the QĐ 766/QĐ-TTg satisfaction rate and of the response rate per dossier (issue #17,
 * docs/dossiers.md).
 *
 * - One row per agency and month ("2026-09"); the database refuses any other text and a second row for the
 *   same key, so a repeated push or import replaces the row (an upsert), never adds to it.
 * - `rated_dissatisfied` is null when the one-stop-shop system does not know its own ratings; the rate then
 *   counts the survey's invitation responses rated below the satisfaction threshold instead.
 * - Counts are never negative, and no more dossiers are settled late than settled (checked here too, so a
 *   direct write cannot store a rate above 100 %).
 *
 * Kysely runs SQLite migrations outside a transaction; this one opens its own there.
 */
import { type Kysely, PostgresAdapter, sql } from 'kysely'

type AnyDb = Kysely<any>

const isPostgres = (db: AnyDb) => db.getExecutor().adapter instanceof PostgresAdapter

export async function up(db: AnyDb): Promise<void> {
  if (isPostgres(db)) await migrate(db, true)
  else await db.transaction().execute((trx) => migrate(trx, false))
}

/** True for "2026-01" … "2026-12": a calendar month as `response.period_month` holds it. */
function canonicalMonth(postgres: boolean) {
  if (postgres) return sql`month ~ '^[12][0-9]{3}-(0[1-9]|1[0-2])$'`
  const year = '[12][0-9][0-9][0-9]'
  return sql`(month glob ${sql.lit(`${year}-0[1-9]`)} or month glob ${sql.lit(`${year}-1[0-2]`)})`
}

async function migrate(db: AnyDb, postgres: boolean): Promise<void> {
  await db.schema
    .createTable('dossier_count')
    .addColumn('id', postgres ? 'serial' : 'integer', (c) =>
      postgres ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('agency_id', 'integer', (c) => c.notNull().references('agency.id'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('received', 'integer', (c) => c.notNull().check(sql`received >= 0`))
    .addColumn('settled', 'integer', (c) => c.notNull().check(sql`settled >= 0`))
    .addColumn('settled_late', 'integer', (c) => c.notNull().check(sql`settled_late >= 0`))
    .addColumn('complained', 'integer', (c) => c.notNull().check(sql`complained >= 0`))
    .addColumn('rated_dissatisfied', 'integer', (c) => c.check(sql`rated_dissatisfied >= 0`))
    // 'form', 'import' or 'api': where the last write came from.
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('form', 'import', 'api')`))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('dossier_count_month_canonical', canonicalMonth(postgres))
    .addCheckConstraint('dossier_count_late_within_settled', sql`settled_late <= settled`)
    .addUniqueConstraint('dossier_count_agency_month', ['agency_id', 'month'])
    .execute()
  // Scores read a period's months for every agency at once.
  await db.schema.createIndex('dossier_count_month_idx').on('dossier_count').column('month').execute()
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('dossier_count').execute()
}
