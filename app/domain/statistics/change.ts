/**
 * How sure a change is, and how sure a rank is. Two periods are two samples of different respondents, so
 * the variance of a difference of their estimates is the sum of their variances; the interval of the
 * change uses the normal quantile (each estimate's own interval uses its design's degrees of freedom,
 * but a difference of two designs has no single df — the usual large-sample choice, stated in
 * docs/method.md). A change is significant when its interval leaves out zero.
 */
import { normalQuantile } from './distributions.ts'
import { roundHalfAwayFromZero } from './publication.ts'

export interface ChangeInterval {
  /** In percentage points, rounded like the published change. */
  lower: number
  upper: number
  /** The interval leaves out zero (decided on the unrounded bounds). */
  significant: boolean
}

/** The interval of (current − previous) in points; null when either estimate or SE is missing. */
export function changeInterval(
  current: { estimate: number | null; se: number | null },
  previous: { estimate: number | null; se: number | null },
  level = 0.95,
  decimals = 1,
): ChangeInterval | null {
  const { estimate: a, se: sa } = current
  const { estimate: b, se: sb } = previous
  if (a === null || b === null || sa === null || sb === null) return null
  if (![a, b, sa, sb].every(Number.isFinite)) return null
  const half = normalQuantile(1 - (1 - level) / 2) * Math.sqrt(sa * sa + sb * sb)
  const lower = (a - b - half) * 100
  const upper = (a - b + half) * 100
  return {
    lower: roundHalfAwayFromZero(lower, decimals),
    upper: roundHalfAwayFromZero(upper, decimals),
    significant: lower > 0 || upper < 0,
  }
}

export interface RankRange {
  /** The best rank consistent with the intervals: 1 + the units whose interval lies wholly above. */
  best: number
  /** The worst: the units ranked, less those whose interval lies wholly below. */
  worst: number
}

/**
 * The range of ranks each unit could take given the intervals (rank 1 = highest): a unit is surely
 * behind another only when the other's interval lies wholly above its own. Units without an interval get
 * no range and do not count.
 */
export function rankRanges<K>(
  units: ReadonlyArray<{ key: K; ci: { lower: number; upper: number } | null }>,
): Map<K, RankRange> {
  const ranked = units.filter((u): u is { key: K; ci: { lower: number; upper: number } } => u.ci !== null)
  const out = new Map<K, RankRange>()
  for (const u of ranked) {
    let above = 0
    let below = 0
    for (const v of ranked) {
      if (v === u) continue
      if (v.ci.lower > u.ci.upper) above++
      else if (v.ci.upper < u.ci.lower) below++
    }
    out.set(u.key, { best: 1 + above, worst: ranked.length - below })
  }
  return out
}
