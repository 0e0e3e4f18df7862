/**
 * The drivers of overall satisfaction (docs/insight.md) as a table of the report-ready workbook: one row
 * per element, then per criterion, with its importance (share of R²), the bootstrap interval and the
 * published score, each as a rounded percentage like every other percentage of the workbook. An analysis
 * with too few respondents, or nothing to explain, is one row saying so. Labels in the reader's language.
 */
import type { DriverAnalysisView } from '../insight/drivers.ts'
import { publishedPercent } from '../statistics/publication.ts'
import type { ReportCell, ReportTable, ReportTranslate } from './report.ts'
import { sheetName } from './report.ts'

export interface DriversForReport {
  agency: { code: string; nameVi: string; nameEn: string } | null
  period: string
  elements: DriverAnalysisView
  criteria: DriverAnalysisView
  labels: {
    elements: Array<{ code: string; titleVi: string; titleEn: string }>
    criteria: Array<{ code: string; labelVi: string; labelEn: string }>
  }
}

const percent = (share: number | null | undefined) =>
  share === null || share === undefined || !Number.isFinite(share) ? null : publishedPercent(share)

export function driversTable(drivers: DriversForReport, lng: 'vi' | 'en', t: ReportTranslate): ReportTable {
  const en = lng === 'en'
  const names = new Map<string, string>([
    ...drivers.labels.elements.map((e): [string, string] => [e.code, en ? e.titleEn : e.titleVi]),
    ...drivers.labels.criteria.map((c): [string, string] => [c.code, en ? c.labelEn : c.labelVi]),
  ])
  const rows: ReportCell[][] = []
  for (const [kind, analysis] of [
    ['element', drivers.elements],
    ['criterion', drivers.criteria],
  ] as const) {
    const kindLabel = t(`report.drivers.${kind}`)
    if (analysis.status !== 'ok') {
      const note =
        analysis.status === 'insufficient'
          ? t('report.drivers.insufficient', { n: analysis.n, needed: analysis.needed })
          : t('report.drivers.noVariation')
      rows.push([kindLabel, null, note, null, null, null, null, analysis.n, null, null])
      continue
    }
    const method = t(`report.drivers.methods.${analysis.method}`)
    for (const item of analysis.items)
      rows.push([
        kindLabel,
        item.code,
        names.get(item.code) ?? item.code,
        percent(item.importance),
        percent(item.importanceCi?.lower),
        percent(item.importanceCi?.upper),
        percent(item.score),
        analysis.n,
        percent(analysis.rSquared),
        method,
      ])
  }
  const scope = drivers.agency ? (en ? drivers.agency.nameEn : drivers.agency.nameVi) : ''
  return {
    key: 'drivers',
    name: sheetName(t('report.sheets.drivers')),
    title: t('report.titles.drivers', { scope, period: drivers.period }),
    columns: [
      { header: t('report.columns.driverKind'), kind: 'text' },
      { header: t('report.columns.driverCode'), kind: 'text' },
      { header: t('report.columns.item'), kind: 'text' },
      { header: t('report.columns.importance'), kind: 'percent' },
      { header: t('report.columns.importanceLower'), kind: 'percent' },
      { header: t('report.columns.importanceUpper'), kind: 'percent' },
      { header: t('report.columns.score'), kind: 'percent' },
      { header: t('report.columns.driverN'), kind: 'integer' },
      { header: t('report.columns.rSquared'), kind: 'percent' },
      { header: t('report.columns.driverMethod'), kind: 'text' },
    ],
    rows,
  }
}
