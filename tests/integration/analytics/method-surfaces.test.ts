/**
 * The method on every surface (issue #16) and the live/release comparison (issue #17): the API, the
 * downloads and the pages state the interval method actually used per cell (logit at 100 % is
 * Korn–Graubard), carry no value for a cell that is not published (under the thresholds, or withheld as
 * a complement), say "withheld to protect another value" for the latter, offer the four index methods,
 * link official releases for the roles that prepare them, and say where the live score differs from the
 * published release. Data: fixture.ts (SXD has 10 responses: insufficient; STP is withheld as its
 * complement; SNNMT is 100 %).
 */
import ExcelJS from 'exceljs'
import { parse } from 'csv-parse/sync'
import type { ComponentType } from 'react'
import { renderPage } from '#tests/helpers/render-page.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiToken } from '#app/.server/auth/api-token.ts'
import {
  approveRelease,
  createRelease,
  publishRelease,
  type ReleaseActor,
  releaseActor,
} from '#app/.server/services/releases.ts'
import AgencyPage, { loader as agencyLoader } from '#app/routes/analytics.agency.$code.tsx'
import AnalyticsPage, { loader as pageLoader } from '#app/routes/analytics._index.tsx'
import { loader as exportLoader } from '#app/routes/analytics.export.$format.ts'
import { loader as openApiLoader } from '#app/routes/api.v1.openapi[.]json.ts'
import { loader as scoresLoader } from '#app/routes/api.v1.scores.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run, signIn } from '#tests/helpers/remix.ts'
import { seedFixture } from './fixture.ts'
import { agencyId, seed } from './support.ts'

let t: TestDatabase
let context: ReturnType<typeof makeContext>
let token: string
const cookies: Record<string, string> = {}

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  await seedFixture(t)
  token = await createApiToken(t.db, await agencyId(t, 'DEMO-AL'), 'BI tool', 'test')
  for (const [name, role] of [
    ['author', 'analyst'],
    ['approver', 'analyst'],
    ['manager', 'manager'],
  ] as const)
    cookies[name] = (await signIn(context, `${name}@example.vn`, role, 'DEMO-AL')).cookie
})
afterAll(async () => {
  await t?.cleanup()
})

type Cell = {
  estimate: number | null
  se: number | null
  ci: { lower: number; upper: number } | null
  intervalMethod: string | null
  n: number
  status: string
}
type Row = {
  agency: { code: string }
  overall: Cell
  elements: Record<string, Cell>
  criteria?: Record<string, Cell>
}

const api = (search: string, headers: Record<string, string> = {}) =>
  run(() =>
    scoresLoader({
      request: new Request(`http://localhost/api/v1/scores${search}`, {
        headers: { Authorization: `Bearer ${token}`, ...headers },
      }),
      context,
      params: {},
    }),
  )
const asUser = (path: string, who = 'author', headers: Record<string, string> = {}) =>
  new Request(`http://localhost${path}`, { headers: { Cookie: cookies[who]!, ...headers } })
const download = (format: string, search: string, headers: Record<string, string> = {}) =>
  run(() =>
    exportLoader({
      request: asUser(`/analytics/export/${format}${search}`, 'author', headers),
      context,
      params: { format },
    }),
  )
const page = (search: string, who = 'author') =>
  run(() => pageLoader({ request: asUser(`/analytics${search}`, who), context, params: {} }))

const rowOf = (rows: Row[], code: string) => rows.find((r) => r.agency.code === code)!
const withheldValues = (cell: Cell) => ({
  estimate: cell.estimate,
  se: cell.se,
  ci: cell.ci,
  method: cell.intervalMethod,
})
const NONE = { estimate: null, se: null, ci: null, method: null }

/** The server-rendered HTML of an analytics page on its loader's data. */
const render = (page: ComponentType, path: string, data: unknown, lng: 'vi' | 'en' = 'vi') =>
  renderPage({ page, path, data, lng, namespace: 'analytics' })

describe('GET /api/v1/scores', () => {
  it('states the interval method actually used per cell: logit at 100 % is Korn–Graubard', async () => {
    const r = await api('?period=2026-Q1&ci=logit')
    expect(r.status).toBe(200)
    const rows = (r.body as { rows: Row[] }).rows
    expect(rowOf(rows, 'DEMO-AL-SNV').overall).toMatchObject({ status: 'published', intervalMethod: 'logit' })
    expect(rowOf(rows, 'DEMO-AL-SNNMT').overall).toMatchObject({
      status: 'published',
      estimate: 1,
      intervalMethod: 'beta',
    })
    const beta = (await api('?period=2026-Q1')).body as { rows: Row[] }
    expect(rowOf(beta.rows, 'DEMO-AL-SNV').overall.intervalMethod).toBe('beta')
  })

  it('carries no estimate, SE, interval or method for a cell that is not published', async () => {
    const rows = ((await api('?period=2026-Q1')).body as { rows: Row[] }).rows
    const sxd = rowOf(rows, 'DEMO-AL-SXD')
    expect(sxd.overall).toMatchObject({ status: 'insufficient', n: 10 })
    expect(withheldValues(sxd.overall)).toEqual(NONE)
    for (const cell of [...Object.values(sxd.elements), ...Object.values(sxd.criteria ?? {})])
      expect(withheldValues(cell)).toEqual(NONE)
    const stp = rowOf(rows, 'DEMO-AL-STP')
    expect(stp.overall).toMatchObject({ status: 'suppressed-complement', n: 30 })
    expect(withheldValues(stp.overall)).toEqual(NONE)
    // Published cells keep every number.
    const snv = rowOf(rows, 'DEMO-AL-SNV').overall
    expect(snv.estimate).not.toBeNull()
    expect(snv.se).not.toBeNull()
    expect(snv.ci).not.toBeNull()
  })

  it('accepts the pooled-criteria and element-weighted index methods; refuses others', async () => {
    for (const method of ['pooled-criteria', 'element-weighted']) {
      const r = await api(`?period=2026-Q1&method=${method}`)
      expect(r.status).toBe(200)
      expect((r.body as { options: { method: string } }).options.method).toBe(method)
    }
    expect(await api('?period=2026-Q1&method=median', { 'Accept-Language': 'en' })).toMatchObject({
      status: 400,
      body: { error: 'invalid_query' },
    })
  })

  it('the OpenAPI description names intervalMethod, the withheld status and the new methods', async () => {
    const r = await run(() =>
      openApiLoader({ request: new Request('http://localhost/api/v1/openapi.json'), context, params: {} }),
    )
    const text = JSON.stringify(r.body)
    const cell = (
      r.body as { components: { schemas: { ScoreCell: { properties: Record<string, { enum?: unknown[] }> } } } }
    ).components.schemas.ScoreCell.properties
    expect(cell.intervalMethod!.enum).toEqual(['beta', 'logit', 'wilson', 'mean', null])
    expect(cell.status!.enum).toContain('suppressed-complement')
    expect(text).toContain('pooled-criteria')
    expect(text).toContain('element-weighted')
  })
})

describe('downloads', () => {
  it('CSV: an interval_method column beside the interval; withheld cells empty', async () => {
    const r = await download('csv', '?period=2026-Q1&ci=logit')
    expect(r.status).toBe(200)
    const [header, ...rows] = parse(r.text, { bom: true }) as string[][]
    expect(header!.indexOf('interval_method')).toBe(header!.indexOf('ci_upper_pct') + 1)
    const row = (code: string) => Object.fromEntries(header!.map((h, i) => [h, rows.find((x) => x[0] === code)![i]]))
    expect(row('DEMO-AL-SNV').interval_method).toBe('logit')
    expect(row('DEMO-AL-SNNMT').interval_method).toBe('beta')
    expect(row('DEMO-AL-STP')).toMatchObject({
      status: 'suppressed-complement',
      overall_index_pct: '',
      ci_lower_pct: '',
      interval_method: '',
      E1_index_pct: '',
    })
    expect(row('DEMO-AL-SXD')).toMatchObject({ status: 'insufficient', interval_method: '' })
  })

  it('JSON: no value for cells that are not published; the statements in the user language', async () => {
    const r = await download('json', '?period=2026-Q1')
    const body = r.body as { rows: Row[]; about: Record<string, string>; statements: Record<string, string> }
    expect(withheldValues(rowOf(body.rows, 'DEMO-AL-SXD').overall)).toEqual(NONE)
    expect(withheldValues(rowOf(body.rows, 'DEMO-AL-STP').overall)).toEqual(NONE)
    expect(body.about.index_method).toBe('respondent-composite')
    expect(body.statements.complementary_suppression).toContain('suppressed-complement')
    expect(body.statements.complementary_suppression).toContain('phép trừ')
  })

  it('XLSX About: the interval rule, one sentence per method, suppression and the versions answered, in vi or en', async () => {
    const about = async (headers: Record<string, string>) => {
      const r = await run(() =>
        exportLoader({
          request: asUser('/analytics/export/xlsx?period=2026-Q1', 'author', headers),
          context,
          params: { format: 'xlsx' },
        }),
      )
      expect(r.status).toBe(200)
      const workbook = new ExcelJS.Workbook()
      await workbook.xlsx.load(await r.response!.arrayBuffer())
      const rows = new Map<string, [string, string]>()
      // The analytics workbook keeps the keyed statement on a sheet of its own, named in the user's language.
      workbook
        .getWorksheet(headers['Accept-Language'] === 'en' ? 'Technical notes' : 'Ghi chú kỹ thuật')!
        .eachRow((row) =>
          rows.set(String(row.getCell(1).value), [
            String(row.getCell(2).value ?? ''),
            String(row.getCell(3).value ?? ''),
          ]),
        )
      return rows
    }
    const vi = await about({})
    expect(vi.get('interval_rule')![1]).toContain('Korn–Graubard')
    expect(vi.get('interval_method.beta')![1]).toContain('Korn–Graubard')
    expect(vi.get('interval_method.logit')![1]).toContain('logit')
    expect(vi.get('interval_method.wilson')![1]).toContain('Wilson')
    expect(vi.get('complementary_suppression')![1]).toContain('Ẩn bổ sung')
    expect(vi.get('weighting')).toEqual(['design', 'Trọng số theo thiết kế mẫu'])
    // The period's 145 responses under DEMO-AL were all answered on the seeded version 1.
    expect(vi.get('questionnaire_versions_in_period')![0]).toMatch(/^1 \(id \d+\): 145$/)
    expect(vi.get('questionnaire_versions_in_period')![1]).toContain('phiên bản 1')
    const en = await about({ 'Accept-Language': 'en' })
    expect(en.get('complementary_suppression')![1]).toContain('Complementary suppression')
    expect(en.get('questionnaire_versions_in_period')![1]).toContain('145 responses')
  })
})

describe('the scores pages', () => {
  it('withheld and insufficient cells read differently; the method line names the fallback', async () => {
    const r = await page('?period=2026-Q1&ci=logit')
    expect(r.status).toBe(200)
    const data = r.body as { scores: { rows: Row[] }; canPrepareReleases: boolean }
    expect(withheldValues(rowOf(data.scores.rows, 'DEMO-AL-SXD').overall)).toEqual(NONE)
    expect(withheldValues(rowOf(data.scores.rows, 'DEMO-AL-STP').overall)).toEqual(NONE)
    expect(data.canPrepareReleases).toBe(true)
    const html = await render(AnalyticsPage, '/analytics', data)
    const stp = html.slice(html.indexOf('data-agency="DEMO-AL-STP"'))
    expect(stp.slice(0, stp.indexOf('</tr>'))).toContain('Ẩn để bảo vệ số liệu khác')
    expect(stp.slice(0, stp.indexOf('</tr>'))).toContain('class="visually-hidden"')
    const sxd = html.slice(html.indexOf('data-agency="DEMO-AL-SXD"'))
    expect(sxd.slice(0, sxd.indexOf('</tr>'))).toContain('Chưa đủ dữ liệu')
    expect(sxd.slice(0, sxd.indexOf('</tr>'))).not.toContain('Ẩn để bảo vệ')
    expect(html).toContain('data-withheld-note')
    // SNNMT (100 %) and DEMO-AL's rows are logit; SNNMT's interval is Korn–Graubard.
    expect(html).toMatch(/Khoảng tin cậy logit không xác định khi tỷ lệ bằng 0% hoặc 100%: \d+ ô dùng Korn–Graubard/)
    expect(html).toContain('data-interval-method="beta"')
    expect(html).toContain('value="pooled-criteria"')
    expect(html).toContain('value="element-weighted"')
    expect(html).toContain('href="/analytics/releases"')
    const en = await render(AnalyticsPage, '/analytics', data, 'en')
    expect(en).toContain('Withheld to protect another value')
    expect(en).toContain('Official releases')
  })

  it('sends the scores page the cells it shows, not the criteria (issue 20: two thirds of its data)', async () => {
    const data = (await page('?period=2026-Q1')).body as { scores: { rows: Row[] } }
    const full = (await api('?period=2026-Q1')).body as { rows: Row[] }
    expect(data.scores.rows.length).toBeGreaterThan(1)
    for (const row of data.scores.rows) {
      expect(row).not.toHaveProperty('criteria')
      const same = rowOf(full.rows, row.agency.code)
      expect(Object.keys(same.criteria ?? {}).length).toBeGreaterThan(0)
      expect(row.overall).toEqual(same.overall)
      expect(row.elements).toEqual(same.elements)
    }
  })

  it('no fallback sentence when every interval is the one asked for; no releases link for a manager', async () => {
    const data = (await page('?period=2026-Q1', 'manager')).body as { canPrepareReleases: boolean }
    expect(data.canPrepareReleases).toBe(false)
    const html = await render(AnalyticsPage, '/analytics', data)
    expect(html).not.toContain('data-interval-fallback')
    expect(html).not.toContain('href="/analytics/releases"')
  })

  it('the agency page: no value for an insufficient unit, and the interval method used', async () => {
    const sxd = await run(() =>
      agencyLoader({
        request: asUser('/analytics/agency/DEMO-AL-SXD?period=2026-Q1'),
        context,
        params: { code: 'DEMO-AL-SXD' },
      }),
    )
    expect(sxd.status).toBe(200)
    expect(withheldValues((sxd.body as { row: Row }).row.overall)).toEqual(NONE)
    const snnmt = await run(() =>
      agencyLoader({
        request: asUser('/analytics/agency/DEMO-AL-SNNMT?period=2026-Q1&ci=logit'),
        context,
        params: { code: 'DEMO-AL-SNNMT' },
      }),
    )
    const html = await render(AgencyPage, '/analytics/agency/DEMO-AL-SNNMT', snnmt.body)
    expect(html).toContain('Khoảng tin cậy 95%: Korn–Graubard (đã chọn logit')
  })
})

describe('differs from the published release', () => {
  let releaseId: number
  const actor = async (email: string) => (await releaseActor(t.db, email)) as ReleaseActor

  beforeAll(async () => {
    const created = await createRelease(
      t.db,
      { agencyCode: 'DEMO-AL', period: '2026-Q1' },
      await actor('author@example.vn'),
    )
    if (!created.ok) throw new Error(created.error)
    releaseId = created.id
    expect(await approveRelease(t.db, releaseId, await actor('approver@example.vn'))).toEqual({ ok: true })
    expect((await publishRelease(t.db, releaseId, await actor('author@example.vn'))).ok).toBe(true)
  })

  type Compared = { releases: Array<{ releaseId: number; differs: boolean; releasePercent: number | null }> }

  it('no note while the live score is the published one', async () => {
    const data = (await page('?period=2026-Q1')).body as Compared
    expect(data.releases).toMatchObject([{ releaseId, differs: false }])
    expect(await render(AnalyticsPage, '/analytics', data)).not.toContain('data-release-differs')
  })

  it('a late response moves the live score: the page says it differs from the release, and links it', async () => {
    await seed(t, [{ agency: 'DEMO-AL-SNV', at: '2026-03-20T03:00:00Z', profile: 'U', count: 5 }])
    const data = (await page('?period=2026-Q1')).body as Compared
    expect(data.releases).toMatchObject([{ releaseId, differs: true }])
    const html = await render(AnalyticsPage, '/analytics', data)
    expect(html).toContain(`data-release-differs="${releaseId}"`)
    expect(html).toContain('Khác với số đã công bố chính thức.')
    expect(html).toContain(`href="/ket-qua/${releaseId}"`)
    const en = await render(AnalyticsPage, '/analytics', data, 'en')
    expect(en).toContain('Differs from the published release.')
  })

  it('another method is another number, not a difference: nothing compared', async () => {
    const data = (await page('?period=2026-Q1&weighting=unweighted')).body as Compared
    expect(data.releases).toEqual([])
  })
})
