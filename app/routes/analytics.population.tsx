import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { assertSameOrigin, requireUser } from '#app/.server/auth/session.ts'
import { populationInputSchema, populationPage, setPopulationCount } from '#app/.server/services/population.ts'
import { Field } from '#app/components/form/Field.tsx'
import { formatNumber, type Locale } from '#app/domain/format.ts'

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = await requireUser(context, request)
  return populationPage(context.db, user)
}

export async function action({ context, request }: ActionFunctionArgs) {
  const user = await requireUser(context, request)
  assertSameOrigin(request, context.config.publicUrl)
  const parsed = populationInputSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) return data({ ok: false, error: parsed.error.issues[0].message }, { status: 400 })
  const result = await setPopulationCount(context.db, parsed.data, {
    scopePath: user.scopePath,
    userId: user.id,
    actor: user.email,
  })
  if (!result.ok) return data({ ok: false, error: result.error }, { status: result.status })
  return { ok: true, error: null }
}

export default function Population() {
  const { agencies, counts } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t, i18n } = useTranslation('analytics')
  const lng = (i18n.language === 'en' ? 'en' : 'vi') as Locale
  return (
    <div className="wide-content">
      <p>
        <Link to="/analytics">← {t('agencyPage.back')}</Link>
      </p>
      <h1>{t('population.title')}</h1>
      <p>{t('population.intro')}</p>
      {result?.ok && (
        <p className="notice" role="status">
          {t('population.saved')}
        </p>
      )}
      {result?.error && (
        <div className="error-summary" role="alert">
          <p>{t(result.error.replace(/^analytics\./, ''))}</p>
        </div>
      )}
      <Form method="post" className="grid-form">
        <Field id="pc-agency" label={t('population.agency')}>
          {(control) => (
            <select {...control} name="agencyCode">
              {agencies.map((a) => (
                <option key={a.code} value={a.code}>
                  {a.code} — {lng === 'en' ? a.nameEn : a.nameVi}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          id="pc-period"
          label={t('population.period')}
          inputProps={{ name: 'period', required: true, placeholder: '2026-Q3' }}
        />
        <Field
          id="pc-count"
          label={t('population.count')}
          inputProps={{ name: 'count', type: 'number', min: 1, step: 1, inputMode: 'numeric', required: true }}
        />
        <Field id="pc-source" label={t('population.source')} inputProps={{ name: 'source', maxLength: 200 }} />
        <button className="button" type="submit">
          {t('population.save')}
        </button>
      </Form>
      {counts.length === 0 ? (
        <p>{t('population.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('population.agency')}</th>
              <th scope="col">{t('population.period')}</th>
              <th scope="col" className="num">
                {t('population.count')}
              </th>
              <th scope="col">{t('population.source')}</th>
            </tr>
          </thead>
          <tbody>
            {counts.map((c) => (
              <tr key={`${c.code}-${c.period}`}>
                <th scope="row" style={{ fontWeight: 400 }}>
                  {lng === 'en' ? c.nameEn : c.nameVi}
                </th>
                <td>{c.period}</td>
                <td className="num">{formatNumber(c.count, lng)}</td>
                <td>{c.source ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
