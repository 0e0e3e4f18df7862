/** Where the database lives: an embedded SQLite file by default, PostgreSQL when DATABASE_URL says so. */
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export type DatabaseConfig =
  | { dialect: 'sqlite'; file: string }
  | { dialect: 'postgres'; url: string; poolSize: number }

export const DEFAULT_SQLITE_FILE = 'data/hailong.sqlite'

export function databaseConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): DatabaseConfig {
  const url = env.DATABASE_URL?.trim()
  if (url && /^postgres(ql)?:\/\//.test(url))
    return { dialect: 'postgres', url, poolSize: poolSize(env.DATABASE_POOL_SIZE) }
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
