import type { LoaderFunctionArgs } from '@remix-run/node'
import {
  agencyOfEntry,
  procedureLevelOf,
  searchProcedures,
  searchProceduresForAgency,
} from '#app/.server/repos/procedures.ts'

/**
 * Public look-up behind the survey's procedure question: names and codes only, 12 at most. With
 * `for=s:<link code>` or `for=r:<invitation code>` the agency's own procedures come first, as on the page.
 */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams
  const q = params.get('q')?.slice(0, 100) ?? ''
  const entry = /^([sr]):(.{1,100})$/.exec(params.get('for') ?? '')
  const agency = entry ? await agencyOfEntry(context.db, entry[1] as 's' | 'r', entry[2]!) : undefined
  const procedures = agency
    ? await searchProceduresForAgency(context.db, agency.id, procedureLevelOf(agency.level), q, 12)
    : await searchProcedures(context.db, q, 12)
  return Response.json({ procedures }, { headers: { 'Cache-Control': 'public, max-age=300' } })
}
