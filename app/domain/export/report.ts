/**
 * The report-ready tables of a score table (issue 17 point 6): what a Sở Nội vụ pastes into its quarterly
 * report, in the reader's language. One shape feeds the XLSX workbook and the printable report, for a
 * published release and for the live analytics alike: both are first turned into a release document
 * (`buildReleaseDocument`), so a live download and a frozen one read the same way.
 *
 * Percentages are kept as the published, rounded percentage (90.29); a writer decides how to show them (the
 * workbook stores 0.9029 with a percent format). Labels come from the `results` namespace's `report` keys.
 */
import { formatDateTime } from '../format.ts'
import { formatPeriodEn, formatPeriodVi, periodLabel } from '../period.ts'
import type { RankGroup, ReleaseAgency, ReleaseCell, ReleaseDocument } from '../publication/release-document.ts'

/** Translates a key of the `results` namespace in the reader's language. */
export type ReportTranslate = (key: string, values?: Record<string, unknown>) => string

/** How a column's values are written: percentages and points carry a number format, never text. */
export type ColumnKind = 'text' | 'integer' | 'percent' | 'points' | 'decimal'

export type ReportCell = string | number | null

export interface ReportColumn {
  header: string
  kind: ColumnKind
}

export interface ReportTable {
  /** Stable key: overall, elements, criteria, ranking-<group>, method. */
  key: string
  /** Sheet name: at most 31 characters, none of \ / ? * [ ] : (Excel's rules). */
  name: string
  /** A sentence above the table in the printed report and the sheet's first line. */
  title: string
  columns: ReportColumn[]
  rows: ReportCell[][]
}

/** What a report says about where its numbers come from, besides the document. */
export interface ReportContext {
  lng: 'vi' | 'en'
  t: ReportTranslate
  /** ISO time the file or page was made. */
  generatedAt: string
  /** The questionnaire versions the period was answered on, with their responses; null when unknown. */
  versions: Array<{ versionId: number; versionNumber: number; responses: number }> | null
  /** A published release: its id and hash, stated in the method table. */
  release?: { id: number; sha256: string; publishedAt: string | null }
  /** The live page's query, stated so a reader can ask again. */
  filters?: string
  /**
   * What respondents of the scope expect most (the questionnaire's expectation item), when the data has
   * it: each option with the share choosing it (a percentage) and how many did; n answered the item.
   */
  expectations?: { n: number; items: Array<{ labelVi: string; labelEn: string; percent: number; count: number }> }
  /** Extra columns for the overall table, by agency code (e.g. response and QĐ 766 rates). */
  extraOverall?: { columns: ReportColumn[]; values: Map<string, ReportCell[]> }
}

export interface Report {
  title: string
  periodLabel: string
  tables: ReportTable[]
  /** Label and value pairs of the method table, also printed under the report's title. */
  method: Array<[string, string]>
}

const SHEET_NAME_MAX = 31

/** A name Excel accepts for a sheet: forbidden characters replaced, cut at 31 characters. */
export function sheetName(text: string): string {
  return text.replace(/[\\/?*[\]:]/g, '-').slice(0, SHEET_NAME_MAX)
}

const monthsLabel = (months: { from: string; to: string }, lng: 'vi' | 'en') =>
  (lng === 'en' ? formatPeriodEn : formatPeriodVi)({ kind: 'range', fromMonth: months.from, toMonth: months.to })

export function buildReport(doc: ReleaseDocument, context: ReportContext): Report {
  const { t, lng } = context
  const en = lng === 'en'
  const name = (a: { nameVi: string; nameEn: string }) => (en ? a.nameEn : a.nameVi)
  const period = periodLabel(doc.period, lng)
  const status = (cell: ReleaseCell | undefined) =>
    t(`report.status.${cell?.status ?? 'insufficient'}`, { defaultValue: cell?.status ?? '' })
  const level = (code: string) => t(`report.levels.${code}`, { defaultValue: code })
  const col = (key: string, kind: ColumnKind, values?: Record<string, unknown>): ReportColumn => ({
    header: t(`report.columns.${key}`, values),
    kind,
  })
  const scoreColumns = [col('score', 'percent'), col('lower', 'percent'), col('upper', 'percent'), col('n', 'integer')]
  const scoreValues = (c: ReleaseCell | undefined): ReportCell[] => [
    c?.percent ?? null,
    c?.lower ?? null,
    c?.upper ?? null,
    c?.n ?? 0,
  ]
  const elementTitle = (e: { code: string; titleVi: string; titleEn: string }) =>
    `${e.code}. ${en ? e.titleEn : e.titleVi}`
  const extra = context.extraOverall

  const overall: ReportTable = {
    key: 'overall',
    name: sheetName(t('report.sheets.overall')),
    title: t('report.titles.overall', { period }),
    columns: [
      col('code', 'text'),
      col('agency', 'text'),
      col('level', 'text'),
      ...scoreColumns,
      col('nEff', 'decimal'),
      col('status', 'text'),
      col('change', 'points', { period: periodLabel(doc.previousPeriod, lng) }),
      col('rankGroup', 'text'),
      col('rank', 'integer'),
      col('rankOf', 'integer'),
      ...doc.questionnaire.elements.map((e) => ({ header: elementTitle(e), kind: 'percent' as const })),
      ...(extra?.columns ?? []),
    ],
    rows: doc.agencies.map((a) => [
      a.code,
      name(a),
      level(a.level),
      ...scoreValues(a.overall),
      a.overall.nEff,
      status(a.overall),
      a.change,
      a.rank ? t(`report.groups.${a.rank.group}`) : null,
      a.rank?.rank ?? null,
      a.rank ? a.rank.of : null,
      ...doc.questionnaire.elements.map((e) => a.elements[e.code]?.percent ?? null),
      ...(extra ? (extra.values.get(a.code) ?? extra.columns.map(() => null)) : []),
    ]),
  }

  const elements: ReportTable = {
    key: 'elements',
    name: sheetName(t('report.sheets.elements')),
    title: t('report.titles.elements', { period }),
    columns: [
      col('code', 'text'),
      col('agency', 'text'),
      col('element', 'text'),
      ...scoreColumns,
      col('nEff', 'decimal'),
      col('status', 'text'),
    ],
    rows: doc.agencies.flatMap((a) =>
      doc.questionnaire.elements.map((e) => {
        const c = a.elements[e.code]
        return [a.code, name(a), elementTitle(e), ...scoreValues(c), c?.nEff ?? 0, status(c)]
      }),
    ),
  }

  const criteria: ReportTable = {
    key: 'criteria',
    name: sheetName(t('report.sheets.criteria')),
    title: t('report.titles.criteria', { period }),
    columns: [
      col('code', 'text'),
      col('agency', 'text'),
      col('element', 'text'),
      col('criterion', 'text'),
      ...scoreColumns,
      col('nEff', 'decimal'),
      col('status', 'text'),
    ],
    rows: doc.agencies.flatMap((a) =>
      doc.questionnaire.elements.flatMap((e) =>
        e.criteria.map((c) => {
          const cell = a.criteria[c.code]
          return [
            a.code,
            name(a),
            elementTitle(e),
            `${c.code}. ${en ? c.labelEn : c.labelVi}`,
            ...scoreValues(cell),
            cell?.nEff ?? 0,
            status(cell),
          ]
        }),
      ),
    ),
  }

  const rankings = rankingTables(doc, context, period)

  const expectations: ReportTable[] = context.expectations?.items.length
    ? [
        {
          key: 'expectations',
          name: sheetName(t('report.sheets.expectations')),
          title: t('report.titles.expectations', {
            scope: name(doc.scope),
            period,
            n: context.expectations.n,
          }),
          columns: [col('expectation', 'text'), col('chosenShare', 'percent'), col('chosenCount', 'integer')],
          rows: context.expectations.items.map((e) => [en ? e.labelEn : e.labelVi, e.percent, e.count]),
        },
      ]
    : []

  const method = methodLines(doc, context)
  const methodTable: ReportTable = {
    key: 'method',
    name: sheetName(t('report.sheets.method')),
    title: t('report.titles.method'),
    columns: [col('item', 'text'), col('value', 'text')],
    rows: method,
  }
  return {
    title: t('report.title', { scope: name(doc.scope), period }),
    periodLabel: period,
    tables: [overall, ...rankings, elements, criteria, ...expectations, methodTable],
    method,
  }
}

/** The agencies of one ranking group, ranked first (by rank, then code), then those without a rank. */
export function rankingMembers(doc: ReleaseDocument, group: RankGroup): ReleaseAgency[] {
  return doc.agencies
    .filter((a) => a.rank?.group === group)
    .sort(
      (a, b) =>
        (a.rank!.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank!.rank ?? Number.MAX_SAFE_INTEGER) ||
        (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
    )
}

/** The groups a document ranks, in the order provinces publish them. */
export function rankingGroups(doc: ReleaseDocument): RankGroup[] {
  const order: RankGroup[] = ['province', 'department', 'district', 'commune']
  return order.filter((g) => doc.agencies.some((a) => a.rank?.group === g))
}

function rankingTables(doc: ReleaseDocument, context: ReportContext, period: string): ReportTable[] {
  const { t, lng } = context
  const en = lng === 'en'
  return rankingGroups(doc).map((group) => ({
    key: `ranking-${group}`,
    name: sheetName(t(`report.sheets.ranking.${group}`)),
    title: t('report.titles.ranking', { group: t(`report.groups.${group}`), period }),
    columns: [
      { header: t('report.columns.rank'), kind: 'integer' },
      { header: t('report.columns.rankOf'), kind: 'integer' },
      { header: t('report.columns.code'), kind: 'text' },
      { header: t('report.columns.agency'), kind: 'text' },
      { header: t('report.columns.score'), kind: 'percent' },
      { header: t('report.columns.lower'), kind: 'percent' },
      { header: t('report.columns.upper'), kind: 'percent' },
      { header: t('report.columns.n'), kind: 'integer' },
      { header: t('report.columns.change', { period: periodLabel(doc.previousPeriod, lng) }), kind: 'points' },
      { header: t('report.columns.status'), kind: 'text' },
    ],
    rows: rankingMembers(doc, group).map((a) => [
      a.rank!.rank,
      a.rank!.of,
      a.code,
      en ? a.nameEn : a.nameVi,
      a.overall.percent,
      a.overall.lower,
      a.overall.upper,
      a.overall.n,
      a.change,
      t(`report.status.${a.overall.status}`, { defaultValue: a.overall.status }),
    ]),
  }))
}

/** The method in the reader's language: unit, period, questionnaire and the versions used, rules, sources. */
export function methodLines(doc: ReleaseDocument, context: ReportContext): Array<[string, string]> {
  const { t, lng } = context
  const en = lng === 'en'
  const m = doc.method
  const versions = context.versions
  const versionText =
    versions === null
      ? t('report.method.versionHeading', { versionId: doc.questionnaire.versionId })
      : versions.length === 0
        ? t('report.method.noVersions')
        : versions
            .map((v) =>
              t('report.method.versionItem', { number: v.versionNumber, id: v.versionId, count: v.responses }),
            )
            .join('; ')
  const lines: Array<[string, string]> = [
    [t('report.method.scope'), `${en ? doc.scope.nameEn : doc.scope.nameVi} (${doc.scope.code})`],
    [t('report.method.period'), periodLabel(doc.period, lng)],
    [t('report.method.months'), monthsLabel(doc.months, lng)],
    [t('report.method.previous'), periodLabel(doc.previousPeriod, lng)],
    [
      t('report.method.questionnaire'),
      `${en ? doc.questionnaire.nameEn : doc.questionnaire.nameVi} (${doc.questionnaire.code})`,
    ],
    [t('report.method.versions'), versionText],
    [t('report.method.indexMethod'), t(`method.indexMethods.${m.indexMethod}`, { defaultValue: m.indexMethod })],
    [t('report.method.weighting'), t(`method.weighting.${m.weighting}`, { defaultValue: m.weighting })],
    [
      t('report.method.interval'),
      t('report.method.intervalValue', {
        level: Math.round(m.level * 100),
        method: t(`method.intervals.${m.interval}`, { defaultValue: m.interval }),
      }),
    ],
    [t('report.method.rules'), t('method.rules', { minN: m.rules.minN, minNEff: m.rules.minNEff })],
    [t('report.method.boundaries'), t(`report.boundaries.${m.boundaries}`, { defaultValue: m.boundaries })],
    [t('report.method.population'), t('report.method.populationValue', { count: doc.population.length })],
    [t('report.method.cutoff'), formatDateTime(doc.dataCutoff)],
  ]
  if (context.release)
    lines.push([
      t('report.method.release'),
      t('report.method.releaseValue', {
        id: context.release.id,
        sha256: context.release.sha256,
        publishedAt: context.release.publishedAt ? formatDateTime(context.release.publishedAt) : '—',
      }),
    ])
  else lines.push([t('report.method.live'), t('report.method.liveValue')])
  if (context.filters) lines.push([t('report.method.filters'), context.filters])
  if (doc.appVersion) lines.push([t('report.method.appVersion'), doc.appVersion])
  lines.push([t('report.method.generatedAt'), formatDateTime(context.generatedAt)])
  return lines
}
