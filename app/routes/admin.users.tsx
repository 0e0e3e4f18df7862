import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { adminError, formIntent, requireAdmin } from '#app/.server/admin/guard.ts'
import { insertAudit } from '#app/.server/repos/users.ts'
import { createUser, newUserSchema } from '#app/.server/services/users.ts'
import { confirmBefore } from '#app/components/confirm.ts'

const ROLES: Array<'admin' | 'manager'> = ['admin', 'manager']

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = await requireAdmin(context, request, ROLES)
  const users = await context.db
    .selectFrom('user as u')
    .leftJoin('agency as a', 'a.id', 'u.agency_id')
    .select(['u.id', 'u.email', 'u.role', 'u.active', 'a.code as agency_code', 'a.path'])
    .$if(user.scopePath !== null, (qb) => qb.where('a.path', 'like', `${user.scopePath}%`))
    .orderBy('u.email')
    .execute()
  const agencies = await context.db
    .selectFrom('agency')
    .select(['code', 'name_vi'])
    .where('valid_to', 'is', null)
    .$if(user.scopePath !== null, (qb) => qb.where('path', 'like', `${user.scopePath}%`))
    .orderBy('path')
    .execute()
  return { users, agencies, canCreateAdmins: user.role === 'admin', me: user.id }
}

export async function action({ context, request }: ActionFunctionArgs) {
  const user = await requireAdmin(context, request, ROLES)
  const { intent, form } = await formIntent(request, ['create', 'deactivate'] as const)
  if (intent === 'create') {
    const parsed = newUserSchema.safeParse({
      email: form.get('email'),
      role: form.get('role'),
      agencyCode: String(form.get('agencyCode') ?? '') || null,
      password: form.get('password'),
    })
    if (!parsed.success) return data({ error: parsed.error.issues[0].message }, { status: 400 })
    // Managers create analysts and managers inside their own subtree only.
    if (user.role !== 'admin') {
      const agency = parsed.data.agencyCode
        ? await context.db
            .selectFrom('agency')
            .select('path')
            .where('code', '=', parsed.data.agencyCode)
            .executeTakeFirst()
        : null
      if (parsed.data.role === 'admin' || !agency || !agency.path.startsWith(user.scopePath!))
        return data({ error: 'users.roleNotAllowed' }, { status: 403 })
    }
    const result = await createUser(context.db, parsed.data, user.email)
    if (!result.ok) return data({ error: result.error }, { status: result.error === 'errors.emailTaken' ? 409 : 404 })
    return { error: null, done: 'users.created' }
  }
  const target = await context.db
    .selectFrom('user as u')
    .leftJoin('agency as a', 'a.id', 'u.agency_id')
    .select(['u.id', 'u.role', 'a.path'])
    .where('u.id', '=', Number(form.get('userId')))
    .executeTakeFirst()
  if (!target) return adminError(request, 404, 'common.notFound')
  if (target.id === user.id) return adminError(request, 400, 'common.invalid')
  if (user.role !== 'admin' && (target.role === 'admin' || !target.path?.startsWith(user.scopePath!)))
    return adminError(request, 403, 'common.forbidden')
  const now = new Date().toISOString()
  await context.db.transaction().execute(async (trx) => {
    await trx.updateTable('user').set({ active: 0 }).where('id', '=', target.id).execute()
    // Locking an account signs it out everywhere at once: sessions live in the database for this.
    await trx.deleteFrom('session').where('user_id', '=', target.id).execute()
    await insertAudit(
      trx,
      { userId: user.id, actor: user.email, action: 'user.deactivate', entity: 'user', entityId: String(target.id) },
      now,
    )
  })
  return { error: null, done: 'users.deactivated' }
}

export default function Users() {
  const { users, agencies, canCreateAdmins, me } = useLoaderData<typeof loader>()
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
              <td>{u.agency_code ?? '—'}</td>
              <td>
                {u.active
                  ? u.id !== me && (
                      <Form method="post" onSubmit={confirmBefore(t('common.confirm'))}>
                        <input type="hidden" name="userId" value={u.id} />
                        <button className="button small secondary" name="intent" value="deactivate">
                          {t('common.deactivate')}
                        </button>
                      </Form>
                    )
                  : t('common.inactive')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('users.create')}</h2>
      <Form method="post" className="grid-form">
        <div className="field">
          <label htmlFor="u-email">{t('users.email')}</label>
          <input id="u-email" name="email" type="email" required autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="u-role">{t('users.role')}</label>
          <select id="u-role" name="role">
            {(canCreateAdmins ? ['analyst', 'manager', 'admin'] : ['analyst', 'manager']).map((r) => (
              <option key={r} value={r}>
                {t(`users.roles.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="u-agency">{t('users.agency')}</label>
          <select id="u-agency" name="agencyCode">
            {canCreateAdmins && <option value="">—</option>}
            {agencies.map((a) => (
              <option key={a.code} value={a.code}>
                {a.code} — {a.name_vi}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="u-password">{t('users.password')}</label>
          <input id="u-password" name="password" type="password" minLength={10} required autoComplete="new-password" />
        </div>
        <button className="button" name="intent" value="create">
          {t('common.create')}
        </button>
      </Form>
    </>
  )
}
