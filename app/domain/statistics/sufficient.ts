// Estimates from additive aggregate rows (n, Σw, Σw² per answer), so roll-ups over periods
// and the agency tree are sums. Variance is the with-replacement, weights-only formula of
// STATISTICS.md "Fast aggregation"; strata and clusters need the row-level design.

/** Weights are stored as integer micro-units so sums are exact and order-independent. */
export const MICRO_UNITS_PER_WEIGHT = 1_000_000n

export function toMicroUnits(weight: number): bigint {
  if (!Number.isFinite(weight) || weight < 0) throw new RangeError(`weight must be a non-negative number, got ${weight}`)
  return BigInt(Math.round(weight * 1e6))
}

/** Σw stored in micro-units → weight units. */
export function fromMicroUnits(sum: bigint): number {
  return Number(sum) / 1e6
}

/** Σw² stored in squared micro-units (10⁻¹² weight²) → weight² units. */
export function fromSquaredMicroUnits(sum: bigint): number {
  return Number(sum) / 1e12
}

export interface AggregateRow {
  answer: number
  /** Respondents who gave this answer. */
  n: number
  /** Σw over them (weight units, or micro-units as bigint). */
  sumWeights: number | bigint
  /** Σw² over them (weight², or squared micro-units as bigint). */
  sumSquaredWeights: number | bigint
}

export interface AggregateEstimate {
  estimate: number
  variance: number
  se: number
  n: number
  nEff: number
  sumWeights: number
}

const asWeight = (value: number | bigint) => (typeof value === 'bigint' ? fromMicroUnits(value) : value)
const asSquaredWeight = (value: number | bigint) => (typeof value === 'bigint' ? fromSquaredMicroUnits(value) : value)

/** Accumulate one respondent's weight into micro-unit sums (what the database row holds). */
export function addToAggregate(row: { n: number; sumWeights: bigint; sumSquaredWeights: bigint }, weight: number) {
  const micro = toMicroUnits(weight)
  return { n: row.n + 1, sumWeights: row.sumWeights + micro, sumSquaredWeights: row.sumSquaredWeights + micro * micro }
}

/** Merge rows with the same answer (a roll-up is a sum). Bigint and number sums are not mixed. */
export function mergeAggregateRows(rows: readonly AggregateRow[]): AggregateRow[] {
  const byAnswer = new Map<number, AggregateRow>()
  for (const row of rows) {
    const existing = byAnswer.get(row.answer)
    if (!existing) {
      byAnswer.set(row.answer, { ...row })
      continue
    }
    if (typeof existing.sumWeights !== typeof row.sumWeights) throw new TypeError('cannot mix micro-unit and plain weight sums')
    existing.n += row.n
    existing.sumWeights = (existing.sumWeights as number) + (row.sumWeights as number)
    existing.sumSquaredWeights = (existing.sumSquaredWeights as number) + (row.sumSquaredWeights as number)
  }
  return [...byAnswer.values()].sort((a, b) => a.answer - b.answer)
}

/**
 * θ = Σ_a f(a)·S1_a / W, n_eff = W²/Σ_a S2_a, v = n/(n−1) · Σ_a (f(a) − θ)²·S2_a / W².
 * `score` maps an answer to f(answer); return null to exclude the answer ("not applicable").
 */
export function estimateFromAggregates(rows: readonly AggregateRow[], score: (answer: number) => number | null): AggregateEstimate {
  let n = 0
  let sumWeights = 0
  let sumSquaredWeights = 0
  let weightedScore = 0
  const kept: { value: number; s2: number }[] = []
  for (const row of rows) {
    const value = score(row.answer)
    if (value === null || row.n === 0) continue
    const s1 = asWeight(row.sumWeights)
    const s2 = asSquaredWeight(row.sumSquaredWeights)
    n += row.n
    sumWeights += s1
    sumSquaredWeights += s2
    weightedScore += value * s1
    kept.push({ value, s2 })
  }
  if (n === 0 || !(sumWeights > 0)) {
    return { estimate: Number.NaN, variance: Number.NaN, se: Number.NaN, n, nEff: 0, sumWeights }
  }
  const estimate = weightedScore / sumWeights
  const spread = kept.reduce((sum, { value, s2 }) => sum + (value - estimate) ** 2 * s2, 0)
  const variance = n > 1 ? ((n / (n - 1)) * spread) / (sumWeights * sumWeights) : Number.NaN
  return { estimate, variance, se: Math.sqrt(variance), n, nEff: (sumWeights * sumWeights) / sumSquaredWeights, sumWeights }
}
