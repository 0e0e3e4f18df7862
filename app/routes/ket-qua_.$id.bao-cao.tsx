/**
 * /ket-qua/{id}/bao-cao — a published release as the printable report (A4, print stylesheet): public like
 * /ket-qua/{id}, read from the release's frozen document, with the trend across the scope's releases.
 */
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { getLanguage } from '#app/.server/i18n.ts'
import { releasePage, resultsTranslator } from '#app/.server/services/release-pages.ts'
import { ReportView, type ReportViewData } from '#app/components/report/ReportView.tsx'
import { buildReport } from '#app/domain/export/report.ts'
import reportStyles from '#app/styles/report.css?url'

export const handle = { i18n: ['common', 'results'] }

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: reportStyles }]

export const headers = () => ({ 'Cache-Control': 'public, max-age=300' })

export async function loader({ context, params, request }: LoaderFunctionArgs): Promise<ReportViewData> {
  const t = await resultsTranslator(request)
  const page = await releasePage(context.readDb, params.id)
  if (!page) throw new Response(t('errors.unknownRelease', { id: params.id ?? '' }), { status: 404 })
  const lng = await getLanguage(request)
  const report = buildReport(page.document, {
    lng,
    t: (key, values) => t(key, values),
    generatedAt: new Date().toISOString(),
    versions: null,
    release: { id: page.release.id, sha256: page.release.sha256, publishedAt: page.release.publishedAt },
  })
  const rootCode = page.document.scope.code
  const rootTrend = page.trend.rows.find((r) => r.code === rootCode)
  const id = page.release.id
  return {
    document: page.document,
    title: report.title,
    method: report.method,
    expectations: null,
    trend: rootTrend
      ? {
          periods: page.trend.columns.map((c) => c.period),
          values: rootTrend.values.map((percent) => ({ percent, lower: null, upper: null })),
        }
      : null,
    back: `/ket-qua/${id}`,
    downloads: [
      { href: `/ket-qua/${id}/xlsx`, label: t('report.xlsx') },
      { href: `/ket-qua/${id}/csv?csv=vi`, label: t('report.csvVi') },
      { href: `/ket-qua/${id}/csv`, label: t('report.csv') },
    ],
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? 'Hài Lòng' }]

export default function ReleaseReport() {
  return <ReportView data={useLoaderData<typeof loader>()} />
}
