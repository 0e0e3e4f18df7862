import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { adminError, formIntent, requireAdmin } from '#app/.server/admin/guard.ts'
import { addOutcome, runImport } from '#app/.server/admin/import-action.ts'
import {
  addAgency,
  agencyEndSchema,
  agencyTree,
  agencyUpdateSchema,
  applyAgencyRows,
  checkAgencyRows,
  deactivateAgency,
  updateAgency,
} from '#app/.server/services/agencies-admin.ts'
import { CatalogueEntryFields } from '#app/components/admin/CatalogueEntryFields.tsx'
import { ImportColumns } from '#app/components/admin/ImportColumns.tsx'
import { ImportForm } from '#app/components/admin/ImportForm.tsx'
import { ImportReport } from '#app/components/admin/ImportReport.tsx'
import { confirmBefore } from '#app/components/confirm.ts'
import { Field } from '#app/components/form/Field.tsx'
import { AGENCY_LEVELS, levelKey } from '#app/domain/code-words.ts'
import { formatDate, formatNumber, type Locale } from '#app/domain/format.ts'
import type { ImportOutcome } from '#app/domain/import-outcome.ts'

export async function loader({ context, request }: LoaderFunctionArgs) {
  await requireAdmin(context, request)
  return { agencies: await agencyTree(context.db) }
}

const LEVELS = AGENCY_LEVELS
const AGENCY_COLUMNS = [
  { name: 'code' },
  { name: 'name_vi' },
  { name: 'name_en' },
  { name: 'level' },
  { name: 'parent_code', optional: true },
  { name: 'valid_from', example: '2025-07-01' },
]
const SAVED: ImportOutcome = { status: 'applied', count: 0, errors: [] }

export async function action({ context, request }: ActionFunctionArgs) {
  const user = await requireAdmin(context, request)
  const { intent, form } = await formIntent(request, ['add', 'update', 'deactivate', 'preview', 'apply'] as const)
  if (intent === 'preview' || intent === 'apply') {
    return runImport(
      form,
      intent === 'apply',
      (rows) => checkAgencyRows(context.db, rows),
      (rows) => applyAgencyRows(context.db, rows, user),
    )
  }
  const fields = Object.fromEntries([...form].map(([k, v]) => [k, String(v)]))
  if (intent === 'add') return addOutcome(await addAgency(context.db, user, fields))
  if (intent === 'deactivate') {
    const parsed = agencyEndSchema.safeParse(fields)
    if (!parsed.success) return adminError(request, 400, 'import.badDate')
    const result = await deactivateAgency(context.db, user, parsed.data.id, parsed.data.validTo)
    if (!result.ok) return adminError(request, result.status, result.error)
    return data(SAVED)
  }
  const parsed = agencyUpdateSchema.safeParse(fields)
  if (!parsed.success) return adminError(request, 400, 'designer.errors.labelRequired')
  const { id, ...input } = parsed.data
  const result = await updateAgency(context.db, user, id, input)
  if (!result.ok) return adminError(request, result.status, result.error)
  return data(SAVED)
}

export default function Agencies() {
  const { agencies } = useLoaderData<typeof loader>()
  const outcome = useActionData<typeof action>()
  const { t, i18n } = useTranslation('admin')
  const { t: tc } = useTranslation('common')
  const en = i18n.language === 'en'
  const lng: Locale = en ? 'en' : 'vi'
  const today = new Date().toISOString().slice(0, 10)
  return (
    <>
      <h1>{t('agencies.title')}</h1>
      {outcome &&
        (outcome.status === 'applied' && outcome.count === 0 ? (
          <p className="notice" role="status">
            {t('common.saved')}
          </p>
        ) : (
          <ImportReport outcome={outcome} prefix="agencies" />
        ))}
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('common.code')}</th>
              <th scope="col">{t('common.nameVi')}</th>
              <th scope="col">{t('agencies.level')}</th>
              <th scope="col">{t('agencies.validFrom')}</th>
              <th scope="col" className="num">
                {t('agencies.responses')}
              </th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {agencies.map((a) => (
              <tr key={a.id}>
                <th scope="row" style={{ paddingLeft: `${0.5 + a.depth * 1.25}rem`, fontWeight: 400 }}>
                  {a.code}
                </th>
                <td>
                  {en ? a.nameEn : a.nameVi}
                  {a.validTo ? ` (${t('agencies.endedOn', { date: formatDate(a.validTo) })})` : ''}
                </td>
                <td>{tc(levelKey(a.level))}</td>
                <td>{formatDate(a.validFrom)}</td>
                <td className="num">{formatNumber(a.responses, lng)}</td>
                <td>
                  <Link to={`/admin/agencies/${encodeURIComponent(a.code)}/successions`}>{t('successions.link')}</Link>
                  {a.validTo === null && (
                    <details>
                      <summary>{t('agencies.edit')}</summary>
                      <Form method="post">
                        <input type="hidden" name="id" value={a.id} />
                        <Field
                          id={`vi-${a.id}`}
                          label={t('common.nameVi')}
                          inputProps={{ name: 'nameVi', defaultValue: a.nameVi, required: true }}
                        />
                        <Field
                          id={`en-${a.id}`}
                          label={t('common.nameEn')}
                          inputProps={{ name: 'nameEn', defaultValue: a.nameEn, required: true }}
                        />
                        <Field id={`p-${a.id}`} label={t('agencies.parent')}>
                          {(control) => (
                            <select
                              name="parentCode"
                              defaultValue={agencies.find((p) => p.id === a.parentId)?.code ?? ''}
                              {...control}
                            >
                              <option value="">{t('agencies.noParent')}</option>
                              {agencies
                                .filter((p) => p.validTo === null && !a.subtree.includes(p.id))
                                .map((p) => (
                                  <option key={p.id} value={p.code}>
                                    {p.code} — {en ? p.nameEn : p.nameVi}
                                  </option>
                                ))}
                            </select>
                          )}
                        </Field>
                        <button className="button small" type="submit" name="intent" value="update">
                          {t('common.save')}
                        </button>
                      </Form>
                      <Form method="post" onSubmit={confirmBefore(t('common.confirm'))}>
                        <input type="hidden" name="id" value={a.id} />
                        <Field
                          id={`to-${a.id}`}
                          label={t('agencies.validTo')}
                          inputProps={{ name: 'validTo', type: 'date', defaultValue: today, required: true }}
                        />
                        {a.responses > 0 && <p className="hint">{t('agencies.cannotDelete')}</p>}
                        <button className="button small secondary" type="submit" name="intent" value="deactivate">
                          {t('agencies.end')}
                        </button>
                      </Form>
                    </details>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('agencies.add')}</h2>
      <Form method="post" className="grid-form">
        <CatalogueEntryFields idPrefix="a" levels={LEVELS} levelLabel={(l) => tc(levelKey(l))} />
        <Field id="a-parent" label={t('agencies.parent')}>
          {(control) => (
            <select name="parentCode" {...control}>
              <option value="">{t('agencies.noParent')}</option>
              {agencies
                .filter((a) => a.validTo === null)
                .map((a) => (
                  <option key={a.id} value={a.code}>
                    {a.code} — {en ? a.nameEn : a.nameVi}
                  </option>
                ))}
            </select>
          )}
        </Field>
        <Field
          id="a-from"
          label={t('agencies.validFrom')}
          inputProps={{ name: 'validFrom', type: 'date', defaultValue: today, required: true }}
        />
        <button className="button" type="submit" name="intent" value="add">
          {t('common.create')}
        </button>
      </Form>
      <p>
        <Link to="/admin/agencies/successions">{t('successions.overview')}</Link>
      </p>
      <h2>{t('agencies.import')}</h2>
      <ImportColumns columns={AGENCY_COLUMNS} levels={LEVELS} levelLabel={(l) => tc(levelKey(l))} />
      <ImportForm id="a-file" checkLabel={t('agencies.preview')} applyLabel={t('agencies.apply')} />
    </>
  )
}
