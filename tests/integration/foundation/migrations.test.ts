/** The initial migration on a real SQLite file: every table, idempotence, and connection pragmas. */
import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb, type DB } from '#db/client.ts'
import { migrateToLatest, pendingMigrations } from '#db/migrate.ts'
import { migrationProvider } from '#db/migrations/index.ts'
import { ROOT } from '#scripts/support/root.ts'

import { tempDir } from '#tests/helpers/db.ts'

// Every migration of the static registry, in order: a fresh database gets all of them.
const ALL_MIGRATIONS = Object.keys(await migrationProvider.getMigrations()).sort()

/** The table names of the `Database` interface in db/schema.ts, read from the source itself. */
function schemaTables(): string[] {
  const source = fs.readFileSync(path.join(ROOT, 'db/schema.ts'), 'utf8')
  const body = /export interface Database \{([^}]*)\}/.exec(source)?.[1]
  if (!body) throw new Error('no Database interface in db/schema.ts')
  return [...body.matchAll(/^\s*(\w+)\s*:/gm)].map((m) => m[1]).sort()
}

function sqliteMaster(file: string) {
  const raw = new SQLite(file, { readonly: true, fileMustExist: true })
  try {
    return raw.prepare(`select type, name, tbl_name, sql from sqlite_master order by type, name`).all() as Array<{
      type: string
      name: string
      tbl_name: string
      sql: string | null
    }>
  } finally {
    raw.close()
  }
}

describe('migrations', () => {
  let dir: string
  let file: string
  let db: DB

  beforeAll(() => {
    dir = tempDir('hailong-migrate-')
    file = path.join(dir, 'nested', 'fresh.sqlite')
  })
  afterAll(async () => {
    await db?.destroy()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('creates the database file (and its folder) on first open, with a migration pending', async () => {
    db = createDb({ dialect: 'sqlite', file })
    expect(fs.existsSync(file)).toBe(true)
    expect(await pendingMigrations(db)).toEqual(ALL_MIGRATIONS)
  })

  it('up from an empty file creates every table of the Database interface', async () => {
    expect(await migrateToLatest(db)).toEqual(ALL_MIGRATIONS)
    const expected = schemaTables()
    expect(expected).toHaveLength(34)
    const tables = sqliteMaster(file)
      .filter((r) => r.type === 'table')
      .map((r) => r.name)
    expect(tables.filter((t) => !t.startsWith('sqlite_') && !t.startsWith('kysely_')).sort()).toEqual(expected)
    expect(tables).toContain('kysely_migration')
    expect(await pendingMigrations(db)).toEqual([])
  })

  it('installs the published-version guard and the canonical-period triggers', () => {
    const triggers = sqliteMaster(file)
      .filter((r) => r.type === 'trigger')
      .map((r) => r.name)
      .sort()
    expect(triggers).toEqual([
      // SQLite cannot add a CHECK to an existing table: these refuse a non-canonical population period.
      'population_count_period_insert',
      'population_count_period_update',
      'questionnaire_element_guard_delete',
      'questionnaire_element_guard_insert',
      'questionnaire_element_guard_update',
      'questionnaire_item_guard_delete',
      'questionnaire_item_guard_insert',
      'questionnaire_item_guard_update',
      'questionnaire_version_guard_delete',
      'questionnaire_version_guard_update',
      // A published release never changes (docs/decisions/0043).
      'release_guard_delete',
      'release_guard_frozen',
      'release_guard_published',
    ])
  })

  it('running migrate again is a no-op (nothing applied, schema unchanged)', async () => {
    const before = sqliteMaster(file)
    expect(await migrateToLatest(db)).toEqual([])
    const again = createDb({ dialect: 'sqlite', file })
    try {
      expect(await migrateToLatest(again)).toEqual([])
    } finally {
      await again.destroy()
    }
    expect(sqliteMaster(file)).toEqual(before)
    const rows = await sql<{ name: string }>`select name from kysely_migration`.execute(db)
    expect(rows.rows.map((r) => r.name)).toEqual(ALL_MIGRATIONS)
  })

  it('every connection runs with WAL, foreign keys, synchronous=FULL and a busy timeout', async () => {
    const pragma = async (name: string) =>
      Object.values((await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(db)).rows[0]!)[0]
    expect(await pragma('journal_mode')).toBe('wal')
    expect(await pragma('foreign_keys')).toBe(1)
    expect(await pragma('synchronous')).toBe(2)
    expect(await pragma('busy_timeout')).toBe(5000)
  })

  it('a read-only connection still enforces foreign keys, FULL sync and the busy timeout', async () => {
    const ro = createDb({ dialect: 'sqlite', file }, { readonly: true })
    try {
      const pragma = async (name: string) =>
        Object.values((await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(ro)).rows[0]!)[0]
      expect(await pragma('journal_mode')).toBe('wal')
      expect(await pragma('foreign_keys')).toBe(1)
      expect(await pragma('synchronous')).toBe(2)
      expect(await pragma('busy_timeout')).toBe(5000)
    } finally {
      await ro.destroy()
    }
  })
})
