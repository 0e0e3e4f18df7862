/**
 * The printable quarterly report (docs/publication.md, "The printed report"): a title block naming the
 * unit, the period and the method; the unit's own result; each unit's score with its interval drawn; the
 * rankings by level; the elements and criteria; the trend across releases; the method table. Laid out for
 * A4 portrait by app/styles/report.css (tables wrap rather than scroll), the same for a published release
 * and for the live analytics, both read from a release document.
 */
import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { TrendChart } from '#app/components/analytics/TrendChart.tsx'
import { type ReportTable, rankingGroups, rankingMembers } from '#app/domain/export/report.ts'
import { formatNumber, formatPoints, type Locale } from '#app/domain/format.ts'
import { periodLabel } from '#app/domain/period.ts'
import type { ReleaseAgency, ReleaseCell, ReleaseDocument } from '#app/domain/publication/release-document.ts'
import { documentHasRates } from '#app/domain/publication/release-rates.ts'
import { IntervalChart } from './IntervalChart.tsx'
import { RatesSection } from './ReleaseRates.tsx'

export interface ReportViewData {
  document: ReleaseDocument
  title: string
  method: Array<[string, string]>
  /** The expectations table of the report, when the data has it (live analytics only). */
  expectations: ReportTable | null
  /** The scope's overall index across its published releases (public report only). */
  trend: {
    periods: string[]
    values: Array<{ percent: number | null; lower: number | null; upper: number | null }>
  } | null
  back: string
  downloads: Array<{ href: string; label: string }>
}

export function ReportView({ data }: { data: ReportViewData }) {
  const { t, i18n } = useTranslation('results')
  const lng = (i18n.language === 'en' ? 'en' : 'vi') as Locale
  const en = lng === 'en'
  const doc = data.document
  const name = (a: { nameVi: string; nameEn: string }) => (en ? a.nameEn : a.nameVi)
  const pct = (v: number | null) => (v === null ? '—' : `${formatNumber(v, lng, 2)}%`)
  const interval = (c: ReleaseCell | undefined) =>
    !c || c.lower === null || c.upper === null ? '—' : `${pct(c.lower)} – ${pct(c.upper)}`
  const score = (c: ReleaseCell | undefined) =>
    c?.status === 'published' ? pct(c.percent) : t(`report.status.${c?.status ?? 'insufficient'}`)
  const root = doc.agencies.find((a) => a.isScopeRoot)
  const units = doc.agencies.filter((a) => !a.isScopeRoot)
  const period = periodLabel(doc.period, lng)
  const scoreHead = (
    <>
      <th scope="col" className="num">
        {t('report.columns.score')}
      </th>
      <th scope="col" className="num">
        {t('table.interval')}
      </th>
      <th scope="col" className="num">
        {t('table.n')}
      </th>
    </>
  )
  const scoreCells = (c: ReleaseCell | undefined) => (
    <>
      <td className="num">{score(c)}</td>
      <td className="num">{interval(c)}</td>
      <td className="num">{formatNumber(c?.n ?? 0, lng)}</td>
    </>
  )
  const tick = (v: number) => `${formatNumber(v, lng)}%`
  const unitRow = (a: ReleaseAgency, rank: string) => (
    <tr key={a.code}>
      <td className="num">{rank}</td>
      <th scope="row">{name(a)}</th>
      {scoreCells(a.overall)}
      <td className="num">{formatPoints(a.change, lng)}</td>
    </tr>
  )
  return (
    <article className="report">
      <p className="no-print report-actions">
        <Link to={data.back}>{t('report.back')}</Link> · {t('report.printHint')}
      </p>
      <header className="report-title">
        <h1>{t('report.heading')}</h1>
        <dl>
          <dt>{t('report.unit')}</dt>
          <dd>{name(doc.scope)}</dd>
          <dt>{t('report.period')}</dt>
          <dd>{period}</dd>
          {data.method
            .filter(([label]) =>
              [
                t('report.method.questionnaire'),
                t('report.method.versions'),
                t('report.method.indexMethod'),
                t('report.method.weighting'),
                t('report.method.cutoff'),
                t('report.method.release'),
                t('report.method.live'),
              ].includes(label),
            )
            .map(([label, value]) => (
              <div key={label} className="report-term">
                <dt>{label}</dt>
                <dd>{value}</dd>
              </div>
            ))}
        </dl>
      </header>

      {root && (
        <section>
          <h2>{t('own.heading', { scope: name(root) })}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('table.agency')}</th>
                {scoreHead}
                <th scope="col" className="num">
                  {t('report.columns.change', { period: periodLabel(doc.previousPeriod, lng) })}
                </th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">{name(root)}</th>
                {scoreCells(root.overall)}
                <td className="num">{formatPoints(root.change, lng)}</td>
              </tr>
            </tbody>
          </table>
        </section>
      )}

      {units.some((a) => a.overall.percent !== null) && (
        <section className="report-chart">
          <h2>{t('report.chartOverall')}</h2>
          <IntervalChart points={units.map((a) => ({ key: a.code, label: name(a), ...a.overall }))} formatTick={tick} />
          <p className="muted">{t('report.chartNote')}</p>
        </section>
      )}

      <section>
        <h2>{t('rankings.heading')}</h2>
        {rankingGroups(doc).length === 0 && <p>{t('rankings.none')}</p>}
        {rankingGroups(doc).map((group) => (
          <div key={group} className="report-block">
            <h3>{t(`rankings.${group}`)}</h3>
            <table>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t('table.rank')}
                  </th>
                  <th scope="col">{t('table.agency')}</th>
                  {scoreHead}
                  <th scope="col" className="num">
                    {t('table.change')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rankingMembers(doc, group).map((a) =>
                  unitRow(a, a.rank!.rank === null ? '—' : t('table.of', { rank: a.rank!.rank, of: a.rank!.of })),
                )}
              </tbody>
            </table>
          </div>
        ))}
      </section>

      {documentHasRates(doc) && <RatesSection doc={doc} lng={lng} />}

      <section>
        <h2>{t('report.sheets.elements')}</h2>
        {root && (
          <IntervalChart
            points={doc.questionnaire.elements.map((e) => ({
              key: e.code,
              label: `${e.code}. ${en ? e.titleEn : e.titleVi}`,
              ...(root.elements[e.code] ?? { percent: null, lower: null, upper: null }),
            }))}
            formatTick={tick}
          />
        )}
        <table className="report-wide">
          <thead>
            <tr>
              <th scope="col">{t('table.agency')}</th>
              {doc.questionnaire.elements.map((e) => (
                <th key={e.code} scope="col" className="num" title={en ? e.titleEn : e.titleVi}>
                  {e.code}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {doc.agencies.map((a) => (
              <tr key={a.code}>
                <th scope="row">{name(a)}</th>
                {doc.questionnaire.elements.map((e) => (
                  <td key={e.code} className="num">
                    {a.elements[e.code]?.status === 'published' ? pct(a.elements[e.code]!.percent) : '—'}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">
          {doc.questionnaire.elements.map((e) => `${e.code}: ${en ? e.titleEn : e.titleVi}`).join('; ')}
        </p>
      </section>

      {root && (
        <section>
          <h2>{t('report.criteriaOf', { scope: name(root) })}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('report.columns.criterion')}</th>
                {scoreHead}
              </tr>
            </thead>
            <tbody>
              {doc.questionnaire.elements.flatMap((e) =>
                e.criteria.map((c) => (
                  <tr key={c.code}>
                    <th scope="row">
                      {c.code}. {en ? c.labelEn : c.labelVi}
                    </th>
                    {scoreCells(root.criteria[c.code])}
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </section>
      )}

      {data.expectations && (
        <section>
          <h2>{data.expectations.title}</h2>
          <table>
            <thead>
              <tr>
                {data.expectations.columns.map((c) => (
                  <th key={c.header} scope="col" className={c.kind === 'text' ? undefined : 'num'}>
                    {c.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.expectations.rows.map((r) => (
                <tr key={String(r[0])}>
                  <th scope="row">{r[0]}</th>
                  <td className="num">{typeof r[1] === 'number' ? pct(r[1]) : '—'}</td>
                  <td className="num">{typeof r[2] === 'number' ? formatNumber(r[2], lng) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      {data.trend && data.trend.periods.length > 1 && root && (
        <section className="report-chart">
          <h2>{t('report.chartTrend', { scope: name(root) })}</h2>
          <TrendChart
            series={[
              {
                label: name(root),
                color: '#9e1b1b',
                points: data.trend.periods.map((p, i) => {
                  const v = data.trend!.values[i]!
                  const share = (x: number | null) => (x === null ? null : x / 100)
                  return {
                    period: periodLabel(p, lng),
                    estimate: share(v.percent),
                    lower: share(v.lower),
                    upper: share(v.upper),
                  }
                }),
              },
            ]}
            formatTick={(v) => tick(Math.round(v * 100))}
          />
          <table>
            <thead>
              <tr>
                <th scope="col">{t('report.period')}</th>
                <th scope="col" className="num">
                  {t('report.columns.score')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.trend.periods.map((p, i) => (
                <tr key={p}>
                  <th scope="row">{periodLabel(p, lng)}</th>
                  <td className="num">{pct(data.trend!.values[i]!.percent)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      <section>
        <h2>{t('method.heading')}</h2>
        <table>
          <tbody>
            {data.method.map(([label, value]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td className="report-method-value">{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {data.downloads.length > 0 && (
        <section className="no-print">
          <h2>{t('report.downloads')}</h2>
          <ul>
            {data.downloads.map((d) => (
              <li key={d.href}>
                <a href={d.href}>{d.label}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
    </article>
  )
}
