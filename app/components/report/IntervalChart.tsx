/**
 * Scores with their confidence intervals, one line each (a dot on the index, a bar across the interval),
 * drawn with d3-scale into an SVG on the server like TrendChart: no JavaScript, and it prints. The SVG
 * scales to the width it is given (A4 in print); screen readers get the table printed beside it.
 */
import { scaleLinear } from 'd3-scale'

export interface IntervalPoint {
  /** Unique among the points (an agency or element code). */
  key: string
  label: string
  /** Published percentages (90.29), null when not published: such a line is left out. */
  percent: number | null
  lower: number | null
  upper: number | null
}

const WIDTH = 640
const ROW = 18
const LABEL = 230
const PAD = { right: 16, top: 8, bottom: 24 }
/** Characters of a label that fit its column at the chart's font size. */
const LABEL_CHARS = 38

const clip = (text: string) => (text.length > LABEL_CHARS ? `${text.slice(0, LABEL_CHARS - 1)}…` : text)

export function IntervalChart({ points, formatTick }: { points: IntervalPoint[]; formatTick: (v: number) => string }) {
  const shown = points.filter((p) => p.percent !== null)
  const values = shown.flatMap((p) => [p.lower ?? p.percent!, p.upper ?? p.percent!])
  const low = values.length ? Math.max(0, Math.floor((Math.min(...values) - 2) / 10) * 10) : 0
  const height = PAD.top + Math.max(shown.length, 1) * ROW + PAD.bottom
  const x = scaleLinear()
    .domain([low, 100])
    .range([LABEL, WIDTH - PAD.right])
  const ticks = x.ticks(5)
  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${height}`}
      width="100%"
      aria-hidden="true"
      focusable="false"
      className="chart interval-chart"
    >
      {ticks.map((t) => (
        <g key={t}>
          <line x1={x(t)} x2={x(t)} y1={PAD.top} y2={height - PAD.bottom} stroke="#ddd" />
          <text x={x(t)} y={height - 8} textAnchor="middle" fontSize="10">
            {formatTick(t)}
          </text>
        </g>
      ))}
      {shown.map((p, i) => {
        const y = PAD.top + i * ROW + ROW / 2
        return (
          <g key={p.key}>
            <text x={LABEL - 6} y={y + 4} textAnchor="end" fontSize="10">
              {clip(p.label)}
            </text>
            {p.lower !== null && p.upper !== null && (
              <line x1={x(p.lower)} x2={x(p.upper)} y1={y} y2={y} stroke="#9e1b1b" strokeWidth={3} opacity={0.35} />
            )}
            <circle cx={x(p.percent!)} cy={y} r={4} fill="#9e1b1b" />
          </g>
        )
      })}
    </svg>
  )
}
