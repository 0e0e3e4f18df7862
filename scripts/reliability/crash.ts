/**
 * The crash test: citizens keep submitting while the server is killed with SIGKILL and restarted,
 * several times. Afterwards every submission that got a success answer must be in the database, none
 * twice, the aggregates must equal a rebuild from raw responses, and PRAGMA integrity_check must pass.
 * Unanswered submissions are retried with the same submission id, as the survey page does.
 */
import crypto from 'node:crypto'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { type RunningServer, startServer } from '../support/server-process.ts'
import { tempDir } from '../support/temp-dir.ts'

export interface CrashOptions {
  kills: number
  concurrency: number
  runMs: number
}
export interface CrashReport {
  kills: number
  acknowledged: number
  retriedAfterCrash: number
  stored: number
  storedTwice: number
  missingAcknowledged: number
  integrity: string
  aggregatesMatchRebuild: boolean
}

function submissionBody(sid: string, versionId: number, itemCodes: string[]): URLSearchParams {
  const body = new URLSearchParams({ _sid: sid, _version: String(versionId), _website: '' })
  for (const code of itemCodes) body.set(`q:${code.replaceAll('.', ':')}`, String(1 + (sid.charCodeAt(0) % 5)))
  return body
}

async function post(server: RunningServer, linkCode: string, body: URLSearchParams): Promise<'ok' | 'failed'> {
  try {
    const res = await fetch(`${server.url}/s/${linkCode}/submit`, {
      method: 'POST',
      body,
      signal: AbortSignal.timeout(5000),
    })
    if (!res.ok) return 'failed'
    const json = (await res.json()) as { ok: boolean }
    return json.ok ? 'ok' : 'failed'
  } catch {
    return 'failed'
  }
}

export async function runCrashTest(options: CrashOptions): Promise<CrashReport> {
  const dir = tempDir('hailong-crash-')
  const databaseFile = path.join(dir, 'crash.sqlite')
  const env = { DATABASE_URL: databaseFile, RATE_LIMIT: 'off', HAILONG_SECRET: 'c'.repeat(40) }
  let server = await startServer(env, { dir })
  const setup = new SQLite(databaseFile, { readonly: true })
  const link = setup
    .prepare('select l.code, l.questionnaire_id from survey_link l where l.active = 1 order by l.id limit 1')
    .get() as { code: string; questionnaire_id: number }
  const version = setup
    .prepare(
      "select id from questionnaire_version where questionnaire_id = ? and status = 'published' order by version_number desc limit 1",
    )
    .get(link.questionnaire_id) as { id: number }
  const itemCodes = (
    setup
      .prepare('select code from questionnaire_item where version_id = ? and required = 1')
      .all(version.id) as Array<{ code: string }>
  ).map((r) => r.code)
  setup.close()

  const acknowledged = new Set<string>()
  const unanswered = new Set<string>()
  let alive = true
  const client = async () => {
    while (alive) {
      const sid = crypto.randomUUID()
      const result = await post(server, link.code, submissionBody(sid, version.id, itemCodes))
      if (result === 'ok') acknowledged.add(sid)
      else unanswered.add(sid)
    }
  }

  for (let round = 0; round <= options.kills; round++) {
    alive = true
    const clients = Array.from({ length: options.concurrency }, client)
    await new Promise((r) => setTimeout(r, options.runMs))
    if (round < options.kills) {
      await server.stop('SIGKILL')
      alive = false
      await Promise.all(clients)
      server = await startServer(env, { dir })
    } else {
      alive = false
      await Promise.all(clients)
    }
  }
  // The page retries what got no answer, with the same id: it is stored at most once.
  let retried = 0
  for (const sid of unanswered) {
    if ((await post(server, link.code, submissionBody(sid, version.id, itemCodes))) === 'ok') {
      acknowledged.add(sid)
      retried++
    }
  }
  await server.stop('SIGTERM')

  const db = new SQLite(databaseFile)
  const stored = db.prepare('select client_submission_id as sid from response').all() as Array<{ sid: string }>
  const storedSet = new Set(stored.map((r) => r.sid))
  const integrity = db.pragma('integrity_check', { simple: true }) as string
  const aggregates = () =>
    JSON.stringify(
      db
        .prepare(
          'select agency_id, period_month, item_id, answer_value, stratum, entry_channel, n, sum_w_micro from item_aggregate order by 1, 2, 3, 4, 5, 6',
        )
        .all(),
    )
  const before = aggregates()
  db.close()
  const { createDb } = await import('#db/client.ts')
  const { rebuildAggregates } = await import('#app/.server/services/rebuild-aggregates.ts')
  const kysely = createDb({ dialect: 'sqlite', file: databaseFile })
  await rebuildAggregates(kysely)
  await kysely.destroy()
  const after = new SQLite(databaseFile, { readonly: true })
  const rebuilt = JSON.stringify(
    after
      .prepare(
        'select agency_id, period_month, item_id, answer_value, stratum, entry_channel, n, sum_w_micro from item_aggregate order by 1, 2, 3, 4, 5, 6',
      )
      .all(),
  )
  after.close()
  return {
    kills: options.kills,
    acknowledged: acknowledged.size,
    retriedAfterCrash: retried,
    stored: stored.length,
    storedTwice: stored.length - storedSet.size,
    missingAcknowledged: [...acknowledged].filter((sid) => !storedSet.has(sid)).length,
    integrity,
    aggregatesMatchRebuild: before === rebuilt,
  }
}
