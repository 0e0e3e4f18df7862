/**
 * The report-ready tables (app/domain/export/report.ts) and the CSV dialects (app/.server/exports/csv.ts):
 * labels in the reader's language from the real translations, typed values, Excel-safe sheet names,
 * rankings by level with the units without a rank last, and `;` with decimal commas only when asked.
 */
import i18next from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import { csvCell, csvDialectOf, csvDocument, csvLine } from '#app/.server/exports/csv.ts'
import { buildReport, type ReportTranslate, sheetName } from '#app/domain/export/report.ts'
import {
  buildReleaseDocument,
  type ReleaseInputCell,
  type ReleaseInputRow,
} from '#app/domain/publication/release-document.ts'
import { DEFAULT_PUBLICATION_RULES } from '#app/domain/statistics/publication.ts'
import { resources } from '#app/i18n/config.ts'

const cell = (estimate: number, n = 100, status = 'published'): ReleaseInputCell => ({
  estimate,
  ci: { lower: estimate - 0.05, upper: Math.min(1, estimate + 0.05) },
  intervalMethod: 'beta',
  n,
  nEff: n * 0.9,
  status,
})

const row = (
  id: number,
  code: string,
  level: string,
  overall: ReleaseInputCell,
  change: number | null = null,
): ReleaseInputRow => ({
  agency: { id, code, nameVi: `Đơn vị ${code}`, nameEn: `Unit ${code}`, level, parentId: id === 1 ? null : 1 },
  overall,
  elements: { A: overall },
  criteria: { 'A.1': overall },
  change,
  depth: id === 1 ? 0 : 1,
})

const document = buildReleaseDocument({
  questionnaire: { code: 'SIPAS', nameVi: 'Chỉ số SIPAS', nameEn: 'SIPAS index', versionId: 3 },
  elements: [
    { code: 'A', titleVi: 'Tiếp cận', titleEn: 'Access', criteria: [{ code: 'A.1', labelVi: 'Dễ', labelEn: 'Easy' }] },
  ],
  period: '2026-9M',
  previousPeriod: '2025-9M',
  months: { from: '2026-01', to: '2026-09' },
  boundaries: 'current',
  options: {
    weighting: 'design',
    method: 'respondent-composite',
    interval: 'beta',
    level: 0.95,
    rules: DEFAULT_PUBLICATION_RULES,
  },
  rows: [
    row(1, 'P', 'province', cell(0.9029, 300), 4.03),
    row(2, 'S1', 'department', cell(0.8, 120), -1.5),
    row(3, 'S2', 'department', cell(0.95, 80)),
    row(4, 'S3', 'department', cell(0.5, 10, 'insufficient')),
    row(5, 'X1', 'commune', cell(0.7, 60)),
  ],
  scope: { code: 'P', nameVi: 'Tỉnh', nameEn: 'Province', level: 'province' },
  population: [],
  dataCutoff: '2026-10-01T00:00:00.000Z',
  appVersion: '1.0.0',
})

const translators: Record<'vi' | 'en', ReportTranslate> = { vi: () => '', en: () => '' }
beforeAll(async () => {
  for (const lng of ['vi', 'en'] as const) {
    const i18n = i18next.createInstance()
    await i18n.init({ lng, resources, defaultNS: 'results', interpolation: { escapeValue: false } })
    translators[lng] = (key, values) => i18n.t(key, values as Record<string, string>)
  }
})

const report = (lng: 'vi' | 'en', extra = {}) =>
  buildReport(document, {
    lng,
    t: translators[lng],
    generatedAt: '2026-10-02T03:00:00.000Z',
    versions: [{ versionId: 7, versionNumber: 2, responses: 570 }],
    ...extra,
  })

describe('buildReport', () => {
  it('names the sheets and columns in Vietnamese, with the period label', () => {
    const r = report('vi')
    expect(r.periodLabel).toBe('9 tháng đầu năm 2026')
    expect(r.title).toBe('Báo cáo kết quả đo lường sự hài lòng — Tỉnh — 9 tháng đầu năm 2026')
    expect(r.tables.map((t) => t.name)).toEqual([
      'Tổng hợp',
      'Xếp hạng sở, ban, ngành',
      'Xếp hạng xã, phường',
      'Chỉ số thành phần',
      'Tiêu chí',
      'Phương pháp',
    ])
    const overall = r.tables[0]!
    expect(overall.columns.map((c) => c.header)).toContain('Thay đổi so với 9 tháng đầu năm 2025 (điểm %)')
    expect(overall.columns.at(-1)).toEqual({ header: 'A. Tiếp cận', kind: 'percent' })
  })

  it('in English', () => {
    const r = report('en')
    expect(r.periodLabel).toBe('First nine months of 2026')
    expect(r.tables.map((t) => t.name)).toEqual([
      'Summary',
      'Ranking - departments',
      'Ranking - communes',
      'Elements',
      'Criteria',
      'Method',
    ])
  })

  it('keeps numbers as numbers, each column typed; withheld values are null', () => {
    const overall = report('vi').tables[0]!
    const kinds = Object.fromEntries(overall.columns.map((c) => [c.header, c.kind]))
    expect(kinds).toMatchObject({ 'Chỉ số hài lòng': 'percent', 'Số phiếu': 'integer', 'Cỡ mẫu hiệu dụng': 'decimal' })
    const p = overall.rows.find((r) => r[0] === 'P')!
    const at = (header: string) => overall.columns.findIndex((c) => c.header === header)
    expect(p[at('Chỉ số hài lòng')]).toBe(90.29)
    expect(p[at('Số phiếu')]).toBe(300)
    expect(p[at('Thay đổi so với 9 tháng đầu năm 2025 (điểm %)')]).toBe(4.03)
    expect(p[at('Cấp')]).toBe('Tỉnh, thành phố')
    const s3 = overall.rows.find((r) => r[0] === 'S3')!
    expect(s3[at('Chỉ số hài lòng')]).toBeNull()
    expect(s3[at('Tình trạng')]).toBe('Chưa đủ số liệu')
    for (const table of report('vi').tables)
      for (const r of table.rows) {
        expect(r.length).toBe(table.columns.length)
        r.forEach((v, i) => {
          if (v !== null && table.columns[i]!.kind !== 'text') expect(typeof v).toBe('number')
        })
      }
  })

  it('ranks departments among themselves, ties and the unranked last; the province is not ranked with them', () => {
    const ranking = report('vi').tables.find((t) => t.key === 'ranking-department')!
    expect(ranking.rows.map((r) => [r[0], r[1], r[2]])).toEqual([
      [1, 2, 'S2'],
      [2, 2, 'S1'],
      [null, 2, 'S3'],
    ])
    expect(report('vi').tables.some((t) => t.rows.some((r) => t.key.startsWith('ranking') && r[2] === 'P'))).toBe(false)
  })

  it('the method names the versions used, the live status and the extra columns travel', () => {
    const r = report('vi', {
      filters: 'period=2026-9M',
      extraOverall: {
        columns: [{ header: 'Tỷ lệ 766', kind: 'percent' }],
        values: new Map([['P', [88.5]]]),
      },
    })
    const method = new Map(r.method)
    expect(method.get('Phiên bản bộ câu hỏi đã dùng')).toBe('phiên bản 2 (mã 7): 570 phiếu')
    expect(method.get('Kỳ báo cáo')).toBe('9 tháng đầu năm 2026')
    expect(method.get('Thời gian thu thập phiếu')).toBe('Từ tháng 1/2026 đến tháng 9/2026')
    expect(method.get('Loại số liệu')).toContain('chưa phải bản công bố chính thức')
    expect(method.get('Điều kiện lọc')).toBe('period=2026-9M')
    expect(method.get('Số liệu tính đến')).toBe('01/10/2026 07:00')
    const overall = r.tables[0]!
    expect(overall.columns.at(-1)).toEqual({ header: 'Tỷ lệ 766', kind: 'percent' })
    expect(overall.rows.find((x) => x[0] === 'P')!.at(-1)).toBe(88.5)
    expect(overall.rows.find((x) => x[0] === 'S1')!.at(-1)).toBeNull()
    const released = report('vi', { release: { id: 12, sha256: 'ab'.repeat(32), publishedAt: '2026-10-05T02:00:00Z' } })
    expect(new Map(released.method).get('Bản công bố chính thức')).toBe(
      `Bản #12, công bố lúc 05/10/2026 09:00; SHA-256 ${'ab'.repeat(32)}`,
    )
  })
})

describe('expectations', () => {
  it('have a sheet of their own when the data has them, before the method', () => {
    const r = report('vi', {
      expectations: {
        n: 40,
        items: [
          { labelVi: 'Rút ngắn thời gian giải quyết', labelEn: 'Shorter processing time', percent: 62.5, count: 25 },
          { labelVi: 'Mở rộng dịch vụ công trực tuyến', labelEn: 'More online public services', percent: 10, count: 4 },
        ],
      },
    })
    expect(r.tables.map((t) => t.key).slice(-2)).toEqual(['expectations', 'method'])
    const table = r.tables.find((t) => t.key === 'expectations')!
    expect(table.name).toBe('Mong đợi')
    expect(table.title).toBe('Mong đợi của người dân và tổ chức về Tỉnh, 9 tháng đầu năm 2026 (40 người trả lời)')
    expect(table.rows[0]).toEqual(['Rút ngắn thời gian giải quyết', 62.5, 25])
    expect(report('vi').tables.some((t) => t.key === 'expectations')).toBe(false)
    expect(report('vi', { expectations: { n: 3, items: [] } }).tables.some((t) => t.key === 'expectations')).toBe(false)
  })
})

describe('sheetName', () => {
  it('drops the characters Excel refuses and cuts at 31', () => {
    expect(sheetName('Xếp hạng: sở/ban [ngành]?*\\')).toBe('Xếp hạng- sở-ban -ngành----')
    expect(sheetName('x'.repeat(40))).toHaveLength(31)
  })
})

describe('CSV dialects', () => {
  it('the default is RFC 4180 with a decimal point; vi uses ";" and a decimal comma', () => {
    expect(csvLine(['a', 54.29, -1.5, null, 'x,y'])).toBe('a,54.29,-1.5,,"x,y"\r\n')
    expect(csvLine(['a', 54.29, -1.5, null, 'x,y'], 'vi')).toBe('a;54,29;-1,5;;x,y\r\n')
    expect(csvCell('a;b', 'vi')).toBe('"a;b"')
    expect(csvCell('a;b')).toBe('a;b')
    // Text that a spreadsheet would run stays defused in both; a negative number is a number.
    expect(csvCell('=1+1', 'vi')).toBe("'=1+1")
    expect(csvDocument(['x', 'y'], [[1.5, 'z']], 'vi')).toBe('\uFEFFx;y\r\n1,5;z\r\n')
  })

  it('?csv=vi picks the Vietnamese dialect; absent is the default; any other value is refused (null)', () => {
    expect(csvDialectOf(new URLSearchParams(''))).toBe('rfc4180')
    expect(csvDialectOf(new URLSearchParams('csv='))).toBe('rfc4180')
    expect(csvDialectOf(new URLSearchParams('csv=vi'))).toBe('vi')
    expect(csvDialectOf(new URLSearchParams('csv=VI'))).toBeNull()
    expect(csvDialectOf(new URLSearchParams('csv=semicolon'))).toBeNull()
  })
})
