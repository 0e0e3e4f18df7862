/**
 * A seeded bootstrap over respondents within strata: the same request always gives the same interval (a
 * page and the API agree, and a test can pin it), and resampling inside each stratum keeps the design's
 * stratification, as the with-replacement variance of the published scores does.
 */

/** mulberry32: a small, fast 32-bit generator with a good spread; uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * One bootstrap sample: for each stratum of n_h respondents, n_h draws with replacement among them.
 * Returns the indices drawn (respondents keep their design weights).
 */
export function stratifiedResample(strata: readonly string[], random: () => number): number[] {
  const members = new Map<string, number[]>()
  strata.forEach((h, i) => {
    const list = members.get(h)
    if (list) list.push(i)
    else members.set(h, [i])
  })
  const out: number[] = []
  for (const list of members.values())
    for (let k = 0; k < list.length; k++) out.push(list[Math.floor(random() * list.length)]!)
  return out
}

/** The q-quantile of values, interpolated as R's default (`quantile(type = 7)`). */
export function quantile(values: readonly number[], q: number): number {
  if (!values.length) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const h = (sorted.length - 1) * q
  const lo = Math.floor(h)
  const hi = Math.ceil(h)
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!)
}

/** Percentile interval at the given level: the (1 − level)/2 and (1 + level)/2 quantiles. */
export function percentileInterval(values: readonly number[], level: number): { lower: number; upper: number } {
  return { lower: quantile(values, (1 - level) / 2), upper: quantile(values, (1 + level) / 2) }
}
