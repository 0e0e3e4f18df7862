import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { formIntent, requireAdmin } from '#app/.server/admin/guard.ts'
import { addOutcome, runImport } from '#app/.server/admin/import-action.ts'
import {
  addProcedure,
  applyProcedureRows,
  checkProcedureRows,
  editProcedure,
  proceduresPage,
} from '#app/.server/services/procedures-admin.ts'
import { CatalogueEntryFields } from '#app/components/admin/CatalogueEntryFields.tsx'
import { ImportColumns } from '#app/components/admin/ImportColumns.tsx'
import { ImportForm } from '#app/components/admin/ImportForm.tsx'
import { ImportReport } from '#app/components/admin/ImportReport.tsx'
import { Field } from '#app/components/form/Field.tsx'

const searchSchema = z.object({
  q: z
    .string()
    .catch('')
    .transform((q) => q.slice(0, 100)),
  edit: z
    .string()
    .max(60)
    .optional()
    .catch(undefined)
    .transform((v) => v || null),
})

export async function loader({ context, request }: LoaderFunctionArgs) {
  await requireAdmin(context, request)
  const { q, edit } = searchSchema.parse(Object.fromEntries(new URL(request.url).searchParams))
  return proceduresPage(context.db, q, edit)
}

const LEVELS = ['central', 'province', 'district', 'commune'] as const
const PROCEDURE_COLUMNS = [
  { name: 'code' },
  { name: 'name_vi' },
  { name: 'name_en' },
  { name: 'level' },
  { name: 'field_vi' },
  { name: 'field_en' },
  { name: 'national_code', optional: true },
  { name: 'agencies', optional: true },
]

export async function action({ context, request }: ActionFunctionArgs) {
  const user = await requireAdmin(context, request)
  const { intent, form } = await formIntent(request, ['add', 'edit', 'preview', 'apply'] as const)
  if (intent === 'preview' || intent === 'apply')
    return runImport(
      form,
      intent === 'apply',
      (rows) => checkProcedureRows(context.db, rows),
      (rows) => applyProcedureRows(context.db, rows, user),
    )
  const fields = Object.fromEntries([...form].map(([k, v]) => [k, String(v)]))
  if (intent === 'add') return addOutcome(await addProcedure(context.db, user, fields))
  const edited = await editProcedure(context.db, user, fields)
  // Saved: back to the procedure, with a notice; refused: the form again with the report (400).
  if (edited.ok) return redirect(`/admin/procedures?${new URLSearchParams({ edit: fields.code ?? '', saved: '1' })}`)
  return addOutcome(edited)
}

/** The fields a procedure has beyond the shared code, names and level: national code, field, agencies. */
function ProcedureFields({ idPrefix, values }: { idPrefix: string; values?: ProcedureValues }) {
  const { t } = useTranslation('admin')
  return (
    <>
      <Field
        id={`${idPrefix}-national`}
        label={t('procedures.nationalCode')}
        hint={t('procedures.nationalCodeHint')}
        inputProps={{ name: 'nationalCode', defaultValue: values?.nationalCode ?? '', inputMode: 'decimal' }}
      />
      <Field
        id={`${idPrefix}-fvi`}
        label={t('procedures.fieldVi')}
        inputProps={{ name: 'fieldVi', required: true, defaultValue: values?.fieldVi }}
      />
      <Field
        id={`${idPrefix}-fen`}
        label={t('procedures.fieldEn')}
        inputProps={{ name: 'fieldEn', required: true, defaultValue: values?.fieldEn }}
      />
      <Field
        id={`${idPrefix}-agencies`}
        label={t('procedures.agencies')}
        hint={t('procedures.agenciesHint')}
        inputProps={{ name: 'agencyCodes', defaultValue: values?.agencyCodes.join('; ') ?? '' }}
      />
    </>
  )
}

type ProcedureValues = {
  code: string
  nameVi: string
  nameEn: string
  level: string
  fieldVi: string
  fieldEn: string
  nationalCode: string | null
  agencyCodes: string[]
}

export default function Procedures() {
  const { procedures, total, editing } = useLoaderData<typeof loader>()
  const outcome = useActionData<typeof action>()
  const { t, i18n } = useTranslation('admin')
  const en = i18n.language === 'en'
  const [params] = useSearchParams()
  const q = params.get('q') ?? ''
  return (
    <>
      <h1>{t('procedures.title')}</h1>
      <p>{t('procedures.count', { count: total })}</p>
      {outcome && <ImportReport outcome={outcome} prefix="procedures" />}
      {!outcome && params.get('saved') === '1' && (
        <p className="notice" role="status">
          {t('procedures.updated')}
        </p>
      )}
      <Form method="get" role="search">
        <Field
          id="p-q"
          label={t('procedures.search')}
          hint={t('procedures.searchHint')}
          inputProps={{ name: 'q', type: 'search', defaultValue: q }}
        />
      </Form>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('common.code')}</th>
            <th scope="col">{t('procedures.nationalCode')}</th>
            <th scope="col">{t('common.nameVi')}</th>
            <th scope="col">{t('procedures.field')}</th>
            <th scope="col">{t('procedures.level')}</th>
            <th scope="col">{t('procedures.agencies')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('procedures.edit')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {procedures.map((p) => (
            <tr key={p.code}>
              <th scope="row" style={{ fontWeight: 400 }}>
                {p.code}
              </th>
              <td>{p.nationalCode ?? '—'}</td>
              <td>{en ? p.nameEn : p.nameVi}</td>
              <td>{en ? p.fieldEn : p.fieldVi}</td>
              <td>{t(`procedures.levels.${p.level}`)}</td>
              <td>{p.agencyCodes.join('; ') || t('procedures.noAgencies')}</td>
              <td>
                <Link to={`?${new URLSearchParams({ ...(q ? { q } : {}), edit: p.code })}#p-edit`}>
                  {t('procedures.edit')}
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing && (
        <section id="p-edit" aria-labelledby="p-edit-title">
          <h2 id="p-edit-title">{t('procedures.editTitle', { code: editing.code })}</h2>
          <Form method="post" className="grid-form" key={editing.code}>
            <input type="hidden" name="code" value={editing.code} />
            <Field
              id="e-vi"
              label={t('common.nameVi')}
              inputProps={{ name: 'nameVi', required: true, defaultValue: editing.nameVi }}
            />
            <Field
              id="e-en"
              label={t('common.nameEn')}
              inputProps={{ name: 'nameEn', required: true, defaultValue: editing.nameEn }}
            />
            <Field id="e-level" label={t('procedures.level')}>
              {(control) => (
                <select name="level" defaultValue={editing.level} {...control}>
                  {LEVELS.map((l) => (
                    <option key={l} value={l}>
                      {t(`procedures.levels.${l}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <ProcedureFields idPrefix="e" values={editing} />
            <button className="button" type="submit" name="intent" value="edit">
              {t('procedures.save')}
            </button>
          </Form>
        </section>
      )}
      <h2>{t('procedures.add')}</h2>
      <Form method="post" className="grid-form">
        <CatalogueEntryFields idPrefix="p" levels={LEVELS} levelLabel={(l) => t(`procedures.levels.${l}`)} />
        <ProcedureFields idPrefix="p" />
        <button className="button" type="submit" name="intent" value="add">
          {t('common.create')}
        </button>
      </Form>
      <h2>{t('agencies.import')}</h2>
      <ImportColumns columns={PROCEDURE_COLUMNS} levels={LEVELS} levelLabel={(l) => t(`procedures.levels.${l}`)} />
      <ImportForm id="p-file" checkLabel={t('agencies.preview')} applyLabel={t('agencies.apply')} />
    </>
  )
}
