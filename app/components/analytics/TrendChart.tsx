/**
 * A small server-rendered SVG line chart of an index over periods, with its confidence band. It needs no
 * JavaScript; screen readers get the data table that always accompanies it (the SVG is aria-hidden).
 */
export interface TrendSeries {
  label: string
  color: string
  points: Array<{ period: string; estimate: number | null; lower: number | null; upper: number | null }>
}

const WIDTH = 640
const HEIGHT = 240
const PAD = { left: 44, right: 12, top: 12, bottom: 28 }

export function TrendChart({ series, formatTick }: { series: TrendSeries[]; formatTick: (share: number) => string }) {
  const periods = series[0]?.points.map((p) => p.period) ?? []
  const values = series.flatMap((s) => s.points.flatMap((p) => [p.lower, p.upper, p.estimate])).filter((v): v is number => v !== null)
  const min = values.length ? Math.max(0, Math.floor((Math.min(...values) - 0.02) * 20) / 20) : 0
  const max = values.length ? Math.min(1, Math.ceil((Math.max(...values) + 0.02) * 20) / 20) : 1
  const x = (i: number) => PAD.left + (periods.length <= 1 ? 0 : (i * (WIDTH - PAD.left - PAD.right)) / (periods.length - 1))
  const y = (v: number) => PAD.top + ((max - v) * (HEIGHT - PAD.top - PAD.bottom)) / Math.max(1e-9, max - min)
  const ticks = Array.from({ length: 5 }, (_, i) => min + ((max - min) * i) / 4)
  return (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-hidden="true" focusable="false" className="chart">
      {ticks.map((t) => (
        <g key={t}>
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} stroke="#ddd" />
          <text x={PAD.left - 4} y={y(t) + 4} textAnchor="end" fontSize="10">{formatTick(t)}</text>
        </g>
      ))}
      {periods.map((p, i) => (
        <text key={p} x={x(i)} y={HEIGHT - 8} textAnchor="middle" fontSize="10">{p}</text>
      ))}
      {series.map((s) => {
        const band = s.points.map((p, i) => (p.lower !== null && p.upper !== null ? { i, lower: p.lower, upper: p.upper } : null)).filter((b) => b !== null)
        const line = s.points.map((p, i) => (p.estimate !== null ? `${x(i)},${y(p.estimate)}` : null)).filter(Boolean)
        return (
          <g key={s.label}>
            {band.length > 1 && (
              <polygon
                fill={s.color}
                opacity={0.15}
                points={[...band.map((b) => `${x(b.i)},${y(b.upper)}`), ...band.reverse().map((b) => `${x(b.i)},${y(b.lower)}`)].join(' ')}
              />
            )}
            {line.length > 1 && <polyline fill="none" stroke={s.color} strokeWidth={2} points={line.join(' ')} />}
            {s.points.map((p, i) => (p.estimate !== null ? <circle key={p.period} cx={x(i)} cy={y(p.estimate)} r={3} fill={s.color} /> : null))}
          </g>
        )
      })}
    </svg>
  )
}
