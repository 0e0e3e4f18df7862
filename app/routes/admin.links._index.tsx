import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { adminError, formIntent, requireAdmin } from '#app/.server/admin/guard.ts'
import { createLink, deactivateLink, listLinks, newLinkSchema } from '#app/.server/services/links-admin.ts'
import { surveyLinkUrl } from '#app/.server/urls.ts'
import { confirmBefore } from '#app/components/confirm.ts'

const ROLES = ['admin', 'manager'] as const

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = await requireAdmin(context, request, [...ROLES])
  const links = await listLinks(context.db, user.scopePath)
  const agencies = await context.db
    .selectFrom('agency')
    .select(['id', 'code', 'name_vi', 'name_en'])
    .where('valid_to', 'is', null)
    .$if(user.scopePath !== null, (qb) => qb.where('path', 'like', `${user.scopePath}%`))
    .orderBy('path')
    .execute()
  const questionnaires = await context.db
    .selectFrom('questionnaire')
    .select(['id', 'code', 'name_vi', 'name_en'])
    .orderBy('code')
    .execute()
  const procedures = await context.db
    .selectFrom('procedure')
    .select(['id', 'code', 'name_vi', 'name_en'])
    .where('active', '=', 1)
    .orderBy('name_vi')
    .limit(500)
    .execute()
  return {
    links: links.map((l) => ({ ...l, url: surveyLinkUrl(context.config.publicUrl, l.code) })),
    agencies,
    questionnaires,
    procedures,
  }
}

export async function action({ context, request }: ActionFunctionArgs) {
  const user = await requireAdmin(context, request, [...ROLES])
  const { intent, form } = await formIntent(request, ['create', 'deactivate'] as const)
  if (intent === 'deactivate') {
    const result = await deactivateLink(context.db, user, Number(form.get('linkId')))
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
        <div className="field">
          <label htmlFor="l-agency">{t('links.agency')}</label>
          <select id="l-agency" name="agencyId">
            {agencies.map((a) => (
              <option key={a.id} value={a.id}>
                {a.code} — {en ? a.name_en : a.name_vi}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="l-q">{t('links.questionnaire')}</label>
          <select id="l-q" name="questionnaireId">
            {questionnaires.map((q) => (
              <option key={q.id} value={q.id}>
                {q.code}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="l-p">{t('links.procedure')}</label>
          <select id="l-p" name="procedureId">
            <option value="">{t('links.anyProcedure')}</option>
            {procedures.map((p) => (
              <option key={p.id} value={p.id}>
                {en ? p.name_en : p.name_vi}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="l-counter">{t('links.counter')}</label>
          <input id="l-counter" name="counterLabel" maxLength={60} />
        </div>
        <div className="field">
          <label htmlFor="l-kind">{t('links.kind')}</label>
          <select id="l-kind" name="kind">
            <option value="poster">{t('links.kinds.poster')}</option>
            <option value="kiosk">{t('links.kinds.kiosk')}</option>
          </select>
        </div>
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
                  {en ? l.agency_en : l.agency_vi}
                  {l.counter_label ? ` — ${l.counter_label}` : ''}
                  {l.procedure_vi ? ` — ${en ? l.procedure_en : l.procedure_vi}` : ''}
                </th>
                <td>{l.questionnaire_code}</td>
                <td>
                  {t(`links.kinds.${l.kind}`)}
                  {l.active ? '' : ` (${t('common.inactive')})`}
                </td>
                <td>
                  <a href={l.url}>{l.url}</a>
                </td>
                <td>
                  {l.active === 1 && (
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
                      <Form method="post" className="inline-form" onSubmit={confirmBefore(t('common.confirm'))}>
                        <input type="hidden" name="linkId" value={l.id} />
                        <button className="button small secondary" name="intent" value="deactivate">
                          {t('common.deactivate')}
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
