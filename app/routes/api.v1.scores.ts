import type { LoaderFunctionArgs } from '@remix-run/node'
import { analyticsEndpoint } from '#app/.server/api/analytics-endpoint.ts'
import { type ScopedScores, scoresForScope } from '#app/.server/analytics/scores-for-user.ts'
import { auditExport, exportFilters } from '#app/.server/services/export-audit.ts'
import { disclosedScores } from '#app/domain/export/disclosure.ts'
import { rankByShrunk } from '#app/domain/insight/shrinkage.ts'

/** GET /api/v1/scores — the same numbers as the scores page, for other systems. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  type Scores = Extract<ScopedScores, { ok: true }>
  return analyticsEndpoint<Scores>(context, request, scoresForScope, async (scores, { query, tokenId }) => {
    await auditExport(context.db, {
      userId: null,
      actor: `token:${tokenId}`,
      kind: 'api.scores',
      format: 'json',
      filters: exportFilters(request),
      rows: scores.rows.length,
    })
    // rank=shrunk: siblings ranked by the shrunk overall index (docs/method.en.md §13).
    const ranked =
      query.rank === 'shrunk'
        ? { ...scores, rankedBy: 'shrunk', rows: rankByShrunk(scores.rows, scores.options.rules.decimals) }
        : scores
    // Only published cells carry a value (docs/statistics.md, "Publication rules").
    return disclosedScores(ranked)
  })
}
