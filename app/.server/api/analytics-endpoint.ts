/**
 * The shape every read-only analytics endpoint of the API shares (/api/v1/scores, /drivers, /themes): a token,
 * the query parameters of /api/v1/scores (`questionnaire` as an alias of `q`), its translated 400 for a bad
 * query and its statuses for a refused scope, and a short private cache. Each endpoint brings only what
 * it computes and what of the result it sends.
 */
import type { AppLoadContext } from '@remix-run/node'
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { type AnalyticsQuery, parseAnalyticsQuery } from '../analytics/query.ts'
import { SCORES_ERROR_STATUS } from '../analytics/scores-for-user.ts'
import { requireToken } from '../auth/api-token.ts'
import type { Scope } from '../auth/scope.ts'
import { getTranslator } from '../i18n.ts'

type Refusal = { ok: false; error: keyof typeof SCORES_ERROR_STATUS; detail?: string }

export async function analyticsEndpoint<T extends { ok: true }>(
  context: AppLoadContext,
  request: Request,
  compute: (db: Kysely<Database>, scope: Scope, query: AnalyticsQuery) => Promise<T | Refusal>,
  /** What is sent of the result; it may also record the delivery (the scores API audits it). */
  body: (result: T, asked: { query: AnalyticsQuery; tokenId: number }) => unknown,
): Promise<Response> {
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
  const result = await compute(context.readDb, { scopePath: token.scopePath }, parsed.query)
  if (!result.ok)
    return Response.json(
      { error: result.error, message: t(`errors.${result.error}`, { detail: result.detail ?? '' }) },
      { status: SCORES_ERROR_STATUS[result.error] },
    )
  const sent = await body(result, { query: parsed.query, tokenId: token.tokenId })
  return Response.json(sent, { headers: { 'Cache-Control': 'private, max-age=60' } })
}
