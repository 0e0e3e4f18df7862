/**
 * A real database per test (or per file), migrated and seeded like production: a SQLite file by
 * default, or a fresh PostgreSQL database when the suite runs as the "postgres" project (see
 * vitest.config.ts). The same integration tests run against both.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import pg from 'pg'
import { inject } from 'vitest'
import { tempDir } from '#scripts/support/temp-dir.ts'
import { createDb, type DB } from '#db/client.ts'
import type { Database } from '#db/schema.ts'
import { postgresTemplateName, postgresUrlFor, prepareDatabase, type SeedLevel } from './prepare-db.ts'

export type { SeedLevel }

export interface TestDatabase {
  db: DB
  dialect: 'sqlite' | 'postgres'
  /** What DATABASE_URL would say for this database: the SQLite file, or a postgres:// URL. */
  url: string
  /** The SQLite file (or, on PostgreSQL, a path in `dir` that does not exist). */
  file: string
  /** A temporary folder the test may use for its own files. */
  dir: string
  cleanup(): Promise<void>
}

export { tempDir }

/** How many rows a table holds (PostgreSQL counts as bigint text, hence Number). */
export async function rowCount(db: DB, table: keyof Database): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(db)
  return Number(rows[0]!.n)
}

/** The dialect this test process runs against. */
export function testDialect(): 'sqlite' | 'postgres' {
  return process.env.HAILONG_TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite'
}

let adminPool: pg.Pool | undefined
function admin(adminUrl: string): pg.Pool {
  adminPool ??= new pg.Pool({ connectionString: adminUrl, max: 2 })
  return adminPool
}

async function createPostgresTestDatabase(seed: SeedLevel, dir: string): Promise<TestDatabase> {
  const adminUrl = inject('postgresAdminUrl')
  const prefix = inject('postgresTemplatePrefix')
  if (!adminUrl || !prefix)
    throw new Error('The postgres project runs after tests/global-setup-postgres.ts, which provides its server.')
  // Copying a migrated, seeded template takes a few milliseconds; migrating and seeding takes a second.
  const name = `t_${process.pid}_${crypto.randomBytes(5).toString('hex')}`
  await admin(adminUrl).query(`create database ${name} template ${postgresTemplateName(prefix, seed)}`)
  const url = postgresUrlFor(adminUrl, name)
  const db = createDb({ dialect: 'postgres', url, poolSize: 4 })
  return {
    db,
    dialect: 'postgres',
    url,
    file: path.join(dir, 'not-sqlite'),
    dir,
    async cleanup() {
      await db.destroy()
      await admin(adminUrl).query(`drop database if exists ${name} with (force)`)
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

export async function createTestDatabase(options: { seed?: SeedLevel } = {}): Promise<TestDatabase> {
  const seed = options.seed ?? 'demo'
  const dir = tempDir()
  if (testDialect() === 'postgres') return createPostgresTestDatabase(seed, dir)
  const file = path.join(dir, 'test.sqlite')
  const db = createDb({ dialect: 'sqlite', file })
  await prepareDatabase(db, seed)
  return {
    db,
    dialect: 'sqlite',
    url: file,
    file,
    dir,
    async cleanup() {
      await db.destroy()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A database with nothing in it (no migration), for the upgrade tests that migrate step by step. */
export interface EmptyDatabase {
  db: DB
  /** What DATABASE_URL would say for it (the CLI's tests run commands on it). */
  url: string
  /** Drops it (PostgreSQL); destroy `db` first. SQLite files go with the temporary folder. */
  drop: () => Promise<void>
}

export async function createEmptyDatabase(label = 'upgrade'): Promise<EmptyDatabase> {
  if (testDialect() === 'sqlite') {
    const file = path.join(tempDir(), `${label}.sqlite`)
    return { db: createDb({ dialect: 'sqlite', file }), url: file, drop: async () => {} }
  }
  const adminUrl = inject('postgresAdminUrl')
  if (!adminUrl)
    throw new Error('The postgres project runs after tests/global-setup-postgres.ts, which provides its server.')
  const name = `${label}_${process.pid}_${crypto.randomBytes(4).toString('hex')}`
  await admin(adminUrl).query(`create database ${name} template template0`)
  const url = postgresUrlFor(adminUrl, name)
  return {
    db: createDb({ dialect: 'postgres', url, poolSize: 2 }),
    url,
    drop: async () => {
      await admin(adminUrl).query(`drop database if exists ${name} with (force)`)
    },
  }
}
