import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { formIntent, requireAdmin } from '#app/.server/admin/guard.ts'
import { addOutcome, runImport } from '#app/.server/admin/import-action.ts'
import {
  addProcedure,
  applyProcedureRows,
  checkProcedureRows,
  proceduresPage,
} from '#app/.server/services/procedures-admin.ts'
import { CatalogueEntryFields } from '#app/components/admin/CatalogueEntryFields.tsx'
import { ImportForm } from '#app/components/admin/ImportForm.tsx'
import { ImportReport } from '#app/components/admin/ImportReport.tsx'
import { Field } from '#app/components/form/Field.tsx'

const searchSchema = z.object({
  q: z
    .string()
    .catch('')
    .transform((q) => q.slice(0, 100)),
})

export async function loader({ context, request }: LoaderFunctionArgs) {
  await requireAdmin(context, request)
  const { q } = searchSchema.parse(Object.fromEntries(new URL(request.url).searchParams))
  return proceduresPage(context.db, q)
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
  return addOutcome(await addProcedure(context.db, user, Object.fromEntries([...form].map(([k, v]) => [k, String(v)]))))
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
      <Form method="get" role="search">
        <Field
          id="p-q"
          label={`${t('common.code')} / ${t('common.nameVi')}`}
          inputProps={{ name: 'q', type: 'search', defaultValue: params.get('q') ?? '' }}
        />
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
        <CatalogueEntryFields idPrefix="p" levels={LEVELS} />
        <Field id="p-fvi" label={t('procedures.fieldVi')} inputProps={{ name: 'fieldVi', required: true }} />
        <Field id="p-fen" label={t('procedures.fieldEn')} inputProps={{ name: 'fieldEn', required: true }} />
        <button className="button" type="submit" name="intent" value="add">
          {t('common.create')}
        </button>
      </Form>
      <h2>{t('agencies.import')}</h2>
      <p className="hint">{t('procedures.importHint')}</p>
      <ImportForm id="p-file" checkLabel={t('agencies.preview')} applyLabel={t('agencies.apply')} />
    </>
  )
}
