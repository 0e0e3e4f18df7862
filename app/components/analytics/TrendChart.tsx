/**
 * The trend of an index over periods with its confidence band, drawn with d3-scale and d3-shape into an
 * SVG on the server: it needs no JavaScript in the browser. Screen readers get the data table that
 * always accompanies it (the SVG is aria-hidden).
 */
import { scaleLinear, scalePoint } from 'd3-scale'
import { area, line } from 'd3-shape'

export interface TrendPointView {
  period: string
  estimate: number | null
  lower: number | null
  upper: number | null
}
export interface TrendSeries {
  label: string
  color: string
  points: TrendPointView[]
}

const WIDTH = 640
const HEIGHT = 240
const PAD = { left: 44, right: 16, top: 12, bottom: 28 }

export function TrendChart({ series, formatTick }: { series: TrendSeries[]; formatTick: (share: number) => string }) {
  const periods = series[0]?.points.map((p) => p.period) ?? []
  const values = series
    .flatMap((s) => s.points.flatMap((p) => [p.lower, p.upper, p.estimate]))
    .filter((v): v is number => v !== null)
  const low = values.length ? Math.max(0, Math.floor((Math.min(...values) - 0.02) * 20) / 20) : 0
  const high = values.length ? Math.min(1, Math.ceil((Math.max(...values) + 0.02) * 20) / 20) : 1
  const x = scalePoint<string>()
    .domain(periods)
    .range([PAD.left, WIDTH - PAD.right])
  const y = scaleLinear()
    .domain([low, high])
    .range([HEIGHT - PAD.bottom, PAD.top])
    .nice(5)
  const drawLine = line<TrendPointView>()
    .defined((p) => p.estimate !== null)
    .x((p) => x(p.period)!)
    .y((p) => y(p.estimate!))
  const drawBand = area<TrendPointView>()
    .defined((p) => p.lower !== null && p.upper !== null)
    .x((p) => x(p.period)!)
    .y0((p) => y(p.lower!))
    .y1((p) => y(p.upper!))
  return (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" aria-hidden="true" focusable="false" className="chart">
      {y.ticks(5).map((t) => (
        <g key={t}>
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} stroke="#ddd" />
          <text x={PAD.left - 4} y={y(t) + 4} textAnchor="end" fontSize="10">
            {formatTick(t)}
          </text>
        </g>
      ))}
      {periods.map((p) => (
        <text key={p} x={x(p)} y={HEIGHT - 8} textAnchor="middle" fontSize="10">
          {p}
        </text>
      ))}
      {series.map((s) => (
        <g key={s.label}>
          <path d={drawBand(s.points) ?? undefined} fill={s.color} opacity={0.15} />
          <path d={drawLine(s.points) ?? undefined} fill="none" stroke={s.color} strokeWidth={2} />
          {s.points.map((p) =>
            p.estimate !== null ? (
              <circle key={p.period} cx={x(p.period)} cy={y(p.estimate)} r={3} fill={s.color} />
            ) : null,
          )}
        </g>
      ))}
    </svg>
  )
}
