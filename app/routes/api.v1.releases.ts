import type { LoaderFunctionArgs } from '@remix-run/node'
import { releaseListing } from '#app/.server/services/release-pages.ts'

/**
 * GET /api/v1/releases — the published releases, newest first. Public and cacheable: no token, and an
 * ETag (the SHA-256 of the body) so a client that has the list already gets a 304.
 */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const { body, etag } = await releaseListing(context.readDb)
  const headers = {
    'Cache-Control': 'public, max-age=60',
    ETag: etag,
    'Content-Type': 'application/json; charset=utf-8',
  }
  if (request.headers.get('If-None-Match') === etag) return new Response(null, { status: 304, headers })
  return new Response(body, { headers })
}
