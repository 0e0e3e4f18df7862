import type { LoaderFunctionArgs } from '@remix-run/node'
import { searchProcedures } from '#app/.server/repos/procedures.ts'

/** Public look-up behind the survey's procedure question: names and codes only, 12 at most. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const q = new URL(request.url).searchParams.get('q')?.slice(0, 100) ?? ''
  return Response.json(
    { procedures: await searchProcedures(context.db, q, 12) },
    { headers: { 'Cache-Control': 'public, max-age=300' } },
  )
}
