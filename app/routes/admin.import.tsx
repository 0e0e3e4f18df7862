import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { formIntent, requireAdmin } from '#app/.server/admin/guard.ts'
import { runImport } from '#app/.server/admin/import-action.ts'
import { listQuestionnaireNames } from '#app/.server/repos/questionnaires.ts'
import { applyResponseRows, checkResponseRows } from '#app/.server/services/import-responses.ts'
import { ImportColumns } from '#app/components/admin/ImportColumns.tsx'
import { ImportForm } from '#app/components/admin/ImportForm.tsx'
import { ImportReport } from '#app/components/admin/ImportReport.tsx'
import { Field } from '#app/components/form/Field.tsx'

export async function loader({ context, request }: LoaderFunctionArgs) {
  await requireAdmin(context, request)
  return { questionnaires: await listQuestionnaireNames(context.db) }
}

// The national questionnaire unless the form names another (a file posted without the picker).
const importSchema = z.object({ questionnaire: z.string().catch('SIPAS-2017') })

export async function action({ context, request }: ActionFunctionArgs) {
  const user = await requireAdmin(context, request)
  const { intent, form } = await formIntent(request, ['preview', 'apply'] as const)
  const { questionnaire } = importSchema.parse(Object.fromEntries(form))
  return runImport(
    form,
    intent === 'apply',
    (rows) => checkResponseRows(context.db, questionnaire, rows),
    (rows) => applyResponseRows(context.db, rows, user),
  )
}

const RESPONSE_COLUMNS = [
  { name: 'external_id' },
  { name: 'agency_code' },
  { name: 'submitted_at', example: '2026-09-15' },
  { name: 'procedure_code', optional: true },
  { name: 'weight', optional: true },
  { name: 'stratum', optional: true },
]

export default function ImportResponses() {
  const { questionnaires } = useLoaderData<typeof loader>()
  const outcome = useActionData<typeof action>()
  const { t, i18n } = useTranslation('admin')
  const en = i18n.language === 'en'
  return (
    <>
      <h1>{t('import.title')}</h1>
      <ImportColumns columns={RESPONSE_COLUMNS} more={t('importColumns.questions')} />
      {outcome && <ImportReport outcome={outcome} prefix="import" />}
      <ImportForm id="i-file" checkLabel={t('import.preview')} applyLabel={t('import.apply')}>
        <Field id="i-q" label={t('import.questionnaire')}>
          {(control) => (
            <select name="questionnaire" {...control}>
              {questionnaires.map((q) => (
                <option key={q.code} value={q.code}>
                  {en ? q.nameEn : q.nameVi}
                </option>
              ))}
            </select>
          )}
        </Field>
      </ImportForm>
    </>
  )
}
