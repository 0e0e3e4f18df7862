import type { LoaderFunctionArgs } from '@remix-run/node'
import { failWith, loadScores } from '#app/.server/analytics/load-scores.ts'
import { attachment, csvDocument } from '#app/.server/exports/csv.ts'
import { scoreWorkbook } from '#app/.server/exports/xlsx.ts'
import { getLanguage, getTranslator } from '#app/.server/i18n.ts'
import { auditExport, exportFilters } from '#app/.server/services/export-audit.ts'
import { versionsInPeriod } from '#app/.server/services/period-versions.ts'
import { disclosedScores } from '#app/domain/export/disclosure.ts'
import { scoreSheet } from '#app/domain/export/score-sheet.ts'

/** Downloads of exactly the table the scores page shows, as CSV, XLSX or JSON. */
export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const format = params.format
  if (format !== 'csv' && format !== 'xlsx' && format !== 'json') return failWith(request, 'errors.query', 404)
  // Exactly the page's numbers (criteria without intervals); the API gives every interval.
  const loaded = await loadScores(context, request, 'no-criteria')
  const { user, query } = loaded
  // Only published cells carry a value, in every format (docs/statistics.md, "Publication rules").
  const scores = disclosedScores(loaded.scores)
  const lng = await getLanguage(request)
  const t = await getTranslator(request, 'analytics')
  const generatedAt = new Date().toISOString()
  const filters = new URL(request.url).searchParams.toString() || '(defaults)'
  // The versions the period was answered on, which may be older than the one heading the columns.
  const answered = await versionsInPeriod(context.db, user, {
    questionnaireCode: scores.questionnaire.code,
    rootAgencyCode: query.agency ?? null,
    months: scores.months,
    boundaries: scores.boundaries,
  })
  const sheet = scoreSheet(scores, lng, generatedAt, filters, (key, values) => t(key, values), { answered })
  // Which responses the numbers come from travels with them: stated before the raw filters.
  const at = sheet.about.findIndex(([key]) => key === 'filters')
  sheet.about.splice(at < 0 ? sheet.about.length : at, 0, [
    'channels',
    scores.channels ? `${scores.channels.join(', ')} only` : 'all (invitation, open_link, kiosk, import)',
    scores.channels
      ? t('channelStatement', { channels: scores.channels.map((c) => t(`channelOptions.${c}`)).join(', ') })
      : t('channelOptions.all'),
  ])
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
    return new Response(csvDocument(sheet.columns, sheet.rows), {
      headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': attachment(`${name}.csv`) },
    })
  }
  if (format === 'xlsx') {
    const body = await scoreWorkbook(
      sheet,
      `${lng === 'en' ? scores.questionnaire.nameEn : scores.questionnaire.nameVi} — ${scores.period}`,
    )
    return new Response(new Uint8Array(body), {
      headers: {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'Content-Disposition': attachment(`${name}.xlsx`),
      },
    })
  }
  // `about`: the codes, for programs; `statements`: the same in the user's language.
  const statements = Object.fromEntries(sheet.about.flatMap((e) => (e.length === 3 ? [[e[0], e[2]]] : [])))
  const about = Object.fromEntries(sheet.about.map((e) => [e[0], e[1]]))
  return new Response(JSON.stringify({ about, statements, ...scores }, null, 2), {
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Content-Disposition': attachment(`${name}.json`) },
  })
}
