import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { assertSameOrigin, createSession, requireUser } from '#app/.server/auth/session.ts'
import { changePassword, passwordChangeSchema } from '#app/.server/services/users.ts'
import { Field } from '#app/components/form/Field.tsx'

export async function loader({ context, request }: LoaderFunctionArgs) {
  await requireUser(context, request)
  return null
}

export async function action({ context, request }: ActionFunctionArgs) {
  const user = await requireUser(context, request)
  assertSameOrigin(request, context.config.publicUrl)
  const parsed = passwordChangeSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) return data({ ok: false, error: parsed.error.issues[0].message }, { status: 400 })
  const result = await changePassword(context.db, user, parsed.data)
  if (!result.ok) return data({ ok: false, error: result.error }, { status: 400 })
  // Every session ended with the old password; this browser gets a fresh one.
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
        <Field
          id="c-current"
          label={t('auth.currentPassword')}
          inputProps={{ name: 'current', type: 'password', autoComplete: 'current-password', required: true }}
        />
        <Field
          id="c-password"
          label={t('auth.newPassword')}
          inputProps={{
            name: 'password',
            type: 'password',
            autoComplete: 'new-password',
            minLength: 10,
            required: true,
          }}
        />
        <Field
          id="c-confirm"
          label={t('auth.confirmPassword')}
          inputProps={{ name: 'confirm', type: 'password', autoComplete: 'new-password', required: true }}
        />
        <button className="button" type="submit">
          {t('auth.changePassword')}
        </button>
      </Form>
    </>
  )
}
