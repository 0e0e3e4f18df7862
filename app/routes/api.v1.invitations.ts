import type { ActionFunctionArgs } from '@remix-run/node'
import { requireToken } from '#app/.server/auth/api-token.ts'
import { getTranslator } from '#app/.server/i18n.ts'
import { createInvitation, invitationRequestSchema } from '#app/.server/services/invitations.ts'

const MAX_BODY = 8 * 1024

/** POST /api/v1/invitations — one invitation per dossier, for the one-stop-shop software. */
export async function action({ context, request }: ActionFunctionArgs) {
  const t = await getTranslator(request)
  if (request.method !== 'POST')
    return Response.json({ error: 'method_not_allowed' }, { status: 405, headers: { Allow: 'POST' } })
  const token = await requireToken(context.db, request)
  const text = await request.text()
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
  const result = await createInvitation(context.db, context.config, parsed.data, {
    scopePath: token.scopePath,
    actor: `api-token:${token.tokenId}`,
  })
  if (!result.ok)
    return Response.json({ error: result.error, message: t(`api.${result.error}`) }, { status: result.status })
  return Response.json(result.invitation, { status: result.created ? 201 : 200 })
}

export const loader = () => Response.json({ error: 'method_not_allowed' }, { status: 405, headers: { Allow: 'POST' } })
