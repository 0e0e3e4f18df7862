/**
 * The raw export is made in a worker thread of its own (ADR 0062), one shared by every export. What a
 * download must still do: carry the same file as a reading in the server's thread, stop its job when the
 * client stops (audited as incomplete, with the rows sent), fail with an error, not a crash, when the
 * thread dies, and work again on the next export; the production server runs the worker from its build.
 * On SQLite and on PostgreSQL.
 */
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSqlite } from '#db/client.ts'
import type { Database } from '#db/schema.ts'
import { parseAnalyticsQuery } from '#app/.server/analytics/query.ts'
import { exportRawResponses } from '#app/.server/exports/raw-responses-csv.ts'
import { stopExportThread } from '#app/.server/exports/raw-export-thread.ts'
import { startServer } from '#scripts/support/server-process.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, signIn } from '#tests/helpers/remix.ts'
import { seed } from './support.ts'

let t: TestDatabase
let scopePath: string
let userId: number
let cookie: string

beforeAll(async () => {
  t = await createTestDatabase()
  for (let month = 1; month <= 6; month++)
    await seed(t, [{ agency: 'DEMO-AL-SNV', at: `2026-0${month}-03T03:00:00Z`, profile: 'S', count: 8 }])
  scopePath = (await t.db.selectFrom('agency').select('path').where('code', '=', 'DEMO-AL').executeTakeFirstOrThrow())
    .path
  ;({ userId, cookie } = await signIn(makeContext(t), 'thread@example.vn', 'analyst', 'DEMO-AL'))
  await t.db.updateTable('user').set({ can_export_microdata: 1 }).where('id', '=', userId).execute()
})
afterAll(async () => {
  await t?.cleanup()
})

/** The export's body, windows of `window` ids (small: many pieces), read from `reader`. */
async function exportBody(reader: Kysely<Database> = t.db, window = 5): Promise<ReadableStream<Uint8Array>> {
  const parsed = parseAnalyticsQuery(new URLSearchParams('period=2026&agency=DEMO-AL'))
  if (!parsed.ok) throw new Error(parsed.error)
  const result = await exportRawResponses(
    t.db,
    reader,
    { id: userId, email: 'thread@example.vn', filters: 'thread', scopePath },
    parsed.query,
    { window },
  )
  if (!result.ok) throw new Error(result.error)
  return result.body
}

const text = async (body: ReadableStream<Uint8Array>) =>
  new TextDecoder().decode(await new Response(body).arrayBuffer())

/** The audit entries of this file's downloads, oldest first. */
async function audits() {
  const rows = await t.db
    .selectFrom('audit_log')
    .select('details_json')
    .where('action', '=', 'export.responses')
    .orderBy('id')
    .execute()
  return rows
    .map((r) => JSON.parse(r.details_json ?? '{}') as { rows: number; complete: boolean; filters: string })
    .filter((d) => d.filters === 'thread')
}

/** A handle on the same database that `createDb` did not make: no other thread knows how to open it. */
function unsharedHandle(): Kysely<Database> {
  if (t.dialect === 'postgres')
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: t.url }) }) })
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: openSqlite(t.file, { readonly: true }) }) })
}

describe('the raw export thread', () => {
  it('makes the file a reading in the server’s own thread makes', async () => {
    const unshared = unsharedHandle()
    try {
      const inThisThread = await text(await exportBody(unshared))
      const inTheThread = await text(await exportBody())
      expect(inTheThread.split('\r\n')).toHaveLength(1 + 48 + 1)
      expect(inTheThread).toBe(inThisThread)
    } finally {
      await unshared.destroy()
    }
  })

  it('is the same file from the production server, whose thread runs the built worker', async () => {
    const server = await startServer({ DATABASE_URL: t.url })
    try {
      const res = await fetch(`${server.url}/analytics/responses/csv?period=2026&agency=DEMO-AL`, {
        headers: { Cookie: cookie },
      })
      expect(res.status).toBe(200)
      expect(await res.text()).toBe(await text(await exportBody(t.db, 2000)))
    } finally {
      await server.stop()
    }
  })

  it('stops a job the client stops, audited as incomplete with the rows sent', async () => {
    const before = (await audits()).length
    const reader = (await exportBody()).getReader()
    const header = await reader.read()
    const first = await reader.read()
    await reader.cancel()
    const sent = new TextDecoder().decode(first.value).split('\r\n').length - 1
    expect(new TextDecoder().decode(header.value)).toContain('response_id')
    expect(sent).toBeGreaterThan(0)
    const added = (await audits()).slice(before)
    expect(added).toEqual([expect.objectContaining({ rows: sent, complete: false })])
    // The thread goes on serving others.
    expect((await text(await exportBody())).split('\r\n')).toHaveLength(50)
  })

  it('fails a download with an error when the thread dies, and the next export works', async () => {
    const before = (await audits()).length
    const reader = (await exportBody(t.db, 2)).getReader()
    await reader.read()
    await stopExportThread()
    let failure: unknown
    try {
      while (!(await reader.read()).done);
    } catch (error) {
      failure = error
    }
    expect(String(failure)).toMatch(/export thread stopped/)
    // Never audited as a complete download.
    expect((await audits()).slice(before).some((a) => a.complete)).toBe(false)
    expect((await text(await exportBody())).split('\r\n')).toHaveLength(50)
  })
})
