/**
 * The three columns every analytics score table shows for a score: the share, its interval and the number
 * of respondents. A score the publication rules hold back shows as insufficient, with no interval; one
 * withheld to protect another value (complementary suppression) says so, with the reason for screen
 * readers. An interval computed by another method than the one asked for names the method used.
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

/** The text of a score that is not shown: withheld to protect another value, or under the thresholds. */
export function WithheldText({ cell }: { cell: Pick<ScoreCell, 'status'> | undefined }) {
  const { t } = useTranslation('analytics')
  if (cell?.status === 'suppressed-complement')
    return (
      <span data-status="suppressed-complement" title={t('table.withheldExplanation')}>
        {t('table.withheld')}
        <span className="visually-hidden">: {t('table.withheldExplanation')}</span>
      </span>
    )
  return <span data-status="insufficient">{t('table.insufficient')}</span>
}

/**
 * A score nobody was asked about (`undefined`) shows like a held-back one, with 0 respondents.
 * `interval` is the method asked for: a cell computed with another one names it.
 */
export function ScoreCells({ cell, lng, interval }: { cell: ScoreCell | undefined; lng: Locale; interval?: string }) {
  const { t } = useTranslation('analytics')
  const published = cell?.status === 'published'
  const used = published ? cell.intervalMethod : null
  return (
    <>
      <td className="num">{published ? formatPercent(cell.estimate, lng) : <WithheldText cell={cell} />}</td>
      <td data-interval-method={used ?? undefined}>
        {published ? formatInterval(cell.ci, lng) : '—'}
        {used && interval && used !== interval && (
          <span className="muted"> ({t('table.intervalUsed', { method: t(`intervalOptions.${used}`) })})</span>
        )}
      </td>
      <td className="num">{formatNumber(cell?.n ?? 0, lng)}</td>
    </>
  )
}

/** The interval methods actually used by the published cells, and whether any differs from the one asked for. */
export function intervalMethodsUsed(cells: Array<ScoreCell | undefined>, requested: string) {
  const counts = new Map<string, number>()
  for (const c of cells)
    if (c?.status === 'published' && c.intervalMethod)
      counts.set(c.intervalMethod, (counts.get(c.intervalMethod) ?? 0) + 1)
  const other = [...counts].filter(([m]) => m !== requested)
  return { methods: [...counts.keys()], other, otherCount: other.reduce((a, [, n]) => a + n, 0) }
}
