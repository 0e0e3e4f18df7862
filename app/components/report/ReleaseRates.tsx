/**
 * The QĐ 766 rate and the response rates of a release (issue #17, docs/dossiers.md), as the release froze
 * them: cells beside each score on /ket-qua/{id}, a table of their own in the printed report (whose ranking
 * tables already fill an A4 width). "—" where a row has no denominator; nothing at all for a release made
 * before the rates existed, or whose rates all lack a denominator (`documentShowsRates`).
 */
import { useTranslation } from 'react-i18next'
import { formatNumber, type Locale } from '#app/domain/format.ts'
import type { ReleaseAgency, ReleaseDocument } from '#app/domain/publication/release-document.ts'
import { documentShowsRates, publishedRates } from '#app/domain/publication/release-rates.ts'

const pct = (v: number | null, lng: Locale) => (v === null ? '—' : `${formatNumber(v, lng, 2)}%`)

export function RateHeaders() {
  const { t } = useTranslation('results')
  return (
    <>
      <th scope="col" className="num">
        {t('report.columns.rate766_pct')}
      </th>
      <th scope="col" className="num">
        {t('report.columns.response_per_invitation_pct')}
      </th>
      <th scope="col" className="num">
        {t('report.columns.response_per_dossier_pct')}
      </th>
    </>
  )
}

export function RateCells({ agency, lng }: { agency: ReleaseAgency; lng: Locale }) {
  const { t } = useTranslation('results')
  const r = publishedRates(agency)
  return (
    <>
      <td className="num" data-rate766={r?.rate766 ?? undefined}>
        {pct(r?.rate766 ?? null, lng)}
        {r && r.kept !== null && r.settled !== null && (
          <span className="muted">
            {' '}
            {t('rates.kept', { kept: formatNumber(r.kept, lng), settled: formatNumber(r.settled, lng) })}
          </span>
        )}
      </td>
      <td className="num">{pct(r?.perInvitation ?? null, lng)}</td>
      <td className="num">{pct(r?.perDossier ?? null, lng)}</td>
    </>
  )
}

/** The printed report's table: every agency of the release with its rates, and how they are computed. */
export function RatesSection({ doc, lng }: { doc: ReleaseDocument; lng: Locale }) {
  const { t } = useTranslation('results')
  const name = (a: ReleaseAgency) => (lng === 'en' ? a.nameEn : a.nameVi)
  if (!documentShowsRates(doc)) return null
  return (
    <section data-release-rates="">
      <h2>{t('rates.heading')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('table.agency')}</th>
            <RateHeaders />
          </tr>
        </thead>
        <tbody>
          {doc.agencies.map((a) => (
            <tr key={a.code}>
              <th scope="row">{name(a)}</th>
              <RateCells agency={a} lng={lng} />
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{t('rates.about')}</p>
    </section>
  )
}
