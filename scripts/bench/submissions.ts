/**
 * Survey submissions per second through the real HTTP path (routing, validation, the response, its
 * answers and the aggregates in one transaction), at increasing concurrency, next to the floor measured
 * in the same run on the same database: plain node:http plus the same inserts (floor-server.mjs). The
 * load generator is autocannon. Each database (SQLite, PostgreSQL) gets its own server and its own floor.
 * Both ways a citizen submits are measured: the JSON path (`/s/CODE/submit`, what the page's script posts)
 * and the no-JavaScript form post (`/s/CODE`, answered with a 303 to the thank-you page).
 */
import { fork } from 'node:child_process'
import path from 'node:path'
import autocannon from 'autocannon'
import { sql } from 'kysely'
import { issueFormToken, tokenEntry } from '#app/.server/anti-rigging/form-token.ts'
import { newSubmissionId } from '#app/.server/services/survey-submission.ts'
import { freePort } from '../support/free-port.ts'
import { startServer } from '../support/server-process.ts'
import { type BenchDatabase, connect, type DatabaseName, type DatabaseServer } from './databases.ts'
import { type CpuMeter, postgresBackendsMeter, processMeter } from './process-cpu.ts'

export interface LoadFigures {
  connections: number
  requestsPerSecond: number
  p50: number
  p95: number
  p99: number
  errors: number
  non2xx: number
  /** The server process's CPU time per request served, in ms (a steadier figure than req/s here). */
  serverCpuMsPerRequest: number
  /** PostgreSQL's backends' CPU time per request, in ms (PostgreSQL only: SQLite runs in the server). */
  databaseCpuMsPerRequest: number | null
}

interface Target {
  url: string
  expectRedirect?: boolean
  linkCode: string
  versionId: number
  itemCodes: string[]
}

/** The JSON path the page's script posts to, or the plain form post of a browser without JavaScript. */
export type SubmitPath = 'json' | 'form'

export interface SubmissionRow {
  database: DatabaseName
  path: SubmitPath
  connections: number
  ours: LoadFigures
  floor: LoadFigures
  ratioToFloor: number
}

/** What each database's floor is, for the JSON and the printed table. */
export const FLOORS: Record<DatabaseName, string> = {
  sqlite: 'node:http + better-sqlite3 (WAL, synchronous=FULL), response + answers in one transaction',
  postgres: 'node:http + pg (pool of DATABASE_POOL_SIZE), response + answers (one multi-row insert) in one transaction',
}

/** The app's secret in the benchmark, so each request can carry the token its page would have carried. */
const SECRET = 'bench-secret-'.padEnd(40, 'x')

function body(target: Omit<Target, 'url'>): string {
  const { versionId, itemCodes, linkCode } = target
  // An honest citizen: a valid token of its own page (what counts is measured, not what is quarantined).
  const _token = issueFormToken(SECRET, { entry: tokenEntry('s', linkCode), networkHash: 'bench', overCap: false })
  // The submission id a served page carries (time-ordered, app/.server/ordered-id.ts), as a citizen's would.
  const form = new URLSearchParams({ _sid: newSubmissionId(), _version: String(versionId), _website: '', _token })
  for (const code of itemCodes) form.set(`q:${code.replaceAll('.', ':')}`, String(3 + Math.floor(Math.random() * 3)))
  return form.toString()
}

/** The meters of what serves a load: its server process and, on PostgreSQL, the database's backends. */
interface Meters {
  server: CpuMeter
  database: CpuMeter | null
}

async function meters(pid: number, database: BenchDatabase): Promise<Meters> {
  const postgres = /^postgres(ql)?:\/\//.test(database.url)
  return { server: processMeter(pid), database: postgres ? await postgresBackendsMeter(database.url) : null }
}

const closeMeters = async (m: Meters) => {
  await m.server.close()
  await m.database?.close()
}

async function load(target: Target, connections: number, seconds: number, m: Meters): Promise<LoadFigures> {
  await m.server.sample()
  await m.database?.sample()
  const result = await autocannon({
    url: target.url,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    // Every request is a new citizen: a fresh submission id, so nothing is deduplicated away.
    requests: [{ setupRequest: (req) => ({ ...req, body: body(target) }) }],
  })
  const latency = result.latency as unknown as Record<string, number>
  const served = Math.max(1, result.requests.total)
  const perRequest = (seconds: number) => Math.round((seconds * 1000 * 100) / served) / 100
  const serverCpu = await m.server.sample()
  const databaseCpu = m.database ? await m.database.sample() : null
  return {
    connections,
    requestsPerSecond: Math.round(result.requests.average),
    p50: latency.p50,
    p95: latency.p95 ?? latency.p97_5,
    p99: latency.p99,
    errors: result.errors,
    // The form post's success is its redirect to the thank-you page, which autocannon counts as non-2xx.
    non2xx: target.expectRedirect ? result.non2xx - (result['3xx'] ?? 0) : result.non2xx,
    serverCpuMsPerRequest: perRequest(serverCpu),
    databaseCpuMsPerRequest: databaseCpu === null ? null : perRequest(databaseCpu),
  }
}

async function loadLevels(
  target: Omit<Target, 'url'>,
  url: string,
  levels: number[],
  seconds: number,
  m: Meters,
  expectRedirect = false,
): Promise<LoadFigures[]> {
  const at = { ...target, url, expectRedirect }
  // A short load first, not recorded: the first level would otherwise pay for the JIT and the pools' growth.
  await load(at, 16, WARM_UP_SECONDS, m)
  const figures: LoadFigures[] = []
  for (const c of levels) figures.push(await load(at, c, seconds, m))
  return figures
}

/** The first active survey link of the seeded demo province, its published version and its criteria. */
async function surveyUnderTest(database: BenchDatabase) {
  const db = connect(database, { readonly: true })
  try {
    const link = await db
      .selectFrom('survey_link')
      .select(['code', 'questionnaire_id'])
      .where('active', '=', 1)
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow()
    const version = await db
      .selectFrom('questionnaire_version')
      .select('id')
      .where('questionnaire_id', '=', link.questionnaire_id)
      .where('status', '=', 'published')
      .orderBy('version_number', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow()
    const items = await db
      .selectFrom('questionnaire_item')
      .select('code')
      .where('version_id', '=', version.id)
      .where('role', '=', 'criterion')
      .execute()
    return { linkCode: link.code, versionId: version.id, itemCodes: items.map((r) => r.code) }
  } finally {
    await db.destroy()
  }
}

/** The floor server on `database`, in its own process like the app. */
async function startFloor(database: BenchDatabase, versionId: number) {
  const port = await freePort()
  // Plain node (no execArgv inherited from however the benchmark was started); stderr kept for errors.
  const floor = fork(
    path.join(import.meta.dirname, 'floor-server.mjs'),
    [database.url, String(versionId), String(port)],
    { execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] },
  )
  let stderr = ''
  floor.stderr!.on('data', (d) => (stderr += d))
  await new Promise((resolve, reject) => {
    floor.once('message', resolve)
    floor.once('exit', (code) => reject(new Error(`floor server exited (${code}):\n${stderr}`)))
  })
  return { url: `http://127.0.0.1:${port}/`, pid: floor.pid!, stop: () => floor.kill() }
}

type Survey = Awaited<ReturnType<typeof surveyUnderTest>>

/** The production server on `database`, loaded at each level. */
async function measureApp(database: BenchDatabase, levels: number[], seconds: number) {
  const app = await startServer({ DATABASE_URL: database.url, RATE_LIMIT: 'off', HAILONG_SECRET: SECRET })
  try {
    const survey = await surveyUnderTest(database)
    const base = `${app.url}/s/${survey.linkCode}`
    const m = await meters(app.pid, database)
    try {
      await settle(survey, base, database, m)
      const json = await loadLevels(survey, `${base}/submit`, levels, seconds, m)
      const form = await loadLevels(survey, base, levels, seconds, m, true)
      return { survey, figures: { json, form } }
    } finally {
      await closeMeters(m)
    }
  } finally {
    await app.stop()
  }
}

/**
 * Both paths once, unrecorded, then (PostgreSQL) the planner's statistics that autovacuum keeps on a live
 * database. Without it the path measured first ran on a database just created, its tables growing from
 * empty before autovacuum had analysed them, while the floor writes into a copy of the finished database:
 * at 64 clients the first path reached 0.75–0.8 of the floor and the second 0.9, whichever came first.
 */
async function settle(survey: Survey, base: string, database: BenchDatabase, m: Meters) {
  await load({ ...survey, url: `${base}/submit` }, 16, WARM_UP_SECONDS, m)
  await load({ ...survey, url: base, expectRedirect: true }, 16, WARM_UP_SECONDS, m)
  if (!database.url.startsWith('postgres')) return
  const db = connect(database)
  try {
    await sql`analyze`.execute(db)
  } finally {
    await db.destroy()
  }
}

/** The floor, writing into a copy of what the app wrote: same schema, same table sizes. */
async function measureFloor(
  server: DatabaseServer,
  database: BenchDatabase,
  survey: Survey,
  levels: number[],
  seconds: number,
) {
  const copy = await server.copy(database, 'floor')
  try {
    const floor = await startFloor(copy, survey.versionId)
    const m = await meters(floor.pid, copy)
    try {
      return await loadLevels(survey, floor.url, levels, seconds, m)
    } finally {
      await closeMeters(m)
      floor.stop()
    }
  } finally {
    await copy.drop()
  }
}

const ratio = (ours: LoadFigures, floor: LoadFigures) =>
  Math.round((ours.requestsPerSecond / Math.max(1, floor.requestsPerSecond)) * 100) / 100

async function benchmarkOn(server: DatabaseServer, levels: number[], seconds: number): Promise<SubmissionRow[]> {
  const database = await server.create('submissions')
  try {
    const app = await measureApp(database, levels, seconds)
    const floor = await measureFloor(server, database, app.survey, levels, seconds)
    return (['json', 'form'] as const).flatMap((path) =>
      levels.map((connections, i) => ({
        database: server.name,
        path,
        connections,
        ours: app.figures[path][i]!,
        floor: floor[i]!,
        ratioToFloor: ratio(app.figures[path][i]!, floor[i]!),
      })),
    )
  } finally {
    await database.drop()
  }
}

/** Seconds of unrecorded load before each server's first level. */
const WARM_UP_SECONDS = 3

/** The client counts of the cost-growth table; BENCH_LEVELS=64 runs one, for quick A/B comparisons. */
export function benchmarkLevels(env: Record<string, string | undefined> = process.env): number[] {
  const levels = (env.BENCH_LEVELS ?? '1,16,64,256').split(',').map((s) => Number(s.trim()))
  if (!levels.length || levels.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`BENCH_LEVELS: ${env.BENCH_LEVELS} is not a list of client counts (1,16,64,256)`)
  return levels
}

export async function benchmarkSubmissions(
  servers: DatabaseServer[],
  levels = benchmarkLevels(),
  seconds = Number(process.env.BENCH_SECONDS ?? 10),
): Promise<SubmissionRow[]> {
  const rows: SubmissionRow[] = []
  for (const server of servers) {
    console.log(`  ${server.name}…`)
    rows.push(...(await benchmarkOn(server, levels, seconds)))
  }
  return rows
}
