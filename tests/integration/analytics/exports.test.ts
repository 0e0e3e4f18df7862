/**
 * The scores page and its downloads, called as loaders by a signed-in analyst: the page data, CSV, XLSX
 * and JSON must agree with each other and with the hand-computed numbers (fixture.ts), and the raw CSV
 * must hold every answer of every response. Bad input, other subtrees and anonymous visitors are refused.
 */
import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertAgency } from '#app/.server/repos/agencies.ts'
import { loader as pageLoader } from '#app/routes/analytics._index.tsx'
import { loader as exportLoader } from '#app/routes/analytics.export.$format.ts'
import { loader as responsesLoader } from '#app/routes/analytics.responses.$format.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { SNV, seedFixture } from './fixture.ts'
import { makeContext, run, signIn } from '#tests/helpers/remix.ts'
import { agencyId, CRITERIA, pct, seed } from './support.ts'

let t: TestDatabase
let context: AppLoadContext
let analyst: string
let snvAnalyst: string
const FORMULA_NAME = '=HYPERLINK("http://example.invalid","x")'
const FORMULA_SUGGESTION = '=1+1'
let suggestionResponseId: number
let hResponseIds: number[]

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  await seedFixture(t)
  // A unit whose name a spreadsheet would run as a formula, with 10 responses in 2026-Q1 (insufficient, so
  // rankings stay as in the fixture); one of them leaves a formula-like suggestion.
  await insertAgency(
    t.db,
    {
      code: 'DEMO-AL-FORMULA',
      nameVi: FORMULA_NAME,
      nameEn: FORMULA_NAME,
      level: 'department',
      parentId: await agencyId(t, 'DEMO-AL'),
      validFrom: '2015-01-01',
      validTo: null,
    },
    new Date().toISOString(),
  )
  await seed(t, [{ agency: 'DEMO-AL-FORMULA', at: '2026-02-02T03:00:00Z', profile: 'S', count: 9 }])
  ;[suggestionResponseId] = await seed(t, [
    {
      agency: 'DEMO-AL-FORMULA',
      at: '2026-02-03T03:00:00Z',
      profile: 'S',
      count: 1,
      extra: { 'S.suggestion': FORMULA_SUGGESTION },
    },
  ])
  hResponseIds = (
    await t.db.selectFrom('response').select('id').where('weight_micro', '=', 3_000_000).orderBy('id').execute()
  ).map((r) => r.id)
  const al = await signIn(context, 'analyst@example.vn', 'analyst', 'DEMO-AL')
  const snv = await signIn(context, 'snv@example.vn', 'analyst', 'DEMO-AL-SNV')
  ;[analyst, snvAnalyst] = [al.cookie, snv.cookie]
  // Raw microdata is a permission of its own (tests/integration/privacy covers it): these two have it.
  await t.db.updateTable('user').set({ can_export_microdata: 1 }).where('id', 'in', [al.userId, snv.userId]).execute()
})
afterAll(async () => {
  await t?.cleanup()
})

/** The export's rows, the byte-order mark dropped; a row of the wrong width fails the test. */
const csvRows = (text: string): string[][] => parse(text, { bom: true })
const req = (path: string, cookie: string | null = analyst, headers: Record<string, string> = {}) =>
  new Request(`http://localhost${path}`, { headers: { ...(cookie ? { Cookie: cookie } : {}), ...headers } })
const page = (search: string, cookie: string | null = analyst, headers: Record<string, string> = {}) =>
  run(() => pageLoader({ request: req(`/analytics${search}`, cookie, headers), context, params: {} }))
const download = (
  format: string,
  search: string,
  cookie: string | null = analyst,
  headers: Record<string, string> = {},
) =>
  run(() =>
    exportLoader({
      request: req(`/analytics/export/${format}${search}`, cookie, headers),
      context,
      params: { format },
    }),
  )
const raw = (search: string, cookie: string | null = analyst, headers: Record<string, string> = {}) =>
  run(() =>
    responsesLoader({
      request: req(`/analytics/responses/csv${search}`, cookie, headers),
      context,
      params: { format: 'csv' },
    }),
  )

// DEMO-AL in 2026-Q1 with the formula unit's 10 satisfied responses: (136 + 10)/(175 + 10).
const AL_SHARE = 146 / 185

describe('the scores page and its downloads agree', () => {
  type Row = {
    agency: { code: string }
    overall: {
      estimate: number | null
      n: number
      nEff: number
      status: string
      ci: { lower: number; upper: number } | null
    }
    rank: number | null
    rankOf: number
    change: number | null
    elements: Record<string, { estimate: number | null }>
    criteria?: Record<string, { estimate: number | null }>
  }
  let pageData: {
    query: { period: string }
    scores: { period: string; rows: Row[]; options: { weighting: string; method: string } }
  }
  let csv: string[][]
  let csvText: string
  let csvHeaders: Headers
  let json: { about: Record<string, string>; rows: Row[]; period: string }
  let xlsxScores: unknown[][]
  let xlsxAbout: Map<string, string>

  beforeAll(async () => {
    const p = await page('?period=2026-Q1')
    expect(p.status).toBe(200)
    pageData = p.body as typeof pageData
    const c = await download('csv', '?period=2026-Q1')
    expect(c.status).toBe(200)
    csvText = c.text
    csvHeaders = c.headers
    csv = csvRows(c.text)
    const j = await download('json', '?period=2026-Q1')
    expect(j.status).toBe(200)
    json = j.body as typeof json
    const x = await download('xlsx', '?period=2026-Q1')
    expect(x.status).toBe(200)
    expect(x.headers.get('Content-Type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(await x.response!.arrayBuffer())
    // The report-ready workbook (tests/integration/publication/report-downloads.test.ts covers it in full).
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      'Tổng hợp',
      'Xếp hạng sở, ban, ngành',
      'Xếp hạng xã, phường',
      'Chỉ số thành phần',
      'Tiêu chí',
      'Phương pháp',
      'Ghi chú kỹ thuật',
    ])
    xlsxScores = []
    workbook.getWorksheet('Tổng hợp')!.eachRow({ includeEmpty: false }, (r, i) => {
      if (i >= 3) xlsxScores.push((r.values as unknown[]).slice(1))
    })
    xlsxAbout = new Map()
    workbook.getWorksheet('Phương pháp')!.eachRow((r, i) => {
      if (i >= 4) xlsxAbout.set(String(r.getCell(1).value), String(r.getCell(2).value))
    })
  })

  const csvRow = (code: string) => {
    const header = csv[0]
    const found = csv.find((r) => r[0] === code)
    if (!found) throw new Error(`no CSV row ${code}`)
    return Object.fromEntries(header.map((h, i) => [h, found[i]]))
  }

  it('page data: the hand-computed numbers', () => {
    expect(pageData.query.period).toBe('2026-Q1')
    expect(pageData.scores.options).toMatchObject({ weighting: 'design', method: 'respondent-composite' })
    const snv = pageData.scores.rows.find((r) => r.agency.code === 'DEMO-AL-SNV')!
    expect(snv.overall.estimate).toBeCloseTo(SNV.overall, 12)
    expect(snv.overall.n).toBe(40)
    expect(snv.overall.nEff).toBeCloseTo(SNV.nEff, 9)
    expect([snv.rank, snv.rankOf]).toEqual([4, 4])
    expect(snv.change).toBeCloseTo(-42.48, 9)
    const al = pageData.scores.rows.find((r) => r.agency.code === 'DEMO-AL')!
    expect(al.overall.estimate).toBeCloseTo(AL_SHARE, 12)
    expect(al.overall.n).toBe(155)
    const formula = pageData.scores.rows.find((r) => r.agency.code === 'DEMO-AL-FORMULA')!
    expect(formula.overall).toMatchObject({ n: 10, status: 'insufficient' })
    expect(formula.rank).toBeNull()
  })

  it('CSV: BOM, CRLF, a header and one row per agency with the published values', () => {
    expect(csvText.startsWith('\uFEFFagency_code,agency_name,level,depth,status,overall_index_pct,')).toBe(true)
    expect(csvText.includes('\r\n')).toBe(true)
    expect(csv[0]).toEqual([
      'agency_code',
      'agency_name',
      'level',
      'depth',
      'status',
      'overall_index_pct',
      'ci_lower_pct',
      'ci_upper_pct',
      'interval_method',
      'n',
      'n_eff',
      'rank',
      'rank_of',
      'change_vs_2025-Q4_points',
      'E1_index_pct',
      'E2_index_pct',
      'E3_index_pct',
      'E4_index_pct',
      'E5_index_pct',
      'rate766_pct',
      'dossiers_settled',
      'response_per_invitation_pct',
      'response_per_dossier_pct',
      'shrunk_pct',
      'shrunk_lower_pct',
      'shrunk_upper_pct',
    ])
    expect(csv.length - 1).toBe(pageData.scores.rows.length)
    expect(csv.slice(1).map((r) => r[0])).toEqual(pageData.scores.rows.map((r) => r.agency.code))
    expect(csvRow('DEMO-AL-SNV')).toMatchObject({
      status: 'published',
      overall_index_pct: '54.29',
      n: '40',
      n_eff: '32.7',
      rank: '4',
      rank_of: '4',
      'change_vs_2025-Q4_points': '-42.48',
      E1_index_pct: String(pct(SNV.satisfiedElement)),
      E2_index_pct: String(pct(SNV.unsatisfiedElement)),
      depth: '1',
      // No dossier count and no invitation in this fixture: no denominator, empty cells (never 0).
      rate766_pct: '',
      response_per_invitation_pct: '',
      response_per_dossier_pct: '',
    })
    expect(csvRow('DEMO-AL')).toMatchObject({
      overall_index_pct: String(pct(AL_SHARE)),
      n: '155',
      rank: '1',
      rank_of: '1',
      depth: '0',
    })
    expect(csvRow('DEMO-AL-STP')).toMatchObject({ overall_index_pct: '100', ci_upper_pct: '100', rank: '1' })
    expect(csvRow('DEMO-AL-P-ANLAC')).toMatchObject({
      overall_index_pct: '80',
      rank: '3',
      'change_vs_2025-Q4_points': '-10',
    })
    // Insufficient: status says so and no value is published.
    expect(csvRow('DEMO-AL-SXD')).toMatchObject({
      status: 'insufficient',
      overall_index_pct: '',
      ci_lower_pct: '',
      rank: '',
      n: '10',
    })
  })

  it('CSV: a formula-like agency name is defused with a leading apostrophe', () => {
    expect(csvRow('DEMO-AL-FORMULA').agency_name).toBe(`'${FORMULA_NAME}`)
    expect(csvText).toContain(`"'=HYPERLINK(""http://example.invalid"",""x"")"`)
  })

  it('JSON: the same rows and numbers as the page, plus the statement of method', () => {
    expect(json.period).toBe('2026-Q1')
    // The page leaves out the criteria it does not show; the download carries them, and the rest is the page's.
    expect(json.rows.map(({ criteria: _notOnThePage, ...row }) => row)).toEqual(
      JSON.parse(JSON.stringify(pageData.scores.rows)),
    )
    for (const r of json.rows) expect(Object.keys(r.criteria ?? {}).length).toBeGreaterThan(0)
    expect(json.about).toMatchObject({
      period: '2026-Q1',
      previous_period: '2025-Q4',
      weighting: 'design',
      index_method: 'respondent-composite',
      boundaries: 'current',
      interval: 'beta 95%',
      filters: 'period=2026-Q1',
    })
    expect(new Date(json.about.generated_at).toISOString()).toBe(json.about.generated_at)
    // Every published number in the CSV is the JSON's estimate rounded.
    for (const r of json.rows) {
      const c = csvRow(r.agency.code)
      expect(c.overall_index_pct).toBe(r.overall.status === 'published' ? String(pct(r.overall.estimate!)) : '')
      expect(c.n).toBe(String(r.overall.n))
      expect(c.rank).toBe(r.rank === null ? '' : String(r.rank))
      if (r.overall.status === 'published') expect(Number(c.ci_lower_pct)).toBe(pct(r.overall.ci!.lower))
    }
  })

  it("XLSX: the summary sheet holds the CSV's numbers as typed cells; the method sheet states period and filters", () => {
    expect(xlsxScores.length).toBe(csv.length)
    expect(xlsxScores[0]!.slice(0, 4)).toEqual(['Mã đơn vị', 'Tên đơn vị', 'Cấp', 'Chỉ số hài lòng'])
    for (const row of xlsxScores.slice(1)) {
      const c = csvRow(String(row[0]))
      // Percentages are shares with a percent format: 54.29 % is 0.5429.
      expect(row[3] === undefined || row[3] === null ? '' : String(Math.round((row[3] as number) * 10_000) / 100)).toBe(
        c.overall_index_pct,
      )
      expect(String(row[6])).toBe(c.n)
    }
    const snv = xlsxScores.find((r) => r[0] === 'DEMO-AL-SNV')!
    expect(snv[3]).toBe(0.5429)
    expect(snv[6]).toBe(40)
    // The formula-like name is stored as text, never as a formula.
    const formula = xlsxScores.find((r) => r[0] === 'DEMO-AL-FORMULA')!
    expect(formula[1]).toBe(FORMULA_NAME)
    expect(xlsxAbout.get('Kỳ báo cáo')).toBe('Quý I/2026')
    expect(xlsxAbout.get('Điều kiện lọc')).toBe('period=2026-Q1')
    expect(xlsxAbout.get('Quy tắc công bố')).toContain('ít nhất 30 phiếu')
    expect(xlsxAbout.get('Thời điểm lập')).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/)
  })

  it("names the files with an RFC 5987 filename*=UTF-8''", () => {
    expect(csvHeaders.get('Content-Type')).toBe('text/csv; charset=utf-8')
    expect(csvHeaders.get('Content-Disposition')).toBe(
      `attachment; filename="hailong-SIPAS-2017-2026-Q1-all.csv"; filename*=UTF-8''hailong-SIPAS-2017-2026-Q1-all.csv`,
    )
  })

  it('sort=overall puts the highest published index first and units without a published index last', async () => {
    const p = await page('?period=2026-Q1&sort=overall')
    const rows = (p.body as typeof pageData).scores.rows
    const published = rows.filter((r) => r.overall.status === 'published').map((r) => r.overall.estimate!)
    expect(published).toEqual([...published].sort((a, b) => b - a))
    const firstInsufficient = rows.findIndex((r) => r.overall.status !== 'published')
    expect(rows.slice(firstInsufficient).every((r) => r.overall.status !== 'published')).toBe(true)
    const c = await download('csv', '?period=2026-Q1&sort=overall')
    expect(
      csvRows(c.text)
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual(rows.map((r) => r.agency.code).sort())
  })

  it('in English the names are English and the numbers the same', async () => {
    const c = await download('csv', '?period=2026-Q1&lng=en')
    const rows = csvRows(c.text)
    const snv = rows.find((r) => r[0] === 'DEMO-AL-SNV')!
    expect(snv[1]).toBe('An Lac Department of Home Affairs (demo)')
    expect(snv[5]).toBe('54.29')
  })

  it('the downloads follow the filters: unweighted, one agency', async () => {
    const c = await download('csv', '?period=2026-Q1&weighting=unweighted&agency=DEMO-AL-SNV')
    expect(c.status).toBe(200)
    expect(c.headers.get('Content-Disposition')).toContain(
      `filename*=UTF-8''hailong-SIPAS-2017-2026-Q1-DEMO-AL-SNV.csv`,
    )
    const rows = csvRows(c.text)
    expect(rows.length).toBe(2)
    expect(rows[1][0]).toBe('DEMO-AL-SNV')
    expect(rows[1][5]).toBe('65') // (20 + 10·0.6)/40
    expect(rows[1][9]).toBe('40')
  })
})

describe('the raw responses CSV', () => {
  it('has one line per response in scope and period, with every answer', async () => {
    const r = await raw('?period=2026-Q1')
    expect(r.status).toBe(200)
    expect(r.headers.get('Content-Disposition')).toContain(
      `filename*=UTF-8''hailong-responses-SIPAS-2017-2026-01-2026-03.csv`,
    )
    expect(r.text.startsWith('\uFEFFresponse_id,submitted_at,period_month,agency_code,')).toBe(true)
    const rows = csvRows(r.text)
    const header = rows[0]
    for (const code of [...CRITERIA, 'S.suggestion', 'O.overall']) expect(header).toContain(code)
    const data = rows.slice(1)
    // SNV 40 + STP 30 + SXD 10 + SNNMT 30 + P-ANLAC 35 + the formula unit 10.
    expect(data.length).toBe(155)
    expect(new Set(data.map((d) => d[0])).size).toBe(155)
    const byId = new Map(data.map((d) => [Number(d[0]), Object.fromEntries(header.map((h, i) => [h, d[i]]))]))
    const h = byId.get(hResponseIds[0])!
    expect(h).toMatchObject({
      agency_code: 'DEMO-AL-SNV',
      period_month: '2026-01',
      weight: '3',
      'E1.1': '4',
      'E2.1': '1',
      'E4.2': '3',
      'E5.4': '4',
    })
    for (const code of CRITERIA) expect(h[code]).not.toBe('')
    // Formula-like text is defused here too.
    expect(byId.get(suggestionResponseId)!['S.suggestion']).toBe(`'${FORMULA_SUGGESTION}`)
    // The response of 2026-04-01 (Vietnam time) is not in Q1; 2026-01-01 00:30 is, given as its day there.
    expect(data.filter((d) => d[3] === 'DEMO-AL-STP').length).toBe(30)
    expect(data.some((d) => d[1] === '2026-01-01')).toBe(true)
    expect(data.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d[1]))).toBe(true)
  })

  it("is limited to the analyst's subtree", async () => {
    const r = await raw('?period=2026-Q1', snvAnalyst)
    expect(r.status).toBe(200)
    const data = csvRows(r.text).slice(1)
    expect(data.length).toBe(40)
    expect(new Set(data.map((d) => d[3]))).toEqual(new Set(['DEMO-AL-SNV']))
  })
})

describe('refusals', () => {
  const vi = {
    period: 'Kỳ báo cáo không hợp lệ. Dùng dạng 2026, 2026-Q3 hoặc 2026-09.',
    weighting: 'Cách tính trọng số không hợp lệ.',
    forbidden: 'Cơ quan này nằm ngoài phạm vi bạn được xem.',
  }

  it('bad query parameters: 400 with a translated message', async () => {
    for (const call of [
      () => page('?period=2026-Q9'),
      () => download('csv', '?period=2026-Q9'),
      () => download('xlsx', '?period=2026-Q9'),
      () => raw('?period=2026-Q9'),
    ]) {
      expect(await call()).toMatchObject({ status: 400, body: vi.period, thrown: true })
    }
    expect(await page('?period=2026&weighting=foo')).toMatchObject({ status: 400, body: vi.weighting })
    expect(await download('json', '?weighting=foo')).toMatchObject({ status: 400, body: vi.weighting })
    expect(await page('?period=2026-Q9', analyst, { 'Accept-Language': 'en' })).toMatchObject({
      status: 400,
      body: 'The period is not valid. Use 2026, 2026-Q3 or 2026-09.',
    })
    expect(await page('?period=2026-Q9&lng=en')).toMatchObject({
      status: 400,
      body: 'The period is not valid. Use 2026, 2026-Q3 or 2026-09.',
    })
  })

  it("an agency outside the analyst's subtree: 403", async () => {
    expect(await page('?period=2026-Q1&agency=DEMO-BS')).toMatchObject({ status: 403, body: vi.forbidden })
    expect(await page('?period=2026-Q1&agency=DEMO-AL-STP', snvAnalyst)).toMatchObject({
      status: 403,
      body: vi.forbidden,
    })
    expect(await download('csv', '?period=2026-Q1&agency=DEMO-AL', snvAnalyst)).toMatchObject({ status: 403 })
    expect(await raw('?period=2026-Q1&agency=DEMO-BS')).toMatchObject({ status: 403, body: vi.forbidden })
  })

  it('an analyst without an agency parameter sees their own subtree only', async () => {
    const p = await page('?period=2026-Q1', snvAnalyst)
    expect(
      (p.body as { scores: { rows: Array<{ agency: { code: string } }> } }).scores.rows.map((r) => r.agency.code),
    ).toEqual(['DEMO-AL-SNV'])
    expect((p.body as { agencies: Array<{ code: string }> }).agencies.map((a) => a.code)).toEqual(['DEMO-AL-SNV'])
  })

  it('an unknown format is 404', async () => {
    expect((await download('pdf', '?period=2026-Q1')).status).toBe(404)
    expect(
      (
        await run(() =>
          responsesLoader({ request: req('/analytics/responses/xlsx'), context, params: { format: 'xlsx' } }),
        )
      ).status,
    ).toBe(404)
  })

  it('anonymous: pages redirect to /login (302), JSON clients get 401', async () => {
    for (const r of [
      await page('?period=2026-Q1', null),
      await download('csv', '?period=2026-Q1', null),
      await raw('?period=2026-Q1', null),
    ]) {
      expect(r.status).toBe(302)
      expect(r.headers.get('Location')).toMatch(/^\/login\?redirectTo=%2Fanalytics/)
    }
    expect((await page('?period=2026-Q1', null)).headers.get('Location')).toBe(
      `/login?redirectTo=${encodeURIComponent('/analytics?period=2026-Q1')}`,
    )
    expect(await download('json', '?period=2026-Q1', null, { Accept: 'application/json' })).toMatchObject({
      status: 401,
      body: { error: 'unauthorized' },
    })
    // A forged or unknown session cookie is anonymous too.
    expect((await page('?period=2026-Q1', `hl_session=${'a'.repeat(43)}`)).status).toBe(302)
  })
})
