/**
 * The drivers of overall satisfaction on the agency page (docs/insight.md): a plain-words summary, an
 * importance–performance chart drawn on the server (SVG, no JavaScript; aria-hidden, since the data
 * table that always follows it says the same to screen readers) and a table per criterion.
 */
import { scaleLinear } from 'd3-scale'
import { useTranslation } from 'react-i18next'
import type { DriverAnalysisView } from '#app/domain/insight/drivers.ts'
import { placeItems, type Quadrant, summaryItems } from '#app/domain/insight/quadrants.ts'
import { formatInterval, formatNumber, formatPercent, type Locale } from '#app/domain/format.ts'

export interface DriversView {
  outcome: { kind: 'overall-question' | 'composite'; code: string | null }
  /** Set when a systematic subsample was analysed (services/drivers.ts). */
  sample: { counted: number; every: number } | null
  elements: DriverAnalysisView
  criteria: DriverAnalysisView
  labels: {
    elements: Array<{ code: string; titleVi: string; titleEn: string }>
    criteria: Array<{ code: string; labelVi: string; labelEn: string; element: string }>
  }
}

const WIDTH = 640
const HEIGHT = 360
const PAD = { left: 56, right: 20, top: 16, bottom: 44 }
const QUADRANT_COLOR: Record<Quadrant, string> = {
  fixFirst: '#9e1b1b',
  keepUp: '#0b6b3a',
  lowerPriority: '#555',
  possibleOverkill: '#7a4b00',
}

function ImportancePerformanceChart({
  reading,
  formatTick,
}: {
  reading: ReturnType<typeof placeItems>
  formatTick: (share: number) => string
}) {
  const placed = reading.items.filter((i) => i.quadrant !== null)
  const scores = placed.map((i) => i.score!)
  const low = scores.length ? Math.max(0, Math.floor((Math.min(...scores) - 0.02) * 20) / 20) : 0
  const high = scores.length ? Math.min(1, Math.ceil((Math.max(...scores) + 0.02) * 20) / 20) : 1
  const x = scaleLinear()
    .domain([low, high])
    .range([PAD.left, WIDTH - PAD.right])
    .nice(5)
  const top = Math.max(reading.importanceLine * 2, ...placed.map((i) => i.importance)) * 1.1
  const y = scaleLinear()
    .domain([0, top])
    .range([HEIGHT - PAD.bottom, PAD.top])
    .nice(5)
  const [x0, x1] = x.range() as [number, number]
  const [y0, y1] = y.range() as [number, number]
  return (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" aria-hidden="true" focusable="false" className="chart">
      {y.ticks(5).map((t) => (
        <g key={`y${t}`}>
          <line x1={x0} x2={x1} y1={y(t)} y2={y(t)} stroke="#eee" />
          <text x={x0 - 4} y={y(t) + 4} textAnchor="end" fontSize="10">
            {formatTick(t)}
          </text>
        </g>
      ))}
      {x.ticks(5).map((t) => (
        <text key={`x${t}`} x={x(t)} y={y0 + 16} textAnchor="middle" fontSize="10">
          {formatTick(t)}
        </text>
      ))}
      <line
        x1={x0}
        x2={x1}
        y1={y(reading.importanceLine)}
        y2={y(reading.importanceLine)}
        stroke="#888"
        strokeDasharray="4 3"
      />
      {reading.scoreLine !== null && (
        <line x1={x(reading.scoreLine)} x2={x(reading.scoreLine)} y1={y0} y2={y1} stroke="#888" strokeDasharray="4 3" />
      )}
      {placed.map((i) => (
        <g key={i.code}>
          <circle cx={x(i.score!)} cy={y(i.importance)} r={5} fill={QUADRANT_COLOR[i.quadrant!]} />
          <text x={x(i.score!) + 8} y={y(i.importance) + 4} fontSize="11">
            {i.code}
          </text>
        </g>
      ))}
    </svg>
  )
}

function AnalysisStatus({ analysis, lng }: { analysis: DriverAnalysisView; lng: Locale }) {
  const { t } = useTranslation('analytics')
  if (analysis.status === 'insufficient')
    return (
      <p data-drivers-status="insufficient">
        {t('drivers.insufficient', { n: formatNumber(analysis.n, lng), needed: formatNumber(analysis.needed, lng) })}
      </p>
    )
  if (analysis.status === 'noVariation') return <p data-drivers-status="noVariation">{t('drivers.noVariation')}</p>
  return null
}

/** One row per element or criterion: its importance with the interval, its score and its quadrant. */
function DriverTable({
  caption,
  heading,
  analysis,
  rows,
  nameOf,
  lng,
}: {
  caption?: string
  heading: string
  analysis: DriverAnalysisView & { status: 'ok' }
  rows: ReturnType<typeof placeItems>['items']
  nameOf: Map<string, string>
  lng: Locale
}) {
  const { t } = useTranslation('analytics')
  const intervalOf = new Map(analysis.items.map((x) => [x.code, x.importanceCi]))
  return (
    <div className="table-scroll">
      <table>
        {caption && <caption>{caption}</caption>}
        <thead>
          <tr>
            <th scope="col">{heading}</th>
            <th scope="col" className="num">
              {t('drivers.importance')}
            </th>
            <th scope="col" className="num">
              {t('drivers.interval', { level: Math.round(analysis.level * 100) })}
            </th>
            <th scope="col" className="num">
              {t('drivers.score')}
            </th>
            <th scope="col">{t('drivers.quadrant')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((i) => (
            <tr key={i.code} data-driver={i.code} data-quadrant={i.quadrant ?? ''}>
              <th scope="row" style={{ fontWeight: 400 }}>
                {i.code} {nameOf.get(i.code)}
              </th>
              <td className="num">{formatPercent(i.importance, lng, 1)}</td>
              <td className="num">{formatInterval(intervalOf.get(i.code) ?? null, lng)}</td>
              <td className="num">{i.score === null ? t('drivers.notPublished') : formatPercent(i.score, lng)}</td>
              <td>{i.quadrant ? t(`drivers.quadrants.${i.quadrant}`) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function DriversSection({ drivers, lng }: { drivers: DriversView; lng: Locale }) {
  const { t } = useTranslation('analytics')
  const en = lng === 'en'
  const elementName = new Map(drivers.labels.elements.map((e) => [e.code, en ? e.titleEn : e.titleVi]))
  const criterionName = new Map(drivers.labels.criteria.map((c) => [c.code, en ? c.labelEn : c.labelVi]))
  const { elements, criteria } = drivers
  const reading = placeItems(elements.status === 'ok' ? elements.items : [])
  const scoredCount = reading.items.filter((i) => i.scoreRankFromLowest !== null).length
  const importancePhrase = (rank: number) =>
    rank === 1 ? t('drivers.mostImportant') : t('drivers.importanceRank', { rank })
  const scorePhrase = (rank: number) =>
    rank === 1
      ? t('drivers.lowestScore')
      : rank === scoredCount
        ? t('drivers.highestScore')
        : t('drivers.scoreRank', { rank })
  const criteriaReading = placeItems(criteria.status === 'ok' ? criteria.items : [])
  return (
    <section aria-labelledby="drivers" data-drivers={elements.status}>
      <h2 id="drivers">{t('drivers.title')}</h2>
      <AnalysisStatus analysis={elements} lng={lng} />
      {elements.status === 'ok' && (
        <>
          <p className="muted">
            {t('drivers.intro', {
              n: formatNumber(elements.n, lng),
              r2: formatNumber(elements.rSquared, lng, 2),
              level: Math.round(elements.level * 100),
              replicates: elements.replicates,
            })}{' '}
            {drivers.outcome.kind === 'composite' && `${t('drivers.introComposite')} `}
            {t('drivers.method', { method: t(`drivers.methods.${elements.method}`) })}
          </p>
          {drivers.sample && (
            <p className="muted" data-drivers-sample="">
              {t('drivers.sampled', {
                counted: formatNumber(drivers.sample.counted, lng),
                every: formatNumber(drivers.sample.every, lng),
              })}
            </p>
          )}
          <h3>{t('drivers.summaryTitle')}</h3>
          <ul data-drivers-summary="">
            {summaryItems(reading).map((i) => (
              <li key={i.code}>
                {t('drivers.summaryLine', {
                  name: elementName.get(i.code) ?? i.code,
                  importance: importancePhrase(i.importanceRank),
                  score: scorePhrase(i.scoreRankFromLowest!),
                  quadrant: t(`drivers.quadrantsInline.${i.quadrant}`),
                })}
              </li>
            ))}
          </ul>
          <ImportancePerformanceChart reading={reading} formatTick={(v) => formatPercent(v, lng, 0)} />
          <p className="muted">
            {t('drivers.lines', {
              share: formatPercent(reading.importanceLine, lng, 0),
              score: reading.scoreLine === null ? '—' : formatPercent(reading.scoreLine, lng),
            })}
          </p>
          <DriverTable
            caption={t('drivers.chartTable')}
            heading={t('drivers.element')}
            analysis={elements}
            rows={reading.items}
            nameOf={elementName}
            lng={lng}
          />
        </>
      )}
      <h3>{t('drivers.criteriaTitle')}</h3>
      <AnalysisStatus analysis={criteria} lng={lng} />
      {criteria.status === 'ok' && (
        <>
          <p className="muted">{t('drivers.method', { method: t(`drivers.methods.${criteria.method}`) })}</p>
          <DriverTable
            heading={t('drivers.criterion')}
            analysis={criteria}
            rows={[...criteriaReading.items].sort((a, b) => a.importanceRank - b.importanceRank)}
            nameOf={criterionName}
            lng={lng}
          />
        </>
      )}
    </section>
  )
}
