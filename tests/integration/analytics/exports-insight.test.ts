/**
 * Issue #19 in the analytics downloads: every score row's shrunk estimate and interval (CSV columns
 * shrunk_pct, shrunk_lower_pct, shrunk_upper_pct with translated headers in the XLSX; `shrunk` in the
 * JSON), empty where the direct value is withheld (ADR 0053); and, where an agency is exported, the
 * drivers of overall satisfaction (an XLSX sheet and the JSON's `drivers`). Every number must be the
 * API's: /api/v1/scores `shrunk`, /api/v1/drivers.
 */
import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiToken } from '#app/.server/auth/api-token.ts'
import { publishedPercent } from '#app/domain/statistics/publication.ts'
import { loader as exportLoader } from '#app/routes/analytics.export.$format.ts'
import { loader as driversLoader } from '#app/routes/api.v1.drivers.ts'
import { loader as scoresLoader } from '#app/routes/api.v1.scores.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run, signIn } from '#tests/helpers/remix.ts'
import { seedDriverData } from './drivers-support.ts'
import { agencyId } from './support.ts'

let t: TestDatabase
let context: AppLoadContext
let cookie: string
let token: string

interface ApiRow {
  agency: { code: string }
  overall: { status: string }
  shrunk: { estimate: number; lower: number; upper: number } | null
}
interface ApiItem {
  code: string
  importance: number
  importanceCi: { lower: number; upper: number } | null
  score: number | null
}
interface ApiAnalysis {
  status: string
  n: number
  rSquared: number
  items: ApiItem[]
}
let apiRows: ApiRow[]
let apiDrivers: { ok: true; elements: ApiAnalysis; criteria: ApiAnalysis } & Record<string, unknown>

const QUERY = '?agency=DEMO-AL&period=2025'

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  // As in shrinkage-api.test.ts: three published departments, STP under the thresholds (8), P-ANLAC
  // withheld as its complement.
  await seedDriverData(t, [
    { agency: 'DEMO-AL-SNV', at: '2025-03-10T03:00:00Z', count: 60, offset: 0 },
    { agency: 'DEMO-AL-STP', at: '2025-05-10T03:00:00Z', count: 8, offset: 1 },
    { agency: 'DEMO-AL-SXD', at: '2025-05-10T03:00:00Z', count: 40, offset: 2 },
    { agency: 'DEMO-AL-SNNMT', at: '2025-06-10T03:00:00Z', count: 50, offset: 3 },
    { agency: 'DEMO-AL-P-ANLAC', at: '2025-08-10T03:00:00Z', count: 38, offset: 4 },
  ])
  cookie = (await signIn(context, 'analyst@example.vn', 'analyst', 'DEMO-AL')).cookie
  token = await createApiToken(t.db, await agencyId(t, 'DEMO-AL'), 'BI tool', 'test')
  const api = (loader: typeof scoresLoader, path: string) =>
    run(() =>
      loader({
        request: new Request(`http://localhost${path}`, { headers: { Authorization: `Bearer ${token}` } }),
        context,
        params: {},
      }),
    )
  const scores = await api(scoresLoader, `/api/v1/scores${QUERY}`)
  expect(scores.status).toBe(200)
  apiRows = (scores.body as { rows: ApiRow[] }).rows
  const drivers = await api(driversLoader, `/api/v1/drivers${QUERY}`)
  expect(drivers.status).toBe(200)
  apiDrivers = drivers.body as typeof apiDrivers
}, 180_000)
afterAll(async () => {
  await t?.cleanup()
})

const download = (format: string, search: string) =>
  run(() =>
    exportLoader({
      request: new Request(`http://localhost/analytics/export/${format}${search}`, { headers: { Cookie: cookie } }),
      context,
      params: { format },
    }),
  )

async function workbookOf(search: string) {
  const x = await download('xlsx', search)
  expect(x.status).toBe(200)
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(await x.response!.arrayBuffer())
  return workbook
}
/** A sheet's rows from its header row (the second; the first is the title). */
function sheetRows(workbook: ExcelJS.Workbook, name: string): unknown[][] {
  const rows: unknown[][] = []
  workbook.getWorksheet(name)!.eachRow({ includeEmpty: false }, (r, i) => {
    if (i >= 2) rows.push((r.values as unknown[]).slice(1))
  })
  return rows
}
/** A percentage as the workbook stores it: the published, rounded percentage as a share. */
const xlsxPercent = (share: number | null | undefined) =>
  share === null || share === undefined ? null : Math.round(publishedPercent(share) * 100) / 10_000
const cell = (v: unknown) => (v === undefined ? null : v)

describe('shrunk estimates in the downloads', () => {
  it('the data: three published departments with a shrunk value, two withheld ones without', () => {
    const shrunk = apiRows.filter((r) => r.shrunk !== null).map((r) => r.agency.code)
    expect(shrunk.sort()).toEqual(['DEMO-AL-SNNMT', 'DEMO-AL-SNV', 'DEMO-AL-SXD'])
    for (const code of ['DEMO-AL-STP', 'DEMO-AL-P-ANLAC'])
      expect(apiRows.find((r) => r.agency.code === code)!.overall.status).not.toBe('published')
  })

  it("CSV: the API's shrunk estimate and bounds in percent, empty where the direct value is withheld", async () => {
    const c = await download('csv', QUERY)
    expect(c.status).toBe(200)
    const [header, ...rows] = parse(c.text, { bom: true }) as string[][]
    expect(header!.slice(-3)).toEqual(['shrunk_pct', 'shrunk_lower_pct', 'shrunk_upper_pct'])
    expect(rows.length).toBe(apiRows.length)
    for (const r of apiRows) {
      const row = rows.find((x) => x[0] === r.agency.code)!
      const expected = r.shrunk
        ? [r.shrunk.estimate, r.shrunk.lower, r.shrunk.upper].map((v) => String(publishedPercent(v)))
        : ['', '', '']
      expect(row.slice(-3), r.agency.code).toEqual(expected)
    }
    // Decimal commas in the Vietnamese dialect.
    const vi = await download('csv', `${QUERY}&csv=vi`)
    const snv = vi.text.split('\r\n').find((l) => l.startsWith('DEMO-AL-SNV;'))!
    const s = apiRows.find((r) => r.agency.code === 'DEMO-AL-SNV')!.shrunk!
    expect(snv.split(';').slice(-3)).toEqual(
      [s.estimate, s.lower, s.upper].map((v) => String(publishedPercent(v)).replace('.', ',')),
    )
  })

  it("JSON: each row's shrunk is the API's, null for the withheld rows", async () => {
    const j = await download('json', QUERY)
    expect(j.status).toBe(200)
    const rows = (j.body as { rows: ApiRow[] }).rows
    for (const r of apiRows) expect(rows.find((x) => x.agency.code === r.agency.code)!.shrunk).toEqual(r.shrunk)
    expect((j.body as { about: Record<string, string> }).about.shrunk).toMatch(/withheld/)
  })

  it('XLSX: the summary sheet has the three columns with Vietnamese headers and percent cells', async () => {
    const rows = sheetRows(await workbookOf(QUERY), 'Tổng hợp')
    const header = rows[0]!
    const at = header.indexOf('Ước lượng co về các đơn vị cùng cấp (%)')
    expect(at).toBeGreaterThan(0)
    expect(header.slice(at, at + 3)).toEqual([
      'Ước lượng co về các đơn vị cùng cấp (%)',
      'Cận dưới ước lượng co (%)',
      'Cận trên ước lượng co (%)',
    ])
    for (const r of apiRows) {
      const row = rows.find((x) => x[0] === r.agency.code)!
      expect(
        [0, 1, 2].map((k) => cell(row[at + k])),
        r.agency.code,
      ).toEqual(r.shrunk ? [r.shrunk.estimate, r.shrunk.lower, r.shrunk.upper].map(xlsxPercent) : [null, null, null])
    }
    const en = sheetRows(await workbookOf(`${QUERY}&lng=en`), 'Summary')
    expect(en[0]!).toContain('Shrunk toward units of the same level (%)')
  })
})

describe('drivers in the downloads of an agency', () => {
  it('the data: both analyses have items', () => {
    expect(apiDrivers.elements.status).toBe('ok')
    expect(apiDrivers.criteria.status).toBe('ok')
  })

  it('JSON: `drivers` is the body of /api/v1/drivers', async () => {
    const j = await download('json', QUERY)
    const { ok: _ok, ...expected } = apiDrivers
    expect((j.body as { drivers: unknown }).drivers).toEqual(expected)
  })

  it("XLSX: a drivers sheet with every element and criterion, the API's importance, interval and score", async () => {
    const workbook = await workbookOf(QUERY)
    expect(workbook.worksheets.map((w) => w.name)).toContain('Tác động đến hài lòng chung')
    const [header, ...rows] = sheetRows(workbook, 'Tác động đến hài lòng chung')
    expect(header).toEqual([
      'Loại',
      'Mã',
      'Nội dung',
      'Mức quan trọng',
      'Cận dưới mức quan trọng',
      'Cận trên mức quan trọng',
      'Chỉ số hài lòng',
      'Số người trả lời đủ các câu',
      'R² của hồi quy',
      'Phương pháp',
    ])
    const expected = (kind: string, a: ApiAnalysis) =>
      a.items.map((i) => [
        kind,
        i.code,
        i.importance,
        i.importanceCi?.lower,
        i.importanceCi?.upper,
        i.score,
        a.n,
        a.rSquared,
      ])
    const got = rows.map((r) => [r[0], r[1], cell(r[3]), cell(r[4]), cell(r[5]), cell(r[6]), cell(r[7]), cell(r[8])])
    const want = [...expected('Lĩnh vực', apiDrivers.elements), ...expected('Tiêu chí', apiDrivers.criteria)].map(
      ([kind, code, importance, lower, upper, score, n, r2]) => [
        kind,
        code,
        xlsxPercent(importance as number),
        xlsxPercent(lower as number | undefined),
        xlsxPercent(upper as number | undefined),
        xlsxPercent(score as number | null),
        n,
        xlsxPercent(r2 as number),
      ],
    )
    expect(got).toEqual(want)
    expect(rows.length).toBe(5 + 22)
    // Names in the reader's language.
    expect(rows.every((r) => typeof r[2] === 'string' && r[2] !== r[1])).toBe(true)
  })

  it('an analysis with too few respondents is one row saying so', async () => {
    const rows = sheetRows(await workbookOf('?agency=DEMO-AL-SXD&period=2025'), 'Tác động đến hài lòng chung')
    const criteria = rows.filter((r) => r[0] === 'Tiêu chí')
    expect(criteria).toHaveLength(1)
    expect(String(criteria[0]![2])).toMatch(
      /^Chưa đủ dữ liệu để phân tích: \d+ người trả lời đủ các câu, cần ít nhất 110\.$/,
    )
  })

  it('no agency named: no drivers sheet, and drivers null in the JSON', async () => {
    const workbook = await workbookOf('?period=2025')
    expect(workbook.worksheets.map((w) => w.name)).not.toContain('Tác động đến hài lòng chung')
    const j = await download('json', '?period=2025')
    expect((j.body as { drivers: unknown }).drivers).toBeNull()
  })
})
