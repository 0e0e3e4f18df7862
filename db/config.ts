/** Where the database lives: an embedded SQLite file by default, PostgreSQL when DATABASE_URL says so. */
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export type DatabaseConfig =
  | { dialect: 'sqlite'; file: string }
  | {
      dialect: 'postgres'
      url: string
      poolSize: number
      /**
       * A streaming replica (a hot standby) the analytics reads go to, from DATABASE_READ_URL; unset, they
       * go to the primary through a read-only pool of their own (docs/postgresql.md, ADR 0056).
       */
      readUrl?: string
    }

export const DEFAULT_SQLITE_FILE = 'data/hailong.sqlite'

const POSTGRES_URL = /^postgres(ql)?:\/\//

/** DATABASE_READ_URL, when set: a postgres:// URL, or an error naming the variable. */
function replicaUrl(value: string | undefined): string | undefined {
  const url = value?.trim()
  if (!url) return undefined
  if (!POSTGRES_URL.test(url))
    throw new Error('DATABASE_READ_URL must be a postgres:// URL of a streaming replica of DATABASE_URL')
  return url
}

/**
 * DATABASE_READ_URL beside a SQLite DATABASE_URL: the server refuses to start rather than ignore it, since
 * an operator who sets it expects the analytics off the primary, and SQLite has no replica to read from.
 * (The command line reads the primary only and ignores it.)
 */
export function readReplicaWithoutPostgres(env: NodeJS.ProcessEnv, config: DatabaseConfig): string | null {
  if (config.dialect === 'postgres' || !env.DATABASE_READ_URL?.trim()) return null
  return 'DATABASE_READ_URL names a read replica, which only PostgreSQL has: unset it, or set DATABASE_URL to a postgres:// URL'
}

export function databaseConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): DatabaseConfig {
  const url = env.DATABASE_URL?.trim()
  if (url && POSTGRES_URL.test(url)) {
    const readUrl = replicaUrl(env.DATABASE_READ_URL)
    return { dialect: 'postgres', url, poolSize: poolSize(env.DATABASE_POOL_SIZE), ...(readUrl ? { readUrl } : {}) }
  }
  if (!url) return { dialect: 'sqlite', file: path.resolve(cwd, DEFAULT_SQLITE_FILE) }
  if (url === ':memory:') return { dialect: 'sqlite', file: url }
  if (url.startsWith('file:')) {
    // file:///abs/path and file:relative/path are both accepted.
    const file = url.startsWith('file://') ? fileURLToPath(url) : url.slice('file:'.length)
    return { dialect: 'sqlite', file: path.resolve(cwd, file) }
  }
  if (url.startsWith('sqlite:')) return { dialect: 'sqlite', file: path.resolve(cwd, url.slice('sqlite:'.length)) }
  return { dialect: 'sqlite', file: path.resolve(cwd, url) }
}

/** Connections per PostgreSQL pool: a whole number from 1 to 1000, 10 when unset. */
function poolSize(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 10
  const size = Number(value)
  if (!Number.isInteger(size) || size < 1 || size > 1000) {
    throw new Error(`DATABASE_POOL_SIZE must be a whole number from 1 to 1000, not "${value}"`)
  }
  return size
}
