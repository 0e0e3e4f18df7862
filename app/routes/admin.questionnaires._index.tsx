import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { actor, requireAdmin } from '#app/.server/admin/guard.ts'
import { createQuestionnaire, listQuestionnaires } from '#app/.server/services/questionnaire-admin.ts'
import { BUILT_IN_TEMPLATES } from '#app/.server/services/seed.ts'
import { Field } from '#app/components/form/Field.tsx'

export async function loader({ context, request }: LoaderFunctionArgs) {
  await requireAdmin(context, request)
  return {
    questionnaires: await listQuestionnaires(context.db),
    templates: BUILT_IN_TEMPLATES.map((t) => ({ code: t.code, nameVi: t.nameVi, nameEn: t.nameEn })),
  }
}

const createSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,40}$/, 'designer.errors.code'),
  nameVi: z.string().trim().min(1, 'designer.errors.labelRequired').max(200),
  // English is optional: English screens show the Vietnamese where it is missing.
  nameEn: z.string().trim().max(200).default(''),
  template: z
    .string()
    .trim()
    .max(40)
    .transform((v) => v || null),
})

export async function action({ context, request }: ActionFunctionArgs) {
  const user = await requireAdmin(context, request)
  const parsed = createSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success)
    return data(
      { errors: Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])) },
      { status: 400 },
    )
  const result = await createQuestionnaire(context.db, parsed.data, actor(user))
  if (!result.ok)
    return data(
      { errors: { code: result.error } as Record<string, string> },
      { status: result.error === 'designer.errors.codeTaken' ? 409 : 400 },
    )
  return redirect(`/admin/versions/${result.versionId}`)
}

export default function Questionnaires() {
  const { questionnaires, templates } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t, i18n } = useTranslation('admin')
  const en = i18n.language === 'en'
  const errors: Record<string, string> = result?.errors ?? {}
  const field = (name: 'code' | 'nameVi' | 'nameEn', label: string) => (
    <Field
      id={`q-${name}`}
      label={label}
      hint={name === 'nameEn' ? t('designer.englishOptional') : undefined}
      errors={errors[name] && t(errors[name])}
      inputProps={{ name, required: name !== 'nameEn' }}
    />
  )
  return (
    <>
      <h1>{t('questionnaires.title')}</h1>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('common.code')}</th>
            <th scope="col">{t('common.nameVi')}</th>
            <th scope="col">{t('questionnaires.versions')}</th>
          </tr>
        </thead>
        <tbody>
          {questionnaires.map((q) => (
            <tr key={q.id}>
              <th scope="row">
                <Link to={`/admin/questionnaires/${q.id}`}>{q.code}</Link>
              </th>
              <td>{en ? q.nameEn || q.nameVi : q.nameVi}</td>
              <td>
                {q.versions
                  .map(
                    (v) => `${t('questionnaires.version', { number: v.number })} (${t(`common.status.${v.status}`)})`,
                  )
                  .join(' · ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('questionnaires.new')}</h2>
      <Form method="post" className="grid-form">
        {field('code', t('common.code'))}
        {field('nameVi', t('common.nameVi'))}
        {field('nameEn', t('common.nameEn'))}
        <Field id="q-template" label={t('questionnaires.template')}>
          {(control) => (
            <select {...control} name="template" defaultValue={templates[0]?.code}>
              {templates.map((tp) => (
                <option key={tp.code} value={tp.code}>
                  {en ? tp.nameEn : tp.nameVi}
                </option>
              ))}
              <option value="">{t('questionnaires.scratch')}</option>
            </select>
          )}
        </Field>
        <button className="button" type="submit">
          {t('common.create')}
        </button>
      </Form>
    </>
  )
}
