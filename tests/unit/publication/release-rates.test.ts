/**
 * The QĐ 766 and response rates of a release document (app/domain/publication/release-rates.ts): read the
 * same by the page, the downloads, the printed report and the diff; absent from documents made before the
 * rates existed, which then read exactly as they were published.
 */
import { describe, expect, it } from 'vitest'
import {
  buildReleaseDocument,
  diffReleases,
  type ReleaseInput,
  type ReleaseInputCell,
  type ReleaseInputRow,
} from '#app/domain/publication/release-document.ts'
import {
  documentHasRates,
  documentShowsRates,
  publishedRates,
  rateCells,
  rateReportColumns,
} from '#app/domain/publication/release-rates.ts'
import { rate766 } from '#app/domain/scoring/rate-766.ts'
import { DEFAULT_PUBLICATION_RULES } from '#app/domain/statistics/publication.ts'

const cell = (estimate: number): ReleaseInputCell => ({
  estimate,
  ci: { lower: estimate - 0.05, upper: estimate + 0.05 },
  intervalMethod: 'beta',
  n: 100,
  nEff: 90,
  status: 'published',
})

type Rates = Pick<ReleaseInputRow, 'rate766' | 'responseRate'>

function row(id: number, code: string, rates: Rates | null): ReleaseInputRow {
  return {
    agency: { id, code, nameVi: `Đơn vị ${code}`, nameEn: `Unit ${code}`, level: 'department', parentId: 1 },
    overall: cell(0.9),
    elements: { A: cell(0.9) },
    criteria: { 'A.1': cell(0.9) },
    change: null,
    depth: 1,
    ...(rates ?? {}),
  }
}

function doc(rows: ReleaseInputRow[]) {
  const input: ReleaseInput = {
    questionnaire: { code: 'SIPAS', nameVi: 'SIPAS', nameEn: 'SIPAS', versionId: 1 },
    elements: [{ code: 'A', titleVi: 'A', titleEn: 'A', criteria: [{ code: 'A.1', labelVi: 'a', labelEn: 'a' }] }],
    period: '2026-Q1',
    previousPeriod: '2025-Q4',
    months: { from: '2026-01', to: '2026-03' },
    boundaries: 'current',
    options: {
      weighting: 'unweighted',
      method: 'respondent-composite',
      interval: 'beta',
      level: 0.95,
      rules: DEFAULT_PUBLICATION_RULES,
    },
    rows,
    scope: { code: 'P', nameVi: 'Tỉnh', nameEn: 'Province', level: 'province' },
    population: [],
    dataCutoff: '2026-04-01T00:00:00.000Z',
    appVersion: 'test',
  }
  return buildReleaseDocument(input)
}

// (160 − 2 − 2 − 1)/160 = 96,875 → 96,88 %; 155 dossiers kept.
const SNV: Rates = {
  rate766: rate766({ settled: 160, late: 2, complained: 2, dissatisfied: 1 }, 'survey'),
  responseRate: { perInvitation: 40, perDossier: 27.5 },
}
// No dossier count: no 766 rate, no rate per dossier; invitations only.
const SXD: Rates = { rate766: null, responseRate: { perInvitation: 50, perDossier: null } }

describe('release rates', () => {
  it('reads the frozen rates, null where there is no denominator', () => {
    const d = doc([row(2, 'SNV', SNV), row(3, 'SXD', SXD)])
    expect(documentHasRates(d)).toBe(true)
    const [snv, sxd] = d.agencies
    expect(publishedRates(snv!)).toEqual({
      rate766: 96.88,
      settled: 160,
      kept: 155,
      perInvitation: 40,
      perDossier: 27.5,
    })
    expect(rateCells(sxd!)).toEqual([null, null, 50, null])
  })

  it('says "no rates" for a document made before them, and adds no columns', () => {
    const old = doc([row(2, 'SNV', null)])
    expect(documentHasRates(old)).toBe(false)
    expect(publishedRates(old.agencies[0]!)).toBeNull()
    expect(rateReportColumns(old, (k) => k)).toBeUndefined()
  })

  it('shows rates only where one has a denominator; downloads keep the columns', () => {
    const empty: Rates = { rate766: null, responseRate: { perInvitation: null, perDossier: null } }
    const none = doc([row(2, 'SNV', empty)])
    expect(documentHasRates(none)).toBe(true)
    expect(documentShowsRates(none)).toBe(false)
    expect(rateReportColumns(none, (k) => k)?.values.get('SNV')).toEqual([null, null, null, null])
    expect(documentShowsRates(doc([row(2, 'SNV', empty), row(3, 'SXD', SXD)]))).toBe(true)
    expect(documentShowsRates(doc([row(2, 'SNV', null)]))).toBe(false)
  })

  it('gives the report four numeric columns headed by their translation keys', () => {
    const extra = rateReportColumns(doc([row(2, 'SNV', SNV)]), (k) => `«${k}»`)!
    expect(extra.columns).toEqual([
      { header: '«report.columns.rate766_pct»', kind: 'percent' },
      { header: '«report.columns.dossiers_settled»', kind: 'integer' },
      { header: '«report.columns.response_per_invitation_pct»', kind: 'percent' },
      { header: '«report.columns.response_per_dossier_pct»', kind: 'percent' },
    ])
    expect(extra.values.get('SNV')).toEqual([96.88, 160, 40, 27.5])
  })

  it('lists the rates that moved in a correction', () => {
    const before = doc([row(2, 'SNV', SNV), row(3, 'SXD', SXD)])
    const corrected: Rates = {
      // Three more dossiers settled late: (160 − 5 − 2 − 1)/160 = 95 %.
      rate766: rate766({ settled: 160, late: 5, complained: 2, dissatisfied: 1 }, 'survey'),
      responseRate: { perInvitation: 40, perDossier: 27.5 },
    }
    const after = doc([row(2, 'SNV', corrected), row(3, 'SXD', SXD)])
    expect(diffReleases(before, after)).toEqual([{ agency: 'SNV', quantity: 'rate766', before: 96.88, after: 95 }])
    expect(diffReleases(before, before)).toEqual([])
  })

  it('lists no rate changes against a release that did not publish rates', () => {
    const old = doc([row(2, 'SNV', null)])
    const now = doc([row(2, 'SNV', SNV)])
    expect(diffReleases(old, now)).toEqual([])
    expect(diffReleases(now, old)).toEqual([])
  })
})
