import { type ActionFunctionArgs, data, type HeadersFunction, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { readKnownDevice } from '#app/.server/auth/device.ts'
import { assertSameOrigin, createSession, requireUser } from '#app/.server/auth/session.ts'
import { changePassword, passwordChangeSchema } from '#app/.server/services/users.ts'
import { Field } from '#app/components/form/Field.tsx'

export async function loader({ context, request }: LoaderFunctionArgs) {
  await requireUser(context, request)
  return { changed: new URL(request.url).searchParams.get('changed') === '1' }
}

/** A page answer keeps only the cookies of the action's headers: the wait a 429 announces is passed on here. */
export const headers: HeadersFunction = ({ actionHeaders, parentHeaders }) => {
  const headers = new Headers(parentHeaders)
  const retryAfter = actionHeaders.get('Retry-After')
  if (retryAfter) headers.set('Retry-After', retryAfter)
  return headers
}

export async function action({ context, request }: ActionFunctionArgs) {
  const user = await requireUser(context, request)
  assertSameOrigin(request, context.config.publicUrl)
  const parsed = passwordChangeSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) return data({ ok: false, error: parsed.error.issues[0].message }, { status: 400 })
  const result = await changePassword(context, user, parsed.data, await readKnownDevice(context, request))
  if (!result.ok) {
    if ('retryAfter' in result)
      return data(
        { ok: false, error: result.error, retryAfter: result.retryAfter },
        { status: 429, headers: { 'Retry-After': String(result.retryAfter) } },
      )
    return data({ ok: false, error: result.error }, { status: 400 })
  }
  // Every session ended with the old password; this browser gets a fresh one. A redirect, not a page: on a
  // form post without JavaScript this page's loader would run with the old cookie and send it to sign-in,
  // and that redirect would drop the new cookie.
  return redirect('/account/password?changed=1', {
    status: 303,
    headers: { 'Set-Cookie': await createSession(context, user.id) },
  })
}

export default function ChangePassword() {
  const { changed } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t } = useTranslation()
  return (
    <>
      <h1>{t('auth.changePassword')}</h1>
      {changed && !result && (
        <p className="notice" role="status">
          {t('auth.passwordChanged')}
        </p>
      )}
      {result?.error && (
        <div className="error-summary" role="alert">
          <p>{t(result.error, { seconds: 'retryAfter' in result ? result.retryAfter : 0 })}</p>
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
