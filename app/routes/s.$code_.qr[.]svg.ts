import type { LoaderFunctionArgs } from '@remix-run/node'
import { qrResponse } from '#app/.server/qr.ts'
import { findActiveLinkByCode } from '#app/.server/repos/links.ts'
import { surveyLinkUrl } from '#app/.server/urls.ts'

export async function loader({ context, params }: LoaderFunctionArgs) {
  const link = await findActiveLinkByCode(context.db, params.code ?? '')
  if (!link) return new Response('Not found', { status: 404 })
  return qrResponse(
    surveyLinkUrl(context.config.publicUrl, link.code) + (link.kind === 'kiosk' ? '?kiosk=1' : ''),
    'svg',
  )
}
