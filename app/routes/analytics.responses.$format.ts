import type { LoaderFunctionArgs } from '@remix-run/node'
import { failWith } from '#app/.server/analytics/load-scores.ts'
import { parseAnalyticsQuery } from '#app/.server/analytics/query.ts'
import { requireUser } from '#app/.server/auth/session.ts'
import { attachment } from '#app/.server/exports/csv.ts'
import { exportRawResponses } from '#app/.server/exports/raw-responses-csv.ts'

/** The raw responses of the analyst's agencies as a streamed CSV file. */
export async function loader({ context, params, request }: LoaderFunctionArgs) {
  if (params.format !== 'csv') return failWith(request, 'errors.query', 404)
  const user = await requireUser(context, request)
  const parsed = parseAnalyticsQuery(new URL(request.url).searchParams)
  if (!parsed.ok) return failWith(request, parsed.error, 400)
  const result = await exportRawResponses(context.db, context.readDb ?? context.db, user, parsed.query)
  if (!result.ok) return failWith(request, `errors.${result.error}`, result.status)
  return new Response(result.body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': attachment(result.filename),
    },
  })
}
