import type { LoaderFunctionArgs } from '@remix-run/node'
import { openApiDocument } from '#app/.server/api/openapi.ts'

export function loader({ context }: LoaderFunctionArgs) {
  return Response.json(openApiDocument(context.config.publicUrl), {
    headers: { 'Cache-Control': 'public, max-age=3600' },
  })
}
