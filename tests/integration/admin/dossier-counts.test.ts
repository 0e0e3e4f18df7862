/**
 * Dossier counts per agency and month (issue #17 point 5), through the real routes: entered on
 * /admin/dossiers, imported from CSV and XLSX, and pushed with PUT /api/v1/dossier-counts. Bad input is
 * refused with translated keys or messages, line by line, and nothing is stored half-way; managers and
 * tokens write only inside their subtree; every write is audited; a push repeated stores once.
 */
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiToken } from '#app/.server/auth/api-token.ts'
import DossiersPage, { action as dossiersAction, loader as dossiersLoader } from '#app/routes/admin.dossiers.tsx'
import { action as pushAction, loader as pushLoader } from '#app/routes/api.v1.dossier-counts.ts'
import { loader as openApiLoader } from '#app/routes/api.v1.openapi[.]json.ts'
import { createTestDatabase, rowCount, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run, type SignedIn, signIn } from '#tests/helpers/remix.ts'
import { renderPage } from '#tests/helpers/render-page.ts'
import { args, auditActions, csvFile, get, idOf, lastAuditId, post, xlsxFile } from './support.ts'

let t: TestDatabase
let context: AppLoadContext
let admin: SignedIn
let managerSNV: SignedIn
let analyst: SignedIn
let tokenSNV: string

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  admin = await signIn(context, 'admin@dossiers.vn', 'admin', null)
  managerSNV = await signIn(context, 'manager@snv.dossiers.vn', 'manager', 'DEMO-AL-SNV')
  analyst = await signIn(context, 'analyst@dossiers.vn', 'analyst', 'DEMO-AL')
  tokenSNV = await createApiToken(t.db, await idOf(t, 'agency', 'DEMO-AL-SNV'), 'one-stop shop', 'test')
})
afterAll(async () => {
  await t?.cleanup()
})

const send = (who: SignedIn, fields: Record<string, string | File>) =>
  run(() => dossiersAction(args(context, post('/admin/dossiers', fields, who.cookie))))
const push = (body: unknown, token: string | null = tokenSNV, method = 'PUT') =>
  run(() =>
    pushAction(
      args(
        context,
        new Request('http://localhost/api/v1/dossier-counts', {
          method,
          headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      ),
    ),
  )

async function stored(code: string, month: string) {
  return t.db
    .selectFrom('dossier_count as d')
    .innerJoin('agency as a', 'a.id', 'd.agency_id')
    .select(['d.received', 'd.settled', 'd.settled_late', 'd.complained', 'd.rated_dissatisfied', 'd.source'])
    .where('a.code', '=', code)
    .where('d.month', '=', month)
    .executeTakeFirst()
}

const ENTRY = {
  intent: 'set',
  agencyCode: 'DEMO-AL-STP',
  month: 'T9/2026',
  received: '130',
  settled: '120',
  settledLate: '3',
  complained: '1',
  ratedDissatisfied: '',
}

describe('the table', () => {
  it('refuses a month that is not canonical, negative counts, more late than settled, a repeated key', async () => {
    const agencyId = await idOf(t, 'agency', 'DEMO-AL-SXD')
    const row = {
      agency_id: agencyId,
      month: '2026-08',
      received: 1,
      settled: 1,
      settled_late: 0,
      complained: 0,
      rated_dissatisfied: null,
      source: 'form' as const,
      updated_by: 'test',
      updated_at: new Date().toISOString(),
    }
    await expect(
      t.db
        .insertInto('dossier_count')
        .values({ ...row, month: '2026-8' })
        .execute(),
    ).rejects.toThrow()
    await expect(
      t.db
        .insertInto('dossier_count')
        .values({ ...row, month: '2026-13' })
        .execute(),
    ).rejects.toThrow()
    await expect(
      t.db
        .insertInto('dossier_count')
        .values({ ...row, received: -1 })
        .execute(),
    ).rejects.toThrow()
    await expect(
      t.db
        .insertInto('dossier_count')
        .values({ ...row, settled_late: 2 })
        .execute(),
    ).rejects.toThrow()
    await t.db.insertInto('dossier_count').values(row).execute()
    await expect(t.db.insertInto('dossier_count').values(row).execute()).rejects.toThrow()
    await t.db.deleteFrom('dossier_count').where('agency_id', '=', agencyId).execute()
  })
})

describe('/admin/dossiers', () => {
  it('is for administrators and managers, not analysts', async () => {
    const page = await run(() => dossiersLoader(args(context, get('/admin/dossiers', admin.cookie))))
    expect(page.status).toBe(200)
    const denied = await run(() => dossiersLoader(args(context, get('/admin/dossiers', analyst.cookie))))
    expect(denied.status).toBe(403)
  })

  it('stores one month from the form, audited, and entering it again replaces it', async () => {
    const since = await lastAuditId(t)
    const r = await send(admin, ENTRY)
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ status: 'applied', count: 1 })
    expect(await stored('DEMO-AL-STP', '2026-09')).toEqual({
      received: 130,
      settled: 120,
      settled_late: 3,
      complained: 1,
      rated_dissatisfied: null,
      source: 'form',
    })
    await send(admin, { ...ENTRY, month: '2026-09', settled: '125', ratedDissatisfied: '2' })
    expect(await stored('DEMO-AL-STP', '2026-09')).toMatchObject({ settled: 125, rated_dissatisfied: 2 })
    expect(await auditActions(t, since)).toEqual(['dossier_count.set', 'dossier_count.set'])
    const page = (await run(() => dossiersLoader(args(context, get('/admin/dossiers', admin.cookie))))).body as {
      counts: Array<{ code: string; month: string; settled: number }>
    }
    expect(page.counts.filter((c) => c.code === 'DEMO-AL-STP')).toEqual([
      expect.objectContaining({ month: '2026-09', settled: 125 }),
    ])
  })

  it('answers bad input with 400 and translated keys, storing nothing', async () => {
    const before = await rowCount(t.db, 'dossier_count')
    const since = await lastAuditId(t)
    const cases: Array<[Record<string, string>, string]> = [
      [{ month: '2026-13' }, 'dossiers.errors.month'],
      [{ month: 'Q3/2026' }, 'dossiers.errors.month'],
      [{ settled: '-4' }, 'dossiers.errors.count'],
      [{ settled: '1.200' }, 'dossiers.errors.count'],
      [{ received: '' }, 'dossiers.errors.count'],
      [{ settled: '9999999999' }, 'dossiers.errors.count'],
      [{ settled: '20000000' }, 'dossiers.errors.tooLarge'],
      [{ settled: '2', settledLate: '3' }, 'dossiers.errors.lateAboveSettled'],
      [{ settled: '2', ratedDissatisfied: '3' }, 'dossiers.errors.ratedAboveSettled'],
      [{ agencyCode: 'NO-SUCH' }, 'dossiers.errors.unknownAgency'],
      [{ agencyCode: '' }, 'dossiers.errors.agency'],
    ]
    for (const [change, key] of cases) {
      const r = await send(admin, { ...ENTRY, month: '2026-07', ...change })
      expect(r.status, key).toBe(400)
      const body = r.body as { status: string; errors: Array<{ row: number; messages: Array<{ key: string }> }> }
      expect(body.status).toBe('errors')
      expect(body.errors[0]!.messages.map((m) => m.key)).toContain(key)
    }
    expect(await rowCount(t.db, 'dossier_count')).toBe(before)
    expect(await auditActions(t, since)).toEqual([])
  })

  it('renders the form, the file columns and the stored months in Vietnamese and in English', async () => {
    const data = (await run(() => dossiersLoader(args(context, get('/admin/dossiers', admin.cookie))))).data
    const vi = await renderPage({ page: DossiersPage, path: '/admin/dossiers', data, lng: 'vi', namespace: 'admin' })
    expect(vi).toContain('Số hồ sơ')
    expect(vi).toContain('Giải quyết quá hạn')
    // Each file column as a code, with its meaning in words.
    for (const column of ['agency_code', 'month', 'received', 'settled', 'settled_late', 'complained'])
      expect(vi).toContain(`<code>${column}</code>`)
    expect(vi).toContain('<code>rated_dissatisfied</code>: số hồ sơ bị đánh giá không hài lòng')
    expect(vi).toContain('2026-09')
    const en = await renderPage({ page: DossiersPage, path: '/admin/dossiers', data, lng: 'en', namespace: 'admin' })
    expect(en).toContain('Settled late')
    expect(en).toContain('Rated dissatisfied')
  })

  it('lets a manager write inside their subtree only', async () => {
    const out = await send(managerSNV, { ...ENTRY, agencyCode: 'DEMO-AL-STP', month: '2026-06' })
    expect(out.status).toBe(403)
    expect(JSON.stringify(out.body)).toContain('dossiers.errors.outOfScope')
    expect(await stored('DEMO-AL-STP', '2026-06')).toBeUndefined()
    const own = await send(managerSNV, { ...ENTRY, agencyCode: 'DEMO-AL-SNV', month: '2026-06' })
    expect(own.status).toBe(200)
    const page = (await run(() => dossiersLoader(args(context, get('/admin/dossiers', managerSNV.cookie))))).body as {
      agencies: Array<{ code: string }>
      counts: Array<{ code: string }>
    }
    expect(new Set(page.counts.map((c) => c.code))).toEqual(new Set(['DEMO-AL-SNV']))
    expect(page.agencies.map((a) => a.code)).not.toContain('DEMO-AL-STP')
  })
})

const HEADER = ['agency_code', 'month', 'received', 'settled', 'settled_late', 'complained', 'rated_dissatisfied']

describe('importing a file', () => {
  it('checks, then stores a CSV file whole, audited once', async () => {
    const file = () =>
      csvFile('dossiers.csv', [
        HEADER,
        ['DEMO-AL-SXD', '2026-07', '40', '38', '1', '0', ''],
        ['DEMO-AL-SXD', '08/2026', '41', '39', '0', '2', '1'],
        ['DEMO-AL-X-BINHMINH', '2026-07', '300', '290', '4', '1', '3'],
      ])
    const check = await send(admin, { intent: 'preview', file: file() })
    expect(check.body).toMatchObject({ status: 'ready', count: 3 })
    expect(await stored('DEMO-AL-SXD', '2026-07')).toBeUndefined()
    const since = await lastAuditId(t)
    const apply = await send(admin, { intent: 'apply', file: file() })
    expect(apply.body).toMatchObject({ status: 'applied', count: 3 })
    expect(await stored('DEMO-AL-SXD', '2026-08')).toMatchObject({
      settled: 39,
      rated_dissatisfied: 1,
      source: 'import',
    })
    expect(await stored('DEMO-AL-X-BINHMINH', '2026-07')).toMatchObject({ settled: 290, settled_late: 4 })
    expect(await auditActions(t, since)).toEqual(['dossier_count.import'])
  })

  it('stores an XLSX file, numbers as numbers', async () => {
    const file = await xlsxFile('dossiers.xlsx', [HEADER, ['DEMO-AL-SNNMT', '2026-07', 12, 10, 1, 0, 2]])
    const r = await send(admin, { intent: 'apply', file })
    expect(r.body).toMatchObject({ status: 'applied', count: 1 })
    expect(await stored('DEMO-AL-SNNMT', '2026-07')).toMatchObject({ received: 12, settled: 10, rated_dissatisfied: 2 })
  })

  it('refuses the whole file with numbered rows when one row is wrong', async () => {
    const before = await rowCount(t.db, 'dossier_count')
    const r = await send(admin, {
      intent: 'apply',
      file: csvFile('bad.csv', [
        HEADER,
        ['DEMO-AL-SXD', '2026-05', '40', '38', '1', '0', ''],
        ['DEMO-AL-SXD', '2026-05', '40', '38', '1', '0', ''],
        ['DEMO-AL-SXD', '2026-04', '40', 'x', '1', '0', ''],
        ['NOPE', '2026-04', '1', '1', '0', '0', ''],
      ]),
    })
    expect(r.status).toBe(422)
    expect(r.body).toMatchObject({
      status: 'errors',
      errors: [
        { row: 3, messages: [{ key: 'dossiers.errors.repeated', values: { month: '2026-05' } }] },
        { row: 4, messages: [{ key: 'dossiers.errors.count', values: { column: 'settled' } }] },
        { row: 5, messages: [{ key: 'dossiers.errors.unknownAgency', values: { code: 'NOPE' } }] },
      ],
    })
    expect(await rowCount(t.db, 'dossier_count')).toBe(before)
  })

  it('names a missing column, and refuses an unreadable file', async () => {
    const missing = await send(admin, {
      intent: 'preview',
      file: csvFile('m.csv', [
        ['agency_code', 'month', 'received'],
        ['DEMO-AL-SXD', '2026-05', '4'],
      ]),
    })
    expect(missing.status).toBe(422)
    expect(JSON.stringify(missing.body)).toContain('"column":"settled"')
    const empty = await send(admin, { intent: 'apply', file: new File([], 'empty.csv') })
    expect(empty.status).toBe(400)
  })

  it('refuses rows of a manager outside their subtree, storing none of the file', async () => {
    const before = await rowCount(t.db, 'dossier_count')
    const r = await send(managerSNV, {
      intent: 'apply',
      file: csvFile('m.csv', [
        HEADER,
        ['DEMO-AL-SNV', '2026-05', '4', '4', '0', '0', ''],
        ['DEMO-AL-STP', '2026-05', '4', '4', '0', '0', ''],
      ]),
    })
    expect(r.status).toBe(422)
    expect(r.body).toMatchObject({ errors: [{ row: 3, messages: [{ key: 'dossiers.errors.outOfScope' }] }] })
    expect(await rowCount(t.db, 'dossier_count')).toBe(before)
  })
})

describe('PUT /api/v1/dossier-counts', () => {
  const counts = [
    {
      agencyCode: 'DEMO-AL-SNV',
      month: '2026-09',
      received: 210,
      settled: 200,
      settledLate: 5,
      complained: 2,
      ratedDissatisfied: 4,
    },
    { agencyCode: 'DEMO-AL-SNV', month: '2026-08', received: 190, settled: 180, settledLate: 0, complained: 0 },
  ]

  it('needs a token and PUT', async () => {
    expect((await push({ counts }, null)).status).toBe(401)
    expect((await push({ counts }, 'hl_not-a-real-token-at-all')).status).toBe(401)
    expect((await push({ counts }, tokenSNV, 'POST')).status).toBe(405)
    expect((await run(() => pushLoader())).status).toBe(405)
  })

  it('upserts, and the same push again stores the same rows once', async () => {
    const since = await lastAuditId(t)
    const first = await push({ counts })
    expect(first.status).toBe(200)
    expect(first.body).toEqual({ created: 2, updated: 0 })
    const rows = await rowCount(t.db, 'dossier_count')
    const again = await push({ counts })
    expect(again.body).toEqual({ created: 0, updated: 2 })
    expect(await rowCount(t.db, 'dossier_count')).toBe(rows)
    expect(await stored('DEMO-AL-SNV', '2026-09')).toMatchObject({ settled: 200, rated_dissatisfied: 4, source: 'api' })
    expect(await stored('DEMO-AL-SNV', '2026-08')).toMatchObject({ settled: 180, rated_dissatisfied: null })
    expect(await auditActions(t, since)).toEqual(['dossier_count.push', 'dossier_count.push'])
  })

  it('refuses the whole push when one entry is wrong, naming it by position, translated', async () => {
    const before = await rowCount(t.db, 'dossier_count')
    const r = await push({
      counts: [
        { ...counts[0], month: '2026-10' },
        { ...counts[0], month: '2026-11', settledLate: 500 },
        { ...counts[0], agencyCode: 'DEMO-AL-STP', month: '2026-10' },
      ],
    })
    expect(r.status).toBe(400)
    expect(r.body).toMatchObject({
      error: 'invalid_body',
      errors: [
        { index: 1, field: 'settledLate', code: 'lateAboveSettled', message: expect.stringMatching(/quá hạn/) },
        { index: 2, field: null, code: 'outOfScope', message: expect.stringContaining('DEMO-AL-STP') },
      ],
    })
    expect(await rowCount(t.db, 'dossier_count')).toBe(before)
    expect(await stored('DEMO-AL-SNV', '2026-10')).toBeUndefined()
  })

  it('403 when every refused entry is an agency outside the token subtree', async () => {
    const r = await push({ counts: [{ ...counts[0], agencyCode: 'DEMO-AL-STP', month: '2026-10' }] })
    expect(r.status).toBe(403)
    expect(r.body).toMatchObject({ errors: [{ index: 0, code: 'outOfScope' }] })
    expect(await stored('DEMO-AL-STP', '2026-10')).toBeUndefined()
  })

  it('answers malformed bodies with 400', async () => {
    for (const body of ['{not json', { counts: [] }, { counts: 'x' }, { other: 1 }]) {
      const r = await push(body)
      expect(r.status).toBe(400)
      expect(r.body).toMatchObject({ error: expect.stringMatching(/^invalid_/) })
    }
  })
})

describe('GET /api/v1/openapi.json', () => {
  it('describes the push and the new fields of the score rows', async () => {
    const r = await run(() => openApiLoader(args(context, get('/api/v1/openapi.json'))))
    const doc = r.body as {
      paths: Record<string, Record<string, unknown>>
      components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> }
    }
    expect(doc.paths['/dossier-counts']!.put).toBeDefined()
    expect(doc.components.schemas.DossierCount!.required).toContain('settledLate')
    expect(doc.components.schemas.Rate766!.properties).toHaveProperty('dissatisfiedSource')
    expect(JSON.stringify(doc.paths['/scores'])).toContain('#/components/schemas/ResponseRate')
  })
})
