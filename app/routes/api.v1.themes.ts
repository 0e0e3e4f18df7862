import type { LoaderFunctionArgs } from '@remix-run/node'
import { parseAnalyticsQuery } from '#app/.server/analytics/query.ts'
import { SCORES_ERROR_STATUS } from '#app/.server/analytics/scores-for-user.ts'
import { requireToken } from '#app/.server/auth/api-token.ts'
import { getTranslator } from '#app/.server/i18n.ts'
import { themesForScope } from '#app/.server/services/themes.ts'

/**
 * GET /api/v1/themes — what citizens write: themes of the suggestions per month, masked examples, frequent
 * phrases and the shares of expectations (docs/insight.md), with the query parameters, token scope and
 * errors of /api/v1/scores.
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
  const themes = await themesForScope(context.db, { scopePath: token.scopePath }, parsed.query)
  if (!themes.ok)
    return Response.json(
      { error: themes.error, message: t(`errors.${themes.error}`, { detail: themes.detail ?? '' }) },
      { status: SCORES_ERROR_STATUS[themes.error] },
    )
  const { ok: _ok, ...body } = themes
  return Response.json(body, { headers: { 'Cache-Control': 'private, max-age=60' } })
}
