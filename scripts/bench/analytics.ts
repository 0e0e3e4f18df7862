/**
 * Analytics under a large database: the server time of the scores page and of the scores API for a
 * ~60-agency province with BENCH_RESPONSES stored responses (default 200,000, a few minutes on each
 * database; the README's figures use 2,000,000 and the issue's figure is 5,000,000), and the time, the
 * server's CPU time and its peak memory for a raw export of half of them (1,000,000 rows for 2,000,000),
 * on a server of its own. Runs on each database (SQLite, PostgreSQL) with the same synthetic responses.
 * BENCH_EXPORT_ONLY=1 measures the export alone.
 *
 * Generating two million responses takes minutes (tens on PostgreSQL). To measure the same data again,
 * BENCH_KEEP_SQLITE=<file> and BENCH_KEEP_POSTGRES=<database name> name a database that the first run
 * generates and leaves behind, and later runs reuse as it is (they check that it holds BENCH_RESPONSES
 * responses, and generate nothing). A kept PostgreSQL database lives on the server of BENCH_POSTGRES_URL:
 * the throw-away cluster is removed at the end of every run, so start one that outlives the runs, e.g.
 * `scripts/postgres-cluster.sh start 54340 --durable`. Delete the file, or drop the database, to start over.
 *
 * BENCH_SCORES_ONLY=1 measures the scores page and API alone, without the export.
 *
 * BENCH_RUNS=3 measures the scores page and API three times, each on a fresh server, and reports each run
 * and their median (the figure issue 20's target is stated for).
 *
 * BENCH_POSTGRES_PARTITIONED=1 partitions a generated PostgreSQL database by month before its aggregates
 * are built, with the script an operator runs (db/postgres/partition-by-month.sql); a kept database must
 * match it.
 */
import fs from 'node:fs'
import path from 'node:path'
import autocannon from 'autocannon'
import { Kysely, SqliteDialect, sql } from 'kysely'
import { openSqlite } from '#db/client.ts'
import { migrateToLatest } from '#db/migrate.ts'
import type { Database } from '#db/schema.ts'
import { seedTemplates } from '#app/.server/services/seed.ts'
import { rebuildAggregates } from '#app/.server/services/rebuild-aggregates.ts'
import { runCli } from '../support/cli.ts'
import { type RunningServer, startServer } from '../support/server-process.ts'
import { type BenchDatabase, connect, type DatabaseName, type DatabaseServer } from './databases.ts'
import {
  createBenchProvince,
  insertSyntheticResponses,
  postgresWriter,
  sqliteWriter,
  type SyntheticWriter,
  withForeignKeysAfterwards,
} from './generate.ts'
import { cpuSeconds } from './process-cpu.ts'

/** The process's peak resident memory (VmHWM) since it started or since `resetPeakRss`. */
function peakRssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return Math.round(kb / 1024)
}

/** Starts the peak over again (Linux: "5" to clear_refs); false if refused. */
function resetPeakRss(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}

/**
 * BENCH_EXPORT_ONLY=1: the raw export alone, without rebuilding the aggregates or timing the score pages
 * (both take minutes at two million responses and the export needs neither).
 */
const EXPORT_ONLY = process.env.BENCH_EXPORT_ONLY === '1'

async function latency(url: string, headers: Record<string, string>, seconds: number) {
  // One connection: the server time of a page, not time spent queueing behind other requests.
  const r = await autocannon({ url, connections: 1, duration: seconds, headers })
  const l = r.latency as unknown as Record<string, number>
  return {
    requestsPerSecond: Math.round(r.requests.average),
    requests: r.requests.total,
    p50: l.p50,
    p99: l.p99,
    non2xx: r.non2xx,
  }
}

const secondsOf = async <T>(work: () => Promise<T>) => {
  const started = Date.now()
  await work()
  return (Date.now() - started) / 1000
}

interface Loader {
  db: Kysely<Database>
  /** Runs the bulk load with the database's fastest writer, once the tables exist. */
  bulk(load: (write: SyntheticWriter) => Promise<void>): Promise<void>
  /** Brings the loaded database to the state a live one would be in before it is measured. */
  settle(): Promise<void>
}

/** SQLite: prepared statements on the raw connection, unsynced while loading (nothing is measured then). */
function sqliteLoader(file: string): Loader {
  const sqlite = openSqlite(file)
  return {
    db: new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) }),
    async bulk(load) {
      sqlite.pragma('synchronous = OFF')
      await load(sqliteWriter(sqlite))
      sqlite.pragma('synchronous = FULL')
    },
    settle: async () => {},
  }
}

/**
 * PostgreSQL: the app's own pool, unnest batches with the foreign keys validated once at the end;
 * afterwards the planner statistics and visibility map that autovacuum keeps on a live database.
 */
function postgresLoader(database: BenchDatabase): Loader {
  const db = connect(database)
  return {
    db,
    bulk: (load) => withForeignKeysAfterwards(db, ['response', 'answer'], () => load(postgresWriter(db))),
    settle: () => sql`vacuum analyze`.execute(db).then(() => {}),
  }
}

/** BENCH_POSTGRES_PARTITIONED=1: PostgreSQL's big tables partitioned by month, as an operator would. */
const PARTITIONED = process.env.BENCH_POSTGRES_PARTITIONED === '1'

/** Runs the operator's partitioning script (one transaction) on a loaded database. */
async function partitionByMonth(db: Kysely<Database>) {
  const script = fs.readFileSync(path.resolve('db/postgres/partition-by-month.sql'), 'utf8')
  // Without parameters pg sends it as one simple query, which may hold several statements.
  await sql.raw(script).execute(db)
}

/** Whether `response` is a partitioned table (PostgreSQL). */
async function isPartitioned(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_partitioned_table
    where partrelid = 'response'::regclass`.execute(db)
  return rows[0].n === 1
}

/** Two years of responses, so the page's "change versus the previous period" has something to compare. */
async function loadProvince(name: DatabaseName, database: BenchDatabase, responses: number) {
  const loader = name === 'sqlite' ? sqliteLoader(database.url) : postgresLoader(database)
  const { db } = loader
  try {
    await migrateToLatest(db)
    await seedTemplates(db)
    const agencies = await createBenchProvince(db)
    const generateSeconds = await secondsOf(() =>
      loader.bulk(async (write) => {
        for (const [year, count] of [
          [2025, Math.floor(responses / 2)],
          [2026, Math.ceil(responses / 2)],
        ]) {
          await insertSyntheticResponses(
            db,
            write,
            agencies,
            count,
            year,
            (n) => n % 500_000 === 0 && console.log(`    ${year}: ${n}`),
          )
        }
      }),
    )
    console.log(`    generated in ${generateSeconds.toFixed(1)} s`)
    const partitionSeconds = name === 'postgres' && PARTITIONED ? await secondsOf(() => partitionByMonth(db)) : null
    if (partitionSeconds !== null) console.log(`    partitioned by month in ${partitionSeconds.toFixed(1)} s`)
    if (!EXPORT_ONLY) console.log('    rebuilding aggregates…')
    const rebuildSeconds = EXPORT_ONLY ? 0 : await secondsOf(() => rebuildAggregates(db))
    const settleSeconds = await secondsOf(() => loader.settle())
    return { reused: false, generateSeconds, partitionSeconds, rebuildSeconds, settleSeconds }
  } finally {
    await db.destroy()
  }
}

/** A database kept by an earlier run: it must hold what this run would have generated. */
async function checkKept(name: DatabaseName, database: BenchDatabase, responses: number) {
  const db = connect(database)
  try {
    if (name === 'postgres' && (await isPartitioned(db)) !== PARTITIONED)
      throw new Error(`the kept database is ${PARTITIONED ? 'not ' : ''}partitioned, unlike BENCH_POSTGRES_PARTITIONED`)
    const row = await db
      .selectFrom('response')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    if (Number(row.n) !== responses)
      throw new Error(`the kept database holds ${row.n} responses, not BENCH_RESPONSES=${responses}: remove it`)
    let rebuildSeconds = 0
    if (!EXPORT_ONLY) {
      const aggregates = await db
        .selectFrom('item_aggregate')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      // Kept by an export-only run: the score pages need the aggregates it skipped.
      if (Number(aggregates.n) === 0) rebuildSeconds = await secondsOf(() => rebuildAggregates(db))
    }
    console.log(`    reusing the kept database (${responses.toLocaleString('en')} responses)`)
    return { reused: true, generateSeconds: 0, partitionSeconds: null, rebuildSeconds, settleSeconds: 0 }
  } finally {
    await db.destroy()
  }
}

/** Reads the whole CSV as a client would, counting rows and bytes. */
async function download(url: string, cookie: string) {
  const started = Date.now()
  const res = await fetch(url, { headers: { cookie }, redirect: 'manual' })
  let bytes = 0
  let lines = 0
  const reader = res.body!.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    bytes += value.length
    for (const b of value) if (b === 10) lines++
  }
  return {
    status: res.status,
    location: res.headers.get('location'),
    rows: lines - 1,
    megabytes: Math.round(bytes / 2 ** 20),
    seconds: (Date.now() - started) / 1000,
  }
}

/** Not containing the address's name, which the password policy refuses. */
const PASSWORD = 'measured-on-a-large-province'

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

async function analystExists(database: BenchDatabase): Promise<boolean> {
  const db = connect(database)
  try {
    return !!(await db.selectFrom('user').select('id').where('email', '=', 'bench@example.vn').executeTakeFirst())
  } catch {
    // Not migrated yet (a database the server under test has never opened): nobody is in it.
    return false
  } finally {
    await db.destroy()
  }
}

/** The analyst who signs in, with the microdata permission (made once per database). */
async function createAnalyst(env: Record<string, string>) {
  const created = await runCli(
    ['user', 'create', '--email', 'bench@example.vn', '--role', 'analyst', '--agency', 'BENCH'],
    { env, input: `${PASSWORD}\n` },
  )
  // A refused account (the password policy once refused the password with "bench" in it) signed nobody in,
  // and every figure was then that of the sign-in page.
  if (created.status !== 0) throw new Error(`the benchmark's analyst was not created: ${created.stderr}`)
  // Raw microdata is a permission of its own (Decree 13/2023), which no CLI command grants: without it the
  // export answered 403 and the benchmark timed the error page.
  const admin = connect({ url: env.DATABASE_URL, drop: async () => {} })
  try {
    await admin.updateTable('user').set({ can_export_microdata: 1 }).where('email', '=', 'bench@example.vn').execute()
  } finally {
    await admin.destroy()
  }
}

async function measure(database: BenchDatabase) {
  const env = { DATABASE_URL: database.url }
  if (!(await analystExists(database))) await createAnalyst(env)
  const token = (await runCli(['token', 'create', '--agency', 'BENCH'], { env })).stdout.trim().split('\n').pop()!
  const duration = Number(process.env.BENCH_SECONDS ?? 10)
  const runs = []
  for (let run = 0; !EXPORT_ONLY && run < Number(process.env.BENCH_RUNS ?? 1); run++) {
    const figures = await withServer(env, async (server, cookie) => {
      const cpuBefore = cpuSeconds(server.pid)
      const scoresPage = await latency(`${server.url}/analytics?period=2026&agency=BENCH`, { cookie }, duration)
      const cpuBetween = cpuSeconds(server.pid)
      const scoresApi = await latency(
        `${server.url}/api/v1/scores?period=2026&agency=BENCH`,
        { authorization: `Bearer ${token}` },
        duration,
      )
      // The server's CPU time per request: steadier than the wall time on a shared machine.
      const cpuMs = (seconds: number, requests: number) => Math.round((seconds * 1000) / Math.max(1, requests))
      return {
        scoresPage: { ...scoresPage, serverCpuMsPerRequest: cpuMs(cpuBetween - cpuBefore, scoresPage.requests) },
        scoresApi: {
          ...scoresApi,
          serverCpuMsPerRequest: cpuMs(cpuSeconds(server.pid) - cpuBetween, scoresApi.requests),
        },
        scoresServerPeakRssMiB: peakRssMiB(server.pid),
        loadAverage: fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
      }
    })
    console.log(
      `    run ${run + 1}: page p50 ${figures.scoresPage.p50} ms p99 ${figures.scoresPage.p99} ms; ` +
        `API p50 ${figures.scoresApi.p50} ms p99 ${figures.scoresApi.p99} ms; peak RSS ${figures.scoresServerPeakRssMiB} MiB; load ${figures.loadAverage}`,
    )
    runs.push(figures)
  }
  const scores = runs.length
    ? {
        ...runs[0],
        runs,
        median: {
          scoresPage: {
            p50: median(runs.map((r) => r.scoresPage.p50)),
            p99: median(runs.map((r) => r.scoresPage.p99)),
          },
          scoresApi: { p50: median(runs.map((r) => r.scoresApi.p50)), p99: median(runs.map((r) => r.scoresApi.p99)) },
          scoresServerPeakRssMiB: median(runs.map((r) => r.scoresServerPeakRssMiB)),
        },
      }
    : null
  if (process.env.BENCH_SCORES_ONLY === '1') return { ...scores, rawExport: null }
  // The export covers 2026 only: half of the stored responses (1M rows when 2M are stored). It runs on a
  // server of its own, so the peak memory measured (from the sign-in to the last byte) is the export's.
  const rawExport = await withServer(env, async (server, cookie) => {
    // Signing in ran scrypt, which takes 128 MiB for a moment (auth/password.ts): the peak starts over after.
    const startPeakRssMiB = peakRssMiB(server.pid)
    if (!resetPeakRss(server.pid)) throw new Error('cannot reset the peak memory of the server (/proc/pid/clear_refs)')
    const cpuBefore = cpuSeconds(server.pid)
    const figures = await download(`${server.url}/analytics/responses/csv?period=2026&agency=BENCH`, cookie)
    if (figures.status !== 200) throw new Error(`the raw export answered ${figures.status} ${figures.location ?? ''}`)
    return {
      ...figures,
      rowsPerSecond: Math.round(figures.rows / figures.seconds),
      // The server's CPU time for it: steadier than the wall time on a shared machine.
      serverCpuSeconds: Math.round((cpuSeconds(server.pid) - cpuBefore) * 10) / 10,
      serverPeakRssMiB: peakRssMiB(server.pid),
      startPeakRssMiB,
    }
  })
  return { ...scores, rawExport }
}

/** A fresh server on the database, with the benchmark's analyst signed in. */
async function withServer<T>(
  env: Record<string, string>,
  work: (server: RunningServer, cookie: string) => Promise<T>,
): Promise<T> {
  const server = await startServer({ ...env, RATE_LIMIT: 'off' })
  try {
    const login = await fetch(`${server.url}/login`, {
      method: 'POST',
      body: new URLSearchParams({ email: 'bench@example.vn', password: PASSWORD }),
      redirect: 'manual',
    })
    if (login.status !== 302) throw new Error(`the benchmark's analyst could not sign in (${login.status})`)
    return await work(server, (login.headers.get('set-cookie') ?? '').split(';')[0])
  } finally {
    await server.stop()
  }
}

export async function benchmarkAnalytics(servers: DatabaseServer[]) {
  const responses = Number(process.env.BENCH_RESPONSES ?? 200_000)
  const results = []
  for (const server of servers) {
    console.log(`  ${server.name}: loading ${responses.toLocaleString('en')} responses…`)
    const keep = server.name === 'sqlite' ? process.env.BENCH_KEEP_SQLITE : process.env.BENCH_KEEP_POSTGRES
    const database = keep ? await server.kept(keep) : await server.create('analytics')
    try {
      const reused = keep && 'exists' in database && database.exists
      const load = reused
        ? await checkKept(server.name, database, responses)
        : await loadProvince(server.name, database, responses)
      const partitioned = server.name === 'postgres' && PARTITIONED
      results.push({
        database: server.name,
        storedResponses: responses,
        partitioned,
        load,
        ...(await measure(database)),
      })
    } finally {
      await database.drop()
    }
  }
  return results
}
