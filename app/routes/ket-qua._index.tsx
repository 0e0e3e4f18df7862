/**
 * /ket-qua — the official results: every published release, newest first. Public (no sign-in), served
 * from the frozen releases; works without JavaScript.
 */
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { publishedReleaseList, resultsTranslator } from '#app/.server/services/release-pages.ts'
import { formatDate } from '#app/domain/format.ts'
import { periodLabel } from '#app/domain/period.ts'

export const handle = { i18n: ['common', 'results'] }

export async function loader({ context, request }: LoaderFunctionArgs) {
  const t = await resultsTranslator(request)
  return { title: t('title'), releases: await publishedReleaseList(context.readDb) }
}

export const headers = () => ({ 'Cache-Control': 'public, max-age=60' })

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ''} — Hài Lòng` }]

export default function Results() {
  const { releases } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation('results')
  const en = i18n.language === 'en'
  return (
    <div className="wide-content">
      <h1>{t('title')}</h1>
      <p>{t('intro')}</p>
      {releases.length === 0 ? (
        <p>{t('none')}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('list.period')}</th>
                <th scope="col">{t('list.scope')}</th>
                <th scope="col">{t('list.publishedAt')}</th>
                <th scope="col">{t('list.sha256')}</th>
              </tr>
            </thead>
            <tbody>
              {releases.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/ket-qua/${r.id}`}>{periodLabel(r.period, en ? 'en' : 'vi')}</Link>
                  </td>
                  <td>
                    {en ? r.scope.nameEn : r.scope.nameVi}
                    {r.supersedes !== null ? ` (${t('list.corrects', { id: r.supersedes })})` : ''}
                  </td>
                  <td>{formatDate(r.publishedAt)}</td>
                  <td>
                    <code>{r.sha256.slice(0, 16)}…</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}
