import type { LoaderFunctionArgs } from '@remix-run/node'
import { parseAnalyticsQuery } from '#app/.server/analytics/query.ts'
import { SCORES_ERROR_STATUS, scoresForScope } from '#app/.server/analytics/scores-for-user.ts'
import { requireToken } from '#app/.server/auth/api-token.ts'
import { getTranslator } from '#app/.server/i18n.ts'
import { auditExport, exportFilters } from '#app/.server/services/export-audit.ts'
import { disclosedScores } from '#app/domain/export/disclosure.ts'
import { rankByShrunk } from '#app/domain/insight/shrinkage.ts'

/** GET /api/v1/scores — the same numbers as the scores page, for other systems. */
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
  const scores = await scoresForScope(context.readDb, { scopePath: token.scopePath }, parsed.query)
  if (!scores.ok) {
    return Response.json(
      {
        error: scores.error,
        message: t(`errors.${scores.error}`, { detail: 'detail' in scores ? scores.detail : '' }),
      },
      { status: SCORES_ERROR_STATUS[scores.error] },
    )
  }
  await auditExport(context.db, {
    userId: null,
    actor: `token:${token.tokenId}`,
    kind: 'api.scores',
    format: 'json',
    filters: exportFilters(request),
    rows: scores.rows.length,
  })
  // Only published cells carry a value (docs/statistics.md, "Publication rules").
  // rank=shrunk: siblings ranked by the shrunk overall index (docs/method.en.md §13).
  const ranked =
    parsed.query.rank === 'shrunk'
      ? { ...scores, rankedBy: 'shrunk', rows: rankByShrunk(scores.rows, scores.options.rules.decimals) }
      : scores
  return Response.json(disclosedScores(ranked), { headers: { 'Cache-Control': 'private, max-age=60' } })
}
