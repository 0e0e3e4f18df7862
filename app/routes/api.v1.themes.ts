import type { LoaderFunctionArgs } from '@remix-run/node'
import { analyticsEndpoint } from '#app/.server/api/analytics-endpoint.ts'
import { themesForScope } from '#app/.server/services/themes.ts'

/**
 * GET /api/v1/themes — what citizens write: themes of the suggestions per month, masked examples, frequent
 * phrases and the shares of expectations (docs/insight.md), with the query parameters, token scope and
 * errors of /api/v1/scores.
 */
export async function loader({ context, request }: LoaderFunctionArgs) {
  return analyticsEndpoint(context, request, themesForScope, ({ ok: _ok, ...body }) => body)
}
