import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { assertSameOrigin, requireUser } from '#app/.server/auth/session.ts'
import {
  approvePopulationCount,
  populationDecisionSchema,
  rejectPopulationCount,
} from '#app/.server/services/population-approval.ts'
import { populationInputSchema, populationPage, setPopulationCount } from '#app/.server/services/population.ts'
import { Field } from '#app/components/form/Field.tsx'
import { formatDateTime, formatNumber, type Locale } from '#app/domain/format.ts'

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = await requireUser(context, request)
  return populationPage(context.db, { scopePath: user.scopePath, userId: user.id })
}

// A form submitted with the Enter key carries the default button's intent; an old form carries none.
const intentSchema = z.enum(['set', 'approve', 'reject']).catch('set')

type Outcome = 'applied' | 'pending' | 'approved' | 'rejected'
type ActionResult = {
  outcome: Outcome | null
  error: string | null
  /** The form field the error is about, to show it there too. */
  field: string | null
  values: Record<string, string | number>
}

const refused = (status: number, error: string, field: string | null, values: Record<string, string | number> = {}) =>
  data<ActionResult>({ outcome: null, error, field, values }, { status })

export async function action({ context, request }: ActionFunctionArgs) {
  const user = await requireUser(context, request)
  assertSameOrigin(request, context.config.publicUrl)
  const fields = Object.fromEntries(await request.formData())
  const intent = intentSchema.parse(fields.intent)
  const who = { scopePath: user.scopePath, userId: user.id, actor: user.email }
  let result: Awaited<ReturnType<typeof setPopulationCount | typeof approvePopulationCount>>
  if (intent === 'set') {
    const parsed = populationInputSchema.safeParse(fields)
    if (!parsed.success) return refused(400, parsed.error.issues[0].message, String(parsed.error.issues[0].path[0]))
    result = await setPopulationCount(context.db, parsed.data, who)
  } else {
    const parsed = populationDecisionSchema.safeParse(fields)
    if (!parsed.success) return refused(400, parsed.error.issues[0].message, null)
    const decide = intent === 'approve' ? approvePopulationCount : rejectPopulationCount
    result = await decide(context.db, parsed.data.proposalId, who)
  }
  if (!result.ok) {
    const field = intent === 'set' && result.status === 422 ? 'count' : null
    return refused(result.status, result.error, field, result.values)
  }
  return data<ActionResult>({ outcome: result.outcome, error: null, field: null, values: {} })
}

const NOTICE: Record<Outcome, string> = {
  applied: 'population.saved',
  pending: 'population.pendingSaved',
  approved: 'population.approvedNotice',
  rejected: 'population.rejectedNotice',
}

export default function Population() {
  const { agencies, counts, pending } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t, i18n } = useTranslation('analytics')
  const lng = (i18n.language === 'en' ? 'en' : 'vi') as Locale
  // Counts in a message read as counts elsewhere on the page: "1.200" in Vietnamese.
  const values = Object.fromEntries(
    Object.entries(result?.values ?? {}).map(([k, v]) => [k, typeof v === 'number' ? formatNumber(v, lng) : v]),
  )
  const message = result?.error ? t(result.error.replace(/^analytics\./, ''), values) : null
  const errorOf = (field: string) => (result?.field === field ? message : null)
  return (
    <div className="wide-content">
      <p>
        <Link to="/analytics">← {t('agencyPage.back')}</Link>
      </p>
      <h1>{t('population.title')}</h1>
      <p>{t('population.intro')}</p>
      <p>{t('population.approvalRule')}</p>
      {result?.outcome && (
        <p className="notice" role="status">
          {t(NOTICE[result.outcome])}
        </p>
      )}
      {result?.error && (
        <div className="error-summary" role="alert">
          <p>{message}</p>
        </div>
      )}
      <Form method="post" className="grid-form">
        <Field id="pc-agency" label={t('population.agency')} errors={errorOf('agencyCode')}>
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
          hint={t('population.periodHint')}
          errors={errorOf('period')}
          inputProps={{ name: 'period', required: true, placeholder: '2026-Q3', maxLength: 40 }}
        />
        <Field
          id="pc-count"
          label={t('population.count')}
          errors={errorOf('count')}
          inputProps={{
            name: 'count',
            type: 'number',
            min: 1,
            max: 1_000_000_000,
            step: 1,
            inputMode: 'numeric',
            required: true,
          }}
        />
        <Field
          id="pc-source"
          label={t('population.source')}
          errors={errorOf('source')}
          inputProps={{ name: 'source', maxLength: 200 }}
        />
        <button className="button" type="submit" name="intent" value="set">
          {t('population.save')}
        </button>
      </Form>
      <h2>{t('population.pendingTitle')}</h2>
      {pending.length === 0 ? (
        <p>{t('population.pendingNone')}</p>
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
              <th scope="col">{t('population.enteredBy')}</th>
              <th scope="col">{t('population.decision')}</th>
            </tr>
          </thead>
          <tbody>
            {pending.map((p) => (
              <tr key={p.id}>
                <th scope="row" style={{ fontWeight: 400 }}>
                  {lng === 'en' ? p.nameEn : p.nameVi}
                </th>
                <td>{p.period}</td>
                <td className="num">{formatNumber(p.count, lng)}</td>
                <td>{p.source ?? ''}</td>
                <td>
                  {p.enteredBy}, {formatDateTime(p.enteredAt)}
                </td>
                <td>
                  {p.canDecide ? (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="proposalId" value={p.id} />
                      <button className="button" type="submit" name="intent" value="approve">
                        {t('population.approve')}
                      </button>{' '}
                      <button className="button secondary" type="submit" name="intent" value="reject">
                        {t('population.reject')}
                      </button>
                    </Form>
                  ) : (
                    t('population.awaiting')
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t('population.approvedTitle')}</h2>
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
