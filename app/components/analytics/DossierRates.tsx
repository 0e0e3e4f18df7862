/**
 * The QĐ 766 rate and the response rates beside a score (issue #17, docs/dossiers.md): in a table as two
 * cells, on an agency's page as a sentence. "—" where there is no denominator, never 0.
 */
import { useTranslation } from 'react-i18next'
import { formatNumber, formatPercent, type Locale } from '#app/domain/format.ts'
import type { Rate766, ResponseRates } from '#app/domain/scoring/rate-766.ts'

interface Rates {
  rate766: Rate766 | null
  responseRate: ResponseRates
}

const percent = (value: number | null, lng: Locale) => formatPercent(value === null ? null : value / 100, lng)

export function DossierRateHeaders() {
  const { t } = useTranslation('analytics')
  return (
    <>
      <th scope="col" className="num">
        {t('dossierRates.rate766')}
      </th>
      <th scope="col" className="num">
        {t('dossierRates.responseRate')}
      </th>
    </>
  )
}

export function DossierRateCells({ row, lng }: { row: Rates; lng: Locale }) {
  const { t } = useTranslation('analytics')
  const r = row.rate766
  return (
    <>
      <td className="num" data-rate766={r?.rate ?? undefined}>
        {percent(r?.rate ?? null, lng)}
        {r && r.rate !== null && (
          <span className="muted">
            {' '}
            {t('dossierRates.kept', {
              kept: formatNumber(r.settled - r.deducted, lng),
              settled: formatNumber(r.settled, lng),
            })}
          </span>
        )}
      </td>
      <td className="num">
        {t('dossierRates.perInvitationShort', { value: percent(row.responseRate.perInvitation, lng) })}
        <br />
        {t('dossierRates.perDossierShort', { value: percent(row.responseRate.perDossier, lng) })}
      </td>
    </>
  )
}

/** On an agency's page, after n: "QĐ 766 rate: 96,88% (155 of 160 dossiers) · response rate: …". */
export function DossierRateSentence({ row, lng }: { row: Rates; lng: Locale }) {
  const { t } = useTranslation('analytics')
  const r = row.rate766
  return (
    <span data-dossier-rates="">
      {' '}
      · {t('dossierRates.rate766')}: {percent(r?.rate ?? null, lng)}
      {r && r.rate !== null && (
        <>
          {' '}
          {t('dossierRates.kept', {
            kept: formatNumber(r.settled - r.deducted, lng),
            settled: formatNumber(r.settled, lng),
          })}{' '}
          ({t(`dossierRates.source.${r.dissatisfiedSource}`)})
        </>
      )}{' '}
      · {t('dossierRates.responseRate')}:{' '}
      {t('dossierRates.perInvitationShort', { value: percent(row.responseRate.perInvitation, lng) })},{' '}
      {t('dossierRates.perDossierShort', { value: percent(row.responseRate.perDossier, lng) })}
    </span>
  )
}
