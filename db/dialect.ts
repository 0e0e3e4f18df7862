/**
 * Everything that differs between SQLite and PostgreSQL, in one place. Repositories write Kysely's
 * builder, which both dialects speak; what the builder cannot hide is decided here:
 *
 * - Timestamps: ISO-8601 UTC text written by the app (`new Date().toISOString()`), on both. Text in that
 *   form sorts and compares chronologically, and months are 'YYYY-MM' text, so period filters are plain
 *   comparisons and no date function of either database is needed.
 * - Booleans: 0/1 integers on both (`Flag` in schema.ts); SQLite has no boolean type.
 * - JSON: text written and parsed by the app, on both; no query looks inside it.
 * - Upserts: `insert … on conflict (…) do update set c = table.c + excluded.c`, the same words on both
 *   (see `insertRows`).
 * - Case- and accent-insensitive search: the app stores a folded copy of the text (lower case, without
 *   Vietnamese diacritics) and searches it with LIKE, which is then the same on both (see `containsWord`).
 * - Errors: constraint violations are reported differently; `constraintViolation` reads both.
 * - Numbers: PostgreSQL's 64-bit integers and numerics are parsed as numbers (db/client.ts).
 * - Column types: chosen per dialect in the migrations (64-bit ids and double precision floats on
 *   PostgreSQL), which keep their own copy of this knowledge because a migration never changes.
 */
import { CompiledQuery, type Insertable, type Kysely, PostgresAdapter, type Selectable } from 'kysely'
import type { Database } from './schema.ts'

export type DialectName = 'sqlite' | 'postgres'

// biome-ignore lint/suspicious/noExplicitAny: any database schema will do; only the adapter is read
export function dialectOf(db: Kysely<any>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite'
}

export interface InsertRowsOptions<Table, Returned> {
  /** Columns of every inserted row to return (in no promised order). */
  returning?: readonly Returned[]
  /**
   * An additive upsert: a row whose `key` is already stored adds its `add` columns to the stored ones
   * (`on conflict (key) do update set c = table.c + excluded.c`, the same words on both databases).
   */
  addOnConflict?: { key: readonly (keyof Table & string)[]; add: readonly (keyof Table & string)[] }
  /** Rows whose `key` is already stored are skipped (`on conflict (key) do nothing`); `returning` omits them. */
  skipOnConflict?: readonly (keyof Table & string)[]
}

/**
 * A multi-row insert written straight to SQL. Kysely builds, freezes and compiles a node per value: a
 * group commit of 64 submissions inserts about 1,400 answers of 6 values, and building them cost more
 * than SQLite storing them. Every row must have the keys of the first; the placeholders are each
 * dialect's own (`?` or `$n`).
 */
export async function insertRows<
  T extends keyof Database & string,
  R extends keyof Selectable<Database[T]> & string = never,
>(
  db: Kysely<Database>,
  table: T,
  rows: readonly Insertable<Database[T]>[],
  options: InsertRowsOptions<Database[T], R> = {},
): Promise<Array<Pick<Selectable<Database[T]>, R>>> {
  if (!rows.length) return []
  const columns = Object.keys(rows[0]!)
  const postgres = dialectOf(db) === 'postgres'
  const parameters: unknown[] = []
  const tuples: string[] = []
  for (const row of rows) {
    const marks: string[] = []
    for (const column of columns) {
      parameters.push((row as Record<string, unknown>)[column])
      marks.push(postgres ? `$${parameters.length}` : '?')
    }
    tuples.push(`(${marks.join(', ')})`)
  }
  const quote = (name: string) => `"${name}"`
  let text = `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values ${tuples.join(', ')}`
  const upsert = options.addOnConflict
  if (upsert) {
    const sums = upsert.add.map((c) => `${quote(c)} = ${quote(table)}.${quote(c)} + excluded.${quote(c)}`)
    text += ` on conflict (${upsert.key.map(quote).join(', ')}) do update set ${sums.join(', ')}`
  } else if (options.skipOnConflict) {
    text += ` on conflict (${options.skipOnConflict.map(quote).join(', ')}) do nothing`
  }
  if (options.returning?.length) text += ` returning ${options.returning.map(quote).join(', ')}`
  return (await db.executeQuery<Pick<Selectable<Database[T]>, R>>(CompiledQuery.raw(text, parameters))).rows
}

/**
 * A LIKE pattern matching `word` anywhere in a folded text column. The caller folds the word the same
 * way the column was folded; LIKE's own wildcards in the word are removed, so it matches literally.
 */
export function containsPattern(foldedWord: string): string {
  return `%${foldedWord.replace(/[%_\\]/g, '')}%`
}

export type ViolationKind = 'unique' | 'foreign_key' | 'check' | 'not_null'

export interface ConstraintViolation {
  kind: ViolationKind
  /** The table, when the database says it. */
  table: string | null
  /** The columns of a unique or not-null violation, when the database says them. */
  columns: string[]
}

const PG_CODES: Record<string, ViolationKind> = {
  '23505': 'unique',
  '23503': 'foreign_key',
  '23514': 'check',
  '23502': 'not_null',
}
const SQLITE_WORDS: Record<string, ViolationKind> = {
  UNIQUE: 'unique',
  'FOREIGN KEY': 'foreign_key',
  CHECK: 'check',
  'NOT NULL': 'not_null',
}

/** What constraint an error from either database broke, or null when it is not a constraint violation. */
export function constraintViolation(error: unknown): ConstraintViolation | null {
  if (!error || typeof error !== 'object') return null
  const e = error as { code?: unknown; message?: unknown; table?: unknown; detail?: unknown; column?: unknown }
  const message = typeof e.message === 'string' ? e.message : ''
  if (typeof e.code === 'string' && PG_CODES[e.code]) {
    // PostgreSQL: "Key (agency_id, dossier_hash)=(…) already exists." names the columns.
    const key = typeof e.detail === 'string' ? /^Key \(([^)]+)\)/.exec(e.detail) : null
    const columns = key ? key[1].split(',').map((c) => c.trim()) : typeof e.column === 'string' ? [e.column] : []
    return { kind: PG_CODES[e.code], table: typeof e.table === 'string' ? e.table : null, columns }
  }
  // SQLite: "UNIQUE constraint failed: response.client_submission_id" (table.column, comma-separated).
  const match = /^(UNIQUE|FOREIGN KEY|CHECK|NOT NULL) constraint failed(?::\s*(.*))?$/.exec(message)
  if (!match) return null
  const kind = SQLITE_WORDS[match[1]]
  const qualified =
    kind === 'unique' || kind === 'not_null'
      ? (match[2] ?? '')
          .split(',')
          .map((c) => c.trim())
          .filter(Boolean)
      : []
  return {
    kind,
    table: qualified[0]?.split('.')[0] ?? null,
    columns: qualified.map((c) => c.split('.').pop()!),
  }
}

/** Runs `work` and returns the constraint it broke (null if it succeeded); rethrows any other error. */
export async function violationOf(work: Promise<unknown>): Promise<ConstraintViolation | null> {
  try {
    await work
    return null
  } catch (error) {
    const violation = constraintViolation(error)
    if (!violation) throw error
    return violation
  }
}
