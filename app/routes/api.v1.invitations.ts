import type { ActionFunctionArgs } from '@remix-run/node'
import { requireToken } from '#app/.server/auth/api-token.ts'
import { getTranslator } from '#app/.server/i18n.ts'
import { createInvitation, importInvitationsCsv, invitationRequestSchema } from '#app/.server/services/invitations.ts'

const MAX_BODY = 8 * 1024

/**
 * POST /api/v1/invitations — one invitation per dossier, for the one-stop-shop software: a JSON object for
 * one, or a CSV file (Content-Type: text/csv) for many, all or nothing.
 */
export async function action({ context, request }: ActionFunctionArgs) {
  const t = await getTranslator(request)
  if (request.method !== 'POST')
    return Response.json({ error: 'method_not_allowed' }, { status: 405, headers: { Allow: 'POST' } })
  const token = await requireToken(context.db, request)
  const text = await request.text()
  const scope = { scopePath: token.scopePath, actor: `api-token:${token.tokenId}` }
  if ((request.headers.get('content-type') ?? '').toLowerCase().startsWith('text/csv')) {
    // The request gate bounds the body (the API's budget); the service bounds the rows.
    const result = await importInvitationsCsv(context.db, context.config, text, scope, (key) => t(`api.${key}`))
    if (!result.ok)
      return Response.json(
        { error: result.error, message: t(`api.${result.error}`), rowErrors: result.rowErrors },
        { status: 400 },
      )
    return Response.json({ invitations: result.invitations }, { status: 200 })
  }
  let body: unknown
  try {
    if (text.length > MAX_BODY) throw new Error('too large')
    body = JSON.parse(text)
  } catch {
    return Response.json({ error: 'invalid_json', message: t('api.invalidJson') }, { status: 400 })
  }
  const parsed = invitationRequestSchema.safeParse(body)
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {}
    for (const issue of parsed.error.issues) fieldErrors[issue.path.join('.') || '_'] ??= issue.message
    return Response.json({ error: 'invalid_body', message: t('api.invalidBody'), fieldErrors }, { status: 400 })
  }
  const result = await createInvitation(context.db, context.config, parsed.data, scope)
  if (!result.ok)
    return Response.json({ error: result.error, message: t(`api.${result.error}`) }, { status: result.status })
  return Response.json(result.invitation, { status: result.created ? 201 : 200 })
}

export const loader = () => Response.json({ error: 'method_not_allowed' }, { status: 405, headers: { Allow: 'POST' } })
