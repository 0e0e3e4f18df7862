/**
 * Population counts that no one changes alone, stored under one text per period.
 *
 * - `population_count_proposal` holds counts that wait for approval: entered by someone whose scope does
 *   not cover every rollup the count moves (docs/decisions/0037). Weighting reads only `population_count`,
 *   so a count waiting here cannot reach a score. At most one proposal per agency and period is pending
 *   (a partial unique index); decided proposals stay as the record of who entered and who decided.
 * - Existing periods are rewritten to their canonical text ("2026-q3" → "2026-Q3", "Q3/2026" → "2026-Q3").
 *   Rows that become the same agency and period are merged: the latest entered stays (then the highest
 *   id), the others are deleted. A period this migration cannot read is left as it is.
 * - From now on the database refuses a period that is not canonical, in both tables, so the unique key
 *   (agency, period) is a key on the canonical period. On PostgreSQL the check is added NOT VALID: it holds
 *   for every row written from now on, like SQLite's triggers, without failing on an unreadable old row.
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

async function migrate(db: AnyDb, postgres: boolean): Promise<void> {
  await canonicalisePeriods(db)
  await guardPopulationCountPeriods(db, postgres)
  await db.schema
    .createTable('population_count_proposal')
    .addColumn('id', postgres ? 'serial' : 'integer', (c) =>
      postgres ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('agency_id', 'integer', (c) => c.notNull().references('agency.id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().check(sql`count > 0`))
    .addColumn('source', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending', 'approved', 'rejected', 'superseded')`),
    )
    // Null when the command line entered it as an operator; `entered_by` names the actor either way.
    .addColumn('entered_by_user_id', 'integer', (c) => c.references('user.id'))
    .addColumn('entered_by', 'text', (c) => c.notNull())
    .addColumn('entered_at', 'text', (c) => c.notNull())
    .addColumn('decided_by_user_id', 'integer', (c) => c.references('user.id'))
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addCheckConstraint('population_count_proposal_period_canonical', canonicalPeriod(postgres, 'period'))
    .execute()
  await sql`create unique index population_count_proposal_pending on population_count_proposal (agency_id, period)
    where status = 'pending'`.execute(db)
}

/** True for "2026", "2026-H1", "2026-Q3" and "2026-09": the canonical texts of app/domain/period.ts. */
function canonicalPeriod(postgres: boolean, column: string) {
  const period = sql.raw(column)
  if (postgres) return sql`${period} ~ '^[12][0-9]{3}(-H[12]|-Q[1-4]|-0[1-9]|-1[0-2])?$'`
  const year = '[12][0-9][0-9][0-9]'
  const patterns = [year, `${year}-H[12]`, `${year}-Q[1-4]`, `${year}-0[1-9]`, `${year}-1[0-2]`]
  return sql.join(
    patterns.map((p) => sql`${period} glob ${sql.lit(p)}`),
    sql` or `,
  )
}

async function guardPopulationCountPeriods(db: AnyDb, postgres: boolean): Promise<void> {
  if (postgres) {
    await sql`alter table population_count add constraint population_count_period_canonical
      check (${canonicalPeriod(true, 'period')}) not valid`.execute(db)
    return
  }
  for (const op of ['insert', 'update']) {
    await sql`create trigger ${sql.raw(`population_count_period_${op}`)} before ${sql.raw(op)} on population_count
      when not (${canonicalPeriod(false, 'new.period')})
      begin select raise(abort, 'population_count: the period is not canonical'); end`.execute(db)
  }
}

interface CountRow {
  id: number
  agency_id: number
  period: string
  created_at: string
}

async function canonicalisePeriods(db: AnyDb): Promise<void> {
  const rows: CountRow[] = await db
    .selectFrom('population_count')
    .select(['id', 'agency_id', 'period', 'created_at'])
    .execute()
  const groups = new Map<string, Array<CountRow & { canonical: string }>>()
  for (const row of rows) {
    const canonical = canonicalText(row.period)
    if (canonical === null) continue
    const key = `${row.agency_id} ${canonical}`
    groups.set(key, [...(groups.get(key) ?? []), { ...row, canonical }])
  }
  for (const group of groups.values()) {
    group.sort((a, b) => (a.created_at === b.created_at ? b.id - a.id : a.created_at < b.created_at ? 1 : -1))
    const [kept, ...merged] = group
    // Deleted first: the kept row's new period may be the text one of them holds now.
    if (merged.length)
      await db
        .deleteFrom('population_count')
        .where(
          'id',
          'in',
          merged.map((r) => r.id),
        )
        .execute()
    if (kept!.period !== kept!.canonical)
      await db.updateTable('population_count').set({ period: kept!.canonical }).where('id', '=', kept!.id).execute()
  }
}

/** Year, kind (Y, H, Q, M) and part of a period's text, from one of the spellings people use. */
const SPELLINGS: Array<[RegExp, (m: RegExpExecArray) => [string, string, number]]> = [
  [/^(\d{4})$/, (m) => [m[1]!, 'y', 0]],
  [/^(\d{4}) ?[-/.]? ?([qhmt]) ?(\d{1,2})$/, (m) => [m[1]!, m[2]!, Number(m[3])]],
  [/^(\d{4}) ?[-/.] ?(\d{1,2})$/, (m) => [m[1]!, 'm', Number(m[2])]],
  [/^([qhmt]) ?(\d{1,2}) ?[-/. ] ?(\d{4})$/, (m) => [m[3]!, m[1]!, Number(m[2])]],
  [/^(\d{1,2}) ?[-/.] ?(\d{4})$/, (m) => [m[2]!, 'm', Number(m[1])]],
]

/**
 * The canonical text of a period as people write it, or null. A copy of `parsePeriod` and
 * `formatPeriod` as they were on the day of this migration (a migration imports nothing from the app).
 */
function canonicalText(text: string): string | null {
  const t = text
    .normalize('NFC')
    .trim()
    .toLowerCase()
    .replace(/quý|quy/g, 'q')
    .replace(/tháng|thang/g, 't')
    .replace(/\s+/g, ' ')
  for (const [pattern, read] of SPELLINGS) {
    const m = pattern.exec(t)
    if (!m) continue
    const [year, kind, part] = read(m)
    if (Number(year) < 1900 || Number(year) > 2999) return null
    if (kind === 'y') return year
    if (kind === 'q') return part >= 1 && part <= 4 ? `${year}-Q${part}` : null
    if (kind === 'h') return part === 1 || part === 2 ? `${year}-H${part}` : null
    return part >= 1 && part <= 12 ? `${year}-${String(part).padStart(2, '0')}` : null
  }
  return null
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reverted: restore a backup instead.')
}
