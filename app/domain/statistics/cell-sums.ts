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

/**
 * One (post-stratum, stratum) piece of a domain: the variable's sums over the respondents who answered
 * it validly, and the count, Σw and Σw² of all its respondents (answered or not; the post-stratification
 * projection spreads each post-stratum's mean residual over all of them).
 */
export interface DomainCell {
  postStratum: string
  stratum: string
  sums: MomentSums
  all: { n: number; sw: number; sw2: number }
}

/** What the variance needs from the full design: the respondents of each stratum in the whole of it (n_h). */
export interface FullDesign {
  stratumSizes: ReadonlyMap<string, number>
}

/** Post-stratification: the count N_g of each post-stratum of the domain and Σw of its respondents. */
export interface PostStrata {
  population: ReadonlyMap<string, number>
  /** Every post-stratum of the domain, with Σw⁰ of all its respondents (0 when it has none). */
  respondentWeights: ReadonlyMap<string, number>
}

/**
 * A domain of the full design (R: `svymean(~y, subset(design, domain), na.rm = TRUE)`), from sums. With
 * z_i = w_i(y_i − θ)/W_d inside the domain (valid answers) and 0 outside, the variance is
 * Σ_h n_h/(n_h − 1) · (Σ_{i∈h} z_i² − (Σ_{i∈h} z_i)²/n_h), n_h the respondents of stratum h in the whole
 * design; df = respondents in the domain − strata present in it. Post-stratified (`postStrata`, each
 * post-stratum wholly inside or outside the domain), the weights are scaled by k_g = N_g / W⁰_g and z is
 * first replaced by the residual from each post-stratum's mean (weighted by the prior weights), as R's
 * svyrecvar does after postStratify. A stratum with fewer than two respondents in the whole design adds
 * nothing. Without `design`, the domain is its own design (n_h its valid respondents in h).
 */
export function estimateDomain(
  cells: readonly DomainCell[],
  design?: FullDesign,
  postStrata?: PostStrata,
): CellEstimate {
  const factor = new Map<string, number>()
  if (postStrata) {
    for (const c of cells) {
      if (c.sums.n === 0 || factor.has(c.postStratum)) continue
      const N = postStrata.population.get(c.postStratum)
      if (N === undefined) throw new PopulationError(`no population count for cell ${c.postStratum}`, c.postStratum)
      factor.set(c.postStratum, N / (postStrata.respondentWeights.get(c.postStratum) ?? c.all.sw))
    }
    for (const [key, w] of postStrata.respondentWeights)
      if (!(w > 0) && postStrata.population.has(key))
        throw new PopulationError(`population cell ${key} has no respondents`, key)
    for (const key of postStrata.population.keys())
      if (!postStrata.respondentWeights.has(key))
        throw new PopulationError(`population cell ${key} has no respondents`, key)
  }
  const k = (g: string) => (postStrata ? (factor.get(g) ?? 0) : 1)
  let n = 0
  let sw = 0
  let sw2 = 0
  let swx = 0
  const present = new Set<string>()
  for (const c of cells) {
    if (c.sums.n === 0) continue
    const kg = k(c.postStratum)
    n += c.sums.n
    sw += kg * c.sums.sw
    sw2 += kg * kg * c.sums.sw2
    swx += kg * c.sums.swx
    present.add(c.stratum)
  }
  if (n === 0 || !(sw > 0)) return { ...EMPTY_ESTIMATE, n }
  const theta = swx / sw
  // Mean residual of each post-stratum, ē_g = Σ_g w⁰(y − θ) / (W_d · W⁰_g), over all its respondents.
  const meanResidual = new Map<string, number>()
  if (postStrata) {
    for (const c of cells) {
      const r = (c.sums.swx - theta * c.sums.sw) / sw
      meanResidual.set(c.postStratum, (meanResidual.get(c.postStratum) ?? 0) + r)
    }
    for (const [g, r] of meanResidual) {
      const w0 = postStrata.respondentWeights.get(g) ?? 0
      meanResidual.set(g, w0 > 0 ? r / w0 : 0)
    }
  }
  const totals = new Map<string, { z: number; z2: number; n: number }>()
  for (const c of cells) {
    const kg = k(c.postStratum)
    const e = meanResidual.get(c.postStratum) ?? 0
    const s = c.sums
    const linear = (s.swx - theta * s.sw) / sw - e * c.all.sw
    const squares = squaredResiduals(s, theta) / (sw * sw) - (2 * e * (s.sw2x - theta * s.sw2)) / sw + e * e * c.all.sw2
    const t = totals.get(c.stratum) ?? { z: 0, z2: 0, n: 0 }
    totals.set(c.stratum, { z: t.z + kg * linear, z2: t.z2 + kg * kg * squares, n: t.n + s.n })
  }
  let variance = 0
  for (const [h, t] of totals) {
    const nh = design ? (design.stratumSizes.get(h) ?? t.n) : t.n
    if (nh < 2) continue
    variance += (nh / (nh - 1)) * Math.max(0, t.z2 - (t.z * t.z) / nh)
  }
  return {
    estimate: theta,
    variance,
    se: Math.sqrt(variance),
    n,
    nEff: (sw * sw) / sw2,
    sumWeights: sw,
    df: n - present.size,
  }
}
