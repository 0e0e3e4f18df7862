import type { LoaderFunctionArgs } from '@remix-run/node'
import { releaseBytes, resultsTranslator } from '#app/.server/services/release-pages.ts'

/**
 * GET /api/v1/releases/{id} — the frozen document, the exact bytes stored at creation: their SHA-256 is the
 * release's `sha256`, which is also the ETag. A published release never changes, so it may be cached long.
 */
export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const release = await releaseBytes(context.readDb, params.id)
  if (!release) {
    const t = await resultsTranslator(request)
    return Response.json(
      { error: 'not_found', message: t('errors.unknownRelease', { id: params.id ?? '' }) },
      { status: 404, headers: { 'Cache-Control': 'no-store' } },
    )
  }
  const etag = `"${release.sha256}"`
  const headers = {
    'Cache-Control': 'public, max-age=86400',
    ETag: etag,
    'Content-Type': 'application/json; charset=utf-8',
    'X-Release-Status': release.status,
  }
  if (request.headers.get('If-None-Match') === etag) return new Response(null, { status: 304, headers })
  return new Response(release.text, { headers })
}
