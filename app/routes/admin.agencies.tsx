import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { adminError, formIntent, requireAdmin } from '#app/.server/admin/guard.ts'
import { runImport } from '#app/.server/admin/import-action.ts'
import {
  agencyTree,
  applyAgencyRows,
  checkAgencyRows,
  deactivateAgency,
  updateAgency,
} from '#app/.server/services/agencies-admin.ts'
import { ImportForm } from '#app/components/admin/ImportForm.tsx'
import { ImportReport, type ImportOutcome } from '#app/components/admin/ImportReport.tsx'
import { confirmBefore } from '#app/components/confirm.ts'

export async function loader({ context, request }: LoaderFunctionArgs) {
  await requireAdmin(context, request)
  return { agencies: await agencyTree(context.db) }
}

const LEVELS = ['province', 'department', 'district', 'commune'] as const

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
  if (intent === 'add') {
    const row = Object.fromEntries([...form].map(([k, v]) => [k, String(v)]))
    const checked = await checkAgencyRows(context.db, [row])
    if (checked.errors.length)
      return data<ImportOutcome>(
        { status: 'errors', count: 0, errors: checked.errors.map((e) => ({ ...e, row: 1 })) },
        { status: 400 },
      )
    await applyAgencyRows(context.db, checked.valid, user)
    return data<ImportOutcome>({ status: 'applied', count: 1, errors: [] })
  }
  const id = Number(form.get('id'))
  if (intent === 'deactivate') {
    const validTo = String(form.get('validTo') ?? '')
    if (!/^\d{4}-\d{2}-\d{2}$/.test(validTo)) return adminError(request, 400, 'import.badDate')
    const result = await deactivateAgency(context.db, user, id, validTo)
    if (!result.ok) return adminError(request, result.status, result.error)
    return data<ImportOutcome>({ status: 'applied', count: 0, errors: [] })
  }
  const nameVi = String(form.get('nameVi') ?? '').trim()
  const nameEn = String(form.get('nameEn') ?? '').trim()
  if (!nameVi || !nameEn) return adminError(request, 400, 'designer.errors.labelRequired')
  const result = await updateAgency(context.db, user, id, {
    nameVi,
    nameEn,
    parentCode: String(form.get('parentCode') ?? '').trim() || null,
  })
  if (!result.ok) return adminError(request, result.status, result.error)
  return data<ImportOutcome>({ status: 'applied', count: 0, errors: [] })
}

export default function Agencies() {
  const { agencies } = useLoaderData<typeof loader>()
  const outcome = useActionData<typeof action>()
  const { t, i18n } = useTranslation('admin')
  const en = i18n.language === 'en'
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
                  {en ? a.name_en : a.name_vi}
                  {a.valid_to ? ` (${t('common.inactive')} ${a.valid_to})` : ''}
                </td>
                <td>{a.level}</td>
                <td>{a.valid_from}</td>
                <td className="num">{a.responses}</td>
                <td>
                  {a.valid_to === null && (
                    <details>
                      <summary>{t('agencies.edit')}</summary>
                      <Form method="post">
                        <input type="hidden" name="id" value={a.id} />
                        <div className="field">
                          <label htmlFor={`vi-${a.id}`}>{t('common.nameVi')}</label>
                          <input id={`vi-${a.id}`} name="nameVi" defaultValue={a.name_vi} required />
                        </div>
                        <div className="field">
                          <label htmlFor={`en-${a.id}`}>{t('common.nameEn')}</label>
                          <input id={`en-${a.id}`} name="nameEn" defaultValue={a.name_en} required />
                        </div>
                        <div className="field">
                          <label htmlFor={`p-${a.id}`}>{t('agencies.parent')}</label>
                          <select
                            id={`p-${a.id}`}
                            name="parentCode"
                            defaultValue={agencies.find((p) => p.id === a.parent_id)?.code ?? ''}
                          >
                            <option value="">{t('agencies.noParent')}</option>
                            {agencies
                              .filter((p) => p.valid_to === null && !p.path.startsWith(a.path))
                              .map((p) => (
                                <option key={p.id} value={p.code}>
                                  {p.code}
                                </option>
                              ))}
                          </select>
                        </div>
                        <button className="button small" name="intent" value="update">
                          {t('common.save')}
                        </button>
                      </Form>
                      <Form method="post" onSubmit={confirmBefore(t('common.confirm'))}>
                        <input type="hidden" name="id" value={a.id} />
                        <div className="field">
                          <label htmlFor={`to-${a.id}`}>{t('agencies.validTo')}</label>
                          <input id={`to-${a.id}`} name="validTo" type="date" defaultValue={today} required />
                        </div>
                        {a.responses > 0 && <p className="hint">{t('agencies.cannotDelete')}</p>}
                        <button className="button small secondary" name="intent" value="deactivate">
                          {t('common.deactivate')}
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
        <div className="field">
          <label htmlFor="a-code">{t('common.code')}</label>
          <input id="a-code" name="code" required />
        </div>
        <div className="field">
          <label htmlFor="a-vi">{t('common.nameVi')}</label>
          <input id="a-vi" name="name_vi" required />
        </div>
        <div className="field">
          <label htmlFor="a-en">{t('common.nameEn')}</label>
          <input id="a-en" name="name_en" required />
        </div>
        <div className="field">
          <label htmlFor="a-level">{t('agencies.level')}</label>
          <select id="a-level" name="level">
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="a-parent">{t('agencies.parent')}</label>
          <select id="a-parent" name="parent_code">
            <option value="">{t('agencies.noParent')}</option>
            {agencies
              .filter((a) => a.valid_to === null)
              .map((a) => (
                <option key={a.id} value={a.code}>
                  {a.code}
                </option>
              ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="a-from">{t('agencies.validFrom')}</label>
          <input id="a-from" name="valid_from" type="date" defaultValue={today} required />
        </div>
        <button className="button" name="intent" value="add">
          {t('common.create')}
        </button>
      </Form>
      <h2>{t('agencies.import')}</h2>
      <p className="hint">{t('agencies.importHint')}</p>
      <ImportForm id="a-file" checkLabel={t('agencies.preview')} applyLabel={t('agencies.apply')} />
    </>
  )
}
