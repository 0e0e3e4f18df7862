/**
 * Raw microdata is a permission of its own (administrators, and those an administrator grants it on the
 * users page); every export, raw or scores, file or API, is audited with who, filters and rows; raw
 * exports give the day of submission, not the millisecond.
 */
import { parse } from 'csv-parse/sync'
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiToken } from '#app/.server/auth/api-token.ts'
import { action as usersAction, loader as usersLoader } from '#app/routes/admin.users.tsx'
import { loader as pageLoader } from '#app/routes/analytics._index.tsx'
import { loader as exportLoader } from '#app/routes/analytics.export.$format.ts'
import { loader as responsesLoader } from '#app/routes/analytics.responses.$format.ts'
import { loader as apiScoresLoader } from '#app/routes/api.v1.scores.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run, type SignedIn, signIn } from '#tests/helpers/remix.ts'
import { seedFixture } from '../analytics/fixture.ts'
import { agencyId } from '../analytics/support.ts'

let t: TestDatabase
let context: AppLoadContext
let admin: SignedIn
let analyst: SignedIn

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  await seedFixture(t)
  admin = await signIn(context, 'admin@example.vn', 'admin', null)
  analyst = await signIn(context, 'analyst@example.vn', 'analyst', 'DEMO-AL')
})
afterAll(async () => t?.cleanup())

const get = (path: string, cookie: string, lang = 'vi') =>
  new Request(`http://localhost${path}`, { headers: { Cookie: cookie, 'Accept-Language': lang } })
const raw = (who: SignedIn, search = '?period=2026-Q1', lang = 'vi') =>
  run(() =>
    responsesLoader({
      request: get(`/analytics/responses/csv${search}`, who.cookie, lang),
      context,
      params: { format: 'csv' },
    }),
  )
const audits = (action: string) =>
  t.db
    .selectFrom('audit_log')
    .select(['user_id', 'actor', 'details_json'])
    .where('action', '=', action)
    .orderBy('id')
    .execute()

async function setGrant(granted: boolean) {
  const body = new URLSearchParams({
    intent: 'microdata',
    userId: String(analyst.userId),
    granted: granted ? '1' : '0',
  })
  return run(() =>
    usersAction({
      request: new Request('http://localhost/admin/users', {
        method: 'POST',
        body,
        headers: {
          Cookie: admin.cookie,
          'Content-Type': 'application/x-www-form-urlencoded',
          Origin: 'http://localhost',
        },
      }),
      context,
      params: {},
    }),
  )
}

describe('raw microdata permission', () => {
  it('refuses an analyst without it: 403 with a translated message', async () => {
    const vi = await raw(analyst)
    expect(vi.status).toBe(403)
    expect(vi.body).toContain('Bạn chưa được cấp quyền tải dữ liệu thô')
    const en = await raw(analyst, '?period=2026-Q1', 'en')
    expect(en.status).toBe(403)
    expect(en.body).toContain('You have not been granted raw microdata downloads')
  })

  it('lets an administrator grant and revoke it on the users page, audited', async () => {
    const page = await run(() => usersLoader({ request: get('/admin/users', admin.cookie), context, params: {} }))
    expect((page.data as { microdata: Array<{ email: string; granted: boolean }> }).microdata).toContainEqual({
      id: analyst.userId,
      email: analyst.email,
      granted: false,
    })
    const offered = async () =>
      (
        (await run(() => pageLoader({ request: get('/analytics', analyst.cookie), context, params: {} }))).data as {
          microdata: boolean
        }
      ).microdata
    expect(await offered()).toBe(false)
    expect((await setGrant(true)).status).toBe(200)
    expect((await raw(analyst)).status).toBe(200)
    expect(await offered()).toBe(true)
    expect((await setGrant(false)).status).toBe(200)
    expect((await raw(analyst)).status).toBe(403)
    expect((await audits('user.microdata.grant')).map((a) => a.actor)).toEqual([admin.email])
    expect((await audits('user.microdata.revoke')).map((a) => a.actor)).toEqual([admin.email])
  })

  it('is not for a manager to give', async () => {
    const manager = await signIn(context, 'manager@example.vn', 'manager', 'DEMO-AL')
    const page = await run(() => usersLoader({ request: get('/admin/users', manager.cookie), context, params: {} }))
    expect((page.data as { microdata: unknown }).microdata).toBeNull()
  })
})

describe('raw exports', () => {
  it('give the day of submission in Vietnam, never the time', async () => {
    const r = await raw(admin)
    expect(r.status).toBe(200)
    const rows: string[][] = parse(r.text, { bom: true })
    expect(rows[0]![1]).toBe('submitted_at')
    const days = rows.slice(1).map((row) => row[1])
    expect(days.length).toBeGreaterThan(100)
    for (const day of days) expect(day).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    // 2025-12-31T17:30Z is 1 January 2026 in Vietnam.
    expect(days).toContain('2026-01-01')
    expect(r.text).not.toMatch(/T\d{2}:\d{2}:\d{2}/)
  })

  it('are audited with who, the filters and the rows sent', async () => {
    const r = await raw(admin, '?period=2026-Q1&agency=DEMO-AL-SNV')
    const rows = parse(r.text, { bom: true }).length - 1
    const entry = (await audits('export.responses')).at(-1)!
    expect(entry.user_id).toBe(admin.userId)
    expect(entry.actor).toBe(admin.email)
    expect(JSON.parse(entry.details_json!)).toEqual({
      format: 'csv',
      filters: 'period=2026-Q1&agency=DEMO-AL-SNV',
      rows,
      complete: true,
    })
  })
})

describe('score exports', () => {
  it.each(['csv', 'xlsx', 'json'] as const)('are audited as %s', async (format) => {
    const res = await run(() =>
      exportLoader({
        request: get(`/analytics/export/${format}?period=2026-Q1`, analyst.cookie),
        context,
        params: { format },
      }),
    )
    expect(res.status).toBe(200)
    const entry = (await audits('export.scores')).at(-1)!
    expect(entry.actor).toBe(analyst.email)
    const details = JSON.parse(entry.details_json!)
    expect(details).toMatchObject({ format, filters: 'period=2026-Q1' })
    expect(details.rows).toBeGreaterThan(0)
  })

  it('through the API are audited under the token', async () => {
    const token = await createApiToken(t.db, await agencyId(t, 'DEMO-AL'), 'test', 'test')
    const res = await run(() =>
      apiScoresLoader({
        request: new Request('http://localhost/api/v1/scores?period=2026-Q1', {
          headers: { Authorization: `Bearer ${token}` },
        }),
        context,
        params: {},
      }),
    )
    expect(res.status).toBe(200)
    const entry = (await audits('export.api.scores')).at(-1)!
    expect(entry.user_id).toBeNull()
    expect(entry.actor).toMatch(/^token:\d+$/)
    expect(JSON.parse(entry.details_json!)).toEqual({
      format: 'json',
      filters: 'period=2026-Q1',
      rows: (res.body as { rows: unknown[] }).rows.length,
    })
  })
})
