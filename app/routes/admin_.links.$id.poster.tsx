import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { Form, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { adminError, formIntent, requireAdmin } from '#app/.server/admin/guard.ts'
import { i18nServer } from '#app/.server/i18n.ts'
import { posterFor } from '#app/.server/services/links-admin.ts'
import { posterHeaderSchema, printedHeader, savePosterHeader } from '#app/.server/services/poster-header.ts'
import { Field } from '#app/components/form/Field.tsx'

// An id that is not a number finds no link (404), like an unknown one.
const paramsSchema = z.object({ id: z.coerce.number().int().catch(0) })
const ROLES = ['admin', 'manager'] as const

/**
 * A print-ready A4 poster: the agency's letterhead (unit, "Bộ phận Một cửa", hotline), the invitation, a
 * large QR code and the address in words. Always in Vietnamese, whatever the page's language: it hangs in a
 * Vietnamese one-stop shop. The header form and the warnings around it are for the administrator only and
 * do not print.
 */
export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const user = await requireAdmin(context, request, [...ROLES])
  const result = await posterFor(context.db, user, paramsSchema.parse(params).id, context.config.publicUrl)
  if (!result.ok) return adminError(request, result.status, result.error)
  // The poster's own words are Vietnamese whatever the page's language (the browser holds only its own).
  const vi = await i18nServer.getFixedT('vi', 'admin')
  const { header, agency } = result.poster
  const printed = printedHeader(header, agency, vi('poster.defaultOffice'))
  return {
    ...result.poster,
    printed: {
      ...printed,
      hotline: printed.hotline && vi('poster.hotline', { hotline: printed.hotline }),
      title: vi('links.posterTitle'),
      body: vi('links.posterBody'),
    },
  }
}

/** Saves the agency's letterhead; every poster of the agency prints it. */
export async function action({ context, params, request }: ActionFunctionArgs) {
  const user = await requireAdmin(context, request, [...ROLES])
  const { form } = await formIntent(request, ['header'] as const)
  const parsed = posterHeaderSchema.safeParse(Object.fromEntries(form))
  if (!parsed.success) {
    const hotline = parsed.error.issues.some((i) => i.path[0] === 'hotline')
    return adminError(request, 400, hotline ? 'poster.errors.hotline' : 'poster.errors.tooLong')
  }
  const id = paramsSchema.parse(params).id
  const result = await savePosterHeader(context.db, user, id, parsed.data)
  if (!result.ok) return adminError(request, result.status, result.error)
  return redirect(`/admin/links/${id}/poster?saved=1`)
}

export default function Poster() {
  const { url, svg, agency, counter, header, localAddress, printed } = useLoaderData<typeof loader>()
  const { t } = useTranslation('admin')
  const [params] = useSearchParams()
  return (
    <>
      {localAddress && (
        <div className="error-summary no-print" role="alert">
          <p>{t('poster.localAddress', { url })}</p>
        </div>
      )}
      {params.get('saved') === '1' && (
        <p className="notice no-print" role="status">
          {t('poster.saved')}
        </p>
      )}
      <div className="poster" lang="vi">
        <header className="poster-header">
          <p className="poster-unit">{printed.unitName}</p>
          <p className="poster-office">
            {printed.officeName}
            {counter ? ` — ${counter}` : ''}
          </p>
          {printed.hotline && <p className="poster-hotline">{printed.hotline}</p>}
        </header>
        <h1>{printed.title}</h1>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: the qrcode library draws this SVG from our own URL; no user input reaches it, and inline it prints without another request. */}
        <div className="poster-qr" role="img" aria-label={url} dangerouslySetInnerHTML={{ __html: svg }} />
        <p className="poster-body">{printed.body}</p>
        <p className="poster-url">{url}</p>
      </div>
      <div className="no-print">
        <p>
          <button type="button" className="button" onClick={() => window.print()}>
            {t('links.print')}
          </button>
        </p>
        <h2>{t('poster.headerTitle')}</h2>
        <p className="hint">{t('poster.headerHint')}</p>
        <Form method="post" className="grid-form">
          <input type="hidden" name="intent" value="header" />
          <Field
            id="ph-unit"
            label={t('poster.unitName')}
            hint={t('poster.unitNameHint', { agency })}
            inputProps={{ name: 'unitName', maxLength: 160, defaultValue: header?.unitName ?? '' }}
          />
          <Field
            id="ph-office"
            label={t('poster.officeName')}
            hint={t('poster.officeNameHint')}
            inputProps={{ name: 'officeName', maxLength: 120, defaultValue: header?.officeName ?? '' }}
          />
          <Field
            id="ph-hotline"
            label={t('poster.hotlineLabel')}
            hint={t('poster.hotlineHint')}
            inputProps={{ name: 'hotline', maxLength: 40, inputMode: 'tel', defaultValue: header?.hotline ?? '' }}
          />
          <button className="button" type="submit">
            {t('common.save')}
          </button>
        </Form>
      </div>
    </>
  )
}
