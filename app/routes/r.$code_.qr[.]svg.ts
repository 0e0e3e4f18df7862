import type { LoaderFunctionArgs } from '@remix-run/node'
import { qrResponse } from '#app/.server/qr.ts'
import { invitationExists } from '#app/.server/repos/invitations.ts'
import { invitationUrl } from '#app/.server/urls.ts'

export async function loader({ context, params }: LoaderFunctionArgs) {
  const code = params.code ?? ''
  if (!(await invitationExists(context.db, code))) return new Response('Not found', { status: 404 })
  return qrResponse(invitationUrl(context.config.publicUrl, code), 'svg')
}
