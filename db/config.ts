/** Where the database lives: an embedded SQLite file by default, PostgreSQL when DATABASE_URL says so. */
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export type DatabaseConfig =
  | { dialect: 'sqlite'; file: string }
  | { dialect: 'postgres'; url: string; poolSize: number }

export const DEFAULT_SQLITE_FILE = 'data/hailong.sqlite'

export function databaseConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): DatabaseConfig {
  const url = env.DATABASE_URL?.trim()
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    return { dialect: 'postgres', url, poolSize: Number(env.DATABASE_POOL_SIZE ?? 10) }
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
