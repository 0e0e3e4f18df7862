/**
 * The three columns every analytics score table shows for a score: the share, its interval and the number
 * of respondents. A score the publication rules hold back shows as insufficient, with no interval.
 */
import { useTranslation } from 'react-i18next'
import { formatInterval, formatNumber, formatPercent, type Locale } from '#app/domain/format.ts'
import type { ScoreCell } from '#app/domain/scoring/score-table.ts'

/** `label` heads the share's column; `level` is the confidence level in percent. */
export function ScoreHeaders({ label, level }: { label: string; level: number }) {
  const { t } = useTranslation('analytics')
  return (
    <>
      <th scope="col" className="num">
        {label}
      </th>
      <th scope="col">{t('table.interval', { level })}</th>
      <th scope="col" className="num">
        {t('table.n')}
      </th>
    </>
  )
}

/** A score nobody was asked about (`undefined`) shows like a held-back one, with 0 respondents. */
export function ScoreCells({ cell, lng }: { cell: ScoreCell | undefined; lng: Locale }) {
  const { t } = useTranslation('analytics')
  const published = cell?.status === 'published'
  return (
    <>
      <td className="num">{published ? formatPercent(cell.estimate, lng) : t('table.insufficient')}</td>
      <td>{published ? formatInterval(cell.ci, lng) : '—'}</td>
      <td className="num">{formatNumber(cell?.n ?? 0, lng)}</td>
    </>
  )
}
