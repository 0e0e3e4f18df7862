import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { adminError, formIntent, requireAdmin } from '#app/.server/admin/guard.ts'
import {
  issueToken,
  newTokenSchema,
  revokeToken,
  revokeTokenSchema,
  tokensPage,
} from '#app/.server/services/api-tokens.ts'
import { confirmBefore } from '#app/components/confirm.ts'
import { Field } from '#app/components/form/Field.tsx'
import { formatDate } from '#app/domain/format.ts'

const ROLES: Array<'admin' | 'manager'> = ['admin', 'manager']

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = await requireAdmin(context, request, ROLES)
  return tokensPage(context.db, user)
}

export async function action({ context, request }: ActionFunctionArgs) {
  const user = await requireAdmin(context, request, ROLES)
  const { intent, form } = await formIntent(request, ['create', 'revoke'] as const)
  const fields = Object.fromEntries(form)
  const result =
    intent === 'create'
      ? await issueToken(context.db, user, newTokenSchema.parse(fields))
      : await revokeToken(context.db, user, revokeTokenSchema.parse(fields).tokenId)
  if (!result.ok) return adminError(request, result.status, result.error)
  return { token: result.value }
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
        <Field id="t-agency" label={t('links.agency')}>
          {(control) => (
            <select name="agencyId" {...control}>
              {agencies.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.code} — {a.nameVi}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="t-label" label={t('tokens.label')} inputProps={{ name: 'label', maxLength: 100 }} />
        <Field
          id="t-days"
          label={t('tokens.days')}
          inputProps={{ name: 'days', type: 'number', min: 1, max: 1095, defaultValue: 365, inputMode: 'numeric' }}
        />
        <button className="button" type="submit" name="intent" value="create">
          {t('tokens.create')}
        </button>
      </Form>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('tokens.label')}</th>
            <th scope="col">{t('links.agency')}</th>
            <th scope="col">{t('tokens.createdAt')}</th>
            <th scope="col">{t('tokens.expiresAt')}</th>
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
                {tk.agencyCode} — {en ? tk.agencyNameEn : tk.agencyNameVi}
              </td>
              <td>{formatDate(tk.createdAt)}</td>
              <td>{tk.expiresAt ? formatDate(tk.expiresAt) : '—'}</td>
              <td>
                {tk.revokedAt ? (
                  t('tokens.revoked')
                ) : (
                  <Form method="post" onSubmit={confirmBefore(t('common.confirm'))}>
                    <input type="hidden" name="tokenId" value={tk.id} />
                    <button className="button small secondary" type="submit" name="intent" value="revoke">
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
