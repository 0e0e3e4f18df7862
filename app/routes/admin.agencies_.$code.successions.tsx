/**
 * One agency's successions (docs/mergers.md): what it merged into, was renamed to or was split from, and
 * what merged into it, each with its date; recorded, corrected and deleted here, every change audited.
 */
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { formIntent, requireAdmin } from '#app/.server/admin/guard.ts'
import { getTranslator } from '#app/.server/i18n.ts'
import { findAgencyByCode } from '#app/.server/repos/agencies.ts'
import { listAllAgencies } from '#app/.server/repos/agency-tree.ts'
import { listSuccessionsOf } from '#app/.server/repos/successions.ts'
import {
  addSuccession,
  deleteSuccession,
  edgeFromRelation,
  relationFormSchema,
  successionUpdateSchema,
  updateSuccession,
} from '#app/.server/services/successions-admin.ts'
import { SuccessionPhrase } from '#app/components/admin/SuccessionPhrase.tsx'
import { confirmBefore } from '#app/components/confirm.ts'
import { Field } from '#app/components/form/Field.tsx'
import { SUCCESSION_KINDS } from '#app/domain/successions.ts'
import { formatDate } from '#app/domain/format.ts'

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  await requireAdmin(context, request)
  const agency = await findAgencyByCode(context.db, params.code ?? '')
  if (!agency) {
    const t = await getTranslator(request, 'admin')
    throw data(t('common.notFound'), { status: 404 })
  }
  const others = (await listAllAgencies(context.db))
    .filter((a) => a.id !== agency.id)
    .map((a) => ({ code: a.code, nameVi: a.nameVi, nameEn: a.nameEn, validTo: a.validTo }))
  return { agency, successions: await listSuccessionsOf(context.db, agency.id), others }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.agency.nameVi} — Hài Lòng` : 'Hài Lòng' },
]

type Answer = { ok: true; message: string } | { ok: false; errors: string[] }

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = await requireAdmin(context, request)
  const { intent, form } = await formIntent(request, ['add', 'update', 'delete'] as const)
  const t = await getTranslator(request, 'admin')
  const fail = (status: number, keys: Array<{ key: string; values?: Record<string, string> }>) =>
    data<Answer>({ ok: false, errors: keys.map((k) => t(k.key, k.values)) }, { status })
  const agency = await findAgencyByCode(context.db, params.code ?? '')
  if (!agency) return fail(404, [{ key: 'common.notFound' }])
  const fields = Object.fromEntries([...form].map(([k, v]) => [k, String(v)]))
  if (intent === 'add') {
    const edge = edgeFromRelation(agency.code, relationFormSchema.parse(fields))
    const result = await addSuccession(context.db, user, edge)
    if (!result.ok)
      return fail(
        400,
        result.errors.flatMap((e) => e.messages),
      )
    return data<Answer>({ ok: true, message: t('successions.recorded') })
  }
  if (intent === 'update') {
    const parsed = successionUpdateSchema.safeParse(fields)
    if (!parsed.success)
      return fail(
        400,
        parsed.error.issues.map((i) => ({ key: i.message })),
      )
    const result = await updateSuccession(context.db, user, parsed.data.id, parsed.data)
    if (!result.ok) return fail(result.status, [{ key: result.error }])
    return data<Answer>({ ok: true, message: t('common.saved') })
  }
  const result = await deleteSuccession(context.db, user, successionUpdateSchema.shape.id.parse(fields.id))
  if (!result.ok) return fail(result.status, [{ key: result.error }])
  return data<Answer>({ ok: true, message: t('successions.deleted') })
}

export default function AgencySuccessions() {
  const { agency, successions, others } = useLoaderData<typeof loader>()
  const answer = useActionData<typeof action>()
  const { t, i18n } = useTranslation('admin')
  const en = i18n.language === 'en'
  const name = (a: { nameVi: string; nameEn: string }) => (en ? a.nameEn : a.nameVi)
  return (
    <>
      <p>
        <Link to="/admin/agencies">← {t('agencies.title')}</Link> ·{' '}
        <Link to="/admin/agencies/successions">{t('successions.overview')}</Link>
      </p>
      <h1>
        {t('successions.title')}: {name(agency)} ({agency.code})
      </h1>
      {agency.validTo && <p className="notice">{t('successions.ended', { date: formatDate(agency.validTo) })}</p>}
      {answer &&
        (answer.ok ? (
          <p className="notice" role="status">
            {answer.message}
          </p>
        ) : (
          <div className="error-summary" role="alert">
            <h2>{t('common.errors')}</h2>
            <ul>
              {answer.errors.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          </div>
        ))}
      {successions.length === 0 ? (
        <p>{t('successions.none')}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('successions.relation')}</th>
                <th scope="col">{t('successions.date')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {successions.map((s) => (
                <tr key={s.id} data-succession={s.id}>
                  <td>
                    <SuccessionPhrase succession={s} />
                  </td>
                  <td>{formatDate(s.effectiveDate)}</td>
                  <td>
                    <details>
                      <summary>{t('agencies.edit')}</summary>
                      <Form method="post">
                        <input type="hidden" name="id" value={s.id} />
                        <Field id={`k-${s.id}`} label={t('successions.kind')}>
                          {(control) => (
                            <select name="kind" defaultValue={s.kind} {...control}>
                              {SUCCESSION_KINDS.map((k) => (
                                <option key={k} value={k}>
                                  {t(`successions.kinds.${k}`)}
                                </option>
                              ))}
                            </select>
                          )}
                        </Field>
                        <Field
                          id={`d-${s.id}`}
                          label={t('successions.date')}
                          inputProps={{
                            name: 'effectiveDate',
                            type: 'date',
                            defaultValue: s.effectiveDate,
                            required: true,
                          }}
                        />
                        <button className="button small" type="submit" name="intent" value="update">
                          {t('common.save')}
                        </button>
                      </Form>
                      <Form method="post" onSubmit={confirmBefore(t('successions.confirmDelete'))}>
                        <input type="hidden" name="id" value={s.id} />
                        <button className="button small secondary" type="submit" name="intent" value="delete">
                          {t('successions.delete')}
                        </button>
                      </Form>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t('successions.add')}</h2>
      <p className="hint">{t('successions.addHint')}</p>
      <Form method="post" className="grid-form">
        <Field id="s-relation" label={t('successions.thisUnit', { name: name(agency) })}>
          {(control) => (
            <select name="relation" defaultValue="merged_into" {...control}>
              {SUCCESSION_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`successions.relations.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="s-other" label={t('successions.other')}>
          {(control) => (
            <select name="other" required {...control}>
              <option value="">{t('successions.choose')}</option>
              {others.map((a) => (
                <option key={a.code} value={a.code}>
                  {a.code} — {name(a)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          id="s-date"
          label={t('successions.date')}
          inputProps={{ name: 'effectiveDate', type: 'date', defaultValue: '2025-07-01', required: true }}
        />
        <button className="button" type="submit" name="intent" value="add">
          {t('successions.record')}
        </button>
      </Form>
    </>
  )
}
