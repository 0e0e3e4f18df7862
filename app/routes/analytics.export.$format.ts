import { data, type LoaderFunctionArgs } from '@remix-run/node'
import { failWith, loadScores, type OkScores } from '#app/.server/analytics/load-scores.ts'
import { attachment, csvDialectOf, csvDocument } from '#app/.server/exports/csv.ts'
import { loadLiveReport } from '#app/.server/exports/live-report.ts'
import { reportWorkbook } from '#app/.server/exports/xlsx.ts'
import { getLanguage, getTranslator } from '#app/.server/i18n.ts'
import { type DriversResult, driversForScope } from '#app/.server/services/drivers.ts'
import { auditExport, exportFilters } from '#app/.server/services/export-audit.ts'
import { versionsInPeriod } from '#app/.server/services/period-versions.ts'
import { resultsTranslator } from '#app/.server/services/release-pages.ts'
import { disclosedScores } from '#app/domain/export/disclosure.ts'
import { driversTable } from '#app/domain/export/drivers-table.ts'
import { buildReport, type ReportCell, type ReportColumn, sheetName } from '#app/domain/export/report.ts'
import { type ScoreSheet, type SheetVersions, scoreSheet } from '#app/domain/export/score-sheet.ts'

/**
 * Downloads of exactly the table the scores page shows, as CSV, XLSX or JSON. CSV and JSON keep stable
 * column codes for programs (`?csv=vi`: semicolons and decimal commas for Vietnamese Excel); XLSX is the
 * report-ready workbook in the reader's language (docs/publication.md, "Downloads"). Each score row carries
 * its shrunk estimate (columns shrunk_pct, shrunk_lower_pct, shrunk_upper_pct; `shrunk` in JSON). Where an
 * agency is exported (`agency=`), the XLSX has a drivers sheet and the JSON a `drivers` key, the numbers
 * of GET /api/v1/drivers; the CSV stays the one score table (docs/insight.md, "In the downloads").
 */
export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const format = params.format
  if (format !== 'csv' && format !== 'xlsx' && format !== 'json') return failWith(request, 'errors.query', 404)
  const dialect = csvDialectOf(new URL(request.url).searchParams)
  if (!dialect) {
    const t = await resultsTranslator(request)
    throw data(t('report.csvDialect'), { status: 400 })
  }
  const lng = await getLanguage(request)
  const t = await getTranslator(request, 'analytics')
  const generatedAt = new Date().toISOString()
  const filters = new URL(request.url).searchParams.toString() || '(defaults)'
  if (format === 'xlsx') return workbook(context, request, lng, generatedAt, filters)
  // Exactly the page's numbers (criteria without intervals); the API gives every interval.
  const loaded = await loadScores(context, request, 'no-criteria')
  const { user, query } = loaded
  // Only published cells carry a value, in every format (docs/statistics.md, "Publication rules").
  const scores = disclosedScores(loaded.scores)
  // The versions the period was answered on, which may be older than the one heading the columns.
  const answered = await versionsInPeriod(context.readDb, user, {
    questionnaireCode: scores.questionnaire.code,
    rootAgencyCode: query.agency ?? null,
    months: scores.months,
    boundaries: scores.boundaries,
  })
  const sheet = statedSheet(scores, lng, generatedAt, filters, t, answered)
  await auditExport(context.db, {
    userId: user.id,
    actor: user.email,
    kind: 'scores',
    format,
    filters: exportFilters(request),
    rows: sheet.rows.length,
  })
  const name = `hailong-${scores.questionnaire.code}-${scores.period}-${query.agency ?? 'all'}${scores.channels ? `-${scores.channels.join('-')}` : ''}`
  if (format === 'csv') {
    return new Response(csvDocument(sheet.columns, sheet.rows, dialect), {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': attachment(`${name}${dialect === 'vi' ? '-vi' : ''}.csv`),
      },
    })
  }
  // `about`: the codes, for programs; `statements`: the same in the user's language.
  const statements = Object.fromEntries(sheet.about.flatMap((e) => (e.length === 3 ? [[e[0], e[2]]] : [])))
  const about = Object.fromEntries(sheet.about.map((e) => [e[0], e[1]]))
  // The body of GET /api/v1/drivers (codes, no labels) for the exported agency's subtree; null without one.
  const found = await exportedDrivers(context, user, query)
  const drivers = found && (({ ok: _ok, labels: _labels, ...body }) => body)(found)
  return new Response(JSON.stringify({ about, statements, ...scores, drivers }, null, 2), {
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Content-Disposition': attachment(`${name}.json`) },
  })
}

/** The drivers of the exported agency's subtree (docs/insight.md); null when no agency is named. */
async function exportedDrivers(
  context: Parameters<typeof loader>[0]['context'],
  user: OkUser,
  query: Awaited<ReturnType<typeof loadScores>>['query'],
): Promise<Extract<DriversResult, { ok: true }> | null> {
  if (!query.agency) return null
  const result = await driversForScope(context.readDb, user, query)
  return result.ok ? result : null
}
type OkUser = Awaited<ReturnType<typeof loadScores>>['user']

/** The score sheet with its statement of method, the channels counted stated before the raw filters. */
function statedSheet(
  scores: OkScores,
  lng: 'vi' | 'en',
  generatedAt: string,
  filters: string,
  t: (key: string, values?: Record<string, unknown>) => string,
  answered: SheetVersions['answered'],
): ScoreSheet {
  const sheet = scoreSheet(scores, lng, generatedAt, filters, (key, values) => t(key, values), { answered })
  const at = sheet.about.findIndex(([key]) => key === 'filters')
  sheet.about.splice(at < 0 ? sheet.about.length : at, 0, [
    'channels',
    scores.channels ? `${scores.channels.join(', ')} only` : 'all (invitation, open_link, kiosk, import)',
    scores.channels
      ? t('channelStatement', { channels: scores.channels.map((c) => t(`channelOptions.${c}`)).join(', ') })
      : t('channelOptions.all'),
  ])
  return sheet
}

/** The columns of the score sheet the report writes itself; any other (e.g. rates) is carried over as is. */
const REPORTED_COLUMNS = new Set([
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
])
const isReported = (column: string) =>
  REPORTED_COLUMNS.has(column) || /^change_vs_/.test(column) || /^[A-Za-z0-9.]+_index_pct$/.test(column)

/** Columns of the score sheet the report does not write itself, by agency code (percent when named _pct). */
function extraColumns(
  sheet: ScoreSheet,
  translate: (key: string) => string,
): { columns: ReportColumn[]; values: Map<string, ReportCell[]> } {
  const indices = sheet.columns.flatMap((c, i) => (isReported(c) ? [] : [i]))
  const columns = indices.map((i): ReportColumn => {
    const code = sheet.columns[i]!
    return { header: translate(code), kind: /_pct$/.test(code) ? 'percent' : 'decimal' }
  })
  const values = new Map(sheet.rows.map((r) => [String(r[0]), indices.map((i) => r[i] ?? null)]))
  return { columns, values }
}

async function workbook(
  context: Parameters<typeof loader>[0]['context'],
  request: Request,
  lng: 'vi' | 'en',
  generatedAt: string,
  filters: string,
) {
  const live = await loadLiveReport(context, request)
  const { user, query, scores, document, versions, expectations } = live
  const t = await resultsTranslator(request)
  const ta = await getTranslator(request, 'analytics')
  const sheet = statedSheet(scores, lng, generatedAt, filters, (key, values) => ta(key, values), versions)
  const report = buildReport(document, {
    lng,
    t: (key, values) => t(key, values),
    generatedAt,
    versions,
    filters,
    expectations,
    extraOverall: extraColumns(sheet, (code) => t(`report.columns.${code}`, { defaultValue: code })),
  })
  // What drives overall satisfaction in the exported agency's subtree, as GET /api/v1/drivers gives it.
  const drivers = await exportedDrivers(context, user, query)
  if (drivers) report.tables.push(driversTable(drivers, lng, (key, values) => t(key, values)))
  // The technical statement of the analytics downloads, keyed for programs: every interval method, the
  // complementary suppression, the channels counted, the raw filters (the same as the JSON's `about`).
  report.tables.push({
    key: 'about',
    name: sheetName(t('report.sheets.about')),
    title: t('report.titles.about'),
    columns: [
      { header: t('report.columns.key'), kind: 'text' },
      { header: t('report.columns.value'), kind: 'text' },
      { header: t('report.columns.statement'), kind: 'text' },
    ],
    rows: sheet.about.map((e) => [e[0], e[1], e[2] ?? null]),
  })
  await auditExport(context.db, {
    userId: user.id,
    actor: user.email,
    kind: 'scores',
    format: 'xlsx',
    filters: exportFilters(request),
    rows: document.agencies.length,
  })
  const name = `hailong-${scores.questionnaire.code}-${scores.period}-${query.agency ?? 'all'}${scores.channels ? `-${scores.channels.join('-')}` : ''}`
  const body = await reportWorkbook(report)
  return new Response(new Uint8Array(body), {
    headers: {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': attachment(`${name}.xlsx`),
    },
  })
}
