/**
 * Successions end to end through the real routes (docs/mergers.md): recorded, corrected and deleted on an
 * agency's page with translated 400s and nothing half-stored, imported from CSV/XLSX all-or-nothing with
 * numbered rows, audited; and the analyst of a merged province reads the predecessors' history (ADR 0046)
 * and still nothing unrelated. The units are this file's own (H3-*), so the demo data can change freely.
 */
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertAgency } from '#app/.server/repos/agencies.ts'
import {
  action as successionsAction,
  loader as successionsLoader,
} from '#app/routes/admin.agencies_.$code.successions.tsx'
import { action as importAction, loader as overviewLoader } from '#app/routes/admin.agencies_.successions.tsx'
import { loader as agencyPageLoader } from '#app/routes/analytics.agency.$code.tsx'
import { loader as scoresPageLoader } from '#app/routes/analytics._index.tsx'
import { loader as apiScoresLoader } from '#app/routes/api.v1.scores.ts'
import { createApiToken } from '#app/.server/auth/api-token.ts'
import { createTestDatabase, rowCount, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run, type SignedIn, signIn } from '#tests/helpers/remix.ts'
import { seed } from '../analytics/support.ts'
import { args, auditActions, csvFile, get, lastAuditId, post, xlsxFile } from './support.ts'

let t: TestDatabase
let context: AppLoadContext
let admin: SignedIn
let analyst: SignedIn

// The old province's district ended with the district level (30/06/2025) and has no succession of its own.
const UNITS: Array<[code: string, level: 'province' | 'district' | 'commune', parent: string | null, from: string]> = [
  ['H3-OLD', 'province', null, '2015-01-01'],
  ['H3-OLD-D', 'district', 'H3-OLD', '2015-01-01'],
  ['H3-NEW', 'province', null, '2015-01-01'],
  ['H3-NEW-X', 'commune', 'H3-NEW', '2025-07-01'],
  ['H3-OTHER', 'province', null, '2015-01-01'],
  ['H3-A', 'commune', 'H3-NEW', '2015-01-01'],
  ['H3-B', 'commune', 'H3-NEW', '2015-01-01'],
  ['H3-C', 'commune', 'H3-NEW', '2015-01-01'],
]

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  const now = new Date().toISOString()
  const ids = new Map<string, number>()
  for (const [code, level, parent, from] of UNITS)
    ids.set(
      code,
      await insertAgency(
        t.db,
        {
          code,
          nameVi: `Đơn vị ${code}`,
          nameEn: `Unit ${code}`,
          level,
          parentId: parent ? ids.get(parent)! : null,
          validFrom: from,
          validTo: code === 'H3-OLD-D' ? '2025-06-30' : null,
        },
        now,
      ),
    )
  admin = await signIn(context, 'admin@succ.vn', 'admin', null)
  analyst = await signIn(context, 'analyst-new@succ.vn', 'analyst', 'H3-NEW')
  // 2024: the old province's district 24 of 30 satisfied, the unrelated province 10 of 10.
  await seed(t, [
    { agency: 'H3-OLD-D', at: '2024-05-10T03:00:00Z', profile: 'S', count: 24 },
    { agency: 'H3-OLD-D', at: '2024-05-11T03:00:00Z', profile: 'U', count: 6 },
    { agency: 'H3-OTHER', at: '2024-05-10T03:00:00Z', profile: 'S', count: 30 },
  ])
})
afterAll(async () => {
  await t?.cleanup()
})

const agency = (code: string) =>
  t.db.selectFrom('agency').selectAll().where('code', '=', code).executeTakeFirstOrThrow()
const page = (code: string, fields: Record<string, string>, cookie = admin.cookie) =>
  run(() => successionsAction(args(context, post(`/admin/agencies/${code}/successions`, fields, cookie), { code })))
const record = (code: string, relation: string, other: string, effectiveDate = '2025-07-01') =>
  page(code, { intent: 'add', relation, other, effectiveDate })
const successions = () => rowCount(t.db, 'agency_succession')
const idOfSuccession = async (predecessor: string, successor: string) =>
  (
    await t.db
      .selectFrom('agency_succession')
      .select('id')
      .where('predecessor_id', '=', (await agency(predecessor)).id)
      .where('successor_id', '=', (await agency(successor)).id)
      .executeTakeFirstOrThrow()
  ).id

describe('recording on the agency page', () => {
  it('"sáp nhập vào": stored, the predecessor ends the day before and its links stop, audited', async () => {
    const since = await lastAuditId(t)
    const before = await successions()
    const outcome = await record('H3-OLD', 'merged_into', 'H3-NEW')
    expect(outcome.status).toBe(200)
    expect(outcome.body).toEqual({ ok: true, message: 'Đã ghi nhận.' })
    expect(await successions()).toBe(before + 1)
    expect(await agency('H3-OLD')).toMatchObject({ valid_to: '2025-06-30', active: 0 })
    expect(await auditActions(t, since)).toEqual(['succession.add'])
    const loaded = await run(() =>
      successionsLoader(args(context, get('/admin/agencies/H3-NEW/successions', admin.cookie), { code: 'H3-NEW' })),
    )
    expect(loaded.status).toBe(200)
    expect(
      (loaded.body as { successions: Array<{ kind: string; predecessor: { code: string } }> }).successions,
    ).toEqual([
      expect.objectContaining({ kind: 'merged_into', predecessor: expect.objectContaining({ code: 'H3-OLD' }) }),
    ])
  })

  it('"chia tách từ" runs from the other unit to this one; a split does not end the older unit', async () => {
    expect((await record('H3-NEW-X', 'split_from', 'H3-A')).status).toBe(200)
    const row = await t.db
      .selectFrom('agency_succession')
      .selectAll()
      .where('id', '=', await idOfSuccession('H3-A', 'H3-NEW-X'))
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({ kind: 'split_from', effective_date: '2025-07-01' })
    expect(await agency('H3-A')).toMatchObject({ valid_to: null, active: 1 })
  })

  it.each([
    ['itself', () => record('H3-B', 'renamed', 'H3-B'), 'Một đơn vị không thể kế thừa chính nó.'],
    ['no date', () => record('H3-B', 'renamed', 'H3-C', ''), 'Cần ngày hiệu lực.'],
    ['a date that does not exist', () => record('H3-B', 'renamed', 'H3-C', '2025-02-30'), 'Ngày hiệu lực không hợp lệ'],
    ['a cycle', () => record('H3-NEW', 'merged_into', 'H3-OLD'), 'vòng lặp'],
    ['a pair already recorded', () => record('H3-OLD', 'renamed', 'H3-NEW'), 'đã có ghi nhận'],
    ['an unknown unit', () => record('H3-B', 'renamed', 'NO-SUCH'), 'Không có đơn vị mã NO-SUCH.'],
    ['an unknown kind', () => record('H3-B', 'absorbed', 'H3-C'), 'Hình thức phải là'],
  ])('refuses %s with a translated 400 and stores nothing', async (_, act, message) => {
    const before = await successions()
    const since = await lastAuditId(t)
    const outcome = await act()
    expect(outcome.status).toBe(400)
    expect((outcome.body as { errors: string[] }).errors.join(' ')).toContain(message)
    expect(await successions()).toBe(before)
    expect(await auditActions(t, since)).toEqual([])
    expect(await agency('H3-B')).toMatchObject({ valid_to: null })
  })

  it('speaks English to an English admin', async () => {
    const outcome = await run(() =>
      successionsAction(
        args(
          context,
          post(
            '/admin/agencies/H3-B/successions',
            { intent: 'add', relation: 'renamed', other: 'H3-B', effectiveDate: '2025-07-01' },
            admin.cookie,
            { 'Accept-Language': 'en' },
          ),
          { code: 'H3-B' },
        ),
      ),
    )
    expect(outcome.status).toBe(400)
    expect((outcome.body as { errors: string[] }).errors).toEqual(['A unit cannot succeed itself.'])
  })

  it('edit: kind and date change, audited; a bad date is a translated 400', async () => {
    const id = await idOfSuccession('H3-A', 'H3-NEW-X')
    const since = await lastAuditId(t)
    const ok = await page('H3-NEW-X', {
      intent: 'update',
      id: String(id),
      kind: 'split_from',
      effectiveDate: '2025-08-01',
    })
    expect(ok.status).toBe(200)
    const bad = await page('H3-NEW-X', { intent: 'update', id: String(id), kind: 'split_from', effectiveDate: '' })
    expect(bad.status).toBe(400)
    expect((bad.body as { errors: string[] }).errors).toEqual(['Cần ngày hiệu lực.'])
    const missing = await page('H3-NEW-X', {
      intent: 'update',
      id: '999999',
      kind: 'renamed',
      effectiveDate: '2025-08-01',
    })
    expect(missing.status).toBe(404)
    const row = await t.db.selectFrom('agency_succession').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(row.effective_date).toBe('2025-08-01')
    expect(await auditActions(t, since)).toEqual(['succession.update'])
  })

  it('delete: gone, audited; the page asks first (a confirm before the form posts)', async () => {
    const id = await idOfSuccession('H3-A', 'H3-NEW-X')
    const since = await lastAuditId(t)
    const outcome = await page('H3-NEW-X', { intent: 'delete', id: String(id) })
    expect(outcome.status).toBe(200)
    expect(await t.db.selectFrom('agency_succession').select('id').where('id', '=', id).executeTakeFirst()).toBe(
      undefined,
    )
    expect(await auditActions(t, since)).toEqual(['succession.delete'])
    expect((await page('H3-NEW-X', { intent: 'delete', id: String(id) })).status).toBe(404)
  })

  it('is for administrators only', async () => {
    const outcome = await record('H3-B', 'renamed', 'H3-C').then(() =>
      run(() =>
        successionsAction(
          args(
            context,
            post(
              '/admin/agencies/H3-B/successions',
              { intent: 'add', relation: 'renamed', other: 'H3-C' },
              analyst.cookie,
            ),
            { code: 'H3-B' },
          ),
        ),
      ),
    )
    expect(outcome.status).toBe(403)
  })
})

describe('import', () => {
  const HEADER = ['predecessor_code', 'successor_code', 'kind', 'effective_date']
  const upload = (intent: 'preview' | 'apply', file: File) =>
    run(() => importAction(args(context, post('/admin/agencies/successions', { intent, file }, admin.cookie))))

  it('a file with any bad row stores nothing and names each row', async () => {
    const before = await successions()
    const outcome = await upload(
      'apply',
      csvFile('s.csv', [
        HEADER,
        ['H3-C', 'H3-NEW-X', 'merged_into', '2025-07-01'],
        ['H3-C', 'H3-C', 'renamed', '2025-07-01'],
        ['H3-OTHER', 'NOPE', 'merged_into', ''],
      ]),
    )
    expect(outcome.status).toBe(422)
    expect(outcome.body).toMatchObject({
      status: 'errors',
      errors: [
        { row: 3, messages: [{ key: 'successions.errors.self' }] },
        { row: 4, messages: [{ key: 'successions.errors.dateRequired', values: { column: 'effective_date' } }] },
      ],
    })
    expect(await successions()).toBe(before)
    expect(await agency('H3-C')).toMatchObject({ valid_to: null })
  })

  it('two rows of one file that loop are refused together', async () => {
    const outcome = await upload(
      'preview',
      csvFile('s.csv', [
        HEADER,
        ['H3-C', 'H3-OTHER', 'renamed', '2025-07-01'],
        ['H3-OTHER', 'H3-C', 'renamed', '2025-07-01'],
      ]),
    )
    expect(outcome.body).toMatchObject({
      status: 'errors',
      errors: [{ row: 3, messages: [{ key: 'successions.errors.cycle' }] }],
    })
  })

  it('XLSX: checked, then applied all at once with one audit entry; the merged units end', async () => {
    const file = await xlsxFile('s.xlsx', [HEADER, ['H3-C', 'H3-NEW-X', 'merged_into', '2025-07-01']])
    const preview = await upload('preview', file)
    expect(preview.body).toEqual({ status: 'ready', count: 1, errors: [] })
    const since = await lastAuditId(t)
    const applied = await upload('apply', file)
    expect(applied.body).toMatchObject({ status: 'applied', count: 1 })
    expect(await agency('H3-C')).toMatchObject({ valid_to: '2025-06-30', active: 0 })
    expect(await auditActions(t, since)).toEqual(['succession.import'])
    const overview = await run(() => overviewLoader(args(context, get('/admin/agencies/successions', admin.cookie))))
    expect((overview.body as { successions: unknown[] }).successions.length).toBeGreaterThanOrEqual(2)
  })
})

describe('the merged province’s analyst', () => {
  const scoresPage = (search: string, cookie = analyst.cookie) =>
    run(() => scoresPageLoader(args(context, get(`/analytics${search}`, cookie))))
  type Rows = { scores: { rows: Array<{ agency: { code: string }; overall: { n: number; estimate: number | null } }> } }

  it('sees the predecessors’ 2024 scores next to their own units of the time', async () => {
    const own = await scoresPage('?period=2024&boundaries=historical')
    expect(own.status).toBe(200)
    const rows = (own.body as Rows).scores.rows
    const old = rows.find((r) => r.agency.code === 'H3-OLD-D')!
    expect(old.overall).toMatchObject({ n: 30, estimate: 0.8 })
    expect(rows.map((r) => r.agency.code)).toContain('H3-NEW')
    expect(rows.map((r) => r.agency.code)).not.toContain('H3-OTHER')
  })

  it('opens the predecessor itself for 2024 (table and agency page), not for periods after the merger', async () => {
    const table = await scoresPage('?period=2024&boundaries=historical&agency=H3-OLD')
    expect(table.status).toBe(200)
    expect((table.body as Rows).scores.rows.find((r) => r.agency.code === 'H3-OLD')!.overall.n).toBe(30)
    const detail = await run(() =>
      agencyPageLoader(
        args(context, get('/analytics/agency/H3-OLD?period=2024&boundaries=historical', analyst.cookie), {
          code: 'H3-OLD',
        }),
      ),
    )
    expect(detail.status).toBe(200)
    expect((detail.body as { row: { overall: { n: number } } }).row.overall.n).toBe(30)
    expect((await scoresPage('?period=2026&boundaries=historical&agency=H3-OLD')).status).toBe(403)
  })

  it('today’s boundaries count the predecessors’ 2024 responses for the province (the district follows its province)', async () => {
    const rows = (await scoresPage('?period=2024')).body as Rows
    expect(rows.scores.rows.find((r) => r.agency.code === 'H3-NEW')!.overall.n).toBe(30)
  })

  it('still cannot see an unrelated province, on the page or through the API', async () => {
    expect((await scoresPage('?period=2024&boundaries=historical&agency=H3-OTHER')).status).toBe(403)
    const token = await createApiToken(t.db, (await agency('H3-NEW')).id, 'BI', 'test')
    const api = (search: string) =>
      run(() =>
        apiScoresLoader({
          request: new Request(`http://localhost/api/v1/scores${search}`, {
            headers: { Authorization: `Bearer ${token}` },
          }),
          context,
          params: {},
        }),
      )
    const old = await api('?period=2024&boundaries=historical&agency=H3-OLD')
    expect(old.status).toBe(200)
    expect(JSON.stringify(old.body)).toContain('H3-OLD-D')
    expect((await api('?period=2024&boundaries=historical&agency=H3-OTHER')).status).toBe(403)
  })
})
