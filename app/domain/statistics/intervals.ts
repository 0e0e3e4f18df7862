// Confidence intervals. Satisfaction shares sit near 100%, where the Wald interval leaves
// [0, 1] or collapses, so proportions default to Korn–Graubard; Wald is not offered for them.
import { betaQuantile, normalQuantile, studentTQuantile } from './distributions.ts'
import type { Estimate } from './estimators.ts'

export type ProportionIntervalMethod = 'beta' | 'wilson' | 'logit'
export type IntervalMethod = ProportionIntervalMethod | 'mean'

export interface ConfidenceInterval {
  lower: number
  upper: number
  method: IntervalMethod
  level: number
}

/** What an interval needs from an estimate. */
export type IntervalInput = Pick<Estimate, 'estimate' | 'variance' | 'n' | 'df'>

export const DEFAULT_LEVEL = 0.95

function checkLevel(level: number): number {
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be between 0 and 1, got ${level}`)
  return 1 - level
}

/** Exact binomial (Clopper–Pearson) interval for x successes in n trials. */
export function clopperPearsonInterval(successes: number, trials: number, level = DEFAULT_LEVEL): ConfidenceInterval {
  const alpha = checkLevel(level)
  if (!(trials > 0) || successes < 0 || successes > trials)
    throw new RangeError(`need 0 ≤ successes ≤ trials, trials > 0`)
  return {
    lower: successes === 0 ? 0 : betaQuantile(alpha / 2, successes, trials - successes + 1),
    upper: successes === trials ? 1 : betaQuantile(1 - alpha / 2, successes + 1, trials - successes),
    method: 'beta',
    level,
  }
}

/**
 * Wilson score interval for a proportion p observed on a sample of (effective) size n. With `df` the
 * quantile is Student's t on those degrees of freedom instead of the normal (the survey-adjusted
 * Wilson interval of Kott and Carr); without, it is the textbook interval.
 */
export function wilsonInterval(
  proportion: number,
  sampleSize: number,
  level = DEFAULT_LEVEL,
  df = Number.POSITIVE_INFINITY,
): ConfidenceInterval {
  const alpha = checkLevel(level)
  const z = df > 0 && Number.isFinite(df) ? studentTQuantile(1 - alpha / 2, df) : normalQuantile(1 - alpha / 2)
  const z2n = (z * z) / sampleSize
  const centre = (proportion + z2n / 2) / (1 + z2n)
  const halfWidth =
    (z / (1 + z2n)) * Math.sqrt((proportion * (1 - proportion)) / sampleSize + (z * z) / (4 * sampleSize * sampleSize))
  return { lower: Math.max(0, centre - halfWidth), upper: Math.min(1, centre + halfWidth), method: 'wilson', level }
}

/**
 * Effective sample size of a design-based proportion, θ(1−θ)/v. At θ = 0 or 1 (or v = 0)
 * the variance says nothing, so the spec's rule applies: n* = n.
 */
export function effectiveSizeForProportion(input: IntervalInput): number {
  const { estimate: p, variance, n } = input
  if (p <= 0 || p >= 1 || !(variance > 0)) return n
  return (p * (1 - p)) / variance
}

/**
 * Korn–Graubard interval (R's `svyciprop(method = "beta")`): Clopper–Pearson on the effective
 * sample size n* = θ(1−θ)/v, scaled by (t_{n−1}/t_df)² so few PSUs widen the interval.
 * At θ = 0 or 1 it uses n* = n without the t adjustment (nothing to adjust).
 */
export function kornGraubardInterval(input: IntervalInput, level = DEFAULT_LEVEL): ConfidenceInterval {
  const alpha = checkLevel(level)
  const { estimate: p, n, df } = input
  let effective = effectiveSizeForProportion(input)
  if (p > 0 && p < 1 && input.variance > 0 && n > 1 && df > 0) {
    const ratio = studentTQuantile(alpha / 2, n - 1) / studentTQuantile(alpha / 2, df)
    effective *= ratio * ratio
  }
  return {
    lower: p <= 0 ? 0 : betaQuantile(alpha / 2, effective * p, effective * (1 - p) + 1),
    upper: p >= 1 ? 1 : betaQuantile(1 - alpha / 2, effective * p + 1, effective * (1 - p)),
    method: 'beta',
    level,
  }
}

/**
 * Survey-adjusted Wilson interval (Kott and Carr): the Wilson score interval on the design effective
 * sample size n* = θ(1−θ)/v with a t quantile on the design's degrees of freedom, like Korn–Graubard
 * and logit (the normal quantile when df is not positive).
 */
export function designWilsonInterval(input: IntervalInput, level = DEFAULT_LEVEL): ConfidenceInterval {
  return wilsonInterval(input.estimate, effectiveSizeForProportion(input), level, input.df > 0 ? input.df : Infinity)
}

/**
 * Logit interval (R's `svyciprop(method = "logit")`): symmetric on the log-odds scale with
 * SE(logit θ) = SE(θ)/(θ(1−θ)) and a t quantile on the design df. Undefined at 0 or 1,
 * where the Korn–Graubard interval is returned instead (method says so).
 */
export function logitInterval(input: IntervalInput, level = DEFAULT_LEVEL): ConfidenceInterval {
  const alpha = checkLevel(level)
  const { estimate: p, variance, df } = input
  if (p <= 0 || p >= 1 || !(variance > 0)) return kornGraubardInterval(input, level)
  const logit = Math.log(p / (1 - p))
  const se = Math.sqrt(variance) / (p * (1 - p))
  const t = studentTQuantile(1 - alpha / 2, df > 0 ? df : Infinity)
  const expit = (x: number) => 1 / (1 + Math.exp(-x))
  return { lower: expit(logit - t * se), upper: expit(logit + t * se), method: 'logit', level }
}

/** t-based interval for a mean: θ ± t_{df, 1−α/2}·SE (the normal when df is not positive). */
export function meanInterval(input: IntervalInput, level = DEFAULT_LEVEL): ConfidenceInterval {
  const alpha = checkLevel(level)
  const t = studentTQuantile(1 - alpha / 2, input.df > 0 ? input.df : Infinity)
  const halfWidth = t * Math.sqrt(input.variance)
  return { lower: input.estimate - halfWidth, upper: input.estimate + halfWidth, method: 'mean', level }
}

/** Values all in [0, 1] (missing ones ignored): shares, and composites that are means of shares. */
export function inUnitInterval(values: Iterable<number | null | undefined>): boolean {
  for (const value of values) if (value !== null && value !== undefined && !(value >= 0 && value <= 1)) return false
  return true
}

/**
 * The one rule, for the score pages and `hailong analyze` alike, that decides which interval an
 * estimate gets: the proportion intervals (Korn–Graubard by default, or the one requested) for
 * variables in [0, 1] — shares, and the composite indices, which are means of shares — and the t
 * interval (`mean`) for anything else, whatever was requested. `confidenceInterval` may still fall
 * back from logit to Korn–Graubard at 0 or 1; the interval it returns names the method it used.
 */
export function intervalMethodFor(requested: IntervalMethod | undefined, unitInterval: boolean): IntervalMethod {
  if (!unitInterval) return 'mean'
  return requested ?? 'beta'
}

/**
 * The interval of an estimate; `method` of the result is the method actually used, which differs
 * from the one asked for when logit falls back to Korn–Graubard at θ = 0 or 1 (or v = 0).
 */
export function confidenceInterval(
  input: IntervalInput,
  method: IntervalMethod = 'beta',
  level = DEFAULT_LEVEL,
): ConfidenceInterval {
  switch (method) {
    case 'beta':
      return kornGraubardInterval(input, level)
    case 'wilson':
      return designWilsonInterval(input, level)
    case 'logit':
      return logitInterval(input, level)
    case 'mean':
      return meanInterval(input, level)
  }
}
