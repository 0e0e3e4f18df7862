import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { adminError, formIntent, requireAdmin } from '#app/.server/admin/guard.ts'
import { microdataHolders, setMicrodataPermission } from '#app/.server/services/microdata-permission.ts'
import { createUserAs, deactivateUserAs, newUserSchema, unlockUserAs, usersPage } from '#app/.server/services/users.ts'
import { confirmBefore } from '#app/components/confirm.ts'
import { Field } from '#app/components/form/Field.tsx'

const ROLES: Array<'admin' | 'manager'> = ['admin', 'manager']

// An id that is not a number finds nobody (404), like an unknown one.
const targetSchema = z.object({ userId: z.coerce.number().int().catch(0) })
const microdataSchema = z.object({ userId: z.coerce.number().int().catch(0), granted: z.enum(['1', '0']).catch('0') })

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = await requireAdmin(context, request, ROLES)
  return { ...(await usersPage(context.db, user)), microdata: await microdataHolders(context.db, user) }
}

export async function action({ context, request }: ActionFunctionArgs) {
  const user = await requireAdmin(context, request, ROLES)
  const { intent, form } = await formIntent(request, ['create', 'deactivate', 'unlock', 'microdata'] as const)
  if (intent === 'microdata') {
    const { userId, granted } = microdataSchema.parse(Object.fromEntries(form))
    const result = await setMicrodataPermission(context.db, user, userId, granted === '1')
    if (!result.ok) return adminError(request, result.status, result.error)
    return { error: null, done: 'users.microdata.grantedDone' }
  }
  if (intent === 'create') {
    const parsed = newUserSchema.safeParse({
      email: form.get('email'),
      role: form.get('role'),
      agencyCode: String(form.get('agencyCode') ?? '') || null,
      password: form.get('password'),
    })
    if (!parsed.success) return data({ error: parsed.error.issues[0].message }, { status: 400 })
    const result = await createUserAs(context.db, user, parsed.data)
    if (!result.ok) return data({ error: result.error }, { status: result.status })
    return { error: null, done: 'users.created' }
  }
  const { userId } = targetSchema.parse(Object.fromEntries(form))
  const result =
    intent === 'unlock'
      ? await unlockUserAs(context.db, user, userId)
      : await deactivateUserAs(context.db, user, userId)
  if (!result.ok) return adminError(request, result.status, result.error)
  return { error: null, done: intent === 'unlock' ? 'users.unlocked' : 'users.deactivated' }
}

export default function Users() {
  const { users, agencies, canCreateAdmins, me, microdata } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t } = useTranslation('admin')
  const { t: tc } = useTranslation('common')
  const message = result?.error ? (result.error.startsWith('errors.') ? tc(result.error) : t(result.error)) : null
  return (
    <>
      <h1>{t('users.title')}</h1>
      {message && (
        <div className="error-summary" role="alert">
          <p>{message}</p>
        </div>
      )}
      {result && 'done' in result && result.done && (
        <p className="notice" role="status">
          {t(result.done)}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">{t('users.email')}</th>
            <th scope="col">{t('users.role')}</th>
            <th scope="col">{t('users.agency')}</th>
            <th scope="col">{t('common.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <th scope="row" style={{ fontWeight: 400 }}>
                {u.email}
              </th>
              <td>{t(`users.roles.${u.role}`)}</td>
              <td>{u.agencyCode ?? '—'}</td>
              <td>
                {u.signInFailures > 0 && (
                  <Form method="post">
                    <input type="hidden" name="userId" value={u.id} />
                    <span>{t('users.signInFailures', { count: u.signInFailures })} </span>
                    <button className="button small secondary" type="submit" name="intent" value="unlock">
                      {t('users.unlock')}
                    </button>
                  </Form>
                )}
                {u.active
                  ? u.id !== me && (
                      <Form method="post" onSubmit={confirmBefore(t('common.confirm'))}>
                        <input type="hidden" name="userId" value={u.id} />
                        <button className="button small secondary" type="submit" name="intent" value="deactivate">
                          {t('common.lockAccount')}
                        </button>
                      </Form>
                    )
                  : t('common.accountLocked')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('users.create')}</h2>
      <Form method="post" className="grid-form">
        <Field
          id="u-email"
          label={t('users.email')}
          inputProps={{ name: 'email', type: 'email', required: true, autoComplete: 'off' }}
        />
        <Field id="u-role" label={t('users.role')}>
          {(control) => (
            <select name="role" {...control}>
              {(canCreateAdmins ? ['analyst', 'manager', 'admin'] : ['analyst', 'manager']).map((r) => (
                <option key={r} value={r}>
                  {t(`users.roles.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="u-agency" label={t('users.agency')}>
          {(control) => (
            <select name="agencyCode" {...control}>
              {canCreateAdmins && <option value="">—</option>}
              {agencies.map((a) => (
                <option key={a.code} value={a.code}>
                  {a.code} — {a.nameVi}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          id="u-password"
          label={t('users.password')}
          inputProps={{
            name: 'password',
            type: 'password',
            minLength: 10,
            required: true,
            autoComplete: 'new-password',
          }}
        />
        <button className="button" type="submit" name="intent" value="create">
          {t('common.create')}
        </button>
      </Form>
      {microdata && <MicrodataPermissions holders={microdata} />}
    </>
  )
}

/** Who besides administrators may download raw microdata; only administrators see and change it. */
function MicrodataPermissions({ holders }: { holders: Array<{ id: number; email: string; granted: boolean }> }) {
  const { t } = useTranslation('admin')
  return (
    <>
      <h2 id="microdata">{t('users.microdata.heading')}</h2>
      <p className="hint">{t('users.microdata.intro')}</p>
      <table aria-labelledby="microdata">
        <thead>
          <tr>
            <th scope="col">{t('users.microdata.user')}</th>
            <th scope="col">{t('users.microdata.granted')}</th>
            <th scope="col">{t('common.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {holders.map((h) => (
            <tr key={h.id}>
              <th scope="row" style={{ fontWeight: 400 }}>
                {h.email}
              </th>
              <td>{h.granted ? '✓' : '—'}</td>
              <td>
                <Form method="post">
                  <input type="hidden" name="userId" value={h.id} />
                  <input type="hidden" name="granted" value={h.granted ? '0' : '1'} />
                  <button className="button small secondary" type="submit" name="intent" value="microdata">
                    {t(h.granted ? 'users.microdata.revoke' : 'users.microdata.grant')}
                  </button>
                </Form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}
