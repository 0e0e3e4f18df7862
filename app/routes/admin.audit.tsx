import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { requireAdmin } from '#app/.server/admin/guard.ts'
import { auditPage } from '#app/.server/services/audit-log.ts'
import { auditActionKey, auditEntityKey } from '#app/domain/code-words.ts'
import { formatDateTime } from '#app/domain/format.ts'

const querySchema = z.object({ before: z.coerce.number().int().positive().catch(0) })

export async function loader({ context, request }: LoaderFunctionArgs) {
  await requireAdmin(context, request)
  const { before } = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams))
  return auditPage(context.db, before || null)
}

export default function Audit() {
  const { entries, next } = useLoaderData<typeof loader>()
  const { t } = useTranslation('admin')
  return (
    <>
      <h1>{t('audit.title')}</h1>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('audit.at')}</th>
              <th scope="col">{t('audit.actor')}</th>
              <th scope="col">{t('audit.action')}</th>
              <th scope="col">{t('audit.entity')}</th>
              <th scope="col">{t('audit.details')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <th scope="row" style={{ fontWeight: 400 }}>
                  {formatDateTime(e.at)}
                </th>
                <td>{e.actor}</td>
                <td>{t(auditActionKey(e.action))}</td>
                <td>
                  {t(auditEntityKey(e.entity))}
                  {e.entityId ? ` #${e.entityId}` : ''}
                </td>
                <td>
                  {/* The stored record verbatim, for an auditor who must quote it; folded away, it is not the wording. */}
                  {e.detailsJson && e.detailsJson !== '{}' && (
                    <details>
                      <summary>{t('audit.record')}</summary>
                      <code className="audit-record" style={{ wordBreak: 'break-all' }}>
                        {e.detailsJson}
                      </code>
                    </details>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {next && (
        <p>
          <Link to={`?before=${next}`}>{t('audit.older')} →</Link>
        </p>
      )}
    </>
  )
}
