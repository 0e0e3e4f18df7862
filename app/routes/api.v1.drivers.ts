import type { LoaderFunctionArgs } from '@remix-run/node'
import { analyticsEndpoint } from '#app/.server/api/analytics-endpoint.ts'
import { driversForScope } from '#app/.server/services/drivers.ts'

/**
 * GET /api/v1/drivers — how much each element and criterion explains overall satisfaction (docs/insight.md),
 * with the same query parameters, token scope and errors as /api/v1/scores.
 */
export async function loader({ context, request }: LoaderFunctionArgs) {
  // The page's labels stay on the page: the API gives codes, as /api/v1/scores does.
  return analyticsEndpoint(context, request, driversForScope, ({ labels: _labels, ...body }) => body)
}
