import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { loadScores, sortRows, visibleTreeRows } from '#app/.server/analytics/load-scores.ts'
import { filterOptions } from '#app/.server/analytics/filter-options.ts'
import { getLanguage } from '#app/.server/i18n.ts'
import { canExportMicrodata } from '#app/.server/services/microdata-permission.ts'
import { compareWithReleases } from '#app/.server/services/release-comparison.ts'
import { intervalMethodsUsed, ScoreCells, ScoreHeaders, WithheldText } from '#app/components/analytics/ScoreColumns.tsx'
import { Field } from '#app/components/form/Field.tsx'
import { disclosedScores } from '#app/domain/export/disclosure.ts'
import { formatNumber, formatPercent, formatPoints, type Locale } from '#app/domain/format.ts'
import { periodLabel } from '#app/domain/period.ts'
import { INDEX_METHODS } from '#app/domain/scoring/score-table.ts'
import { DossierRateCells, DossierRateHeaders } from '#app/components/analytics/DossierRates.tsx'

/** Roles that may prepare releases (app/.server/services/releases.ts): they see the link to the page. */
const RELEASE_ROLES = ['admin', 'analyst']

export async function loader({ context, request }: LoaderFunctionArgs) {
  const loaded = await loadScores(context, request, 'no-criteria')
  const { user, query } = loaded
  // The page's data reaches the browser: only published cells carry a value.
  const scores = disclosedScores(loaded.scores)
  const lng = await getLanguage(request)
  const { agencies, questionnaires, channels } = await filterOptions(context.readDb, user)
  const expand = new URL(request.url).searchParams.get('expand')
  // The tree view folds below the first level; the other orders list every agency of the subtree.
  const { rows, toggles } =
    query.sort === 'tree'
      ? visibleTreeRows(scores.rows, expand)
      : { rows: sortRows(scores.rows, query.sort, lng), toggles: {} }
  return {
    query: { ...query, period: scores.period },
    // The page shows the overall and element indices only: the criteria cells, two thirds of the scores'
    // data, stay on the server (issue 20: the page's data and its encoding shrink, not its table).
    scores: { ...scores, rows: rows.map(({ criteria: _shownElsewhere, ...row }) => row) },
    toggles: toggles as Record<string, { expandable: boolean; expanded: boolean }>,
    agencies,
    questionnaires,
    channels,
    expand,
    // The raw download is offered only to those it would not refuse.
    microdata: await canExportMicrodata(context.db, user),
    canPrepareReleases: RELEASE_ROLES.includes(user.role),
    releases: await compareWithReleases(context.readDb, {
      questionnaireCode: scores.questionnaire.code,
      period: scores.period,
      boundaries: scores.boundaries,
      channels: scores.channels,
      options: scores.options,
      roots: scores.rows.filter((r) => r.depth === 0),
    }),
  }
}

export const meta: MetaFunction = () => [{ title: 'Hài Lòng — chỉ số hài lòng' }]

function Select({
  name,
  label,
  value,
  options,
}: {
  name: string
  label: string
  value: string
  options: Array<[string, string]>
}) {
  return (
    <Field id={`f-${name}`} label={label}>
      {(control) => (
        <select {...control} name={name} defaultValue={value}>
          {options.map(([v, text]) => (
            <option key={v} value={v}>
              {text}
            </option>
          ))}
        </select>
      )}
    </Field>
  )
}

/** The query string with one agency added to or removed from the expanded set. */
function expandParams(search: string, expand: string | null, code: string, open: boolean): string {
  const params = new URLSearchParams(search)
  const set = new Set((expand ?? '').split(',').filter(Boolean))
  if (open) set.add(code)
  else set.delete(code)
  if (set.size) params.set('expand', [...set].join(','))
  else params.delete('expand')
  return params.toString()
}

export default function Analytics() {
  const {
    query,
    scores,
    toggles,
    agencies,
    questionnaires,
    channels,
    expand,
    microdata,
    canPrepareReleases,
    releases,
  } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation('analytics')
  const lng = (i18n.language === 'en' ? 'en' : 'vi') as Locale
  const en = lng === 'en'
  const location = useLocation()
  const search = location.search
  const level = Math.round(scores.options.level * 100)
  const requested = scores.options.interval
  const used = intervalMethodsUsed(
    scores.rows.flatMap((r) => [r.overall, ...Object.values(r.elements)]),
    requested,
  )
  const nameOf = (code: string) => {
    const row = scores.rows.find((r) => r.agency.code === code)
    return row ? (en ? row.agency.nameEn : row.agency.nameVi) : code
  }
  return (
    <div className="wide-content">
      <h1>{t('title')}</h1>
      <details className="panel" open>
        <summary>{t('filters')}</summary>
        <Form method="get" className="filters">
          <Select
            name="q"
            label={t('questionnaire')}
            value={query.q}
            options={questionnaires.map((q) => [q.code, en ? q.nameEn : q.nameVi])}
          />
          <Field
            id="f-period"
            label={t('period')}
            hint={t('periodHint')}
            inputProps={{ name: 'period', type: 'text', defaultValue: query.from ? '' : scores.period }}
          />
          <fieldset className="item">
            <legend>{t('customRange')}</legend>
            <label htmlFor="f-from">{t('from')}</label>
            <input id="f-from" name="from" type="month" defaultValue={query.from ?? ''} />
            <label htmlFor="f-to">{t('to')}</label>
            <input id="f-to" name="to" type="month" defaultValue={query.to ?? ''} />
          </fieldset>
          <Select
            name="agency"
            label={t('agency')}
            value={query.agency ?? ''}
            options={[
              ['', t('allAgencies')],
              ...agencies.map(
                (a) => [a.code, `${'· '.repeat(a.depth)}${en ? a.nameEn : a.nameVi}`] as [string, string],
              ),
            ]}
          />
          <Select
            name="weighting"
            label={t('weighting')}
            value={query.weighting}
            options={(['design', 'unweighted', 'poststratified'] as const).map((w) => [w, t(`weightingOptions.${w}`)])}
          />
          <Select
            name="boundaries"
            label={t('boundaries')}
            value={query.boundaries}
            options={(['current', 'historical'] as const).map((b) => [b, t(`boundariesOptions.${b}`)])}
          />
          <Select
            name="channel"
            label={t('channel')}
            // One channel here; the address (and the API) take several: ?channel=invitation&channel=kiosk.
            value={scores.channels?.length === 1 ? scores.channels[0]! : ''}
            options={[
              ['', t('channelOptions.all')],
              ...channels.map((c) => [c, t(`channelOptions.${c}`)] as [string, string]),
            ]}
          />
          <Select
            name="method"
            label={t('indexMethod')}
            value={query.method ?? ''}
            options={[
              // The questionnaire's own method is named only when it is the one shown.
              [
                '',
                query.method
                  ? t('methodDefaultPlain')
                  : t('methodDefault', { method: t(`methodOptions.${scores.options.method}`) }),
              ],
              ...INDEX_METHODS.map((m) => [m, t(`methodOptions.${m}`)] as [string, string]),
            ]}
          />
          <Select
            name="ci"
            label={t('intervalMethod')}
            value={query.ci}
            options={(['beta', 'logit', 'wilson'] as const).map((m) => [m, t(`intervalOptions.${m}`)])}
          />
          <Select
            name="compare"
            label={t('compare')}
            value={query.compare}
            options={(['previous', 'year'] as const).map((c) => [c, t(`compareOptions.${c}`)])}
          />
          <Select
            name="sort"
            label={t('sort')}
            value={query.sort}
            options={(['tree', 'overall', 'n', 'name'] as const).map((s) => [s, t(`sortOptions.${s}`)])}
          />
          <button className="button" type="submit">
            {t('apply')}
          </button>
        </Form>
      </details>
      <p className="muted">
        {t('method', {
          method: t(`methodOptions.${scores.options.method}`),
          weighting: t(`weightingOptions.${scores.options.weighting}`),
          level,
          interval: t(`intervalOptions.${scores.options.interval}`),
          minN: scores.options.rules.minN,
          minNEff: scores.options.rules.minNEff,
        })}{' '}
        {used.otherCount > 0 && (
          <span data-interval-fallback={used.other.map(([m]) => m).join(',')}>
            {t('intervalFallback', {
              requested: t(`intervalOptions.${requested}`),
              used: used.other.map(([m]) => t(`intervalOptions.${m}`)).join(', '),
              count: used.otherCount,
            })}{' '}
          </span>
        )}
        {scores.rows.some((r) => r.overall.status === 'suppressed-complement') && (
          <span data-withheld-note>{t('withheldNote')} </span>
        )}
        {(() => {
          // Changes whose interval leaves out zero, the first thing an analyst looks for (issue 19).
          const fell = scores.rows.filter((r) => r.changeSignificant && (r.change ?? 0) < 0).length
          const rose = scores.rows.filter((r) => r.changeSignificant && (r.change ?? 0) > 0).length
          return fell + rose > 0 ? (
            <strong data-significant-changes={`${fell},${rose}`}>
              {t('significantChanges', { fell, rose, period: periodLabel(scores.previousPeriod, lng) })}{' '}
            </strong>
          ) : null
        })()}
        {scores.changeUnavailable && (
          <span data-change-unavailable={scores.changeUnavailable}>
            {t(`changeUnavailable.${scores.changeUnavailable}`, {
              period: periodLabel(scores.previousPeriod, lng),
            })}{' '}
          </span>
        )}
        {scores.channels && (
          <strong data-channels={scores.channels.join(',')}>
            {t('channelStatement', {
              channels: scores.channels.map((c) => t(`channelOptions.${c}`)).join(', '),
            })}
          </strong>
        )}
      </p>
      <p>
        <strong>{t('downloads')}:</strong>{' '}
        <a href={`/analytics/export/csv${search}`} download>
          {t('downloadCsv')}
        </a>{' '}
        ·{' '}
        <a href={`/analytics/export/csv${search}${search ? '&' : '?'}csv=vi`} download>
          {t('results:report.csvVi')}
        </a>{' '}
        ·{' '}
        <a href={`/analytics/export/xlsx${search}`} download>
          {t('downloadXlsx')}
        </a>{' '}
        ·{' '}
        <a href={`/analytics/export/json${search}`} download>
          {t('downloadJson')}
        </a>{' '}
        ·{' '}
        {microdata && (
          <>
            <a href={`/analytics/responses/csv${search}`} download>
              {t('downloadRaw')}
            </a>{' '}
            ·{' '}
          </>
        )}
        <Link to={`/analytics/report${search}`}>{t('results:report.openReport')}</Link> ·{' '}
        <Link to="/analytics/population">{t('population.link')}</Link>
        {canPrepareReleases && (
          <>
            {' '}
            · <Link to="/analytics/releases">{t('releasesLink')}</Link>
          </>
        )}
      </p>
      {releases
        .filter((r) => r.differs)
        .map((r) => (
          <p key={r.releaseId} className="notice" data-release-differs={r.releaseId} role="note">
            <strong>{t('releaseDiffers.title')}</strong>{' '}
            {t('releaseDiffers.text', {
              agency: nameOf(r.agencyCode),
              period: periodLabel(scores.period, lng),
              release: r.releasePercent === null ? t('table.insufficient') : formatPercent(r.releasePercent / 100, lng),
              live: r.livePercent === null ? t('table.insufficient') : formatPercent(r.livePercent / 100, lng),
            })}{' '}
            <Link to={`/ket-qua/${r.releaseId}`}>{t('releaseDiffers.link', { id: r.releaseId })}</Link>
          </p>
        ))}
      {scores.rows.length === 0 ? (
        <p>{t('noData')}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <caption>{t('table.caption', { period: periodLabel(scores.period, lng) })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('table.agency')}</th>
                <ScoreHeaders label={t('table.overall')} level={level} />
                <th scope="col" className="num">
                  {t('table.nEff')}
                </th>
                <DossierRateHeaders />
                <th scope="col" className="num">
                  {t('table.rank')}
                </th>
                <th scope="col" className="num">
                  {t('table.change', { period: periodLabel(scores.previousPeriod, lng) })}
                </th>
                {scores.elements.map((e) => (
                  <th key={e.code} scope="col" className="num">
                    {en ? e.titleEn : e.titleVi}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {scores.rows.map((r) => (
                <tr key={r.agency.code} data-agency={r.agency.code}>
                  <th
                    scope="row"
                    style={{
                      paddingLeft: `${0.5 + (query.sort === 'tree' ? r.depth : 0) * 1.25}rem`,
                      fontWeight: 400,
                    }}
                  >
                    <Link to={`/analytics/agency/${r.agency.code}${search}`}>
                      {en ? r.agency.nameEn : r.agency.nameVi}
                    </Link>
                    {toggles[r.agency.code]?.expandable && (
                      <>
                        {' '}
                        <Link
                          to={`?${expandParams(search, expand, r.agency.code, !toggles[r.agency.code].expanded)}`}
                          aria-expanded={toggles[r.agency.code].expanded}
                          aria-label={`${toggles[r.agency.code].expanded ? t('table.collapse') : t('table.expand')}: ${en ? r.agency.nameEn : r.agency.nameVi}`}
                          className="tree-toggle"
                        >
                          {toggles[r.agency.code].expanded ? '−' : '+'}
                        </Link>
                      </>
                    )}
                  </th>
                  <ScoreCells cell={r.overall} lng={lng} interval={requested} />
                  <td className="num">{formatNumber(r.overall.nEff, lng, 1)}</td>
                  <DossierRateCells row={r} lng={lng} />
                  <td className="num" data-rank="">
                    {r.rank ? t('table.rankValue', { rank: r.rank, of: r.rankOf }) : '—'}
                    {r.rankRange && r.rankRange.best !== r.rankRange.worst && (
                      <span className="muted" data-rank-range="">
                        {' '}
                        {t('table.rankRange', { best: r.rankRange.best, worst: r.rankRange.worst })}
                      </span>
                    )}
                  </td>
                  <td className="num" data-change-significant={r.changeSignificant ? '' : undefined}>
                    {formatPoints(r.change, lng)}
                    {r.changeCi && (
                      <span className="muted">
                        {' '}
                        {t('table.changeCi', {
                          lower: formatPoints(r.changeCi.lower, lng),
                          upper: formatPoints(r.changeCi.upper, lng),
                        })}
                      </span>
                    )}
                    {r.changeSignificant && (
                      <abbr title={t('table.significant')} aria-label={t('table.significant')}>
                        {' *'}
                      </abbr>
                    )}
                  </td>
                  {scores.elements.map((e) => {
                    const cell = r.elements[e.code]
                    return (
                      <td key={e.code} className="num">
                        {cell?.status === 'published' ? (
                          formatPercent(cell.estimate, lng)
                        ) : cell?.status === 'suppressed-complement' ? (
                          <WithheldText cell={cell} />
                        ) : (
                          '—'
                        )}
                      </td>
                    )
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}
