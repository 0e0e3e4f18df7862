/**
 * Every succession at once (the whole reorganisation, docs/mergers.md) and its import from a CSV/XLSX file
 * (predecessor_code, successor_code, kind, effective_date): checked, then applied all rows or none.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { formIntent, requireAdmin } from '#app/.server/admin/guard.ts'
import { runImport } from '#app/.server/admin/import-action.ts'
import { listSuccessionsOf } from '#app/.server/repos/successions.ts'
import { applySuccessionRows, checkSuccessionRows } from '#app/.server/services/successions-admin.ts'
import { ImportColumns } from '#app/components/admin/ImportColumns.tsx'
import { ImportForm } from '#app/components/admin/ImportForm.tsx'
import { ImportReport } from '#app/components/admin/ImportReport.tsx'
import { SuccessionPhrase } from '#app/components/admin/SuccessionPhrase.tsx'
import { formatDate } from '#app/domain/format.ts'
import { SUCCESSION_KINDS } from '#app/domain/successions.ts'

/** The import file's columns, shown as codes and explained in words. */
const SUCCESSION_COLUMNS = [
  { name: 'predecessor_code' },
  { name: 'successor_code' },
  { name: 'kind' },
  { name: 'effective_date', example: '2025-07-01' },
]

export async function loader({ context, request }: LoaderFunctionArgs) {
  await requireAdmin(context, request)
  return { successions: await listSuccessionsOf(context.db, null) }
}

export async function action({ context, request }: ActionFunctionArgs) {
  const user = await requireAdmin(context, request)
  const { intent, form } = await formIntent(request, ['preview', 'apply'] as const)
  return runImport(
    form,
    intent === 'apply',
    (rows) => checkSuccessionRows(context.db, { scopePath: user.scopePath }, rows),
    (rows) => applySuccessionRows(context.db, rows, user),
  )
}

export default function Successions() {
  const { successions } = useLoaderData<typeof loader>()
  const outcome = useActionData<typeof action>()
  const { t } = useTranslation('admin')
  return (
    <>
      <p>
        <Link to="/admin/agencies">← {t('agencies.title')}</Link>
      </p>
      <h1>{t('successions.overview')}</h1>
      {outcome &&
        (outcome.status === 'ready' || outcome.status === 'applied' ? (
          <p className="notice" role="status">
            {t(outcome.status === 'ready' ? 'successions.readyToApply' : 'successions.applied', {
              count: outcome.count,
            })}
          </p>
        ) : (
          <ImportReport outcome={outcome} prefix="agencies" />
        ))}
      {successions.length === 0 ? (
        <p>{t('successions.noneAtAll')}</p>
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
                <tr key={s.id}>
                  <td>
                    <SuccessionPhrase succession={s} />
                  </td>
                  <td>{formatDate(s.effectiveDate)}</td>
                  <td>
                    <Link to={`/admin/agencies/${encodeURIComponent(s.predecessor.code)}/successions`}>
                      {t('agencies.edit')}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t('successions.import')}</h2>
      <ImportColumns
        columns={SUCCESSION_COLUMNS}
        values={{ column: 'kind', values: SUCCESSION_KINDS, label: (k) => t(`successions.relations.${k}`) }}
        more={t('importColumns.allOrNothing')}
      />
      <ImportForm id="s-file" checkLabel={t('agencies.preview')} applyLabel={t('agencies.apply')} />
    </>
  )
}
