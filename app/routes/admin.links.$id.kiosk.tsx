import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { adminError, formIntent, requireAdmin } from '#app/.server/admin/guard.ts'
import { destroySession } from '#app/.server/auth/session.ts'
import { enrolKiosk, enrolSchema, kioskPage, revokeKiosk, revokeSchema } from '#app/.server/services/kiosk-enrolment.ts'
import { confirmBefore } from '#app/components/confirm.ts'
import { Field } from '#app/components/form/Field.tsx'
import { formatDateTime } from '#app/domain/format.ts'

const ROLES = ['admin', 'manager'] as const

// An id that is not a number finds no link (404), like an unknown one.
const paramsSchema = z.object({ id: z.coerce.number().int().catch(0) })

/** A kiosk link's tablets: enrol the browser in hand, list and revoke the others. */
export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const user = await requireAdmin(context, request, [...ROLES])
  const result = await kioskPage(context.db, user, paramsSchema.parse(params).id)
  if (!result.ok) return adminError(request, result.status, result.error)
  return { link: result.link, devices: result.devices }
}

export async function action({ context, params, request }: ActionFunctionArgs) {
  const user = await requireAdmin(context, request, [...ROLES])
  const linkId = paramsSchema.parse(params).id
  const { intent, form } = await formIntent(request, ['enrol', 'revoke'] as const)
  if (intent === 'revoke') {
    const { deviceId } = revokeSchema.parse(Object.fromEntries(form))
    const result = await revokeKiosk(context.db, user, linkId, deviceId)
    if (!result.ok) return adminError(request, result.status, result.error)
    return redirect(`/admin/links/${linkId}/kiosk?done=revoked`)
  }
  const parsed = enrolSchema.safeParse(Object.fromEntries(form))
  if (!parsed.success) return adminError(request, 400, 'kiosk.labelRequired')
  const result = await enrolKiosk(context.db, context.config, user, linkId, parsed.data, request.headers.get('Cookie'))
  if (!result.ok) return adminError(request, result.status, result.error)
  // The tablet is handed to citizens: it keeps the device cookie and loses the administrator's session.
  const headers = new Headers()
  headers.append('Set-Cookie', result.setCookie)
  headers.append('Set-Cookie', await destroySession(context, request))
  return redirect(result.surveyPath, { headers })
}

export default function KioskDevices() {
  const { link, devices } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation('admin')
  const en = i18n.language === 'en'
  const [params] = useSearchParams()
  const done = params.get('done')
  return (
    <>
      <p>
        <Link to={`/admin/links#link-${link.id}`}>{t('kiosk.back')}</Link>
      </p>
      <h1>
        {t('kiosk.title')}: {en ? link.agencyNameEn : link.agencyNameVi}
        {link.counterLabel ? ` — ${link.counterLabel}` : ''}
      </h1>
      {done === 'revoked' && (
        <p className="notice" role="status">
          {t('kiosk.revoked')}
        </p>
      )}
      <p>{t('kiosk.intro')}</p>
      <h2>{t('kiosk.enrol')}</h2>
      <Form method="post" className="grid-form">
        <input type="hidden" name="intent" value="enrol" />
        <Field
          id="k-label"
          label={t('kiosk.label')}
          hint={t('kiosk.labelHint')}
          inputProps={{ name: 'label', maxLength: 60, required: true }}
        />
        <p>{t('kiosk.enrolNote')}</p>
        <button className="button" type="submit">
          {t('kiosk.enrol')}
        </button>
      </Form>
      <h2>{t('kiosk.devices')}</h2>
      {devices.length === 0 ? (
        <p>{t('kiosk.none')}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('kiosk.label')}</th>
                <th scope="col">{t('kiosk.enrolledAt')}</th>
                <th scope="col">{t('kiosk.enrolledBy')}</th>
                <th scope="col">{t('kiosk.state')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {devices.map((d) => (
                <tr key={d.id} data-device-id={d.id}>
                  <th scope="row" style={{ fontWeight: 400 }}>
                    {d.label}
                  </th>
                  <td>{formatDateTime(d.enrolledAt)}</td>
                  <td>{d.enrolledBy ?? '—'}</td>
                  <td>
                    {d.revokedAt
                      ? t('kiosk.revokedAt', { at: formatDateTime(d.revokedAt), by: d.revokedBy ?? '—' })
                      : t('kiosk.active')}
                  </td>
                  <td>
                    {!d.revokedAt && (
                      <Form method="post" className="inline-form" onSubmit={confirmBefore(t('kiosk.confirmRevoke'))}>
                        <input type="hidden" name="deviceId" value={d.id} />
                        <button className="button small secondary" type="submit" name="intent" value="revoke">
                          {t('kiosk.revoke')}
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}
