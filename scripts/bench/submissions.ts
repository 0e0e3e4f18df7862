/**
 * Survey submissions per second through the real HTTP path (routing, validation, the response, its
 * answers and the aggregates in one transaction), at increasing concurrency, next to the floor measured
 * in the same run: plain node:http plus the same inserts. The load generator is autocannon.
 */
import { fork } from 'node:child_process'
import crypto from 'node:crypto'
import path from 'node:path'
import autocannon from 'autocannon'
import SQLite from 'better-sqlite3'
import { freePort, startServer } from '../../tests/helpers/server.ts'
import { tempDir } from '../../tests/helpers/db.ts'

export interface LoadFigures { connections: number; requestsPerSecond: number; p50: number; p95: number; p99: number; errors: number; non2xx: number }

function body(versionId: number, itemCodes: string[]): string {
  const form = new URLSearchParams({ _sid: crypto.randomUUID(), _version: String(versionId), _website: '' })
  for (const code of itemCodes) form.set(`q:${code.replaceAll('.', ':')}`, String(3 + Math.floor(Math.random() * 3)))
  return form.toString()
}

async function load(url: string, connections: number, seconds: number, versionId: number, itemCodes: string[]): Promise<LoadFigures> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    // Every request is a new citizen: a fresh submission id, so nothing is deduplicated away.
    requests: [{ setupRequest: (req) => ({ ...req, body: body(versionId, itemCodes) }) }],
  })
  const latency = result.latency as unknown as Record<string, number>
  return { connections, requestsPerSecond: Math.round(result.requests.average), p50: latency.p50, p95: latency.p95 ?? latency.p97_5, p99: latency.p99, errors: result.errors, non2xx: result.non2xx }
}

export async function benchmarkSubmissions(levels = [1, 16, 64], seconds = Number(process.env.BENCH_SECONDS ?? 10)) {
  const app = await startServer({ RATE_LIMIT: 'off' })
  const setup = new SQLite(app.databaseFile, { readonly: true })
  const link = setup.prepare('select code, questionnaire_id from survey_link where active = 1 order by id limit 1').get() as { code: string; questionnaire_id: number }
  const version = setup.prepare("select id from questionnaire_version where questionnaire_id = ? and status = 'published' order by version_number desc limit 1").get(link.questionnaire_id) as { id: number }
  const itemCodes = (setup.prepare('select code from questionnaire_item where version_id = ? and role = ?').all(version.id, 'criterion') as Array<{ code: string }>).map((r) => r.code)
  setup.close()
  const ours: LoadFigures[] = []
  try {
    for (const c of levels) ours.push(await load(`${app.url}/s/${link.code}/submit`, c, seconds, version.id, itemCodes))
  } finally {
    await app.stop()
  }

  // The floor writes into a copy of the same schema, in its own process like the app.
  const floorDir = tempDir('hailong-floor-')
  const floorFile = path.join(floorDir, 'floor.sqlite')
  const copy = new SQLite(app.databaseFile, { readonly: true })
  await copy.backup(floorFile)
  copy.close()
  const port = await freePort()
  const floor = fork(path.join(import.meta.dirname, 'floor-server.mjs'), [floorFile, String(version.id), String(port)], { stdio: 'ignore' })
  await new Promise((resolve) => floor.once('message', resolve))
  const floorFigures: LoadFigures[] = []
  try {
    for (const c of levels) floorFigures.push(await load(`http://127.0.0.1:${port}/`, c, seconds, version.id, itemCodes))
  } finally {
    floor.kill()
  }
  return levels.map((c, i) => ({
    connections: c,
    ours: ours[i],
    floor: floorFigures[i],
    ratioToFloor: Math.round((ours[i].requestsPerSecond / Math.max(1, floorFigures[i].requestsPerSecond)) * 100) / 100,
  }))
}
