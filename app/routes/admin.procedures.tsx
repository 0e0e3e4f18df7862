import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { formIntent, requireAdmin } from '#app/.server/admin/guard.ts'
import { runImport } from '#app/.server/admin/import-action.ts'
import { searchProcedures } from '#app/.server/repos/procedures.ts'
import { applyProcedureRows, checkProcedureRows } from '#app/.server/services/agencies-admin.ts'
import { ImportForm } from '#app/components/admin/ImportForm.tsx'
import { ImportReport, type ImportOutcome } from '#app/components/admin/ImportReport.tsx'

export async function loader({ context, request }: LoaderFunctionArgs) {
  await requireAdmin(context, request)
  const q = new URL(request.url).searchParams.get('q')?.slice(0, 100) ?? ''
  const total = await context.db
    .selectFrom('procedure')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return { procedures: await searchProcedures(context.db, q, 100), total: Number(total.n) }
}

const LEVELS = ['central', 'province', 'district', 'commune'] as const

export async function action({ context, request }: ActionFunctionArgs) {
  const user = await requireAdmin(context, request)
  const { intent, form } = await formIntent(request, ['add', 'preview', 'apply'] as const)
  if (intent !== 'add')
    return runImport(
      form,
      intent === 'apply',
      (rows) => checkProcedureRows(context.db, rows),
      (rows) => applyProcedureRows(context.db, rows, user),
    )
  const row = Object.fromEntries([...form].map(([k, v]) => [k, String(v)]))
  const checked = await checkProcedureRows(context.db, [row])
  if (checked.errors.length)
    return data<ImportOutcome>(
      { status: 'errors', count: 0, errors: checked.errors.map((e) => ({ ...e, row: 1 })) },
      { status: 400 },
    )
  return data<ImportOutcome>({
    status: 'applied',
    count: await applyProcedureRows(context.db, checked.valid, user),
    errors: [],
  })
}

export default function Procedures() {
  const { procedures, total } = useLoaderData<typeof loader>()
  const outcome = useActionData<typeof action>()
  const { t, i18n } = useTranslation('admin')
  const en = i18n.language === 'en'
  const [params] = useSearchParams()
  return (
    <>
      <h1>{t('procedures.title')}</h1>
      <p>{t('procedures.count', { count: total })}</p>
      {outcome && <ImportReport outcome={outcome} prefix="procedures" />}
      <Form method="get" role="search" className="field">
        <label htmlFor="p-q">
          {t('common.code')} / {t('common.nameVi')}
        </label>
        <input id="p-q" name="q" type="search" defaultValue={params.get('q') ?? ''} />
      </Form>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('common.code')}</th>
            <th scope="col">{t('common.nameVi')}</th>
          </tr>
        </thead>
        <tbody>
          {procedures.map((p) => (
            <tr key={p.code}>
              <th scope="row" style={{ fontWeight: 400 }}>
                {p.code}
              </th>
              <td>{en ? p.nameEn : p.nameVi}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('procedures.add')}</h2>
      <Form method="post" className="grid-form">
        <div className="field">
          <label htmlFor="p-code">{t('common.code')}</label>
          <input id="p-code" name="code" required />
        </div>
        <div className="field">
          <label htmlFor="p-vi">{t('common.nameVi')}</label>
          <input id="p-vi" name="name_vi" required />
        </div>
        <div className="field">
          <label htmlFor="p-en">{t('common.nameEn')}</label>
          <input id="p-en" name="name_en" required />
        </div>
        <div className="field">
          <label htmlFor="p-level">{t('agencies.level')}</label>
          <select id="p-level" name="level">
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="p-fvi">{t('procedures.fieldVi')}</label>
          <input id="p-fvi" name="field_vi" required />
        </div>
        <div className="field">
          <label htmlFor="p-fen">{t('procedures.fieldEn')}</label>
          <input id="p-fen" name="field_en" required />
        </div>
        <button className="button" name="intent" value="add">
          {t('common.create')}
        </button>
      </Form>
      <h2>{t('agencies.import')}</h2>
      <p className="hint">{t('procedures.importHint')}</p>
      <ImportForm id="p-file" checkLabel={t('agencies.preview')} applyLabel={t('agencies.apply')} />
    </>
  )
}
