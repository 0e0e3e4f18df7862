/**
 * /analytics/report?agency=…&period=… — the live scores as the printable quarterly report (same query as
 * /analytics: period, weighting, method, interval, channels). Signed in, within the user's scope; the
 * published equivalent is /ket-qua/{id}/bao-cao.
 */
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { loadLiveReport } from '#app/.server/exports/live-report.ts'
import { getLanguage } from '#app/.server/i18n.ts'
import { resultsTranslator } from '#app/.server/services/release-pages.ts'
import { ReportView, type ReportViewData } from '#app/components/report/ReportView.tsx'
import { buildReport } from '#app/domain/export/report.ts'
import reportStyles from '#app/styles/report.css?url'

export const handle = { i18n: ['common', 'analytics', 'results'] }

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: reportStyles }]

export async function loader({ context, request }: LoaderFunctionArgs): Promise<ReportViewData> {
  const { document, versions, expectations } = await loadLiveReport(context, request)
  const lng = await getLanguage(request)
  const t = await resultsTranslator(request)
  const search = new URL(request.url).searchParams
  const filters = search.toString()
  // The printed page names the filter in words (the channels counted); the unit, period and method are in its
  // title and method block. Raw query text is for the files, where it lets an analyst reproduce the download.
  const channels = search
    .getAll('channel')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean)
  const described = channels.length
    ? t('analytics:channelStatement', { channels: channels.map((c) => t(`analytics:channelOptions.${c}`)).join(', ') })
    : undefined
  const report = buildReport(document, {
    lng,
    t: (key, values) => t(key, values),
    generatedAt: new Date().toISOString(),
    versions,
    filters: described,
    expectations,
  })
  const query = filters ? `?${filters}` : ''
  const csvVi = new URLSearchParams(search)
  csvVi.set('csv', 'vi')
  return {
    document,
    title: report.title,
    method: report.method,
    expectations: report.tables.find((t) => t.key === 'expectations') ?? null,
    trend: null,
    back: `/analytics${query}`,
    downloads: [
      { href: `/analytics/export/xlsx${query}`, label: t('report.xlsx') },
      { href: `/analytics/export/csv?${csvVi}`, label: t('report.csvVi') },
      { href: `/analytics/export/csv${query}`, label: t('report.csv') },
    ],
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? 'Hài Lòng' }]

export default function AnalyticsReport() {
  return <ReportView data={useLoaderData<typeof loader>()} />
}
