import type { LoaderFunctionArgs } from '@remix-run/node'
import { parseAnalyticsQuery } from '#app/.server/analytics/query.ts'
import { SCORES_ERROR_STATUS } from '#app/.server/analytics/scores-for-user.ts'
import { requireToken } from '#app/.server/auth/api-token.ts'
import { getTranslator } from '#app/.server/i18n.ts'
import { driversForScope } from '#app/.server/services/drivers.ts'

/**
 * GET /api/v1/drivers — how much each element and criterion explains overall satisfaction (docs/insight.md),
 * with the same query parameters, token scope and errors as /api/v1/scores.
 */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const token = await requireToken(context.db, request)
  const t = await getTranslator(request, 'analytics')
  const params = new URLSearchParams(new URL(request.url).searchParams)
  if (params.has('questionnaire')) params.set('q', params.get('questionnaire')!)
  params.delete('questionnaire')
  const parsed = parseAnalyticsQuery(params)
  if (!parsed.ok)
    return Response.json(
      { error: 'invalid_query', message: t(parsed.error.replace(/^analytics\./, '')) },
      { status: 400 },
    )
  const drivers = await driversForScope(context.db, { scopePath: token.scopePath }, parsed.query)
  if (!drivers.ok)
    return Response.json(
      { error: drivers.error, message: t(`errors.${drivers.error}`, { detail: drivers.detail ?? '' }) },
      { status: SCORES_ERROR_STATUS[drivers.error] },
    )
  // The page's labels stay on the page: the API gives codes, as /api/v1/scores does.
  const { labels: _labels, ...body } = drivers
  return Response.json(body, { headers: { 'Cache-Control': 'private, max-age=60' } })
}
