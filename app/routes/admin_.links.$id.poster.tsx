import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { adminError, requireAdmin } from '#app/.server/admin/guard.ts'
import { posterFor } from '#app/.server/services/links-admin.ts'

// An id that is not a number finds no link (404), like an unknown one.
const paramsSchema = z.object({ id: z.coerce.number().int().catch(0) })

/** A print-ready A4 poster: the agency's name in Vietnamese, a large QR code and the address in words. */
export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const user = await requireAdmin(context, request, ['admin', 'manager'])
  const result = await posterFor(context.db, user, paramsSchema.parse(params).id, context.config.publicUrl)
  if (!result.ok) return adminError(request, result.status, result.error)
  return result.poster
}

export default function Poster() {
  const { url, svg, agency, counter } = useLoaderData<typeof loader>()
  const { t } = useTranslation('admin')
  return (
    <div className="poster" lang="vi">
      <h1>{t('links.posterTitle')}</h1>
      <p className="poster-agency">
        {agency}
        {counter ? ` — ${counter}` : ''}
      </p>
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: the qrcode library draws this SVG from our own URL; no user input reaches it, and inline it prints without another request. */}
      <div className="poster-qr" role="img" aria-label={url} dangerouslySetInnerHTML={{ __html: svg }} />
      <p className="poster-body">{t('links.posterBody')}</p>
      <p className="poster-url">{url}</p>
      <p className="no-print">
        <button type="button" className="button" onClick={() => window.print()}>
          {t('links.print')}
        </button>
      </p>
    </div>
  )
}
