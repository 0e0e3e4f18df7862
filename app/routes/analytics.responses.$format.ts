import type { LoaderFunctionArgs } from '@remix-run/node'
import { failWith } from '#app/.server/analytics/load-scores.ts'
import { parseAnalyticsQuery } from '#app/.server/analytics/query.ts'
import { requireUser } from '#app/.server/auth/session.ts'
import { attachment } from '#app/.server/exports/csv.ts'
import { exportRawResponses } from '#app/.server/exports/raw-responses-csv.ts'
import { canExportMicrodata } from '#app/.server/services/microdata-permission.ts'

/** The raw responses of the analyst's agencies as a streamed CSV file. */
export async function loader({ context, params, request }: LoaderFunctionArgs) {
  if (params.format !== 'csv') return failWith(request, 'errors.query', 404)
  const user = await requireUser(context, request)
  // Microdata is personal data: a permission of its own, not every analyst's (Decree 13/2023).
  if (!(await canExportMicrodata(context.db, user))) return failWith(request, 'errors.microdataForbidden', 403)
  const parsed = parseAnalyticsQuery(new URL(request.url).searchParams)
  if (!parsed.ok) return failWith(request, parsed.error, 400)
  const filters = new URL(request.url).searchParams.toString()
  const result = await exportRawResponses(context.db, context.readDb, { ...user, filters }, parsed.query)
  if (!result.ok) return failWith(request, `errors.${result.error}`, result.status)
  return new Response(result.body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': attachment(result.filename),
    },
  })
}
