/**
 * The databases a benchmark runs against, behind one interface so that the submissions and analytics
 * benchmarks run the same steps on each: a fresh database (what the server's DATABASE_URL names), a copy
 * of one, and the settings that decide how durable a commit is, recorded beside the figures.
 *
 * BENCH_DATABASES=sqlite,postgres (the default) chooses them. PostgreSQL is the server named by
 * BENCH_POSTGRES_URL (an administrator's URL: the benchmark creates and drops its own databases there),
 * or else a throw-away *durable* cluster started from Debian's binaries on its own port and stopped at the
 * end. Durable matters: SQLite runs with synchronous=FULL, so PostgreSQL must fsync its commits too or the
 * comparison would flatter it. Without either, PostgreSQL is skipped with a message.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import pg from 'pg'
import { createDb, type DB, type OpenOptions } from '#db/client.ts'
import { databaseConfig } from '#db/config.ts'
import { ROOT } from '../support/root.ts'
import { tempDir } from '../support/temp-dir.ts'

export type DatabaseName = 'sqlite' | 'postgres'
const ALL: DatabaseName[] = ['sqlite', 'postgres']

export interface BenchDatabase {
  /** What DATABASE_URL says for it: a SQLite file, or a postgres:// URL. */
  url: string
  drop(): Promise<void>
}

export interface DatabaseServer {
  name: DatabaseName
  /** Where it runs and the settings that make a commit durable (or not). */
  settings: Record<string, string>
  /** A new, empty database; the server under test migrates and seeds it on start. */
  create(label: string): Promise<BenchDatabase>
  /**
   * The database named `name` (a SQLite file, a PostgreSQL database), kept between runs: `drop` leaves it.
   * `exists` says whether an earlier run left it; if not, it is created empty.
   */
  kept(name: string): Promise<BenchDatabase & { exists: boolean }>
  /** A copy of `source` (which nothing may be connected to), for the floor of the submissions benchmark. */
  copy(source: BenchDatabase, label: string): Promise<BenchDatabase>
  close(): Promise<void>
}

/** The app's own connection to `database` (the pool size the server would use, from DATABASE_POOL_SIZE). */
export function connect(database: BenchDatabase, options: OpenOptions = {}): DB {
  return createDb(databaseConfig({ ...process.env, DATABASE_URL: database.url }), options)
}

export function requestedDatabases(env: NodeJS.ProcessEnv = process.env): DatabaseName[] {
  const names = (env.BENCH_DATABASES ?? ALL.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  const unknown = names.filter((n) => !ALL.includes(n as DatabaseName))
  if (unknown.length) throw new Error(`BENCH_DATABASES: unknown ${unknown.join(', ')} (use ${ALL.join(',')})`)
  return ALL.filter((n) => names.includes(n))
}

function sqliteServer(): DatabaseServer {
  const created: string[] = []
  const fresh = (label: string): BenchDatabase => {
    const dir = tempDir(`hailong-bench-${label}-`)
    created.push(dir)
    return {
      url: path.join(dir, `${label}.sqlite`),
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    }
  }
  return {
    name: 'sqlite',
    // What db/client.ts openSqlite sets on every connection.
    settings: { journal_mode: 'wal', synchronous: 'full' },
    create: async (label) => fresh(label),
    async kept(file) {
      const exists = fs.existsSync(file)
      if (!exists) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
      return { url: path.resolve(file), exists, drop: async () => {} }
    },
    async copy(source, label) {
      const target = fresh(label)
      const from = new SQLite(source.url, { readonly: true })
      await from.backup(target.url)
      from.close()
      return target
    },
    async close() {
      for (const dir of created) fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

const CLUSTER_SCRIPT = path.join(ROOT, 'scripts/postgres-cluster.sh')
// Not 54329, the port CI's shared test cluster uses (the suite's own throw-away servers take a free port).
const CLUSTER_PORT = '54331'

function debianBinariesInstalled(): boolean {
  const base = '/usr/lib/postgresql'
  return fs.existsSync(base) && fs.readdirSync(base).some((v) => fs.existsSync(`${base}/${v}/bin/initdb`))
}

/** An administrator's URL to a PostgreSQL server, and how to stop it when the benchmark started it. */
function findPostgres(): { adminUrl: string; source: string; stop?: () => void } | null {
  if (process.env.BENCH_POSTGRES_URL) return { adminUrl: process.env.BENCH_POSTGRES_URL, source: 'BENCH_POSTGRES_URL' }
  if (!debianBinariesInstalled()) return null
  console.log(`  starting a throw-away durable PostgreSQL cluster on port ${CLUSTER_PORT}…`)
  const adminUrl = execFileSync(CLUSTER_SCRIPT, ['start', CLUSTER_PORT, '--durable'], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop()!
  return {
    adminUrl,
    source: `throw-away cluster (scripts/postgres-cluster.sh start ${CLUSTER_PORT} --durable)`,
    stop: () => execFileSync(CLUSTER_SCRIPT, ['stop', CLUSTER_PORT]),
  }
}

/** Recorded beside the figures: what makes a commit durable, and what else shapes the server's speed. */
const RECORDED_SETTINGS = [
  'server_version',
  'fsync',
  'synchronous_commit',
  'full_page_writes',
  'wal_sync_method',
  'shared_buffers',
  'huge_pages',
  'max_connections',
]

async function readSettings(admin: pg.Client): Promise<Record<string, string>> {
  const { rows } = await admin.query<{ name: string; setting: string }>(
    'select name, current_setting(name) as setting from unnest($1::text[]) as name',
    [RECORDED_SETTINGS],
  )
  return Object.fromEntries(rows.map((r) => [r.name, r.setting]))
}

async function postgresServer(): Promise<DatabaseServer | null> {
  const found = findPostgres()
  if (!found) return null
  const admin = new pg.Client({ connectionString: found.adminUrl })
  let settings: Record<string, string>
  try {
    await admin.connect()
    // The app's pool size too: with fewer connections than load-test connections, requests queue for one.
    settings = {
      source: found.source,
      ...(await readSettings(admin)),
      app_pool_size: process.env.DATABASE_POOL_SIZE ?? '10',
    }
  } catch (error) {
    found.stop?.()
    throw error
  }
  const adminUrl = found.adminUrl
  const live = new Set<string>()
  const database = (name: string): BenchDatabase => {
    live.add(name)
    const url = new URL(found.adminUrl)
    url.pathname = `/${name}`
    return {
      url: url.toString(),
      async drop() {
        // with (force): a server or pool that did not close cleanly must not leave the database behind.
        await admin.query(`drop database if exists ${name} with (force)`)
        live.delete(name)
      },
    }
  }
  let count = 0
  const newName = (label: string) => `hailong_bench_${label}_${process.pid}_${++count}`
  return {
    name: 'postgres',
    settings,
    async create(label) {
      const name = newName(label)
      // C collation, as scripts/postgres-cluster.sh sets: text sorts by code point, as in SQLite, on any server.
      await admin.query(`create database ${name} template template0 encoding 'UTF8' locale 'C'`)
      return database(name)
    },
    async kept(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`)
      const found = await admin.query('select 1 from pg_database where datname = $1', [name])
      const exists = found.rowCount === 1
      if (!exists) await admin.query(`create database ${name} template template0 encoding 'UTF8' locale 'C'`)
      const url = new URL(adminUrl)
      url.pathname = `/${name}`
      return { url: url.toString(), exists, drop: async () => {} }
    },
    async copy(source, label) {
      const name = newName(label)
      await admin.query(`create database ${name} template ${new URL(source.url).pathname.slice(1)}`)
      return database(name)
    },
    async close() {
      try {
        for (const n of [...live]) await admin.query(`drop database if exists ${n} with (force)`)
        await admin.end()
      } finally {
        // Whatever failed above, a cluster the benchmark started must not outlive it.
        found.stop?.()
      }
    },
  }
}

/** Opens the requested databases; PostgreSQL is left out, with a message, when no server can be had. */
export async function openDatabaseServers(names: DatabaseName[]): Promise<DatabaseServer[]> {
  const servers: DatabaseServer[] = []
  if (names.includes('sqlite')) servers.push(sqliteServer())
  if (names.includes('postgres')) {
    const postgres = await postgresServer()
    if (postgres) servers.push(postgres)
    else
      console.log(
        "  PostgreSQL skipped: set BENCH_POSTGRES_URL or install Debian's postgresql package (apt-get install postgresql).",
      )
  }
  return servers
}
