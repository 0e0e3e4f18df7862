/**
 * Opens the database: an embedded SQLite file by default, a PostgreSQL pool when DATABASE_URL says so.
 * Every SQLite connection gets the same pragmas: WAL so readers never block the writer,
 * synchronous=FULL so an acknowledged response survives a crash, foreign keys on, and a busy timeout so
 * a second process (the CLI, a backup) waits instead of failing. PostgreSQL is durable by default
 * (fsync, synchronous_commit on); the pool size comes from DATABASE_POOL_SIZE.
 */
import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, type LogEvent, PostgresDialect, SqliteDialect } from 'kysely'
import pg from 'pg'
import type { DatabaseConfig } from './config.ts'
import { runMarkedStatementsPrepared } from './prepared-statements.ts'
import type { Database } from './schema.ts'

export type DB = Kysely<Database>

export interface OpenOptions {
  readonly?: boolean
  /** SQLite's page cache for this connection, in MiB: 64 for the writer and 32 for a reader unless set. */
  cacheMiB?: number
  /** Called with every statement run (the query-plans script collects them); nothing by default. */
  onQuery?: (sql: string, parameters: readonly unknown[]) => void
}

function queryLog(options: OpenOptions) {
  const onQuery = options.onQuery
  if (!onQuery) return undefined
  return (event: LogEvent) => onQuery(event.query.sql, event.query.parameters)
}

/**
 * Responses are personal data (Decree 13/2023): only the server's own user may read the database. SQLite
 * creates files with mode 0644 and gives its -wal and -shm files the main file's mode, so the main file is
 * created (or narrowed) to 0600 before SQLite opens it.
 */
function createPrivately(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.closeSync(fs.openSync(file, 'a', 0o600))
  if ((fs.statSync(file).mode & 0o077) === 0) return
  try {
    fs.chmodSync(file, 0o600)
  } catch {
    // Not the file's owner: its owner chose its mode, and this process can still use it.
  }
}

export function openSqlite(file: string, options: OpenOptions = {}): SQLite.Database {
  if (file !== ':memory:' && !options.readonly) createPrivately(file)
  const sqlite = new SQLite(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false })
  if (!options.readonly) sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  // 64 MiB of page cache (the default is 2 MiB): a province's aggregates stay in memory for score pages.
  // The read-only connection serves every analytics read (ADR 0056): the aggregates behind score pages,
  // which a cache speeds up, and exports, one pass over the responses that no cache speeds up and that
  // fills whatever it is given. 32 MiB holds a province's aggregates and bounds what an export adds to the
  // server's memory (ADR 0054).
  sqlite.pragma(`cache_size = -${(options.cacheMiB ?? (options.readonly ? 32 : 64)) * 1024}`)
  return sqlite
}

/**
 * Kysely's SQLite driver prepares every statement anew; preparing costs more than running most of our
 * queries. This keeps prepared statements by SQL text (the builder emits the same text for the same
 * query shape). Safe because Kysely runs one query at a time on the single SQLite connection, and a
 * streaming read holds that connection until it ends.
 */
export function withStatementCache(sqlite: SQLite.Database, size = 500): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>()
  const prepare = sqlite.prepare.bind(sqlite)
  return new Proxy(sqlite, {
    get(target, property, receiver) {
      if (property !== 'prepare') return Reflect.get(target, property, receiver)
      return (source: string) => {
        let statement = cache.get(source)
        if (statement) {
          // Refresh its place so the least recently used statement is the one dropped.
          cache.delete(source)
        } else {
          statement = prepare(source)
          if (cache.size >= size) cache.delete(cache.keys().next().value!)
        }
        cache.set(source, statement)
        return statement
      }
    },
  })
}

/**
 * PostgreSQL returns 64-bit integers (count(*), sums of integers, bigint ids) and numerics (sums of
 * bigints) as strings, to be exact beyond 2^53. Every such value here is a count or a sum of micro-weights
 * far below 2^53, and the app computes with numbers, so they are parsed as numbers, as SQLite returns them.
 */
const PG_INT8 = 20
const PG_NUMERIC = 1700
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === PG_INT8 || oid === PG_NUMERIC) return (value: string) => Number(value)
    return pg.types.getTypeParser(oid, format)
  },
} as pg.CustomTypesConfig

export function createPostgresPool(url: string, poolSize: number, options: OpenOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types: pgTypes,
    // A read-only pool (exports) cannot write by mistake, as SQLite's read-only connection cannot.
    options: options.readonly ? '-c default_transaction_read_only=on' : undefined,
  })
  // An idle client that loses its connection (server restart) must not crash the process; the pool
  // drops it and the next query opens a new one.
  pool.on('error', () => {})
  pool.on('connect', runMarkedStatementsPrepared)
  return pool
}

/**
 * The database a handle was opened on, kept on the handle under a registered symbol: the server build
 * bundles its own copy of this module beside the one the server process loads, and a symbol from
 * `Symbol.for` is the same in both, where a module's own map would not be.
 */
const OPENED_ON = Symbol.for('hailong.db.openedOn')

/** The database a handle made by `createDb` reads, so another thread can open its own connection to it. */
export function connectionOf(db: DB): DatabaseConfig | undefined {
  return (db as DB & { [OPENED_ON]?: DatabaseConfig })[OPENED_ON]
}

export function createDb(config: DatabaseConfig, options: OpenOptions = {}): DB {
  const db =
    config.dialect === 'postgres'
      ? new Kysely<Database>({
          dialect: new PostgresDialect({ pool: createPostgresPool(config.url, config.poolSize, options) }),
          log: queryLog(options),
        })
      : new Kysely<Database>({
          dialect: new SqliteDialect({ database: withStatementCache(openSqlite(config.file, options)) }),
          log: queryLog(options),
        })
  Object.defineProperty(db, OPENED_ON, { value: config })
  return db
}
