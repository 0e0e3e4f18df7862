import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { failWith } from '#app/.server/analytics/load-scores.ts'
import { parseAnalyticsQuery } from '#app/.server/analytics/query.ts'
import { requireUser } from '#app/.server/auth/session.ts'
import { agencyPage } from '#app/.server/services/agency-page.ts'
import { ScoreCells, ScoreHeaders, WithheldText } from '#app/components/analytics/ScoreColumns.tsx'
import { BeforeAfterSection } from '#app/components/analytics/BeforeAfter.tsx'
import { TrendChart } from '#app/components/analytics/TrendChart.tsx'
import { disclosedBeforeAfter } from '#app/domain/before-after.ts'
import { disclosedCell, disclosedRow } from '#app/domain/export/disclosure.ts'
import {
  formatDate,
  formatInterval,
  formatNumber,
  formatPercent,
  formatPoints,
  type Locale,
} from '#app/domain/format.ts'
import { periodLabel } from '#app/domain/period.ts'
import { DossierRateSentence } from '#app/components/analytics/DossierRates.tsx'
import { DriversSection } from '#app/components/analytics/DriversSection.tsx'
import { driversForScope } from '#app/.server/services/drivers.ts'
import { shrunkScoreOf } from '#app/.server/services/shrunk-score.ts'
import { ThemesSection } from '#app/components/analytics/ThemesSection.tsx'
import { maskNames } from '#app/domain/insight/themes.ts'
import { themesForScope } from '#app/.server/services/themes.ts'

export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const user = await requireUser(context, request)
  const parsed = parseAnalyticsQuery(new URL(request.url).searchParams)
  if (!parsed.ok) return failWith(request, parsed.error, 400)
  const page = await agencyPage(context.readDb, user, params.code ?? '', parsed.query)
  if (!page.ok) return failWith(request, `errors.${page.error}`, page.status, page.detail)
  // Drivers of the same subtree and period (docs/insight.md); the page's own checks have passed already.
  const drivers = await driversForScope(context.readDb, user, { ...parsed.query, agency: page.agency.code })
  // The overall index shrunk toward the agency's siblings (docs/method.en.md §13), beside the direct one.
  const shrunk = await shrunkScoreOf(context.readDb, page.agency.code, parsed.query)
  // What citizens write (themes, masked examples, expectations with intervals), for the same subtree.
  const themes = await themesForScope(context.readDb, user, { ...parsed.query, agency: page.agency.code })
  // The page's data reaches the browser: only published cells carry a value.
  return {
    ...page,
    themes: themes.ok ? themes : null,
    // Names after a title are masked in the list as in the theme examples (phones and e-mails were on storing).
    suggestions: {
      ...page.suggestions,
      suggestions: page.suggestions.suggestions.map((x) => ({ ...x, text: maskNames(x.text) })),
    },
    shrunk,
    drivers: drivers.ok
      ? {
          outcome: drivers.outcome,
          sample: drivers.sample,
          elements: drivers.elements,
          criteria: drivers.criteria,
          labels: drivers.labels,
        }
      : null,
    reorganisation: page.reorganisation && disclosedBeforeAfter(page.reorganisation),
    row: disclosedRow(page.row),
    trend: page.trend.map((p) => ({
      ...p,
      overall: disclosedCell(p.overall),
      elements: Object.fromEntries(Object.entries(p.elements).map(([code, c]) => [code, disclosedCell(c)])),
    })),
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.agency.nameVi} — Hài Lòng` : 'Hài Lòng' },
]

const COLORS = ['#9e1b1b', '#0b4f8a', '#0b6b3a', '#7a4b00', '#5b2a86', '#333']

export default function AgencyAnalytics() {
  const data = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation('analytics')
  const lng = (i18n.language === 'en' ? 'en' : 'vi') as Locale
  const en = lng === 'en'
  const { search } = useLocation()
  // The channel form keeps every other filter of the address (hidden), so it works without JavaScript.
  const kept = [...new URLSearchParams(search)].filter(([k]) => k !== 'channel')
  const withChannel = (channel: string) => {
    const params = new URLSearchParams(kept)
    params.set('channel', channel)
    return `?${params.toString()}`
  }
  const published = (c: { status: string; estimate: number | null }) => (c.status === 'published' ? c.estimate : null)
  const series = [
    {
      label: t('table.overall'),
      color: COLORS[0],
      points: data.trend.map((p) => ({
        period: p.period,
        estimate: published(p.overall),
        lower: p.overall.status === 'published' ? (p.overall.ci?.lower ?? null) : null,
        upper: p.overall.status === 'published' ? (p.overall.ci?.upper ?? null) : null,
      })),
    },
    ...data.elements.map((e, i) => ({
      label: en ? e.titleEn : e.titleVi,
      color: COLORS[(i + 1) % COLORS.length],
      points: data.trend.map((p) => ({
        period: p.period,
        estimate: p.elements[e.code] ? published(p.elements[e.code]) : null,
        lower: null,
        upper: null,
      })),
    })),
  ]
  const level = Math.round(data.options.level * 100)
  return (
    <div className="wide-content">
      <p>
        <Link to={`/analytics${search}`}>← {t('agencyPage.back')}</Link>
      </p>
      <h1>
        {en ? data.agency.nameEn : data.agency.nameVi} — {data.period}
      </h1>
      <p>
        <strong>{t('table.overall')}:</strong>{' '}
        {data.row.overall.status === 'published' ? (
          `${formatPercent(data.row.overall.estimate, lng)} (${formatInterval(data.row.overall.ci, lng)})`
        ) : (
          <WithheldText cell={data.row.overall} />
        )}{' '}
        · {t('table.n')}: {formatNumber(data.row.overall.n, lng)} · {t('table.nEff')}:{' '}
        {formatNumber(data.row.overall.nEff, lng, 1)}
        {data.shrunk && (
          <span data-shrunk="">
            {' '}
            ·{' '}
            {t('shrunk.line', {
              estimate: formatPercent(data.shrunk.estimate, lng),
              interval: formatInterval(data.shrunk, lng),
            })}
          </span>
        )}
        <DossierRateSentence row={data.row} lng={lng} />
        {data.row.change !== null && data.row.changeCi && (
          <span data-change-significant={data.row.changeSignificant ? '' : undefined}>
            {' '}
            ·{' '}
            {t('agencyPage.change', {
              period: periodLabel(data.previousPeriod, lng),
              change: formatPoints(data.row.change, lng),
              level,
              lower: formatPoints(data.row.changeCi.lower, lng),
              upper: formatPoints(data.row.changeCi.upper, lng),
            })}{' '}
            <strong>
              {t(data.row.changeSignificant ? 'agencyPage.changeSignificant' : 'agencyPage.changeNotSignificant')}
            </strong>
          </span>
        )}
        {data.row.overall.status === 'published' && data.row.overall.intervalMethod && (
          <span data-interval-method={data.row.overall.intervalMethod}>
            {' '}
            ·{' '}
            {data.row.overall.intervalMethod === data.options.interval
              ? t('intervalStatement', {
                  level,
                  method: t(`intervalOptions.${data.row.overall.intervalMethod}`),
                })
              : t('intervalStatementFallback', {
                  level,
                  method: t(`intervalOptions.${data.row.overall.intervalMethod}`),
                  requested: t(`intervalOptions.${data.options.interval}`),
                })}
          </span>
        )}
        {data.channels && (
          <>
            {' '}
            ·{' '}
            <strong data-channels={data.channels.join(',')}>
              {t('channelStatement', { channels: data.channels.map((c) => t(`channelOptions.${c}`)).join(', ') })}
            </strong>
          </>
        )}
      </p>
      <Form method="get" className="filters">
        {kept.map(([k, v]) => (
          <input key={`${k}=${v}`} type="hidden" name={k} value={v} />
        ))}
        <label htmlFor="f-channel">{t('channel')}</label>
        <select id="f-channel" name="channel" defaultValue={data.channels?.length === 1 ? data.channels[0] : ''}>
          <option value="">{t('channelOptions.all')}</option>
          {data.channelSplit.map((c) => (
            <option key={c.channel} value={c.channel}>
              {t(`channelOptions.${c.channel}`)}
            </option>
          ))}
        </select>{' '}
        <button className="button" type="submit">
          {t('apply')}
        </button>
      </Form>

      {data.reorganisation && <BeforeAfterSection data={data.reorganisation} lng={lng} level={level} />}

      <h2 id="channels">{t('agencyPage.channels')}</h2>
      <p className="muted">{t('agencyPage.channelsIntro', { period: data.period })}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('channel')}</th>
            <th scope="col" className="num">
              {t('table.n')}
            </th>
          </tr>
        </thead>
        <tbody>
          {data.channelSplit.map((c) => (
            <tr key={c.channel} data-channel={c.channel}>
              <th scope="row" style={{ fontWeight: 400 }}>
                <Link
                  to={withChannel(c.channel)}
                  aria-label={`${t('agencyPage.channelsShow')}: ${t(`channelOptions.${c.channel}`)}`}
                >
                  {t(`channelOptions.${c.channel}`)}
                </Link>
              </th>
              <td className="num">{formatNumber(c.n, lng)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2 id="trend">{t('agencyPage.trend')}</h2>
      <TrendChart series={series} formatTick={(v) => formatPercent(v, lng, 0)} />
      <ul className="legend">
        {series.map((s) => (
          <li key={s.label}>
            <span style={{ background: s.color }} aria-hidden="true" /> {s.label}
          </li>
        ))}
      </ul>
      <div className="table-scroll">
        <table>
          <caption>{t('agencyPage.trendTable')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('period')}</th>
              <ScoreHeaders label={t('table.overall')} level={level} />
              {data.elements.map((e) => (
                <th key={e.code} scope="col" className="num">
                  {en ? e.titleEn : e.titleVi}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.trend.map((p) => (
              <tr key={p.period}>
                <th scope="row">{p.period}</th>
                <ScoreCells cell={p.overall} lng={lng} interval={data.options.interval} />
                {data.elements.map((e) => (
                  <td key={e.code} className="num">
                    {p.elements[e.code]?.status === 'published' ? (
                      formatPercent(p.elements[e.code].estimate, lng)
                    ) : p.elements[e.code]?.status === 'suppressed-complement' ? (
                      <WithheldText cell={p.elements[e.code]} />
                    ) : (
                      '—'
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {data.drivers && <DriversSection drivers={data.drivers} lng={lng} />}

      <h2 id="criteria">{t('agencyPage.criteria')}</h2>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('agencyPage.criterion')}</th>
              <ScoreHeaders label="%" level={level} />
              <th scope="col">{t('agencyPage.distribution')}</th>
            </tr>
          </thead>
          <tbody>
            {data.elements
              .flatMap((e) => e.criteria)
              .map((c) => {
                const cell = data.row.criteria[c.code]
                const dist = data.distributions.find((d) => d.itemCode === c.code)
                return (
                  <tr key={c.code}>
                    <th scope="row" style={{ fontWeight: 400 }}>
                      {c.code} {en ? c.labelEn : c.labelVi}
                      {c.variants.length > 1 && (
                        // Two wordings answered in one period: said, with each wording's versions and count.
                        <span className="hint">
                          {' '}
                          {t('agencyPage.wordings', {
                            count: c.variants.length,
                            wordings: c.variants
                              .map((v) =>
                                t('agencyPage.wordingItem', {
                                  versions: v.versionNumbers.join(', '),
                                  label: en ? v.labelEn : v.labelVi,
                                  responses: formatNumber(v.responses, lng),
                                }),
                              )
                              .join('; '),
                          })}
                        </span>
                      )}
                    </th>
                    <ScoreCells cell={cell} lng={lng} interval={data.options.interval} />
                    <td>
                      {dist?.shares.length
                        ? dist.shares.map((s) => `${s.answer}: ${formatPercent(s.share, lng, 0)}`).join(' · ')
                        : t('agencyPage.suppressed')}
                    </td>
                  </tr>
                )
              })}
          </tbody>
        </table>
      </div>

      {data.themes && <ThemesSection data={data.themes} lng={lng} />}

      <h2 id="suggestions">{t('agencyPage.suggestions')}</h2>
      {data.suggestions.suppressed ? (
        <p>{t('agencyPage.suppressed')}</p>
      ) : data.suggestions.suggestions.length ? (
        <ul>
          {data.suggestions.suggestions.map((s) => (
            <li key={s.responseId}>
              <span className="muted">{formatDate(s.at)}</span> — {s.text}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('agencyPage.noSuggestions')}</p>
      )}
    </div>
  )
}
