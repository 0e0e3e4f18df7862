import type { LoaderFunctionArgs } from '@remix-run/node'
import { attachment } from '#app/.server/exports/csv.ts'
import { reportWorkbook } from '#app/.server/exports/xlsx.ts'
import { getLanguage } from '#app/.server/i18n.ts'
import { releasePage, resultsTranslator } from '#app/.server/services/release-pages.ts'
import { buildReport } from '#app/domain/export/report.ts'
import { rateReportColumns } from '#app/domain/publication/release-rates.ts'

/**
 * GET /ket-qua/{id}/xlsx — a published release as the report-ready workbook, in the reader's language
 * (`?lng=en`): overall, rankings by level, elements, criteria and the method with the release's hash. The
 * overall sheet ends with the QĐ 766 and response rates when the release froze them.
 */
export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const t = await resultsTranslator(request)
  const page = await releasePage(context.readDb, params.id)
  if (!page) return new Response(t('errors.unknownRelease', { id: params.id ?? '' }), { status: 404 })
  const lng = await getLanguage(request)
  const report = buildReport(page.document, {
    lng,
    t: (key, values) => t(key, values),
    generatedAt: new Date().toISOString(),
    // A release freezes the version heading its table; that is the version it names.
    versions: null,
    release: { id: page.release.id, sha256: page.release.sha256, publishedAt: page.release.publishedAt },
    extraOverall: rateReportColumns(page.document, (key) => t(key)),
  })
  const body = await reportWorkbook(report)
  return new Response(new Uint8Array(body), {
    headers: {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': attachment(`release-${page.release.id}-${page.document.period}-${lng}.xlsx`),
      'Cache-Control': 'public, max-age=3600',
      Vary: 'Cookie, Accept-Language',
    },
  })
}
