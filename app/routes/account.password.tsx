import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from '#app/.server/auth/password.ts'
import { assertSameOrigin, createSession, requireUser } from '#app/.server/auth/session.ts'
import { insertAudit } from '#app/.server/repos/users.ts'

export async function loader({ context, request }: LoaderFunctionArgs) {
  await requireUser(context, request)
  return null
}

const schema = z
  .object({
    current: z.string().min(1).max(200),
    password: z.string().min(MIN_PASSWORD_LENGTH, 'errors.passwordTooShort').max(200, 'errors.passwordTooLong'),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { message: 'errors.passwordMismatch', path: ['confirm'] })

export async function action({ context, request }: ActionFunctionArgs) {
  const user = await requireUser(context, request)
  assertSameOrigin(request, context.config.publicUrl)
  const parsed = schema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) return data({ ok: false, error: parsed.error.issues[0].message }, { status: 400 })
  const row = await context.db
    .selectFrom('user')
    .select('password_hash')
    .where('id', '=', user.id)
    .executeTakeFirstOrThrow()
  if (!(await verifyPassword(parsed.data.current, row.password_hash)))
    return data({ ok: false, error: 'auth.wrongPassword' }, { status: 400 })
  const now = new Date().toISOString()
  const hash = await hashPassword(parsed.data.password)
  await context.db.transaction().execute(async (trx) => {
    await trx.updateTable('user').set({ password_hash: hash }).where('id', '=', user.id).execute()
    // A changed password ends every other session (a stolen cookie stops working); this one is renewed below.
    await trx.deleteFrom('session').where('user_id', '=', user.id).execute()
    await insertAudit(
      trx,
      { userId: user.id, actor: user.email, action: 'user.change_password', entity: 'user', entityId: String(user.id) },
      now,
    )
  })
  return data({ ok: true, error: null }, { headers: { 'Set-Cookie': await createSession(context, user.id) } })
}

export default function ChangePassword() {
  const result = useActionData<typeof action>()
  const { t } = useTranslation()
  return (
    <>
      <h1>{t('auth.changePassword')}</h1>
      {result?.ok && (
        <p className="notice" role="status">
          {t('auth.passwordChanged')}
        </p>
      )}
      {result?.error && (
        <div className="error-summary" role="alert">
          <p>{t(result.error)}</p>
        </div>
      )}
      <Form method="post">
        <div className="field">
          <label htmlFor="c-current">{t('auth.currentPassword')}</label>
          <input id="c-current" name="current" type="password" autoComplete="current-password" required />
        </div>
        <div className="field">
          <label htmlFor="c-password">{t('auth.newPassword')}</label>
          <input id="c-password" name="password" type="password" autoComplete="new-password" minLength={10} required />
        </div>
        <div className="field">
          <label htmlFor="c-confirm">{t('auth.confirmPassword')}</label>
          <input id="c-confirm" name="confirm" type="password" autoComplete="new-password" required />
        </div>
        <button className="button" type="submit">
          {t('auth.changePassword')}
        </button>
      </Form>
    </>
  )
}
