import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import QRCode from 'qrcode'
import { useTranslation } from 'react-i18next'
import { adminError, requireAdmin } from '#app/.server/admin/guard.ts'
import { surveyLinkUrl } from '#app/.server/urls.ts'

/** A print-ready A4 poster: the agency's name in Vietnamese, a large QR code and the address in words. */
export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const user = await requireAdmin(context, request, ['admin', 'manager'])
  const link = await context.db
    .selectFrom('survey_link as l')
    .innerJoin('agency as a', 'a.id', 'l.agency_id')
    .select(['l.code', 'l.kind', 'l.counter_label', 'a.name_vi', 'a.path'])
    .where('l.id', '=', Number(params.id))
    .where('l.active', '=', 1)
    .executeTakeFirst()
  if (!link) return adminError(request, 404, 'common.notFound')
  if (user.scopePath !== null && !link.path.startsWith(user.scopePath))
    return adminError(request, 403, 'common.forbidden')
  const url = surveyLinkUrl(context.config.publicUrl, link.code)
  const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 })
  return { url, svg, agency: link.name_vi, counter: link.counter_label }
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
      {/* The SVG is produced by the qrcode library from our own URL: no user input reaches it. */}
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
