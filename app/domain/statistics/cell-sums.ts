/**
 * Estimates from additive moment sums kept per cell (an agency × month, or any other unit the product
 * aggregates by). With the sums of w, w², w·x, w·x², w²·x and w²·x² a cell carries everything the
 * with-replacement Taylor variance of a weighted mean needs, so a roll-up over cells is a sum and a
 * score never scans raw responses.
 *
 * Post-stratification to population counts scales every weight of cell g by k_g = N_g / W_g; the
 * variance replaces y − θ by the residual from the cell's own weighted mean, which is what R's
 * postStratify does for a design with weights only: v = n/(n−1) · Σ_g Σ_{i∈g} w_i²(x_i − θ_g)² / W².
 */

export interface MomentSums {
  n: number
  /** Σw */
  sw: number
  /** Σw² */
  sw2: number
  /** Σw·x */
  swx: number
  /** Σw·x² */
  swx2: number
  /** Σw²·x */
  sw2x: number
  /** Σw²·x² */
  sw2x2: number
}

export const EMPTY_SUMS: MomentSums = Object.freeze({ n: 0, sw: 0, sw2: 0, swx: 0, swx2: 0, sw2x: 0, sw2x2: 0 })

export function addSums(a: MomentSums, b: MomentSums): MomentSums {
  return {
    n: a.n + b.n,
    sw: a.sw + b.sw,
    sw2: a.sw2 + b.sw2,
    swx: a.swx + b.swx,
    swx2: a.swx2 + b.swx2,
    sw2x: a.sw2x + b.sw2x,
    sw2x2: a.sw2x2 + b.sw2x2,
  }
}

/** Sums of one observation (for tests and for building cells from microdata). */
export function observationSums(weight: number, x: number): MomentSums {
  return {
    n: 1,
    sw: weight,
    sw2: weight * weight,
    swx: weight * x,
    swx2: weight * x * x,
    sw2x: weight * weight * x,
    sw2x2: weight * weight * x * x,
  }
}

/** Multiplies every weight in a cell by k (post-stratification). */
export function scaleSums(s: MomentSums, k: number): MomentSums {
  return {
    n: s.n,
    sw: k * s.sw,
    sw2: k * k * s.sw2,
    swx: k * s.swx,
    swx2: k * s.swx2,
    sw2x: k * k * s.sw2x,
    sw2x2: k * k * s.sw2x2,
  }
}

/** Σ over the cell of w²(x − θ)², expanded so it comes from the sums alone. */
function squaredResiduals(s: MomentSums, theta: number): number {
  return s.sw2x2 - 2 * theta * s.sw2x + theta * theta * s.sw2
}

export interface CellEstimate {
  estimate: number
  variance: number
  se: number
  n: number
  nEff: number
  sumWeights: number
  /** Degrees of freedom for t-based intervals: n − 1 (one stage, no strata). */
  df: number
}

const EMPTY_ESTIMATE: CellEstimate = {
  estimate: Number.NaN,
  variance: Number.NaN,
  se: Number.NaN,
  n: 0,
  nEff: 0,
  sumWeights: 0,
  df: 0,
}

/** The weighted mean over all cells pooled into one with-replacement sample (no strata). */
export function estimatePooled(cells: readonly MomentSums[]): CellEstimate {
  const s = cells.reduce(addSums, EMPTY_SUMS)
  if (s.n === 0 || !(s.sw > 0)) return { ...EMPTY_ESTIMATE, n: s.n }
  const theta = s.swx / s.sw
  // n/(n−1) · Σ w²(x−θ)² / W²; clamp tiny negative round-off from the expansion.
  const variance = s.n > 1 ? ((s.n / (s.n - 1)) * Math.max(0, squaredResiduals(s, theta))) / (s.sw * s.sw) : Number.NaN
  return {
    estimate: theta,
    variance,
    se: Math.sqrt(variance),
    n: s.n,
    nEff: (s.sw * s.sw) / s.sw2,
    sumWeights: s.sw,
    df: s.n - 1,
  }
}

export class PopulationError extends Error {
  constructor(
    message: string,
    readonly cell: string,
  ) {
    super(message)
  }
}

/**
 * Post-stratifies cells to population counts and estimates with cells as strata. Every cell with sample
 * needs a population count, and every population count needs sample: neither is silently dropped.
 */
export function estimatePostStratified(
  cells: ReadonlyMap<string, MomentSums>,
  population: ReadonlyMap<string, number>,
  /** Σw of every respondent of each cell, when the variable was not answered by all of them. */
  cellWeights?: ReadonlyMap<string, number>,
): CellEstimate {
  const scaled: MomentSums[] = []
  for (const [key, sums] of cells) {
    if (sums.n === 0) continue
    const N = population.get(key)
    if (N === undefined) throw new PopulationError(`no population count for cell ${key}`, key)
    scaled.push(scaleSums(sums, N / (cellWeights?.get(key) ?? sums.sw)))
  }
  for (const key of population.keys()) {
    if (!cells.get(key)?.n) throw new PopulationError(`population cell ${key} has no respondents`, key)
  }
  const total = scaled.reduce(addSums, EMPTY_SUMS)
  if (total.n === 0 || !(total.sw > 0)) return { ...EMPTY_ESTIMATE, n: total.n }
  // Residuals from each cell's mean: Σ_i e_i = 0 over the sample, so no centring term is needed.
  const residuals = scaled.reduce((sum, c) => sum + Math.max(0, squaredResiduals(c, c.swx / c.sw)), 0)
  const variance = total.n > 1 ? ((total.n / (total.n - 1)) * residuals) / (total.sw * total.sw) : Number.NaN
  return {
    estimate: total.swx / total.sw,
    variance,
    se: Math.sqrt(variance),
    n: total.n,
    nEff: (total.sw * total.sw) / total.sw2,
    sumWeights: total.sw,
    df: total.n - 1,
  }
}
