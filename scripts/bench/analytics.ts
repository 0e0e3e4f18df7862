/**
 * Analytics under a large database: the server time of the scores page and of the scores API for a
 * ~60-agency province with BENCH_RESPONSES stored responses (default 1,000,000; the figure is
 * 5,000,000), and the time and the server's peak memory for a raw export of up to 1,000,000 rows.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import { Kysely, SqliteDialect } from 'kysely'
import { openSqlite } from '#db/client.ts'
import { migrateToLatest } from '#db/migrate.ts'
import type { Database } from '#db/schema.ts'
import { seedTemplates } from '#app/.server/services/seed.ts'
import { rebuildAggregates } from '#app/.server/services/rebuild-aggregates.ts'
import { runCli } from '../../tests/helpers/cli.ts'
import { startServer } from '../../tests/helpers/server.ts'
import { createBenchProvince, insertSyntheticResponses } from './generate.ts'

function peakRssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return Math.round(kb / 1024)
}

async function latency(url: string, headers: Record<string, string>, seconds: number) {
  // One connection: the server time of a page, not time spent queueing behind other requests.
  const r = await autocannon({ url, connections: 1, duration: seconds, headers })
  const l = r.latency as unknown as Record<string, number>
  return { requestsPerSecond: Math.round(r.requests.average), p50: l.p50, p99: l.p99, non2xx: r.non2xx }
}

export async function benchmarkAnalytics() {
  const responses = Number(process.env.BENCH_RESPONSES ?? 1_000_000)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hailong-analytics-'))
  const file = path.join(dir, 'analytics.sqlite')
  const sqlite = openSqlite(file)
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
  await migrateToLatest(db)
  await seedTemplates(db)
  const agencies = await createBenchProvince(db)
  sqlite.pragma('synchronous = OFF')
  // Two years, so the page's "change versus the previous period" has something to compare.
  await insertSyntheticResponses(db, sqlite, agencies, Math.floor(responses / 2), 2025, (n) => n % 500_000 === 0 && console.log(`  2025: ${n}`))
  await insertSyntheticResponses(db, sqlite, agencies, Math.ceil(responses / 2), 2026, (n) => n % 500_000 === 0 && console.log(`  2026: ${n}`))
  sqlite.pragma('synchronous = FULL')
  console.log('  rebuilding aggregates…')
  await rebuildAggregates(db)
  await db.destroy()

  const env = { DATABASE_URL: file }
  runCli(['user', 'create', '--email', 'bench@example.vn', '--role', 'analyst', '--agency', 'BENCH'], { env, input: 'benchmark-password\n' })
  const token = runCli(['token', 'create', '--agency', 'BENCH'], { env }).stdout.trim().split('\n').pop()!
  const server = await startServer({ ...env, RATE_LIMIT: 'off' })
  try {
    const login = await fetch(`${server.url}/login`, { method: 'POST', body: new URLSearchParams({ email: 'bench@example.vn', password: 'benchmark-password' }), redirect: 'manual' })
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]
    const seconds = Number(process.env.BENCH_SECONDS ?? 10)
    const page = await latency(`${server.url}/analytics?period=2026&agency=BENCH`, { cookie }, seconds)
    const api = await latency(`${server.url}/api/v1/scores?period=2026&agency=BENCH`, { authorization: `Bearer ${token}` }, seconds)
    // The export covers 2026 only: half of the stored responses (1M rows when 2M are stored).
    const started = Date.now()
    const res = await fetch(`${server.url}/analytics/responses/csv?period=2026&agency=BENCH`, { headers: { cookie } })
    let bytes = 0
    let lines = 0
    const reader = res.body!.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      bytes += value.length
      for (const b of value) if (b === 10) lines++
    }
    const exportSeconds = (Date.now() - started) / 1000
    return {
      storedResponses: responses,
      scoresPage: page,
      scoresApi: api,
      rawExport: { status: res.status, rows: lines - 1, megabytes: Math.round(bytes / 2 ** 20), seconds: exportSeconds, serverPeakRssMiB: peakRssMiB(server.pid) },
    }
  } finally {
    await server.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
