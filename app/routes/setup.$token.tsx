import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { createFirstAdmin, isSetupTokenValid } from '#app/.server/services/first-admin.ts'
import { newPassword, refusePasswordProblem } from '#app/.server/services/users.ts'
import { getTranslator } from '#app/.server/i18n.ts'
import { Field } from '#app/components/form/Field.tsx'

export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const valid = await isSetupTokenValid(context.db, params.token ?? '')
  if (!valid) throw data((await getTranslator(request))('setup.invalidLink'), { status: 410 })
  return { valid }
}

const setupSchema = z
  .object({
    email: z.string().trim().email('errors.email'),
    password: newPassword,
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { message: 'errors.passwordMismatch', path: ['confirm'] })
  .superRefine(refusePasswordProblem)

export async function action({ context, params, request }: ActionFunctionArgs) {
  const form = Object.fromEntries(await request.formData())
  const parsed = setupSchema.safeParse(form)
  if (!parsed.success) {
    const errors = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]))
    return data({ ok: false as const, errors }, { status: 400 })
  }
  const result = await createFirstAdmin(context.db, params.token ?? '', parsed.data.email, parsed.data.password)
  if (!result.ok) {
    if (result.error === 'invalidLink')
      return data({ ok: false as const, errors: { form: 'setup.invalidLink' } }, { status: 410 })
    return data({ ok: false as const, errors: { password: result.error } }, { status: 400 })
  }
  // The link is spent now: go to sign-in rather than re-running this page's loader (which would say 410).
  return redirect('/login?setup=done', 303)
}

export default function Setup() {
  useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t } = useTranslation()
  const errors: Record<string, string> = result?.errors ?? {}
  const field = (name: 'email' | 'password' | 'confirm', type: string, autoComplete: string) => (
    <Field
      id={name}
      label={t(`setup.${name}`)}
      errors={errors[name] && t(errors[name])}
      inputProps={{ name, type, autoComplete, required: true }}
    />
  )
  return (
    <>
      <h1>{t('setup.title')}</h1>
      <p>{t('setup.intro')}</p>
      {errors.form && (
        <p className="error-summary" role="alert">
          {t(errors.form)}
        </p>
      )}
      <Form method="post">
        {field('email', 'email', 'username')}
        {field('password', 'password', 'new-password')}
        {field('confirm', 'password', 'new-password')}
        <button className="button" type="submit">
          {t('setup.submit')}
        </button>
      </Form>
    </>
  )
}
