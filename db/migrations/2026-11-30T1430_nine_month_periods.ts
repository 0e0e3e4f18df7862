/**
 * The first nine months of a year ("9 tháng đầu năm 2026", canonical "2026-9M") become a period that
 * population counts and releases may be kept for (app/domain/period.ts; issue 17 point 6).
 *
 * The canonical-period guards of 2026-11-29T2010 and 2026-11-30T0200 accept "2026", "2026-H1", "2026-Q3"
 * and "2026-09"; this migration widens each to "2026-9M" as well and changes nothing else:
 * - PostgreSQL: each check constraint is dropped and added again under the same name (population_count's
 *   stays NOT VALID, as before).
 * - SQLite: population_count's triggers are recreated. A CHECK of a table cannot be altered in SQLite, so
 *   `release` and `population_count_proposal` are rebuilt the documented way (new table from the stored
 *   CREATE text with the widened check, rows copied, old table dropped, new one renamed), and their indexes
 *   and triggers — the release immutability guards among them — are recreated from their stored text.
 *   Foreign keys are deferred to the end of the transaction meanwhile, and checked then.
 *
 * Kysely runs SQLite migrations outside a transaction; this one opens its own there.
 */
import { type Kysely, PostgresAdapter, sql } from 'kysely'

type AnyDb = Kysely<any>

const isPostgres = (db: AnyDb) => db.getExecutor().adapter instanceof PostgresAdapter

export async function up(db: AnyDb): Promise<void> {
  if (isPostgres(db)) await postgres(db)
  else await db.transaction().execute((trx) => sqlite(trx))
}

const POSTGRES_PATTERN = '^[12][0-9]{3}(-H[12]|-9M|-Q[1-4]|-0[1-9]|-1[0-2])?$'

async function postgres(db: AnyDb): Promise<void> {
  for (const [table, constraint, notValid] of [
    ['population_count', 'population_count_period_canonical', true],
    ['population_count_proposal', 'population_count_proposal_period_canonical', false],
    ['release', 'release_period_canonical', false],
  ] as const) {
    await sql`alter table ${sql.table(table)} drop constraint ${sql.raw(constraint)}`.execute(db)
    await sql`alter table ${sql.table(table)} add constraint ${sql.raw(constraint)}
      check (period ~ ${sql.lit(POSTGRES_PATTERN)}) ${sql.raw(notValid ? 'not valid' : '')}`.execute(db)
  }
}

const YEAR = '[12][0-9][0-9][0-9]'
/** The SQLite test of a canonical period, nine months included (same patterns as before, plus -9M). */
function sqliteCanonical(column: string) {
  const patterns = [YEAR, `${YEAR}-H[12]`, `${YEAR}-9M`, `${YEAR}-Q[1-4]`, `${YEAR}-0[1-9]`, `${YEAR}-1[0-2]`]
  return sql.join(
    patterns.map((p) => sql`${sql.raw(column)} glob ${sql.lit(p)}`),
    sql` or `,
  )
}

async function sqlite(db: AnyDb): Promise<void> {
  await sql`pragma defer_foreign_keys = on`.execute(db)
  for (const op of ['insert', 'update']) {
    await sql`drop trigger ${sql.raw(`population_count_period_${op}`)}`.execute(db)
    await sql`create trigger ${sql.raw(`population_count_period_${op}`)} before ${sql.raw(op)} on population_count
      when not (${sqliteCanonical('new.period')})
      begin select raise(abort, 'population_count: the period is not canonical'); end`.execute(db)
  }
  await rebuild(db, 'population_count_proposal')
  await rebuild(db, 'release')
}

/** The half-pattern the old checks hold, after which the nine-month pattern is inserted. */
const HALF = `period glob '${YEAR}-H[12]'`

/** Rebuilds a table whose CREATE text holds the old period check, with the nine-month pattern added. */
async function rebuild(db: AnyDb, table: string): Promise<void> {
  const { rows } = await sql<{ type: string; name: string; sql: string | null }>`
    select type, name, sql from sqlite_master where tbl_name = ${table}`.execute(db)
  const create = rows.find((r) => r.type === 'table')?.sql
  if (!create || !create.includes(HALF)) throw new Error(`${table}: the period check to widen was not found`)
  const temporary = `${table}_nine_months`
  // Self-references (release.supersedes_id) follow the table through the rename.
  const quoted = new RegExp(`"${table}"`, 'g')
  const widened = create.replace(quoted, `"${temporary}"`).replace(HALF, `${HALF} or period glob '${YEAR}-9M'`)
  if (widened === create) throw new Error(`${table}: nothing changed`)
  const dependants = rows.filter((r) => (r.type === 'index' || r.type === 'trigger') && r.sql)
  for (const d of dependants) await sql`drop ${sql.raw(d.type)} ${sql.id(d.name)}`.execute(db)
  await sql.raw(widened).execute(db)
  await sql`insert into ${sql.table(temporary)} select * from ${sql.table(table)}`.execute(db)
  await sql`drop table ${sql.table(table)}`.execute(db)
  await sql`alter table ${sql.table(temporary)} rename to ${sql.table(table)}`.execute(db)
  for (const d of dependants) await sql.raw(d.sql!).execute(db)
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reverted: restore a backup instead.')
}
