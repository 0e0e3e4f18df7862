import type { LoaderFunctionArgs } from '@remix-run/node'
import { qrResponse } from '#app/.server/qr.ts'
import { invitationUrl } from '#app/.server/urls.ts'

export async function loader({ context, params }: LoaderFunctionArgs) {
  const invitation = await context.db
    .selectFrom('invitation')
    .select('code')
    .where('code', '=', params.code ?? '')
    .executeTakeFirst()
  if (!invitation) return new Response('Not found', { status: 404 })
  return qrResponse(invitationUrl(context.config.publicUrl, invitation.code), 'svg')
}
