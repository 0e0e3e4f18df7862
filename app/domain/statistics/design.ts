// A survey design (weights, strata, primary sampling units, finite population correction)
// and the Taylor-linearised variance of a total of influence values under it.

/** Something a respondent is grouped by: a stratum code, a district id, an agency id. */
export type Label = string

/**
 * What to do with a stratum holding a single PSU, whose variance cannot be estimated.
 * - "fail" (default, like R's `options(survey.lonely.psu = "fail")`): throw a LonelyPsuError.
 *   A published satisfaction score should not quietly come with an understated SE.
 * - "certainty": treat the stratum as sampled with certainty, contributing 0 (R's "certainty").
 */
export type LonelyPsuPolicy = 'fail' | 'certainty'

/**
 * A projection applied to influence values before the variance is taken, left behind by
 * calibration: post-stratification removes each cell's mean, raking the fitted values of the
 * additive model over all its margins (see `project` for exactly how, as R does it).
 * `weights` are the calibrated weights of the full sample (kept even when a domain later zeroes
 * some of them); a post-stratification's `priorWeights` (before calibration) weight its cell
 * means (within a cell the calibrated weights are the prior weights times one factor, so either
 * gives the same means).
 */
export type CalibrationProjection =
  | {
      kind: 'post-stratification'
      cells: readonly number[]
      weights: readonly number[]
      priorWeights: readonly number[]
    }
  | { kind: 'raking'; margins: ReadonlyArray<readonly number[]>; weights: readonly number[] }

export interface SurveyDesign {
  /** Number of observations (rows). */
  readonly size: number
  readonly weights: readonly number[]
  /** Stratum index per observation (0 when unstratified). */
  readonly stratumOf: readonly number[]
  /** PSU index per observation, unique across strata (PSUs are nested in strata). */
  readonly psuOf: readonly number[]
  /** Stratum index of each PSU. */
  readonly psuStratum: readonly number[]
  /** Sampling fraction of PSUs per stratum (0 without a finite population correction). */
  readonly samplingFraction: readonly number[]
  readonly stratumCount: number
  readonly psuCount: number
  readonly lonelyPsu: LonelyPsuPolicy
  readonly calibration: readonly CalibrationProjection[]
  /** Stratum labels, for error messages. */
  readonly stratumLabels: readonly Label[]
}

export interface DesignSpec {
  /** Sampling (or calibrated) weights; all 1 when omitted. */
  weights?: readonly number[]
  /** Stratum per observation; one stratum when omitted. */
  strata?: readonly Label[]
  /** Cluster (PSU) per observation; each observation its own PSU when omitted. */
  clusters?: readonly Label[]
  /**
   * Finite population correction per observation, as in R's `svydesign(fpc=)`: a value > 1
   * is the number of PSUs in the stratum's population, a value ≤ 1 the sampling fraction.
   */
  fpc?: readonly number[]
  lonelyPsu?: LonelyPsuPolicy
  /** Needed only when no per-observation vector gives it. */
  size?: number
}

export class DesignError extends Error {}
export class LonelyPsuError extends DesignError {}

function indexLabels(labels: readonly Label[]): { index: number[]; labels: Label[] } {
  const positions = new Map<Label, number>()
  const index = labels.map((label) => {
    let position = positions.get(label)
    if (position === undefined) {
      position = positions.size
      positions.set(label, position)
    }
    return position
  })
  return { index, labels: [...positions.keys()] }
}

export function createDesign(spec: DesignSpec): SurveyDesign {
  const size = spec.weights?.length ?? spec.strata?.length ?? spec.clusters?.length ?? spec.fpc?.length ?? spec.size
  if (size === undefined) throw new DesignError('the design needs weights, strata, clusters or a size')
  for (const [name, vector] of Object.entries({
    weights: spec.weights,
    strata: spec.strata,
    clusters: spec.clusters,
    fpc: spec.fpc,
  })) {
    if (vector && vector.length !== size) throw new DesignError(`${name} has ${vector.length} values, expected ${size}`)
  }
  const weights = spec.weights ? [...spec.weights] : new Array<number>(size).fill(1)
  weights.forEach((w, i) => {
    if (!Number.isFinite(w) || w < 0)
      throw new DesignError(`weight of observation ${i + 1} is not a non-negative number: ${w}`)
  })
  const strata = indexLabels(spec.strata ?? new Array<Label>(size).fill(''))
  // PSU ids are only unique within a stratum (R's nest=TRUE): key them by stratum too.
  const psuKeys = spec.clusters
    ? spec.clusters.map((c, i) => `${strata.index[i]}\u0000${c}`)
    : Array.from({ length: size }, (_, i) => String(i))
  const psus = indexLabels(psuKeys)
  const psuStratum = new Array<number>(psus.labels.length)
  psus.index.forEach((psu, i) => {
    psuStratum[psu] = strata.index[i]!
  })
  const psusPerStratum = new Array<number>(strata.labels.length).fill(0)
  for (const h of psuStratum) psusPerStratum[h]! += 1

  const samplingFraction = new Array<number>(strata.labels.length).fill(0)
  if (spec.fpc) {
    const seen = new Array<number | undefined>(strata.labels.length)
    spec.fpc.forEach((value, i) => {
      const h = strata.index[i]!
      if (!Number.isFinite(value) || value <= 0)
        throw new DesignError(`fpc of observation ${i + 1} is not a positive number: ${value}`)
      if (seen[h] !== undefined && seen[h] !== value) {
        throw new DesignError(`fpc varies within stratum "${strata.labels[h]}"`)
      }
      seen[h] = value
      const fraction = value > 1 ? psusPerStratum[h]! / value : value
      if (fraction > 1)
        throw new DesignError(`stratum "${strata.labels[h]}" has more sampled PSUs than its population (${value})`)
      samplingFraction[h] = fraction
    })
  }
  return {
    size,
    weights,
    stratumOf: strata.index,
    psuOf: psus.index,
    psuStratum,
    samplingFraction,
    stratumCount: strata.labels.length,
    psuCount: psus.labels.length,
    lonelyPsu: spec.lonelyPsu ?? 'fail',
    calibration: [],
    stratumLabels: strata.labels,
  }
}

/** The same design with new weights (and optionally one more calibration projection). */
export function withWeights(
  design: SurveyDesign,
  weights: readonly number[],
  projection?: CalibrationProjection,
): SurveyDesign {
  if (weights.length !== design.size) throw new DesignError(`expected ${design.size} weights, got ${weights.length}`)
  return {
    ...design,
    weights: [...weights],
    calibration: projection ? [...design.calibration, projection] : design.calibration,
  }
}

/**
 * Sweeps of backfitting that R's survey package (svyrecvar, survey 4.1) runs for a raked
 * design's variance: a fixed ten, not "until converged". Kept identical so that an auditor who
 * re-runs R gets our standard errors to the last digit (tests/fixtures/r-survey).
 */
const RAKING_VARIANCE_SWEEPS = 10

/**
 * Residuals of influence values after a calibration, as R's svyrecvar forms them: z = w·e, and
 * e is replaced by its residual
 * - post-stratification: from the cell means weighted by the prior weights (the GREG form);
 * - raking: from ten sweeps of backfitting the margins' *unweighted* cell means.
 * The two raking forms agree when the weights within each cell are equal; for unequal weights
 * they differ in the third significant digit of the SE (0.1% on the api data), and we follow R.
 */
function project(z: number[], projection: CalibrationProjection): number[] {
  const { weights } = projection
  const residual = z.map((value, i) => (weights[i]! > 0 ? value / weights[i]! : 0))
  const removeCellMeans = (cells: readonly number[], meanWeights: readonly number[] | null) => {
    const cellCount = Math.max(-1, ...cells) + 1
    const sumWeighted = new Array<number>(cellCount).fill(0)
    const sumWeights = new Array<number>(cellCount).fill(0)
    cells.forEach((cell, i) => {
      const w = meanWeights ? meanWeights[i]! : 1
      sumWeighted[cell]! += w * residual[i]!
      sumWeights[cell]! += w
    })
    cells.forEach((cell, i) => {
      residual[i]! -= sumWeights[cell]! > 0 ? sumWeighted[cell]! / sumWeights[cell]! : 0
    })
  }
  if (projection.kind === 'post-stratification') {
    removeCellMeans(projection.cells, projection.priorWeights)
  } else {
    for (let sweep = 0; sweep < RAKING_VARIANCE_SWEEPS; sweep++) {
      for (const margin of projection.margins) removeCellMeans(margin, null)
    }
  }
  return residual.map((e, i) => e * weights[i]!)
}

/**
 * Variance of Σ zᵢ: v = Σ_h (1 − f_h) · m_h/(m_h − 1) · Σ_c (Z_hc − Z̄_h)²,
 * with Z_hc the PSU totals of z. Every PSU of the design counts, including PSUs where z is
 * all zero (the units outside a domain): that is what makes domain estimates right.
 */
export function varianceOfTotal(design: SurveyDesign, influence: readonly number[]): number {
  if (influence.length !== design.size)
    throw new DesignError(`expected ${design.size} influence values, got ${influence.length}`)
  let z = [...influence]
  for (const projection of design.calibration) z = project(z, projection)

  const psuTotals = new Array<number>(design.psuCount).fill(0)
  z.forEach((value, i) => {
    psuTotals[design.psuOf[i]!]! += value
  })
  const stratumSums = new Array<number>(design.stratumCount).fill(0)
  const stratumPsus = new Array<number>(design.stratumCount).fill(0)
  psuTotals.forEach((total, c) => {
    const h = design.psuStratum[c]!
    stratumSums[h]! += total
    stratumPsus[h]! += 1
  })
  const squares = new Array<number>(design.stratumCount).fill(0)
  psuTotals.forEach((total, c) => {
    const h = design.psuStratum[c]!
    const deviation = total - stratumSums[h]! / stratumPsus[h]!
    squares[h]! += deviation * deviation
  })
  let variance = 0
  for (let h = 0; h < design.stratumCount; h++) {
    const m = stratumPsus[h]!
    const finiteCorrection = 1 - design.samplingFraction[h]!
    if (m === 1) {
      // A stratum sampled completely (f = 1) has no sampling variance; otherwise it is lonely.
      if (finiteCorrection > 0 && design.lonelyPsu === 'fail') {
        throw new LonelyPsuError(
          `stratum "${design.stratumLabels[h]}" has only one PSU: its variance cannot be estimated ` +
            `(merge it with a similar stratum, or choose the "certainty" policy)`,
        )
      }
      continue
    }
    variance += (finiteCorrection * m * squares[h]!) / (m - 1)
  }
  return variance
}

/**
 * Degrees of freedom as R's `degf`: PSUs minus strata, counting only those holding an
 * observation with positive weight in `members` (a domain), or all of them.
 */
export function degreesOfFreedom(design: SurveyDesign, members?: (i: number) => boolean): number {
  const psus = new Set<number>()
  const strata = new Set<number>()
  for (let i = 0; i < design.size; i++) {
    if (design.weights[i]! > 0 && (!members || members(i))) {
      psus.add(design.psuOf[i]!)
      strata.add(design.stratumOf[i]!)
    }
  }
  return psus.size - strata.size
}
