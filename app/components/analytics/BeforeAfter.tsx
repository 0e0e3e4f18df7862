/**
 * "Trước/sau sắp xếp" on the analytics agency page (docs/mergers.md): the predecessors' overall index in the
 * last quarters before the reorganisation, the same quarters re-based onto today's unit, and the unit's
 * quarters after it with the change and its interval. Withheld cells say why, as the score table does.
 */
import { useTranslation } from 'react-i18next'
import { WithheldText } from '#app/components/analytics/ScoreColumns.tsx'
import type { BeforeAfter } from '#app/domain/before-after.ts'
import {
  formatDate,
  formatInterval,
  formatNumber,
  formatPercent,
  formatPoints,
  type Locale,
} from '#app/domain/format.ts'
import { periodLabel } from '#app/domain/period.ts'
import type { ScoreCell } from '#app/domain/scoring/score-table.ts'

function Cell({ cell, lng }: { cell: ScoreCell | null; lng: Locale }) {
  const { t } = useTranslation('analytics')
  if (!cell) return <span>—</span>
  return (
    <>
      {cell.status === 'published' ? (
        <>
          <strong>{formatPercent(cell.estimate, lng)}</strong> ({formatInterval(cell.ci, lng)})
        </>
      ) : (
        <WithheldText cell={cell} />
      )}
      <br />
      <span className="muted">
        {t('table.n')} = {formatNumber(cell.n, lng)}
      </span>
    </>
  )
}

export function BeforeAfterSection({ data, lng, level }: { data: BeforeAfter; lng: Locale; level: number }) {
  const { t } = useTranslation('analytics')
  const en = lng === 'en'
  const predecessors = data.units.filter((u) => u.kind !== 'self')
  return (
    <section aria-labelledby="before-after" data-before-after={data.date}>
      <h2 id="before-after">{t('beforeAfter.title')}</h2>
      <p>
        {t('beforeAfter.intro', {
          units: predecessors.map((u) => (en ? u.nameEn : u.nameVi)).join(', '),
          date: formatDate(data.date),
        })}
      </p>
      <h3>{t('beforeAfter.before')}</h3>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('beforeAfter.unit')}</th>
              {data.before.map((p) => (
                <th key={p} scope="col" className="num">
                  {periodLabel(p, lng)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.units.map((u) => (
              <tr key={u.code} data-unit={u.code}>
                <th scope="row" style={{ fontWeight: 400 }}>
                  {en ? u.nameEn : u.nameVi} <span className="muted">({t(`beforeAfter.kinds.${u.kind}`)})</span>
                </th>
                {u.cells.map((c, i) => (
                  <td key={data.before[i]} className="num">
                    <Cell cell={c} lng={lng} />
                  </td>
                ))}
              </tr>
            ))}
            <tr data-unit="rebased">
              <th scope="row">{t('beforeAfter.rebased')}</th>
              {data.rebased.map((c, i) => (
                <td key={data.before[i]} className="num">
                  <Cell cell={c} lng={lng} />
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
      <h3>{t('beforeAfter.after')}</h3>
      {data.after.length === 0 ? (
        <p>{t('beforeAfter.noAfter')}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('beforeAfter.period')}</th>
                <th scope="col" className="num">
                  {t('table.overall')}
                </th>
                <th scope="col" className="num">
                  {t('beforeAfter.change', { period: data.comparedWith ? periodLabel(data.comparedWith, lng) : '' })}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.after.map((a) => (
                <tr key={a.period} data-period={a.period}>
                  <th scope="row" style={{ fontWeight: 400 }}>
                    {periodLabel(a.period, lng)}
                  </th>
                  <td className="num">
                    <Cell cell={a.overall} lng={lng} />
                  </td>
                  <td className="num" data-change={a.change ?? ''}>
                    {a.change === null ? (
                      <span className="muted">{t('beforeAfter.notComparable')}</span>
                    ) : (
                      <>
                        <strong>{formatPoints(a.change, lng)}</strong>
                        {a.changeCi && (
                          <>
                            {' '}
                            ({formatPoints(a.changeCi.lower, lng)} … {formatPoints(a.changeCi.upper, lng)})
                          </>
                        )}
                        {a.significant && (
                          <>
                            <br />
                            <span>{t('beforeAfter.significant')}</span>
                          </>
                        )}
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="hint">{t('beforeAfter.note', { level })}</p>
    </section>
  )
}
