import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { formIntent, requireAdmin } from '#app/.server/admin/guard.ts'
import { runImport } from '#app/.server/admin/import-action.ts'
import { applyResponseRows, checkResponseRows } from '#app/.server/services/import-responses.ts'
import { ImportForm } from '#app/components/admin/ImportForm.tsx'
import { ImportReport } from '#app/components/admin/ImportReport.tsx'

export async function loader({ context, request }: LoaderFunctionArgs) {
  await requireAdmin(context, request)
  return {
    questionnaires: await context.db
      .selectFrom('questionnaire')
      .select(['code', 'name_vi', 'name_en'])
      .orderBy('code')
      .execute(),
  }
}

export async function action({ context, request }: ActionFunctionArgs) {
  const user = await requireAdmin(context, request)
  const { intent, form } = await formIntent(request, ['preview', 'apply'] as const)
  const questionnaire = String(form.get('questionnaire') ?? 'SIPAS-2017')
  return runImport(
    form,
    intent === 'apply',
    (rows) => checkResponseRows(context.db, questionnaire, rows),
    (rows) => applyResponseRows(context.db, rows, user),
  )
}

export default function ImportResponses() {
  const { questionnaires } = useLoaderData<typeof loader>()
  const outcome = useActionData<typeof action>()
  const { t, i18n } = useTranslation('admin')
  const en = i18n.language === 'en'
  return (
    <>
      <h1>{t('import.title')}</h1>
      <p className="hint">{t('import.hint')}</p>
      {outcome && <ImportReport outcome={outcome} prefix="import" />}
      <ImportForm id="i-file" checkLabel={t('import.preview')} applyLabel={t('import.apply')}>
        <div className="field">
          <label htmlFor="i-q">{t('import.questionnaire')}</label>
          <select id="i-q" name="questionnaire">
            {questionnaires.map((q) => (
              <option key={q.code} value={q.code}>
                {en ? q.name_en : q.name_vi}
              </option>
            ))}
          </select>
        </div>
      </ImportForm>
    </>
  )
}
