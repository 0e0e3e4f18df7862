/**
 * Driver analysis (docs/insight.md): how much of the variation in overall satisfaction each element or
 * criterion accounts for, as its share of the R² of a design-weighted regression, with a seeded stratified
 * bootstrap interval. Pure: the service reads respondents, this decides every number.
 */
import { percentileInterval, seededRandom, stratifiedResample } from './bootstrap.ts'
import { weightedCovariance } from './regression.ts'
import { type ImportanceMethod, relativeImportance } from './relative-importance.ts'

export interface DriverInput {
  /** The outcome per respondent (overall satisfaction); null when not answered. */
  outcome: ReadonlyArray<number | null>
  /** Each predictor's value per respondent, same order; null when not answered. */
  predictors: ReadonlyArray<{ code: string; values: ReadonlyArray<number | null> }>
  /** Design weights, same order. */
  weights: readonly number[]
  /** Stratum per respondent, same order (the bootstrap resamples within each). */
  strata: readonly string[]
}

export interface DriverOptions {
  /** Bootstrap replicates (0: no interval). */
  replicates: number
  seed: number
  /** Interval level, e.g. 0.95. */
  level: number
  /** Fewest complete respondents, and fewest per predictor, for an analysis. */
  minN: number
  minPerPredictor: number
  /** Fewest effective respondents (Kish). */
  minNEff: number
  /** Force a method; default: exact LMG up to 12 predictors, relative weights beyond. */
  method?: ImportanceMethod
}

export const DEFAULT_DRIVER_OPTIONS: DriverOptions = {
  replicates: 200,
  seed: 20240519,
  level: 0.95,
  minN: 30,
  minPerPredictor: 5,
  minNEff: 30,
}

/**
 * Driver analysis reads every respondent's answers, which grows with the province while the interval
 * hardly narrows beyond a few thousand. Above this many respondents an equal-probability systematic
 * subsample is analysed (docs/insight.md, "Large units").
 */
export const DRIVER_SAMPLE_LIMIT = 5000

/**
 * Every how many responses one is analysed so that at most `limit` of `counted` are: 1 (all) up to the
 * limit, else the smallest step that brings them under it.
 */
export function driverSampleStep(counted: number, limit = DRIVER_SAMPLE_LIMIT): number {
  if (!Number.isFinite(counted) || counted <= limit || limit < 1) return 1
  return Math.ceil(counted / Math.floor(limit))
}

export interface Driver {
  code: string
  /** Share of R² in [0, 1] (the shares add up to 1). */
  importance: number
  /** Percentile bootstrap interval of the share; null without replicates. */
  importanceCi: { lower: number; upper: number } | null
  /** The part of R² itself (importance × R²). */
  contribution: number
}

export type DriverResult =
  | {
      status: 'ok'
      method: ImportanceMethod
      /** Complete respondents (outcome and every predictor answered) and their Kish effective size. */
      n: number
      nEff: number
      rSquared: number
      rSquaredCi: { lower: number; upper: number } | null
      /** Replicates with an outcome that varies (others cannot be decomposed and are left out). */
      replicates: number
      seed: number
      drivers: Driver[]
    }
  | { status: 'insufficient'; n: number; nEff: number; needed: number }
  | { status: 'noVariation'; n: number; nEff: number }

/** Rows of (outcome, predictors…) for respondents who answered all of them, with weights and strata. */
export function completeCases(input: DriverInput) {
  const rows: number[][] = []
  const weights: number[] = []
  const strata: string[] = []
  input.outcome.forEach((y, i) => {
    if (y === null || !Number.isFinite(y)) return
    const row = [y]
    for (const p of input.predictors) {
      const x = p.values[i]
      if (x === null || x === undefined || !Number.isFinite(x)) return
      row.push(x)
    }
    if (!(input.weights[i]! > 0)) return
    rows.push(row)
    weights.push(input.weights[i]!)
    strata.push(input.strata[i]!)
  })
  return { rows, weights, strata }
}

function kish(weights: readonly number[]): number {
  let s = 0
  let s2 = 0
  for (const w of weights) {
    s += w
    s2 += w * w
  }
  return s2 > 0 ? (s * s) / s2 : 0
}

/** Shares of R², the importance reported; NaN when R² is 0 or undefined. */
function shares(contributions: readonly number[], rSquared: number): number[] {
  return contributions.map((c) => (rSquared > 0 ? c / rSquared : Number.NaN))
}

/**
 * The weighted covariance of a bootstrap replicate, from how many times each respondent was drawn: a drawn
 * respondent weighs w_i · count_i. One pass of cross-products over the flat row-major data (values are
 * answers and shares, so Σwxy/W − x̄ȳ loses nothing that matters); this is the bootstrap's inner loop.
 */
export function replicateCovariance(
  flat: Float64Array,
  k: number,
  weights: readonly number[],
  counts: Int32Array,
): number[][] {
  const sums = new Float64Array(k)
  const cross = new Float64Array(k * k)
  let total = 0
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!
    if (c === 0) continue
    const w = weights[i]! * c
    total += w
    const base = i * k
    for (let a = 0; a < k; a++) {
      const wa = w * flat[base + a]!
      sums[a]! += wa
      for (let b = a; b < k; b++) cross[a * k + b]! += wa * flat[base + b]!
    }
  }
  const cov = Array.from({ length: k }, () => new Array<number>(k).fill(0))
  for (let a = 0; a < k; a++)
    for (let b = a; b < k; b++) {
      const v = cross[a * k + b]! / total - (sums[a]! / total) * (sums[b]! / total)
      cov[a]![b] = v
      cov[b]![a] = v
    }
  return cov
}

export function driverAnalysis(input: DriverInput, options: DriverOptions = DEFAULT_DRIVER_OPTIONS): DriverResult {
  const { rows, weights, strata } = completeCases(input)
  const n = rows.length
  const nEff = kish(weights)
  const p = input.predictors.length
  const needed = Math.max(options.minN, options.minPerPredictor * p)
  if (n < needed || nEff < options.minNEff) return { status: 'insufficient', n, nEff, needed }
  const method = options.method ?? (p <= 12 ? 'lmg' : 'relative-weights')
  const point = relativeImportance(weightedCovariance(rows, weights), method)
  if (!(point.rSquared > 0)) return { status: 'noVariation', n, nEff }
  const pointShares = shares(point.contributions, point.rSquared)

  const random = seededRandom(options.seed)
  const replicateShares: number[][] = Array.from({ length: p }, () => [])
  const replicateR2: number[] = []
  const flat = Float64Array.from(rows.flat())
  const k = p + 1
  const counts = new Int32Array(n)
  for (let b = 0; b < options.replicates; b++) {
    counts.fill(0)
    for (const i of stratifiedResample(strata, random)) counts[i]! += 1
    const replicate = relativeImportance(replicateCovariance(flat, k, weights, counts), method)
    if (!(replicate.rSquared > 0)) continue
    replicateR2.push(replicate.rSquared)
    shares(replicate.contributions, replicate.rSquared).forEach((s, j) => {
      replicateShares[j]!.push(s)
    })
  }
  const withInterval = replicateR2.length > 0
  return {
    status: 'ok',
    method,
    n,
    nEff,
    rSquared: point.rSquared,
    rSquaredCi: withInterval ? percentileInterval(replicateR2, options.level) : null,
    replicates: replicateR2.length,
    seed: options.seed,
    drivers: input.predictors.map((pr, j) => ({
      code: pr.code,
      importance: pointShares[j]!,
      importanceCi: withInterval ? percentileInterval(replicateShares[j]!, options.level) : null,
      contribution: point.contributions[j]!,
    })),
  }
}

/** One analysis as the API and the page show it: each driver with the published score beside it. */
export interface DriverItem {
  code: string
  /** Share of R² in [0, 1]. */
  importance: number
  importanceCi: { lower: number; upper: number } | null
  /** The published score (share in [0, 1]); null when the cell is not published. */
  score: number | null
}

export type DriverAnalysisView =
  | (Omit<Extract<DriverResult, { status: 'ok' }>, 'drivers'> & { level: number; items: DriverItem[] })
  | (Exclude<DriverResult, { status: 'ok' }> & { items: [] })
