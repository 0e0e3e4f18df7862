import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { Form } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { formIntent, requireAdmin } from '#app/.server/admin/guard.ts'
import { addOutcome, runImport } from '#app/.server/admin/import-action.ts'
import {
  checkDossierFile,
  dossiersPage,
  setDossierCount,
  writeDossierCounts,
} from '#app/.server/services/dossier-counts.ts'
import { ImportColumns } from '#app/components/admin/ImportColumns.tsx'
import { ImportForm } from '#app/components/admin/ImportForm.tsx'
import { ImportReport } from '#app/components/admin/ImportReport.tsx'
import { Field } from '#app/components/form/Field.tsx'
import { DOSSIER_FILE_COLUMNS } from '#app/domain/dossier-file.ts'
import type { ImportOutcome } from '#app/domain/import-outcome.ts'
import { formatDateTime, formatNumber, type Locale } from '#app/domain/format.ts'

/** Dossier counts per agency and month (docs/dossiers.md): administrators everywhere, managers in their scope. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = await requireAdmin(context, request, ['admin', 'manager'])
  return dossiersPage(context.db, user)
}

export async function action({ context, request }: ActionFunctionArgs) {
  const user = await requireAdmin(context, request, ['admin', 'manager'])
  const { intent, form } = await formIntent(request, ['set', 'preview', 'apply'] as const)
  if (intent === 'preview' || intent === 'apply')
    return runImport(
      form,
      intent === 'apply',
      (rows) => checkDossierFile(context.db, user, rows),
      async (rows) => {
        const written = await writeDossierCounts(context.db, rows, {
          source: 'import',
          actor: user.email,
          userId: user.id,
        })
        return written.created + written.updated
      },
    )
  const fields = Object.fromEntries([...form].map(([k, v]) => [k, String(v)]))
  const result = await setDossierCount(
    context.db,
    { scopePath: user.scopePath, userId: user.id, email: user.email },
    fields,
  )
  // An agency outside the user's scope is a refusal (403), like the other administration forms; the
  // report says which agency.
  if (!result.ok && result.errors.some((e) => e.messages.some((m) => m.key === 'dossiers.errors.outOfScope')))
    return data<ImportOutcome>({ status: 'errors', count: 0, errors: result.errors }, { status: 403 })
  return addOutcome(result)
}

const COUNT_FIELDS = ['received', 'settled', 'settledLate', 'complained', 'ratedDissatisfied'] as const

export default function Dossiers() {
  const { agencies, counts } = useLoaderData<typeof loader>()
  const outcome = useActionData<typeof action>()
  const { t, i18n } = useTranslation('admin')
  const lng = (i18n.language === 'en' ? 'en' : 'vi') as Locale
  const number = (n: number | null) => (n === null ? '—' : formatNumber(n, lng))
  return (
    <>
      <h1>{t('dossiers.title')}</h1>
      <p>{t('dossiers.intro')}</p>
      {outcome && <ImportReport outcome={outcome} prefix="dossiers" />}
      <h2>{t('dossiers.enter')}</h2>
      <Form method="post" className="grid-form">
        <Field id="dc-agency" label={t('dossiers.agency')}>
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
          id="dc-month"
          label={t('dossiers.month')}
          hint={t('dossiers.monthHint')}
          inputProps={{ name: 'month', required: true, placeholder: '2026-09', maxLength: 40 }}
        />
        {COUNT_FIELDS.map((f) => (
          <Field
            key={f}
            id={`dc-${f}`}
            label={t(`dossiers.fields.${f}`)}
            hint={f === 'ratedDissatisfied' ? t('dossiers.ratedHint') : undefined}
            inputProps={{
              name: f,
              type: 'number',
              min: 0,
              step: 1,
              inputMode: 'numeric',
              required: f !== 'ratedDissatisfied',
            }}
          />
        ))}
        <button className="button" type="submit" name="intent" value="set">
          {t('dossiers.save')}
        </button>
      </Form>
      <h2>{t('dossiers.import')}</h2>
      <p className="hint">{t('dossiers.importHint')}</p>
      <ImportColumns
        columns={DOSSIER_FILE_COLUMNS.map((name) => ({
          name,
          optional: name === 'rated_dissatisfied',
          example: name === 'month' ? '2026-09' : undefined,
        }))}
      />
      <ImportForm id="dc-file" checkLabel={t('agencies.preview')} applyLabel={t('agencies.apply')} />
      <h2>{t('dossiers.stored')}</h2>
      {counts.length === 0 ? (
        <p>{t('dossiers.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('dossiers.agency')}</th>
              <th scope="col">{t('dossiers.month')}</th>
              {COUNT_FIELDS.map((f) => (
                <th key={f} scope="col" className="num">
                  {t(`dossiers.fields.${f}`)}
                </th>
              ))}
              <th scope="col">{t('dossiers.lastWrite')}</th>
            </tr>
          </thead>
          <tbody>
            {counts.map((c) => (
              <tr key={`${c.code} ${c.month}`}>
                <th scope="row" style={{ fontWeight: 400 }}>
                  {lng === 'en' ? c.nameEn : c.nameVi}
                </th>
                <td>{c.month}</td>
                <td className="num">{number(c.received)}</td>
                <td className="num">{number(c.settled)}</td>
                <td className="num">{number(c.settledLate)}</td>
                <td className="num">{number(c.complained)}</td>
                <td className="num">{number(c.ratedDissatisfied)}</td>
                <td>
                  {t(`dossiers.sources.${c.source}`)} · {c.updatedBy}, {formatDateTime(c.updatedAt)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
