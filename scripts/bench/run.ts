/**
 * The benchmarks. Each prints its figures and writes them as JSON under bench-results/ (git-ignored),
 * with the machine they ran on. Sizes come from the environment so CI-sized and full runs share code:
 * BENCH_RESPONSES (scores: default 1,000,000; analytics: 200,000) and BENCH_SECONDS (each load level,
 * default 10). The submissions and analytics benchmarks run on each database of BENCH_DATABASES
 * (default sqlite,postgres; see databases.ts) and print their figures side by side.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { migrateToLatest } from '#db/migrate.ts'
import { openSqlite } from '#db/client.ts'
import { Kysely, SqliteDialect } from 'kysely'
import type { Database } from '#db/schema.ts'
import { seedTemplates } from '#app/.server/services/seed.ts'
import { computeScores } from '#app/.server/services/scores.ts'
import { rebuildAggregates } from '#app/.server/services/rebuild-aggregates.ts'
import { runCli } from '../support/cli.ts'
import { type RunningServer, startServer } from '../support/server-process.ts'
import { createBenchProvince, insertSyntheticResponses, sqliteWriter } from './generate.ts'
import { measurePage } from './page.ts'
import { LIGHTHOUSE_NICE, LIGHTHOUSE_VERSION, runLighthouse } from './lighthouse.ts'
import { benchmarkSubmissions, FLOORS } from './submissions.ts'
import { benchmarkAnalytics } from './analytics.ts'
import { type DatabaseName, type DatabaseServer, openDatabaseServers, requestedDatabases } from './databases.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')
const OUT = path.join(ROOT, 'bench-results')

function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    // Over 1, 5 and 15 minutes when the figures were saved: on a shared machine, how much else was running.
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    hugePages: hugePages(),
  }
}

/**
 * The host's 2 MiB pages reserved and free: a local PostgreSQL with `huge_pages=try` (its default) maps its
 * shared buffers with them when there are enough, which changes its CPU per query (docs/performance.md).
 */
function hugePages() {
  try {
    const info = fs.readFileSync('/proc/meminfo', 'utf8')
    const count = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(info)?.[1] ?? 0)
    return { total: count('HugePages_Total'), free: count('HugePages_Free') }
  } catch {
    return null
  }
}

function save(name: string, figures: unknown) {
  fs.mkdirSync(OUT, { recursive: true })
  const file = path.join(OUT, `${name}.json`)
  fs.writeFileSync(
    file,
    JSON.stringify({ benchmark: name, at: new Date().toISOString(), machine: machine(), figures }, null, 2),
  )
  console.log(`  → ${path.relative(ROOT, file)}`)
}

/** A survey link's path on a freshly seeded server: `/s/<code>`. */
async function surveyPath(server: RunningServer): Promise<string> {
  const links = JSON.parse(
    (await runCli(['links', '--json'], { env: { DATABASE_URL: server.databaseFile, PUBLIC_URL: server.url } })).stdout,
  )
  return new URL(links[1].url).pathname
}

async function pageBenchmark() {
  console.log('Survey page: weight and first render on slow 3G')
  const server = await startServer({ RATE_LIMIT: 'off' })
  try {
    const figures = await measurePage(server, await surveyPath(server))
    console.table(figures)
    save('survey-page', figures)
  } finally {
    await server.stop()
  }
}

async function lighthouseBenchmark() {
  console.log(`Survey page: Lighthouse ${LIGHTHOUSE_VERSION} mobile (simulated throttling), three runs`)
  const server = await startServer({ RATE_LIMIT: 'off' })
  try {
    if (LIGHTHOUSE_NICE) await runCommand('renice', ['-n', LIGHTHOUSE_NICE, '-p', String(server.pid)])
    const figures = await runLighthouse(server.url + (await surveyPath(server)), path.join(OUT, 'lighthouse'))
    console.table(
      Object.fromEntries([
        ...figures.runs.map(({ report: _, ...r }, i) => [`run ${i + 1}`, r]),
        ['median', figures.median],
      ]),
    )
    save('lighthouse', figures)
  } finally {
    await server.stop()
  }
}

function runCommand(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore' })
    child.once('error', reject)
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`))))
  })
}

const time = async <T>(work: () => Promise<T>) => {
  const started = process.hrtime.bigint()
  const result = await work()
  return { result, ms: Number(process.hrtime.bigint() - started) / 1e6 }
}

async function scoresBenchmark() {
  const responses = Number(process.env.BENCH_RESPONSES ?? 1_000_000)
  console.log(`Scores of a ~60-agency province over 4 quarters at ${responses.toLocaleString('en')} responses`)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hailong-bench-'))
  const file = path.join(dir, 'bench.sqlite')
  const sqlite = openSqlite(file)
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
  try {
    await migrateToLatest(db)
    await seedTemplates(db)
    const agencies = await createBenchProvince(db)
    sqlite.pragma('synchronous = OFF') // generation only; the measured reads do not depend on it
    const generated = await time(() =>
      insertSyntheticResponses(
        db,
        sqliteWriter(sqlite),
        agencies,
        responses,
        2026,
        (done) => done % 200_000 === 0 && console.log(`  generated ${done}`),
      ),
    )
    sqlite.pragma('synchronous = FULL')
    console.log(`  generated in ${(generated.ms / 1000).toFixed(1)} s; rebuilding aggregates from raw responses…`)
    const rebuild = await time(() => rebuildAggregates(db))
    const quarters = [1, 2, 3, 4] as const
    const fromAggregates = await time(async () => {
      let cells = 0
      for (const quarter of quarters) {
        const result = await computeScores(db, {
          questionnaireCode: 'SIPAS-2017',
          rootAgencyCode: 'BENCH',
          period: { kind: 'quarter', year: 2026, quarter },
          boundaries: 'current',
        })
        if (!result.ok) throw new Error(result.error)
        cells +=
          result.rows.length * (1 + result.elements.length + result.elements.reduce((s, e) => s + e.criteria.length, 0))
      }
      return cells
    })
    const figures = {
      responses,
      agencies: agencies.length,
      scoreCells: fromAggregates.result,
      generateSeconds: generated.ms / 1000,
      fromAggregatesMs: Math.round(fromAggregates.ms),
      fromRawResponsesMs: Math.round(rebuild.ms + fromAggregates.ms),
      rebuildAggregatesMs: Math.round(rebuild.ms),
      note: 'fromRawResponses = a full scan of every response and answer into sums (the rebuild) + the same scoring',
    }
    console.table(figures)
    save('scores', figures)
  } finally {
    await db.destroy()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

async function submissionsBenchmark(servers: DatabaseServer[]) {
  console.log(
    "Survey submissions per second through HTTP (autocannon), against each database's floor (node:http + the driver, the same inserts)",
  )
  const rows = await benchmarkSubmissions(servers)
  console.table(
    rows.map((r) => ({
      database: r.database,
      path: r.path,
      connections: r.connections,
      'ours req/s': r.ours.requestsPerSecond,
      'ours p50': r.ours.p50,
      'ours p95': r.ours.p95,
      'ours p99': r.ours.p99,
      'floor req/s': r.floor.requestsPerSecond,
      'floor p99': r.floor.p99,
      ratio: r.ratioToFloor,
      'ours CPU ms': r.ours.serverCpuMsPerRequest,
      'ours db CPU ms': r.ours.databaseCpuMsPerRequest,
      'floor CPU ms': r.floor.serverCpuMsPerRequest,
      'floor db CPU ms': r.floor.databaseCpuMsPerRequest,
      errors: r.ours.errors + r.ours.non2xx,
    })),
  )
  save('submissions', { databases: describe(servers, (name) => ({ floor: FLOORS[name] })), rows })
}

async function analyticsBenchmark(servers: DatabaseServer[]) {
  console.log('Scores page, scores API and raw export on a large database')
  const results = await benchmarkAnalytics(servers)
  console.table(
    results.map((r) => ({
      database: r.database,
      responses: r.storedResponses,
      // The median of BENCH_RUNS runs (one run: that run).
      'page p50': r.median?.scoresPage.p50 ?? null,
      'page p99': r.median?.scoresPage.p99 ?? null,
      'API p50': r.median?.scoresApi.p50 ?? null,
      'API p99': r.median?.scoresApi.p99 ?? null,
      'scores RSS MiB': r.median?.scoresServerPeakRssMiB ?? null,
      'export rows': r.rawExport?.rows ?? null,
      'export s': r.rawExport?.seconds ?? null,
      'export rows/s': r.rawExport?.rowsPerSecond ?? null,
      'export CPU s': r.rawExport?.serverCpuSeconds ?? null,
      'export RSS MiB': r.rawExport?.serverPeakRssMiB ?? null,
      // Null or zero when a kept database was reused (BENCH_KEEP_SQLITE, BENCH_KEEP_POSTGRES).
      'load s': r.load ? Math.round(r.load.generateSeconds + r.load.rebuildSeconds + r.load.settleSeconds) : null,
    })),
  )
  save('analytics', { databases: describe(servers), results })
}

/** Each database's settings (durability, where it ran) for the JSON, so runs compare like with like. */
function describe(servers: DatabaseServer[], extra: (name: DatabaseName) => Record<string, string> = () => ({})) {
  return Object.fromEntries(servers.map((s) => [s.name, { ...s.settings, ...extra(s.name) }]))
}

const BENCHMARKS = ['all', 'page', 'lighthouse', 'scores', 'submissions', 'analytics']

/** The submissions and analytics benchmarks, each on every requested database. Returns the exit status. */
async function databaseBenchmarks(runs: (name: string) => boolean): Promise<number> {
  let names: DatabaseName[]
  try {
    names = requestedDatabases()
  } catch (error) {
    console.error((error as Error).message)
    return 2
  }
  const servers = await openDatabaseServers(names)
  if (!servers.length) {
    console.log('No database to run the submissions and analytics benchmarks on: skipped.')
    return 0
  }
  // Ctrl-C must not leave the throw-away cluster running or databases behind on BENCH_POSTGRES_URL.
  const closeOnSignal = () => void closeAll(servers).finally(() => process.exit(130))
  process.once('SIGINT', closeOnSignal)
  try {
    if (runs('analytics')) await analyticsBenchmark(servers)
    if (runs('submissions')) await submissionsBenchmark(servers)
    return 0
  } finally {
    process.off('SIGINT', closeOnSignal)
    await closeAll(servers)
  }
}

async function closeAll(servers: DatabaseServer[]) {
  for (const server of servers) await server.close()
}

export async function runBenchmarks(argv: string[]): Promise<number> {
  const which = argv[0] ?? 'all'
  if (!BENCHMARKS.includes(which)) {
    console.error(`Unknown benchmark "${which}". Use: npm run bench [-- ${BENCHMARKS.join('|')}]`)
    return 2
  }
  const runs = (name: string) => which === 'all' || which === name
  // Only these two compare databases; the page, Lighthouse and scores benchmarks measure the app on SQLite.
  if (runs('analytics') || runs('submissions')) {
    const status = await databaseBenchmarks(runs)
    if (status !== 0) return status
  }
  if (runs('page')) await pageBenchmark()
  if (runs('lighthouse')) await lighthouseBenchmark()
  if (runs('scores')) await scoresBenchmark()
  return 0
}
