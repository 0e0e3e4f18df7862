/**
 * Moves a province from its SQLite file to PostgreSQL: copies every table of the app, ids included, into
 * an empty PostgreSQL database, then checks the copy (row counts, and the scores computed on both sides)
 * before committing it. The whole copy is one PostgreSQL transaction, so a failure or a mismatch leaves
 * the target as empty as it was. The source is read inside one read transaction: a consistent snapshot.
 */
import { isDeepStrictEqual } from 'node:util'
import { type Kysely, sql } from 'kysely'
import type { DB } from '#db/client.ts'
import { dialectOf } from '#db/dialect.ts'
import { migrateToLatest, pendingMigrations } from '#db/migrate.ts'
import type { Database } from '#db/schema.ts'
import { type Boundaries, computeScores } from './scores.ts'

export type TableName = keyof Database

interface TablePlan<T extends TableName> {
  /** The primary key in its own column order: batches are read along it (keyset pagination). */
  key: ReadonlyArray<keyof Database[T] & string>
  /** Columns inserted as these placeholders and given their real values once every table is copied. */
  deferred?: Partial<Record<keyof Database[T] & string, string | null>>
}

/**
 * Every table of `Database` (the type makes a forgotten table a compile error), declared in the order
 * they are copied: each after the tables its foreign keys point at. PostgreSQL checks those keys on every
 * insert, so nothing needs disabling (`session_replication_role = replica` would need a superuser and
 * would let a broken source through unchecked).
 */
const COPY_PLAN: { [T in TableName]: TablePlan<T> } = {
  // A unit moved under a newer unit points at a higher id than its own.
  agency: { key: ['id'], deferred: { parent_id: null } },
  agency_succession: { key: ['id'] },
  procedure: { key: ['id'] },
  procedure_agency: { key: ['procedure_id', 'agency_id'] },
  questionnaire: { key: ['id'] },
  // The database refuses elements and items of a version that is not a draft (the triggers of the initial
  // migration), and allows a draft to become published or retired: versions go in as drafts, their items
  // follow, and the real status is set at the end.
  questionnaire_version: { key: ['id'], deferred: { status: 'draft', created_from_version_id: null } },
  questionnaire_element: { key: ['id'] },
  questionnaire_item: { key: ['id'] },
  agency_assignment: { key: ['agency_id', 'questionnaire_id'] },
  version_rollout: { key: ['id'] },
  survey_link: { key: ['id'] },
  poster_header: { key: ['agency_id'] },
  invitation: { key: ['id'] },
  response: { key: ['id'] },
  submission_key: { key: ['client_submission_id'] },
  answer: { key: ['response_id', 'item_id'] },
  item_aggregate: { key: ['agency_id', 'item_id', 'answer_value', 'stratum', 'entry_channel', 'period_month'] },
  composite_aggregate: { key: ['agency_id', 'composite', 'version_id', 'stratum', 'entry_channel', 'period_month'] },
  aggregate_stamp: { key: ['agency_id', 'period_month'] },
  population_count: { key: ['id'] },
  user: { key: ['id'] },
  // After the users who entered and decided them.
  population_count_proposal: { key: ['id'] },
  session: { key: ['id'] },
  setup_token: { key: ['token_hash'] },
  api_token: { key: ['id'] },
  audit_log: { key: ['id'] },
  sign_in_throttle: { key: ['subject'] },
  network_counter: { key: ['link_id', 'network_hash', 'kind', 'window_start'] },
  form_token_use: { key: ['nonce'] },
  kiosk_device: { key: ['id'] },
  // A release may supersede one with a higher id, and the database refuses to change a published one:
  // releases go in as drafts, and their status and the release they supersede are set at the end.
  release: { key: ['id'], deferred: { status: 'draft', supersedes_id: null } },
  dossier_count: { key: ['id'] },
  // After the users who wrote the marks.
  feedback_handling: { key: ['response_id'] },
  digest_webhook: { key: ['agency_id'] },
}

export const COPIED_TABLES = Object.keys(COPY_PLAN) as TableName[]

const DEFAULT_BATCH_ROWS = 2000
/** PostgreSQL's limit on the parameters of one statement. */
const PG_MAX_PARAMETERS = 65_535
/** Scores are compared on both boundaries: "current" also exercises the succession links. */
const COMPARED_BOUNDARIES: Boundaries[] = ['current', 'historical']

export interface TableProgress {
  table: TableName
  copied: number
  total: number
}

export interface MigrateDataOptions {
  /** Rows read and inserted per batch (default 2000): memory stays flat whatever the size of a table. */
  batchRows?: number
  /**
   * Called after every batch, and once for a table without rows. An error thrown here aborts the copy and
   * rolls it back like any other failure (the tests use that to fail half-way).
   */
  onProgress?: (progress: TableProgress) => void
}

export interface MigrateDataReport {
  tables: Array<{ table: TableName; source: number; target: number }>
  scores: { questionnaires: string[]; years: number[]; boundaries: Boundaries[]; compared: number }
}

/** The copy did not start: the target holds data, or the source is not at the current schema. */
export class MigrationRefused extends Error {}

/** The copy differs from the source; it was rolled back. */
export class MigrationMismatch extends Error {}

type Row = Record<string, unknown>
/** Whole rows of any table: the copy treats every table alike. */
type AnyDb = Kysely<Record<string, Row>>
const untyped = (db: Kysely<Database>) => db as unknown as AnyDb

export async function migrateData(
  source: DB,
  target: DB,
  options: MigrateDataOptions = {},
): Promise<MigrateDataReport> {
  if (dialectOf(target) !== 'postgres') throw new MigrationRefused('the target must be a PostgreSQL database')
  await refuseOutdatedSource(source)
  await migrateToLatest(target)
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS
  return source.transaction().execute((snapshot) =>
    target.transaction().execute(async (copy) => {
      await refuseNonEmptyTarget(copy)
      const totals = new Map<TableName, number>()
      for (const table of COPIED_TABLES) totals.set(table, await countRows(snapshot, table))
      for (const table of COPIED_TABLES)
        await copyTable(snapshot, copy, table, { batchRows, total: totals.get(table)!, onProgress: options.onProgress })
      for (const table of COPIED_TABLES) await restoreDeferredColumns(snapshot, copy, table, batchRows)
      const tables = await compareCounts(copy, totals)
      const scores = await compareScores(snapshot, copy)
      // Last, because a sequence keeps its value even if the transaction is rolled back.
      await resetIdSequences(copy)
      return { tables, scores }
    }),
  )
}

async function refuseOutdatedSource(source: DB): Promise<void> {
  const pending = await pendingMigrations(source)
  if (pending.length) {
    throw new MigrationRefused(
      `the source is not at the current schema (pending migrations: ${pending.join(', ')}); run "hailong migrate" on it first`,
    )
  }
}

async function refuseNonEmptyTarget(target: Kysely<Database>): Promise<void> {
  const holdingRows: TableName[] = []
  for (const table of COPIED_TABLES) {
    const row = await untyped(target).selectFrom(table).select(sql`1`.as('one')).limit(1).executeTakeFirst()
    if (row) holdingRows.push(table)
  }
  if (holdingRows.length) {
    throw new MigrationRefused(
      `the target database is not empty (rows in: ${holdingRows.join(', ')}); migrate-data only fills an empty database`,
    )
  }
}

async function countRows(db: Kysely<Database>, table: TableName): Promise<number> {
  const row = await untyped(db)
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * `(k1, k2, …) op (v1, v2, …)`: a row-value comparison, so a composite key pages and matches as simply as
 * an id does, along the same index.
 */
function compareKey(key: readonly string[], op: '>' | '=', values: unknown[]) {
  return sql<boolean>`(${sql.join(key.map((column) => sql.ref(column)))}) ${sql.raw(op)} (${sql.join(values)})`
}

/** The rows of a table in primary-key order, one batch at a time, each read after the last key seen. */
async function* batchesOf(db: Kysely<Database>, table: TableName, batchRows: number): AsyncGenerator<Row[]> {
  const key: readonly string[] = COPY_PLAN[table].key
  let after: unknown[] | null = null
  for (;;) {
    let query = untyped(db).selectFrom(table).selectAll()
    if (after) query = query.where(compareKey(key, '>', after))
    for (const column of key) query = query.orderBy(sql.ref(column))
    const rows = await query.limit(batchRows).execute()
    if (!rows.length) return
    yield rows
    const last = rows[rows.length - 1]
    after = key.map((column) => last[column])
  }
}

async function copyTable(
  source: Kysely<Database>,
  target: Kysely<Database>,
  table: TableName,
  batch: { batchRows: number; total: number; onProgress?: (progress: TableProgress) => void },
): Promise<void> {
  const placeholders: Row = COPY_PLAN[table].deferred ?? {}
  let copied = 0
  try {
    for await (const rows of batchesOf(source, table, batch.batchRows)) {
      await insertRows(
        target,
        table,
        rows.map((row) => ({ ...row, ...placeholders })),
      )
      copied += rows.length
      batch.onProgress?.({ table, copied, total: batch.total })
    }
  } catch (error) {
    throw new Error(
      `copying ${table} after ${copied} rows: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    )
  }
  if (copied === 0) batch.onProgress?.({ table, copied, total: batch.total })
}

async function insertRows(target: Kysely<Database>, table: TableName, rows: Row[]): Promise<void> {
  const rowsPerStatement = Math.max(1, Math.floor(PG_MAX_PARAMETERS / Object.keys(rows[0]).length))
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    await untyped(target)
      .insertInto(table)
      .values(rows.slice(start, start + rowsPerStatement))
      .execute()
  }
}

/** Gives the deferred columns their real values, row by row: only small tables have any. */
async function restoreDeferredColumns(
  source: Kysely<Database>,
  target: Kysely<Database>,
  table: TableName,
  batchRows: number,
): Promise<void> {
  const { key, deferred } = COPY_PLAN[table] as TablePlan<TableName>
  if (!deferred) return
  const columns = Object.keys(deferred) as Array<keyof typeof deferred>
  for await (const rows of batchesOf(source, table, batchRows)) {
    for (const row of rows) {
      if (columns.every((column) => row[column] === deferred[column])) continue
      await untyped(target)
        .updateTable(table)
        .set(Object.fromEntries(columns.map((column) => [column, row[column]])))
        .where(
          compareKey(
            key,
            '=',
            key.map((column) => row[column]),
          ),
        )
        .execute()
    }
  }
}

async function compareCounts(
  target: Kysely<Database>,
  sourceCounts: Map<TableName, number>,
): Promise<MigrateDataReport['tables']> {
  const tables: MigrateDataReport['tables'] = []
  for (const [table, source] of sourceCounts) tables.push({ table, source, target: await countRows(target, table) })
  const differing = tables.filter((t) => t.source !== t.target)
  if (differing.length) {
    throw new MigrationMismatch(
      `row counts differ: ${differing.map((t) => `${t.table} ${t.source} → ${t.target}`).join(', ')}`,
    )
  }
  return tables
}

async function responseYears(db: Kysely<Database>): Promise<number[]> {
  const rows = await db
    .selectFrom('response')
    .select(sql<string>`substr(period_month, 1, 4)`.as('year'))
    .distinct()
    .execute()
  return rows.map((r) => Number(r.year)).sort((a, b) => a - b)
}

/**
 * The score table of every questionnaire, for every year with responses, over the whole province, with
 * intervals, computed on both databases. The aggregates are copied, not recomputed, so equal scores show
 * that every stored sum arrived intact and that both databases read it alike.
 */
async function compareScores(source: Kysely<Database>, target: Kysely<Database>): Promise<MigrateDataReport['scores']> {
  const questionnaires = (await source.selectFrom('questionnaire').select('code').orderBy('code').execute()).map(
    (q) => q.code,
  )
  const years = await responseYears(source)
  let compared = 0
  for (const questionnaireCode of questionnaires) {
    for (const year of years) {
      for (const boundaries of COMPARED_BOUNDARIES) {
        const request = { questionnaireCode, rootAgencyCode: null, period: { kind: 'year', year } as const, boundaries }
        const expected = await computeScores(source, request)
        const actual = await computeScores(target, request)
        const where = firstDifference(expected, actual)
        if (where !== null)
          throw new MigrationMismatch(
            `the scores of ${questionnaireCode} for ${year} (${boundaries} boundaries) differ at ${where || 'the top'}`,
          )
        compared++
      }
    }
  }
  return { questionnaires, years, boundaries: COMPARED_BOUNDARIES, compared }
}

/**
 * Where two results first differ ("rows.3.overall.ci.lower"), or null when they agree. Numbers agree to
 * one part in 10^9: the stored values are copied exactly, but each database adds up the floating-point
 * aggregates in its own order, which may change the last bits of a sum.
 */
function firstDifference(expected: unknown, actual: unknown, path = ''): string | null {
  if (typeof expected === 'number' && typeof actual === 'number') return nearlyEqual(expected, actual) ? null : path
  if (typeof expected !== 'object' || typeof actual !== 'object' || expected === null || actual === null) {
    return isDeepStrictEqual(expected, actual) ? null : path
  }
  if (Array.isArray(expected) !== Array.isArray(actual)) return path
  const keys = new Set([...Object.keys(expected), ...Object.keys(actual)])
  for (const key of keys) {
    const where = firstDifference((expected as Row)[key], (actual as Row)[key], path ? `${path}.${key}` : key)
    if (where !== null) return where
  }
  return null
}

function nearlyEqual(a: number, b: number): boolean {
  return Object.is(a, b) || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b))
}

/** Copied rows keep their ids; each id sequence moves past the largest so new rows get fresh ids. */
async function resetIdSequences(target: Kysely<Database>): Promise<void> {
  for (const table of COPIED_TABLES) {
    const key: readonly string[] = COPY_PLAN[table].key
    if (key.length !== 1 || key[0] !== 'id') continue
    const { rows } = await sql<{
      sequence: string | null
    }>`select pg_get_serial_sequence(quote_ident(${table}), 'id') as sequence`.execute(target)
    const sequence = rows[0]?.sequence
    // A text id (sessions) has no sequence.
    if (!sequence) continue
    await sql`select setval(${sequence}, coalesce(max(id), 0) + 1, false) from ${sql.table(table)}`.execute(target)
  }
}
