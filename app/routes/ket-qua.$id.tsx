/**
 * /ket-qua/{id} — one official release: the rankings by level, each agency's score with its interval, n
 * and change (with the QĐ 766 and response rates when the release froze them), what moved since the release
 * it corrects, the trend across releases, the method in plain
 * words, and the downloads (the JSON document itself, and CSV carrying its hash). Public; no JavaScript.
 */
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { releasePage, resultsTranslator } from '#app/.server/services/release-pages.ts'
import { RateCells, RateHeaders } from '#app/components/report/ReleaseRates.tsx'
import { formatDateTime, formatNumber, formatPoints, type Locale } from '#app/domain/format.ts'
import { periodLabel } from '#app/domain/period.ts'
import { documentShowsRates } from '#app/domain/publication/release-rates.ts'

export const handle = { i18n: ['common', 'results'] }

export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const page = await releasePage(context.readDb, params.id)
  if (!page) {
    const t = await resultsTranslator(request)
    throw new Response(t('errors.unknownRelease', { id: params.id ?? '' }), { status: 404 })
  }
  return page
}

export const headers = () => ({ 'Cache-Control': 'public, max-age=300' })

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.release.scope.nameVi} ${data.release.period} — Hài Lòng` : 'Hài Lòng' },
]

type Page = Awaited<ReturnType<typeof loader>>
type Agency = Page['document']['agencies'][number]

export default function ResultRelease() {
  const data = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation('results')
  const lng = (i18n.language === 'en' ? 'en' : 'vi') as Locale
  const en = lng === 'en'
  const { document: doc, release } = data
  const byCode = new Map(doc.agencies.map((a) => [a.code, a]))
  const name = (a: { nameVi: string; nameEn: string }) => (en ? a.nameEn : a.nameVi)
  const pct = (v: number | null) => (v === null ? '—' : `${formatNumber(v, lng, 2)}%`)
  const interval = (a: Agency) =>
    a.overall.lower === null || a.overall.upper === null ? '—' : `${pct(a.overall.lower)} – ${pct(a.overall.upper)}`
  // A diff's value: a percentage (2 decimals), a count or a rank, in the reader's number format; or a status.
  const changeValue = (v: number | string | null) =>
    v === null ? '—' : typeof v === 'number' ? formatNumber(v, lng, Number.isInteger(v) ? 0 : 2) : v
  const scope = doc.agencies.find((a) => a.isScopeRoot)
  // A release made before the rates existed shows the columns it was published with, and no empty ones.
  const rates = documentShowsRates(doc)
  const row = (a: Agency, rank: string) => (
    <tr key={a.code}>
      <td className="num">{rank}</td>
      <th scope="row">{name(a)}</th>
      <td className="num">{a.overall.status === 'published' ? pct(a.overall.percent) : t('table.insufficient')}</td>
      <td className="num">{interval(a)}</td>
      <td className="num">{formatNumber(a.overall.n, lng)}</td>
      <td className="num">{formatPoints(a.change, lng)}</td>
      {rates && <RateCells agency={a} lng={lng} />}
    </tr>
  )
  const head = (
    <thead>
      <tr>
        <th scope="col" className="num">
          {t('table.rank')}
        </th>
        <th scope="col">{t('table.agency')}</th>
        <th scope="col" className="num">
          {t('table.score')}
        </th>
        <th scope="col" className="num">
          {t('table.interval')}
        </th>
        <th scope="col" className="num">
          {t('table.n')}
        </th>
        <th scope="col" className="num">
          {t('table.change')}
        </th>
        {rates && <RateHeaders />}
      </tr>
    </thead>
  )
  const groups = [...new Set(doc.agencies.filter((a) => a.rank).map((a) => a.rank!.group))]
  return (
    <div className="wide-content">
      <p>
        <Link to="/ket-qua">{t('release.back')}</Link>
      </p>
      <h1>{t('release.heading', { scope: name(doc.scope), period: periodLabel(doc.period, lng) })}</h1>
      <p>
        {t('release.meta', {
          id: release.id,
          publishedAt: formatDateTime(release.publishedAt),
          cutoff: formatDateTime(doc.dataCutoff),
          version: doc.appVersion,
        })}
      </p>
      {data.status === 'superseded' && (
        <p className="notice">
          {data.supersededBy !== null
            ? t('release.superseded', { id: data.supersededBy })
            : t('release.supersededUnknown')}{' '}
          {data.supersededBy !== null && <Link to={`/ket-qua/${data.supersededBy}`}>#{data.supersededBy}</Link>}
        </p>
      )}
      {release.supersedes !== null && (
        <p>
          {t('release.corrects', { id: release.supersedes })}{' '}
          <Link to={`/ket-qua/${release.supersedes}`}>#{release.supersedes}</Link>
        </p>
      )}

      {scope && (
        <>
          <h2>{t('own.heading', { scope: name(scope) })}</h2>
          <div className="table-scroll">
            <table>
              {head}
              <tbody>{row(scope, '')}</tbody>
            </table>
          </div>
        </>
      )}

      <h2>{t('rankings.heading')}</h2>
      {groups.length === 0 && <p>{t('rankings.none')}</p>}
      {groups.map((group) => {
        const members = doc.agencies
          .filter((a) => a.rank?.group === group)
          .sort((a, b) => (a.rank!.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank!.rank ?? Number.MAX_SAFE_INTEGER))
        return (
          <section key={group}>
            <h3>{t(`rankings.${group}`)}</h3>
            <div className="table-scroll">
              <table>
                {head}
                <tbody>
                  {members.map((a) =>
                    row(a, a.rank!.rank === null ? '—' : t('table.of', { rank: a.rank!.rank, of: a.rank!.of })),
                  )}
                </tbody>
              </table>
            </div>
          </section>
        )
      })}

      {data.changes && (
        <>
          <h2>{t('changes.heading', { id: release.supersedes })}</h2>
          {data.changes.length === 0 ? (
            <p>{t('changes.none')}</p>
          ) : (
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('table.agency')}</th>
                    <th scope="col">{t('changes.quantity')}</th>
                    <th scope="col" className="num">
                      {t('changes.before')}
                    </th>
                    <th scope="col" className="num">
                      {t('changes.after')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.changes.map((c) => (
                    <tr key={`${c.agency} ${c.quantity}`}>
                      <td>{byCode.get(c.agency) ? name(byCode.get(c.agency)!) : c.agency}</td>
                      <td>
                        <code>{c.quantity}</code>
                      </td>
                      <td className="num">{changeValue(c.before)}</td>
                      <td className="num">{changeValue(c.after)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}

      {data.trend.columns.length > 1 && (
        <>
          <h2>{t('trend.heading')}</h2>
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('table.agency')}</th>
                  {data.trend.columns.map((c) => (
                    <th key={c.id} scope="col" className="num">
                      <Link to={`/ket-qua/${c.id}`}>{periodLabel(c.period, lng)}</Link>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.trend.rows.map((r) => (
                  <tr key={r.code}>
                    <th scope="row">{byCode.get(r.code) ? name(byCode.get(r.code)!) : r.code}</th>
                    {r.values.map((v, i) => (
                      <td key={data.trend.columns[i]!.id} className="num">
                        {pct(v)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}

      <h2>{t('method.heading')}</h2>
      <p>
        {t('method.summary', {
          questionnaire: en ? doc.questionnaire.nameEn : doc.questionnaire.nameVi,
          version: doc.questionnaire.versionId,
          indexMethod: t(`method.indexMethods.${doc.method.indexMethod}`, { defaultValue: doc.method.indexMethod }),
          weighting: t(`method.weighting.${doc.method.weighting}`, { defaultValue: doc.method.weighting }),
          level: Math.round(doc.method.level * 100),
          interval: t(`method.intervals.${doc.method.interval}`, { defaultValue: doc.method.interval }),
        })}
      </p>
      <p>{t('method.rules', { minN: doc.method.rules.minN, minNEff: doc.method.rules.minNEff })}</p>
      {doc.population.length > 0 && <p>{t('method.population', { count: doc.population.length })}</p>}
      {rates && <p>{t('rates.about')}</p>}
      <p>{t('release.months', { from: doc.months.from, to: doc.months.to })}</p>

      <h2>{t('release.download')}</h2>
      <ul>
        <li>
          <a href={`/api/v1/releases/${release.id}`} download={`release-${release.id}.json`}>
            {t('release.downloadJson')}
          </a>
        </li>
        <li>
          <a href={`/ket-qua/${release.id}/xlsx`}>{t('report.xlsx')}</a>
        </li>
        <li>
          <a href={`/ket-qua/${release.id}/csv`}>{t('report.csv')}</a>
          {' · '}
          <a href={`/ket-qua/${release.id}/csv?csv=vi`}>{t('report.csvVi')}</a>
        </li>
        <li>
          <Link to={`/ket-qua/${release.id}/bao-cao`}>{t('report.openReport')}</Link>
        </li>
      </ul>
      <p>
        {t('release.hashCheck', { sha256: release.sha256 })}
        <br />
        <code>curl -s {`/api/v1/releases/${release.id}`} | sha256sum</code>
      </p>
    </div>
  )
}
