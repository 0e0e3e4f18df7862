import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { adminError, formIntent, requireAdmin } from '#app/.server/admin/guard.ts'
import { createLink, deactivateLink, linksPage, newLinkSchema } from '#app/.server/services/links-admin.ts'
import { confirmBefore } from '#app/components/confirm.ts'
import { Field } from '#app/components/form/Field.tsx'

const ROLES = ['admin', 'manager'] as const

// An id that is not a number finds no link (404), like an unknown one.
const deactivateSchema = z.object({ linkId: z.coerce.number().int().catch(0) })

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = await requireAdmin(context, request, [...ROLES])
  return linksPage(context.db, user, context.config.publicUrl)
}

export async function action({ context, request }: ActionFunctionArgs) {
  const user = await requireAdmin(context, request, [...ROLES])
  const { intent, form } = await formIntent(request, ['create', 'deactivate'] as const)
  if (intent === 'deactivate') {
    const { linkId } = deactivateSchema.parse(Object.fromEntries(form))
    const result = await deactivateLink(context.db, user, linkId)
    if (!result.ok) return adminError(request, result.status, result.error)
    return redirect('/admin/links?done=deactivated')
  }
  const parsed = newLinkSchema.safeParse(Object.fromEntries(form))
  if (!parsed.success) return adminError(request, 400, 'common.invalid')
  const result = await createLink(context.db, user, parsed.data)
  if (!result.ok) return adminError(request, result.status, result.error)
  return redirect(`/admin/links?done=created#link-${result.id}`)
}

export default function Links() {
  const { links, agencies, questionnaires, procedures } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation('admin')
  const en = i18n.language === 'en'
  const [params] = useSearchParams()
  const done = params.get('done')
  // The questionnaire's name in the page's language; its code only if the list does not have it.
  const questionnaireName = (code: string) => {
    const q = questionnaires.find((x) => x.code === code)
    return q ? (en ? q.nameEn : q.nameVi) : code
  }
  return (
    <>
      <h1>{t('links.title')}</h1>
      {done && (
        <p className="notice" role="status">
          {t(`links.${done}`)}
        </p>
      )}
      <h2>{t('links.add')}</h2>
      <Form method="post" className="grid-form">
        <input type="hidden" name="intent" value="create" />
        <Field id="l-agency" label={t('links.agency')}>
          {(control) => (
            <select name="agencyId" {...control}>
              {agencies.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.code} — {en ? a.nameEn : a.nameVi}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="l-q" label={t('links.questionnaire')}>
          {(control) => (
            <select name="questionnaireId" {...control}>
              {questionnaires.map((q) => (
                <option key={q.id} value={q.id}>
                  {en ? q.nameEn : q.nameVi}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="l-p" label={t('links.procedure')}>
          {(control) => (
            <select name="procedureId" {...control}>
              <option value="">{t('links.anyProcedure')}</option>
              {procedures.map((p) => (
                <option key={p.id} value={p.id}>
                  {en ? p.nameEn : p.nameVi}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="l-counter" label={t('links.counter')} inputProps={{ name: 'counterLabel', maxLength: 60 }} />
        <Field id="l-kind" label={t('links.kind')}>
          {(control) => (
            <select name="kind" {...control}>
              <option value="poster">{t('links.kinds.poster')}</option>
              <option value="kiosk">{t('links.kinds.kiosk')}</option>
            </select>
          )}
        </Field>
        <button className="button" type="submit">
          {t('common.create')}
        </button>
      </Form>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('links.agency')}</th>
              <th scope="col">{t('links.questionnaire')}</th>
              <th scope="col">{t('links.kind')}</th>
              <th scope="col">{t('links.url')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {links.map((l) => (
              <tr key={l.id} id={`link-${l.id}`} data-link-code={l.code}>
                <th scope="row" style={{ fontWeight: 400 }}>
                  {en ? l.agencyNameEn : l.agencyNameVi}
                  {l.counterLabel ? ` — ${l.counterLabel}` : ''}
                  {l.procedureNameVi ? ` — ${en ? l.procedureNameEn : l.procedureNameVi}` : ''}
                </th>
                <td>{questionnaireName(l.questionnaireCode)}</td>
                <td>
                  {t(`links.kinds.${l.kind}`)}
                  {l.active ? '' : ` (${t('common.linkInactive')})`}
                </td>
                <td>
                  <a href={l.url}>{l.url}</a>
                </td>
                <td>
                  {l.active && (
                    <div className="row-actions">
                      <a className="button small secondary" href={`/s/${l.code}/qr.svg`} download={`qr-${l.code}.svg`}>
                        {t('links.qrSvg')}
                      </a>
                      <a className="button small secondary" href={`/s/${l.code}/qr.png`} download={`qr-${l.code}.png`}>
                        {t('links.qrPng')}
                      </a>
                      <Link className="button small secondary" to={`/admin/links/${l.id}/poster`}>
                        {t('links.poster')}
                      </Link>
                      {l.kind === 'kiosk' && (
                        <Link className="button small secondary" to={`/admin/links/${l.id}/kiosk`}>
                          {t('kiosk.open')}
                        </Link>
                      )}
                      <Form method="post" className="inline-form" onSubmit={confirmBefore(t('common.confirm'))}>
                        <input type="hidden" name="linkId" value={l.id} />
                        <button className="button small secondary" type="submit" name="intent" value="deactivate">
                          {t('common.deactivateLink')}
                        </button>
                      </Form>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}
