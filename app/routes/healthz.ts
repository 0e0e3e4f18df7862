import type { LoaderFunctionArgs } from '@remix-run/node'
import { pendingMigrations } from '#db/migrate.ts'

/** For load balancers: 200 once the database answers and every migration is applied, 503 otherwise. */
export async function loader({ context }: LoaderFunctionArgs) {
  try {
    const pending = await pendingMigrations(context.db)
    if (pending.length) return Response.json({ status: 'migrating', pending }, { status: 503 })
    return Response.json({ status: 'ok' }, { headers: { 'Cache-Control': 'no-store' } })
  } catch {
    return Response.json({ status: 'unavailable' }, { status: 503 })
  }
}
