import { type ActionFunctionArgs, data, type HeadersFunction, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { Form, useActionData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { readKnownDevice, rememberDevice } from '#app/.server/auth/device.ts'
import { authenticate } from '#app/.server/auth/login.ts'
import { MAX_PASSWORD_LENGTH } from '#app/.server/auth/password-policy.ts'
import { assertSameOrigin, createSession, getSessionUser } from '#app/.server/auth/session.ts'
import { Field } from '#app/components/form/Field.tsx'
import { ROLE_HOME } from '#app/domain/role-home.ts'
import { safeRedirectPath } from '#app/domain/safe-redirect.ts'

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = await getSessionUser(context, request)
  if (user) throw redirect(safeRedirectPath(new URL(request.url).searchParams.get('redirectTo'), ROLE_HOME[user.role]))
  return null
}

const loginSchema = z.object({
  email: z.string().trim().min(1).max(200),
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
})

/** A page answer keeps only the cookies of the action's headers: the wait a 429 announces is passed on here. */
export const headers: HeadersFunction = ({ actionHeaders, parentHeaders }) => {
  const headers = new Headers(parentHeaders)
  const retryAfter = actionHeaders.get('Retry-After')
  if (retryAfter) headers.set('Retry-After', retryAfter)
  return headers
}

export async function action({ context, request }: ActionFunctionArgs) {
  assertSameOrigin(request, context.config.publicUrl)
  const form = await request.formData()
  const parsed = loginSchema.safeParse(Object.fromEntries(form))
  if (!parsed.success) return data({ error: 'auth.invalid' }, { status: 400 })
  const device = await readKnownDevice(context, request)
  const result = await authenticate(context, { ...parsed.data, device })
  if (!result.ok) {
    if (result.error === 'invalid') return data({ error: 'auth.invalid' }, { status: 401 })
    return data(
      { error: `auth.${result.error}` as const, retryAfter: result.retryAfter },
      { status: 429, headers: { 'Retry-After': String(result.retryAfter) } },
    )
  }
  const headers = new Headers()
  headers.append('Set-Cookie', await createSession(context, result.userId))
  headers.append('Set-Cookie', await rememberDevice(context, result.userId, device))
  // Each role lands where it works (issue 18), unless the sign-in was on the way to another page.
  return redirect(safeRedirectPath(form.get('redirectTo'), ROLE_HOME[result.role]), { headers })
}

export default function Login() {
  const result = useActionData<typeof action>()
  const [params] = useSearchParams()
  const { t } = useTranslation()
  return (
    <>
      <h1>{t('auth.title')}</h1>
      {params.get('setup') === 'done' && (
        <p className="notice" role="status">
          {t('setup.done')}
        </p>
      )}
      {result?.error && (
        <div className="error-summary" role="alert">
          <p>{t(result.error, { seconds: 'retryAfter' in result ? result.retryAfter : 0 })}</p>
        </div>
      )}
      <Form method="post">
        <input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? ''} />
        <Field
          id="email"
          label={t('auth.email')}
          inputProps={{ name: 'email', type: 'email', autoComplete: 'username', required: true }}
        />
        <Field
          id="password"
          label={t('auth.password')}
          inputProps={{ name: 'password', type: 'password', autoComplete: 'current-password', required: true }}
        />
        <button className="button" type="submit">
          {t('auth.submit')}
        </button>
      </Form>
    </>
  )
}
