import type { LoaderFunctionArgs } from '@remix-run/node'
import { csvDialectOf } from '#app/.server/exports/csv.ts'
import { releaseCsv, resultsTranslator } from '#app/.server/services/release-pages.ts'

/**
 * GET /ket-qua/{id}/csv — a published release as CSV, each row carrying the release's SHA-256.
 * `?csv=vi`: semicolons and decimal commas, for Vietnamese Excel.
 */
export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const dialect = csvDialectOf(new URL(request.url).searchParams)
  if (!dialect) {
    const t = await resultsTranslator(request)
    return new Response(t('report.csvDialect'), { status: 400 })
  }
  const csv = await releaseCsv(context.readDb, params.id, dialect)
  if (!csv) {
    const t = await resultsTranslator(request)
    return new Response(t('errors.unknownRelease', { id: params.id ?? '' }), { status: 404 })
  }
  return new Response(csv.text, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${csv.filename}"`,
      'Cache-Control': 'public, max-age=86400',
    },
  })
}
