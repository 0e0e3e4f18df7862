/**
 * The benchmarks. Each prints its figures and writes them as JSON under bench-results/ (git-ignored),
 * with the machine they ran on. Sizes come from the environment so CI-sized and full runs share code:
 * BENCH_RESPONSES (default 1,000,000).
 */
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
import { startServer } from '../../tests/helpers/server.ts'
import { runCli } from '../../tests/helpers/cli.ts'
import { createBenchProvince, insertSyntheticResponses } from './generate.ts'
import { measurePage } from './page.ts'
import { benchmarkSubmissions } from './submissions.ts'
import { benchmarkAnalytics } from './analytics.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')
const OUT = path.join(ROOT, 'bench-results')

function machine() {
  return { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` }
}

function save(name: string, figures: unknown) {
  fs.mkdirSync(OUT, { recursive: true })
  const file = path.join(OUT, `${name}.json`)
  fs.writeFileSync(file, JSON.stringify({ benchmark: name, at: new Date().toISOString(), machine: machine(), figures }, null, 2))
  console.log(`  → ${path.relative(ROOT, file)}`)
}

async function pageBenchmark() {
  console.log('Survey page: weight and first render on slow 3G')
  const server = await startServer({ RATE_LIMIT: 'off' })
  try {
    const links = JSON.parse(runCli(['links', '--json'], { env: { DATABASE_URL: server.databaseFile, PUBLIC_URL: server.url } }).stdout)
    const url = new URL(links[1].url)
    const figures = await measurePage(server, url.pathname)
    console.table(figures)
    save('survey-page', figures)
  } finally {
    await server.stop()
  }
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
    const generated = await time(() => insertSyntheticResponses(db, sqlite, agencies, responses, 2026, (done) => done % 200_000 === 0 && console.log(`  generated ${done}`)))
    sqlite.pragma('synchronous = FULL')
    console.log(`  generated in ${(generated.ms / 1000).toFixed(1)} s; rebuilding aggregates from raw responses…`)
    const rebuild = await time(() => rebuildAggregates(db))
    const quarters = [1, 2, 3, 4] as const
    const fromAggregates = await time(async () => {
      let cells = 0
      for (const quarter of quarters) {
        const result = await computeScores(db, { questionnaireCode: 'SIPAS-2017', rootAgencyCode: 'BENCH', period: { kind: 'quarter', year: 2026, quarter }, boundaries: 'current' })
        if (!result.ok) throw new Error(result.error)
        cells += result.rows.length * (1 + result.elements.length + result.elements.reduce((s, e) => s + e.criteria.length, 0))
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

async function submissionsBenchmark() {
  console.log('Survey submissions per second through HTTP (autocannon), against the node:http + better-sqlite3 floor')
  const rows = await benchmarkSubmissions()
  console.table(rows.map((r) => ({ connections: r.connections, 'ours req/s': r.ours.requestsPerSecond, 'ours p50': r.ours.p50, 'ours p95': r.ours.p95, 'ours p99': r.ours.p99, 'floor req/s': r.floor.requestsPerSecond, 'floor p99': r.floor.p99, ratio: r.ratioToFloor, errors: r.ours.errors + r.ours.non2xx })))
  save('submissions', rows)
}

async function analyticsBenchmark() {
  console.log('Scores page, scores API and raw export on a large database')
  const figures = await benchmarkAnalytics()
  console.log(JSON.stringify(figures, null, 2))
  save('analytics', figures)
}

export async function runBenchmarks(argv: string[]): Promise<number> {
  const which = argv[0] ?? 'all'
  if (!['all', 'page', 'scores', 'submissions', 'analytics'].includes(which)) {
    console.error(`Unknown benchmark "${which}". Use: npm run bench [-- all|page|scores|submissions|analytics]`)
    return 2
  }
  if (which === 'all' || which === 'analytics') await analyticsBenchmark()
  if (which === 'all' || which === 'submissions') await submissionsBenchmark()
  if (which === 'all' || which === 'page') await pageBenchmark()
  if (which === 'all' || which === 'scores') await scoresBenchmark()
  return 0
}

