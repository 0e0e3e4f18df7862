import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireAdmin } from '#app/.server/admin/guard.ts'
import { formatDateTime } from '#app/domain/format.ts'

const PAGE = 100

export async function loader({ context, request }: LoaderFunctionArgs) {
  await requireAdmin(context, request)
  const before = Number(new URL(request.url).searchParams.get('before') ?? 0)
  const entries = await context.db
    .selectFrom('audit_log')
    .selectAll()
    .$if(Number.isInteger(before) && before > 0, (qb) => qb.where('id', '<', before))
    .orderBy('id', 'desc')
    .limit(PAGE)
    .execute()
  return { entries, next: entries.length === PAGE ? entries[entries.length - 1].id : null }
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
                <td>
                  <code>{e.action}</code>
                </td>
                <td>
                  {e.entity}
                  {e.entity_id ? ` #${e.entity_id}` : ''}
                </td>
                <td>
                  <code style={{ wordBreak: 'break-all' }}>{e.details_json}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {next && (
        <p>
          <Link to={`?before=${next}`}>→</Link>
        </p>
      )}
    </>
  )
}
