/**
 * What citizens write, on the agency page (docs/insight.md, "Themes of suggestions"): suggestions per theme
 * and month as a table (a table is the accessible form of a small count series), the period's examples with
 * personal data masked, the frequent phrases no theme covers, and the expectations with their denominator
 * and interval. Hidden counts read "< 5", never a number.
 */
import { useTranslation } from 'react-i18next'
import type { ExpectationShare, ThemeView } from '#app/domain/insight/themes.ts'
import { formatInterval, formatNumber, formatPercent, type Locale } from '#app/domain/format.ts'
import { periodLabel } from '#app/domain/period.ts'

export interface ThemesView {
  months: string[]
  minCount: number
  total: number
  truncated: boolean
  unthemed: number | null
  themes: ThemeView[]
  phrases: Array<{ text: string; count: number }>
  expectations: { denominator: number; level: number; method: 'wilson'; items: ExpectationShare[] }
}

function Count({ n, lng, minCount }: { n: number | null; lng: Locale; minCount: number }) {
  const { t } = useTranslation('analytics')
  if (n === null)
    return (
      <span title={t('themes.hiddenTitle', { min: minCount })} data-hidden="true">
        {`< ${minCount}`}
      </span>
    )
  return <>{formatNumber(n, lng)}</>
}

export function ThemesSection({ data, lng }: { data: ThemesView; lng: Locale }) {
  const { t } = useTranslation('analytics')
  const en = lng === 'en'
  const shown = data.themes.filter((x) => !x.suppressed)
  const level = Math.round(data.expectations.level * 100)
  return (
    <>
      <h2 id="themes">{t('themes.title')}</h2>
      <p className="muted">
        {t('themes.intro', { total: formatNumber(data.total, lng), min: data.minCount })}
        {data.truncated && <> {t('themes.truncated')}</>}
      </p>
      <div className="table-scroll">
        <table data-themes="">
          <caption>{t('themes.tableCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('themes.theme')}</th>
              <th scope="col" className="num">
                {t('themes.inPeriod')}
              </th>
              {data.months.map((m) => (
                <th key={m} scope="col" className="num">
                  {periodLabel(m, lng)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.themes.map((x) => (
              <tr key={x.code} data-theme={x.code}>
                <th scope="row" style={{ fontWeight: 400 }}>
                  {t(`themes.names.${x.code}`)}
                </th>
                <td className="num">
                  <Count n={x.count} lng={lng} minCount={data.minCount} />
                </td>
                {x.byMonth.map((m) => (
                  <td key={m.month} className="num">
                    <Count n={m.count} lng={lng} minCount={data.minCount} />
                  </td>
                ))}
              </tr>
            ))}
            <tr>
              <th scope="row" style={{ fontWeight: 400 }}>
                {t('themes.unthemed')}
              </th>
              <td className="num">
                <Count n={data.unthemed} lng={lng} minCount={data.minCount} />
              </td>
              {data.months.map((m) => (
                <td key={m} />
              ))}
            </tr>
          </tbody>
        </table>
      </div>

      {shown.some((x) => x.examples.length) && (
        <>
          <h3 id="theme-examples">{t('themes.examples')}</h3>
          <p className="muted">{t('themes.examplesNote')}</p>
          {shown
            .filter((x) => x.examples.length)
            .map((x) => (
              <section key={x.code} data-theme-examples={x.code}>
                <h4>{t(`themes.names.${x.code}`)}</h4>
                <ul>
                  {x.examples.map((e, k) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: two citizens may write the same words
                    <li key={k}>
                      <span className="muted">{periodLabel(e.month, lng)}</span> — {e.text}
                    </li>
                  ))}
                </ul>
              </section>
            ))}
        </>
      )}

      {data.phrases.length > 0 && (
        <>
          <h3 id="phrases">{t('themes.phrases')}</h3>
          <p className="muted">{t('themes.phrasesNote', { min: data.minCount })}</p>
          <ul data-phrases="">
            {data.phrases.map((p) => (
              <li key={p.text}>
                “{p.text}” — {t('themes.inSuggestions', { count: p.count, n: formatNumber(p.count, lng) })}
              </li>
            ))}
          </ul>
        </>
      )}

      <h2 id="expectations">{t('agencyPage.expectations')}</h2>
      {data.expectations.items.length ? (
        <table data-expectations="">
          <caption>
            {t('themes.expectationsCaption', { n: formatNumber(data.expectations.denominator, lng), level })}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('agencyPage.expectations')}</th>
              <th scope="col" className="num">
                {t('agencyPage.share')}
              </th>
              <th scope="col" className="num">
                {t('themes.interval', { level })}
              </th>
              <th scope="col" className="num">
                {t('themes.chosen')}
              </th>
              <th scope="col" className="num">
                {t('themes.denominator')}
              </th>
            </tr>
          </thead>
          <tbody>
            {data.expectations.items.map((x) => (
              <tr key={x.value} data-expectation={x.value}>
                <th scope="row" style={{ fontWeight: 400 }}>
                  {en ? x.labelEn : x.labelVi}
                </th>
                <td className="num">{formatPercent(x.share, lng)}</td>
                <td className="num">{formatInterval(x.ci, lng)}</td>
                <td className="num">{formatNumber(x.n, lng)}</td>
                <td className="num">{formatNumber(data.expectations.denominator, lng)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t('agencyPage.suppressed')}</p>
      )}
    </>
  )
}
