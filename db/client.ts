/**
 * Opens the database. Every SQLite connection gets the same pragmas: WAL so readers never block the
 * writer, synchronous=FULL so an acknowledged response survives a crash, foreign keys on, and a busy
 * timeout so a second process (the CLI, a backup) waits instead of failing.
 */
import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import type { DatabaseConfig } from './config.ts'
import type { Database } from './schema.ts'

export type DB = Kysely<Database>

export interface OpenOptions {
  readonly?: boolean
}

export function openSqlite(file: string, options: OpenOptions = {}): SQLite.Database {
  if (file !== ':memory:' && !options.readonly) fs.mkdirSync(path.dirname(file), { recursive: true })
  const sqlite = new SQLite(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false })
  if (!options.readonly) sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  // 64 MiB of page cache (the default is 2 MiB): a province's aggregates stay in memory for score pages.
  sqlite.pragma('cache_size = -65536')
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

export function createDb(config: DatabaseConfig, options: OpenOptions = {}): DB {
  if (config.dialect === 'postgres') {
    throw new Error('PostgreSQL support is not available in this build yet: use a SQLite DATABASE_URL.')
  }
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(openSqlite(config.file, options)) }) })
}
