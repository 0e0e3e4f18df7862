import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { adminError, formIntent, requireAdmin } from '#app/.server/admin/guard.ts'
import { createApiToken } from '#app/.server/auth/api-token.ts'
import { insertAudit } from '#app/.server/repos/users.ts'
import { formatDate } from '#app/domain/format.ts'
import { confirmBefore } from '#app/components/confirm.ts'

const ROLES: Array<'admin' | 'manager'> = ['admin', 'manager']

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = await requireAdmin(context, request, ROLES)
  const tokens = await context.db
    .selectFrom('api_token as t')
    .innerJoin('agency as a', 'a.id', 't.agency_id')
    .select(['t.id', 't.label', 't.created_at', 't.revoked_at', 'a.code', 'a.name_vi', 'a.name_en'])
    .$if(user.scopePath !== null, (qb) => qb.where('a.path', 'like', `${user.scopePath}%`))
    .orderBy('t.id', 'desc')
    .execute()
  const agencies = await context.db
    .selectFrom('agency')
    .select(['id', 'code', 'name_vi'])
    .where('valid_to', 'is', null)
    .$if(user.scopePath !== null, (qb) => qb.where('path', 'like', `${user.scopePath}%`))
    .orderBy('path')
    .execute()
  return { tokens, agencies }
}

export async function action({ context, request }: ActionFunctionArgs) {
  const user = await requireAdmin(context, request, ROLES)
  const { intent, form } = await formIntent(request, ['create', 'revoke'] as const)
  if (intent === 'create') {
    const agency = await context.db
      .selectFrom('agency')
      .select(['id', 'path'])
      .where('id', '=', Number(form.get('agencyId')))
      .where('valid_to', 'is', null)
      .executeTakeFirst()
    if (!agency) return adminError(request, 404, 'common.notFound')
    if (user.scopePath !== null && !agency.path.startsWith(user.scopePath))
      return adminError(request, 403, 'common.forbidden')
    const label =
      String(form.get('label') ?? '')
        .trim()
        .slice(0, 100) || 'token'
    return { token: await createApiToken(context.db, agency.id, label, user.email) }
  }
  const token = await context.db
    .selectFrom('api_token as t')
    .innerJoin('agency as a', 'a.id', 't.agency_id')
    .select(['t.id', 'a.path'])
    .where('t.id', '=', Number(form.get('tokenId')))
    .executeTakeFirst()
  if (!token) return adminError(request, 404, 'common.notFound')
  if (user.scopePath !== null && !token.path.startsWith(user.scopePath))
    return adminError(request, 403, 'common.forbidden')
  const now = new Date().toISOString()
  await context.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('api_token')
      .set({ revoked_at: now })
      .where('id', '=', token.id)
      .where('revoked_at', 'is', null)
      .execute()
    await insertAudit(
      trx,
      {
        userId: user.id,
        actor: user.email,
        action: 'api_token.revoke',
        entity: 'api_token',
        entityId: String(token.id),
      },
      now,
    )
  })
  return { token: null }
}

export default function Tokens() {
  const { tokens, agencies } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t, i18n } = useTranslation('admin')
  const en = i18n.language === 'en'
  return (
    <>
      <h1>{t('tokens.title')}</h1>
      <p>{t('tokens.intro')}</p>
      {result?.token && (
        <div className="notice" role="status">
          <p>{t('tokens.shownOnce')}</p>
          <p className="token" data-new-token="">
            {result.token}
          </p>
        </div>
      )}
      <Form method="post" className="grid-form">
        <div className="field">
          <label htmlFor="t-agency">{t('links.agency')}</label>
          <select id="t-agency" name="agencyId">
            {agencies.map((a) => (
              <option key={a.id} value={a.id}>
                {a.code} — {a.name_vi}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="t-label">{t('tokens.label')}</label>
          <input id="t-label" name="label" maxLength={100} />
        </div>
        <button className="button" name="intent" value="create">
          {t('tokens.create')}
        </button>
      </Form>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('tokens.label')}</th>
            <th scope="col">{t('links.agency')}</th>
            <th scope="col">{t('tokens.createdAt')}</th>
            <th scope="col">{t('common.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((tk) => (
            <tr key={tk.id}>
              <th scope="row" style={{ fontWeight: 400 }}>
                {tk.label}
              </th>
              <td>
                {tk.code} — {en ? tk.name_en : tk.name_vi}
              </td>
              <td>{formatDate(tk.created_at)}</td>
              <td>
                {tk.revoked_at ? (
                  t('tokens.revoked')
                ) : (
                  <Form method="post" onSubmit={confirmBefore(t('common.confirm'))}>
                    <input type="hidden" name="tokenId" value={tk.id} />
                    <button className="button small secondary" name="intent" value="revoke">
                      {t('tokens.revoke')}
                    </button>
                  </Form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}
