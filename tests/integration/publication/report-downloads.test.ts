/**
 * Report-ready downloads (issue 17 point 6, docs/publication.md "Downloads"): the XLSX of a published
 * release and of the live analytics, opened with exceljs, has Vietnamese sheet names and headers (English
 * with ?lng=en), percentages stored as numbers with a percent format, periods written "Quý I/2026", and a
 * method sheet naming the questionnaire versions; CSV has a Vietnamese-Excel dialect (`;`, decimal comma)
 * beside the RFC 4180 default; a nine-month period can be released.
 */
import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { approveRelease, createRelease, publishRelease, type ReleaseActor } from '#app/.server/services/releases.ts'
import { loader as exportLoader } from '#app/routes/analytics.export.$format.ts'
import AnalyticsReport, { loader as analyticsReportLoader } from '#app/routes/analytics.report.tsx'
import ReleaseReport, { loader as releaseReportLoader } from '#app/routes/ket-qua_.$id.bao-cao.tsx'
import { loader as csvLoader } from '#app/routes/ket-qua_.$id.csv.ts'
import { loader as xlsxLoader } from '#app/routes/ket-qua_.$id.xlsx.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run, signIn } from '#tests/helpers/remix.ts'
import { renderPage } from '#tests/helpers/render-page.ts'
import { type Batch, seed } from '../analytics/support.ts'

/** 2026-Q1 under DEMO-AL, as in releases.test.ts: SNV 50 %, STP and SNNMT 100 %, P-ANLAC 80 %, province 80 %. */
const BATCHES: Batch[] = [
  { agency: 'DEMO-AL-SNV', at: '2026-02-10T03:00:00Z', profile: 'S', count: 20 },
  { agency: 'DEMO-AL-SNV', at: '2026-02-12T03:00:00Z', profile: 'U', count: 20 },
  // Their expectations: the live workbook and report rank them (the index does not count them).
  {
    agency: 'DEMO-AL-STP',
    at: '2026-01-15T03:00:00Z',
    profile: 'S',
    count: 30,
    extra: { 'X.expectations': ['online', 'time'] },
  },
  { agency: 'DEMO-AL-SNNMT', at: '2026-03-15T03:00:00Z', profile: 'S', count: 30 },
  { agency: 'DEMO-AL-P-ANLAC', at: '2026-02-20T03:00:00Z', profile: 'S', count: 28 },
  { agency: 'DEMO-AL-P-ANLAC', at: '2026-02-21T03:00:00Z', profile: 'U', count: 7 },
]

let t: TestDatabase
let context: ReturnType<typeof makeContext>
let analyst: string
let released: number
let nineMonths: number

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  await seed(t, BATCHES)
  analyst = (await signIn(context, 'analyst@example.vn', 'analyst', 'DEMO-AL')).cookie
  const [author, approver] = await Promise.all([
    signIn(context, 'author@example.vn', 'admin', null),
    signIn(context, 'approver@example.vn', 'admin', null),
  ])
  const actor = (s: { userId: number; email: string }): ReleaseActor => ({
    userId: s.userId,
    actor: s.email,
    role: 'admin',
    scopePath: null,
  })
  const publish = async (period: string) => {
    const created = await createRelease(t.db, { agencyCode: 'DEMO-AL', period }, actor(author))
    if (!created.ok) throw new Error(created.error)
    expect(await approveRelease(t.db, created.id, actor(approver))).toEqual({ ok: true })
    expect(await publishRelease(t.db, created.id, actor(approver))).toMatchObject({ ok: true })
    return created.id
  }
  released = await publish('Quý I/2026')
  nineMonths = await publish('9 tháng đầu năm 2026')
})
afterAll(() => t?.cleanup())

const get = (
  loader: (args: never) => unknown,
  path: string,
  params: Record<string, string> = {},
  cookie: string | null = null,
) =>
  run(() =>
    (loader as (a: unknown) => unknown)({
      request: new Request(`http://localhost${path}`, { headers: cookie ? { Cookie: cookie } : {} }),
      params,
      context,
    }),
  )

async function workbookOf(response: Response | null) {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(await response!.arrayBuffer())
  return workbook
}

/** A sheet's rows as arrays of cell values (row 1 the title, row 3 the headers). */
function rowsOf(sheet: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = []
  sheet.eachRow({ includeEmpty: true }, (r, i) => {
    rows[i - 1] = (r.values as unknown[]).slice(1)
  })
  return rows
}

/** The data row of an agency in a sheet whose first column is the agency code, with its cells. */
function agencyRow(sheet: ExcelJS.Worksheet, code: string, codeColumn = 1) {
  let found: ExcelJS.Row | undefined
  sheet.eachRow((r) => {
    if (r.getCell(codeColumn).value === code) found = r
  })
  if (!found) throw new Error(`no row ${code} in ${sheet.name}`)
  return found
}

describe('the XLSX of a published release', () => {
  it('in Vietnamese: sheet names, headers, numbers with a percent format, "Quý I/2026", the method', async () => {
    const x = await get(xlsxLoader, `/ket-qua/${released}/xlsx`, { id: String(released) })
    expect(x.status).toBe(200)
    expect(x.headers.get('Content-Type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    const workbook = await workbookOf(x.response)
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      'Tổng hợp',
      'Xếp hạng sở, ban, ngành',
      'Xếp hạng xã, phường',
      'Chỉ số thành phần',
      'Tiêu chí',
      'Phương pháp',
    ])
    const overall = workbook.getWorksheet('Tổng hợp')!
    const rows = rowsOf(overall)
    expect(rows[0]![0]).toBe('Chỉ số hài lòng của các đơn vị, Quý I/2026')
    expect(rows[2]!.slice(0, 8)).toEqual([
      'Mã đơn vị',
      'Tên đơn vị',
      'Cấp',
      'Chỉ số hài lòng',
      'Cận dưới khoảng tin cậy',
      'Cận trên khoảng tin cậy',
      'Số phiếu',
      'Cỡ mẫu hiệu dụng',
    ])
    expect(rows[2]).toContain('Thay đổi so với Quý IV/2025 (điểm %)')
    const snv = agencyRow(overall, 'DEMO-AL-SNV')
    // 50 % stored as the number 0.5, shown by its format; n as a number.
    expect(snv.getCell(4).value).toBe(0.5)
    expect(snv.getCell(4).numFmt).toBe('0.00%')
    expect(typeof snv.getCell(5).value).toBe('number')
    expect(snv.getCell(5).value as number).toBeLessThan(0.5)
    expect(snv.getCell(7).value).toBe(40)
    expect(snv.getCell(3).value).toBe('Sở, ban, ngành')
    expect(snv.getCell(9).value).toBe('Công bố')
    const root = agencyRow(overall, 'DEMO-AL')
    expect(root.getCell(4).value).toBeCloseTo(0.8, 10)
    expect(root.getCell(7).value).toBe(135)

    // Departments ranked among themselves: the tie of STP and SNNMT shares rank 1, SNV is 3 of 3.
    const departments = rowsOf(workbook.getWorksheet('Xếp hạng sở, ban, ngành')!)
    expect(departments[0]![0]).toBe('Xếp hạng sở, ban, ngành, Quý I/2026')
    expect(departments[2]!.slice(0, 5)).toEqual([
      'Hạng',
      'Số đơn vị cùng nhóm',
      'Mã đơn vị',
      'Tên đơn vị',
      'Chỉ số hài lòng',
    ])
    const ranked = departments.slice(3).filter((r) => r?.[0] !== undefined && r?.[0] !== null)
    expect(ranked.map((r) => [r[0], r[1], r[2]])).toEqual([
      [1, 3, 'DEMO-AL-SNNMT'],
      [1, 3, 'DEMO-AL-STP'],
      [3, 3, 'DEMO-AL-SNV'],
    ])
    const communes = rowsOf(workbook.getWorksheet('Xếp hạng xã, phường')!)
    expect(communes[3]!.slice(0, 5)).toEqual([1, 1, 'DEMO-AL-P-ANLAC', expect.any(String), 0.8])

    const elements = rowsOf(workbook.getWorksheet('Chỉ số thành phần')!)
    expect(elements[2]!.slice(0, 4)).toEqual(['Mã đơn vị', 'Tên đơn vị', 'Yếu tố', 'Chỉ số hài lòng'])
    const snvElements = elements.filter((r) => r?.[0] === 'DEMO-AL-SNV')
    expect(snvElements.length).toBe(5)
    expect(snvElements.every((r) => typeof r[3] === 'number' && typeof r[6] === 'number')).toBe(true)
    const criteria = rowsOf(workbook.getWorksheet('Tiêu chí')!)
    expect(criteria[2]!.slice(0, 5)).toEqual(['Mã đơn vị', 'Tên đơn vị', 'Yếu tố', 'Tiêu chí', 'Chỉ số hài lòng'])
    expect(criteria.filter((r) => r?.[0] === 'DEMO-AL').length).toBeGreaterThan(5)

    const method = new Map(
      rowsOf(workbook.getWorksheet('Phương pháp')!)
        .slice(3)
        .filter(Boolean)
        .map((r) => [String(r[0]), String(r[1])]),
    )
    expect(method.get('Kỳ báo cáo')).toBe('Quý I/2026')
    expect(method.get('Kỳ so sánh')).toBe('Quý IV/2025')
    expect(method.get('Thời gian thu thập phiếu')).toBe('Từ tháng 1/2026 đến tháng 3/2026')
    expect(method.get('Phiên bản bộ câu hỏi đã dùng')).toMatch(/^phiên bản mã \d+$/)
    expect(method.get('Bản công bố chính thức')).toContain(`Bản #${released}`)
    expect(method.get('Quy tắc công bố')).toContain('ít nhất 30 phiếu')
  })

  it('in English with ?lng=en', async () => {
    const x = await get(xlsxLoader, `/ket-qua/${released}/xlsx?lng=en`, { id: String(released) })
    expect(x.status).toBe(200)
    const workbook = await workbookOf(x.response)
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      'Summary',
      'Ranking - departments',
      'Ranking - communes',
      'Elements',
      'Criteria',
      'Method',
    ])
    const rows = rowsOf(workbook.getWorksheet('Summary')!)
    expect(rows[0]![0]).toBe('Satisfaction index of the units, Q1 2026')
    expect(rows[2]!.slice(0, 4)).toEqual(['Unit code', 'Unit', 'Level', 'Satisfaction index'])
    expect(agencyRow(workbook.getWorksheet('Summary')!, 'DEMO-AL-SNV').getCell(4).value).toBe(0.5)
  })

  it('an unknown release is 404 with a translated message', async () => {
    const x = await get(xlsxLoader, '/ket-qua/99999/xlsx', { id: '99999' })
    expect(x.status).toBe(404)
    expect(x.text).toContain('#99999')
  })

  it('a nine-month period is released as 2026-9M and titled "9 tháng đầu năm 2026"', async () => {
    const row = await t.db.selectFrom('release').selectAll().where('id', '=', nineMonths).executeTakeFirstOrThrow()
    expect(row.period).toBe('2026-9M')
    const document = JSON.parse(row.document) as { months: unknown; previousPeriod: string }
    expect(document.months).toEqual({ from: '2026-01', to: '2026-09' })
    expect(document.previousPeriod).toBe('2025-9M')
    const workbook = await workbookOf(
      (await get(xlsxLoader, `/ket-qua/${nineMonths}/xlsx`, { id: String(nineMonths) })).response,
    )
    expect(rowsOf(workbook.getWorksheet('Tổng hợp')!)[0]![0]).toBe(
      'Chỉ số hài lòng của các đơn vị, 9 tháng đầu năm 2026',
    )
  })
})

describe('the database keeps nine-month periods like any other (migration 2026-11-30T1430)', () => {
  it('population counts and proposals take "2026-9M" and still refuse a text that is not canonical', async () => {
    const agencyId = (
      await t.db.selectFrom('agency').select('id').where('code', '=', 'DEMO-AL-SNV').executeTakeFirstOrThrow()
    ).id
    const now = new Date().toISOString()
    await t.db
      .insertInto('population_count')
      .values({ agency_id: agencyId, period: '2026-9M', count: 500, source: null, created_at: now })
      .execute()
    const proposal = {
      agency_id: agencyId,
      count: 500,
      source: null,
      status: 'pending' as const,
      entered_by_user_id: null,
      entered_by: 'test',
      entered_at: now,
    }
    await t.db
      .insertInto('population_count_proposal')
      .values({ ...proposal, period: '2026-9M' })
      .execute()
    for (const period of ['2026-9m', '9M/2026', '2026-M9'])
      await expect(
        t.db
          .insertInto('population_count')
          .values({ agency_id: agencyId, period, count: 1, source: null, created_at: now })
          .execute(),
      ).rejects.toThrow()
    await expect(
      t.db
        .insertInto('population_count_proposal')
        .values({ ...proposal, period: '2026-10M' })
        .execute(),
    ).rejects.toThrow()
  })

  it('a published release is still immutable after its table was rebuilt', async () => {
    await expect(
      t.db.updateTable('release').set({ document: '{}' }).where('id', '=', nineMonths).execute(),
    ).rejects.toThrow(/immutable/)
    await expect(t.db.deleteFrom('release').where('id', '=', released).execute()).rejects.toThrow(/immutable/)
    await expect(
      t.db.updateTable('release').set({ period: '2026-13' }).where('id', '=', released).execute(),
    ).rejects.toThrow()
  })
})

describe('the XLSX of the live analytics', () => {
  it('is the same report-ready workbook, naming the versions the period was answered on', async () => {
    const x = await get(exportLoader, '/analytics/export/xlsx?period=Qu%C3%BD%20I%2F2026', { format: 'xlsx' }, analyst)
    expect(x.status).toBe(200)
    const workbook = await workbookOf(x.response)
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      'Tổng hợp',
      'Xếp hạng sở, ban, ngành',
      'Xếp hạng xã, phường',
      'Chỉ số thành phần',
      'Tiêu chí',
      'Mong đợi',
      'Phương pháp',
      'Ghi chú kỹ thuật',
    ])
    // 30 of the 135 answered the expectation item, each choosing "online" and "time": 100 % each.
    const expectations = rowsOf(workbook.getWorksheet('Mong đợi')!)
    expect(expectations[0]![0]).toMatch(/^Mong đợi của người dân và tổ chức về .+, Quý I\/2026 \(30 người trả lời\)$/)
    expect(expectations[2]).toEqual(['Mong đợi', 'Tỷ lệ lựa chọn', 'Số người lựa chọn'])
    const chosen = expectations.slice(3).filter((r) => r?.[2] === 30)
    expect(chosen.length).toBe(2)
    expect(chosen.every((r) => r[1] === 1)).toBe(true)
    expect(
      expectations
        .slice(3)
        .filter((r) => r?.[2] === 0)
        .every((r) => r[1] === 0),
    ).toBe(true)
    const overall = workbook.getWorksheet('Tổng hợp')!
    expect(rowsOf(overall)[0]![0]).toBe('Chỉ số hài lòng của các đơn vị, Quý I/2026')
    const snv = agencyRow(overall, 'DEMO-AL-SNV')
    expect(snv.getCell(4).value).toBe(0.5)
    expect(snv.getCell(7).value).toBe(40)
    const method = new Map(
      rowsOf(workbook.getWorksheet('Phương pháp')!)
        .slice(3)
        .filter(Boolean)
        .map((r) => [String(r[0]), String(r[1])]),
    )
    expect(method.get('Phiên bản bộ câu hỏi đã dùng')).toMatch(/^phiên bản 1 \(mã \d+\): 135 phiếu$/)
    expect(method.get('Loại số liệu')).toContain('chưa phải bản công bố chính thức')
    expect(method.get('Điều kiện lọc')).toContain('period=')
  })
})

describe('CSV for Vietnamese Excel', () => {
  it('a release: ?csv=vi separates with ";" and writes decimal commas; the default stays RFC 4180', async () => {
    const vi = await get(csvLoader, `/ket-qua/${released}/csv?csv=vi`, { id: String(released) })
    expect(vi.status).toBe(200)
    expect(vi.text.startsWith('\uFEFFrelease_id;release_sha256;period;agency_code;')).toBe(true)
    const rows: string[][] = parse(vi.text, { bom: true, delimiter: ';' })
    const header = rows[0]!
    const snv = Object.fromEntries(header.map((h, i) => [h, rows.find((r) => r[3] === 'DEMO-AL-SNV')![i]]))
    expect(snv.overall_percent).toBe('50')
    expect(snv.ci_lower).toMatch(/^\d+,\d+$/)
    const plain = await get(csvLoader, `/ket-qua/${released}/csv`, { id: String(released) })
    const plainRows: string[][] = parse(plain.text, { bom: true })
    const plainSnv = Object.fromEntries(header.map((h, i) => [h, plainRows.find((r) => r[3] === 'DEMO-AL-SNV')![i]]))
    expect(plainSnv.ci_lower).toBe(snv.ci_lower!.replace(',', '.'))
  })

  it('the analytics CSV: ?csv=vi the same way; a bad value is 400 with a translated message', async () => {
    const vi = await get(exportLoader, '/analytics/export/csv?period=2026-Q1&csv=vi', { format: 'csv' }, analyst)
    expect(vi.status).toBe(200)
    expect(vi.text.startsWith('\uFEFFagency_code;agency_name;level;depth;status;overall_index_pct;')).toBe(true)
    expect(vi.headers.get('Content-Disposition')).toContain('-vi.csv')
    const rows: string[][] = parse(vi.text, { bom: true, delimiter: ';' })
    const snv = rows.find((r) => r[0] === 'DEMO-AL-SNV')!
    expect(snv[5]).toBe('50')
    expect(snv[6]).toMatch(/^\d+,\d+$/)
    const plain = await get(exportLoader, '/analytics/export/csv?period=2026-Q1', { format: 'csv' }, analyst)
    expect(plain.text.startsWith('\uFEFFagency_code,agency_name,')).toBe(true)
    const bad = await get(exportLoader, '/analytics/export/csv?period=2026-Q1&csv=fr', { format: 'csv' }, analyst)
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('dấu chấm phẩy')
    const badRelease = await get(csvLoader, `/ket-qua/${released}/csv?csv=excel`, { id: String(released) })
    expect(badRelease.status).toBe(400)
  })
})

describe('the printable report', () => {
  it('of a release: title block, own result, chart, rankings, elements, criteria, method; public', async () => {
    const r = await get(releaseReportLoader, `/ket-qua/${released}/bao-cao`, { id: String(released) })
    expect(r.status).toBe(200)
    const html = await renderPage({
      page: ReleaseReport,
      path: '/ket-qua/:id/bao-cao',
      data: r.body,
      lng: 'vi',
      namespace: 'results',
    })
    expect(html).toContain('<h1>Báo cáo kết quả đo lường sự hài lòng</h1>')
    expect(html).toContain('<dd>Quý I/2026</dd>')
    // The own result: 80 % with its interval and n, in Vietnamese number format.
    expect(html).toMatch(
      /<td class="num">80,00%<\/td><td class="num">\d+,\d+% – \d+,\d+%<\/td><td class="num">135<\/td>/,
    )
    // One server-rendered SVG per chart: the units' intervals and the scope's elements.
    expect(html.match(/<svg[^>]*class="chart interval-chart"/g)?.length).toBe(2)
    expect(html).toContain('Sở, ban, ngành')
    expect(html).toContain('1/3')
    expect(html).toContain('3/3')
    expect(html).toContain('Chỉ số theo tiêu chí của')
    expect(html).toContain(`Bản #${released}`)
    expect(html).toContain(`href="/ket-qua/${released}/xlsx"`)
    expect(html).toContain(`href="/ket-qua/${released}/csv?csv=vi"`)
    // Nothing that scrolls sideways: the report's tables wrap (app/styles/report.css), none is in a scroller.
    expect(html).not.toContain('table-scroll')
    const en = await renderPage({
      page: ReleaseReport,
      path: '/ket-qua/:id/bao-cao',
      data: (await get(releaseReportLoader, `/ket-qua/${released}/bao-cao?lng=en`, { id: String(released) })).body,
      lng: 'en',
      namespace: 'results',
    })
    expect(en).toContain('<h1>Satisfaction measurement report</h1>')
    expect(en).toContain('<dd>Q1 2026</dd>')
    expect(en).toContain('80.00%')
  })

  it('of a release: an unknown id is 404', async () => {
    const r = await get(releaseReportLoader, '/ket-qua/99999/bao-cao', { id: '99999' })
    expect(r.status).toBe(404)
  })

  it('of the live analytics: signed in, the same report on the live numbers, saying they are not official', async () => {
    const anonymous = await get(analyticsReportLoader, '/analytics/report?period=2026-Q1')
    expect([302, 401]).toContain(anonymous.status)
    const r = await get(analyticsReportLoader, '/analytics/report?period=2026-Q1', {}, analyst)
    expect(r.status).toBe(200)
    const html = await renderPage({
      page: AnalyticsReport,
      path: '/analytics/report',
      data: r.body,
      lng: 'vi',
      namespace: 'results',
    })
    expect(html).toContain('<dd>Quý I/2026</dd>')
    expect(html).toContain('chưa phải bản công bố chính thức')
    expect(html).toMatch(/phiên bản 1 \(mã \d+\): 135 phiếu/)
    expect(html).toContain('Mở rộng dịch vụ công trực tuyến')
    expect(html).toContain('<td class="num">100,00%</td><td class="num">30</td>')
    expect(html).toContain('href="/analytics/export/csv?period=2026-Q1&amp;csv=vi"')
    const bad = await get(analyticsReportLoader, '/analytics/report?period=2026-Q9', {}, analyst)
    expect(bad.status).toBe(400)
  })
})
