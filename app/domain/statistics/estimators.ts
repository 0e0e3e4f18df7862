// Weighted means, proportions and totals with linearised standard errors, for the whole
// sample or for domains (an agency, a period) estimated over the full design.
import { degreesOfFreedom, varianceOfTotal, type Label, type SurveyDesign } from './design.ts'

/** A value per observation; null, undefined or NaN is missing ("not applicable", NA). */
export type Observation = number | null | undefined

export interface Estimate {
  estimate: number
  se: number
  variance: number
  /** Respondents with a valid value (in the domain). */
  n: number
  /** Kish effective sample size (Σw)²/Σw² over those respondents. */
  nEff: number
  /** Design degrees of freedom (PSUs − strata holding those respondents). */
  df: number
  /** Σw over those respondents: the estimated population size. */
  sumWeights: number
}

export interface DomainEstimate extends Estimate {
  group: Label
}

export type EstimateKind = 'mean' | 'total'

export class EstimationError extends Error {}

function isValid(value: Observation): value is number {
  return typeof value === 'number' && !Number.isNaN(value)
}

/**
 * Which observations count: valid value, in the domain, positive weight. Missing values are
 * treated like a domain (weight zero but the PSU still counts), which is what R's
 * `na.rm=TRUE` does for survey designs.
 */
function memberMask(design: SurveyDesign, values: readonly Observation[], domain?: readonly boolean[]): boolean[] {
  if (values.length !== design.size) throw new EstimationError(`expected ${design.size} values, got ${values.length}`)
  if (domain && domain.length !== design.size)
    throw new EstimationError(`expected ${design.size} domain flags, got ${domain.length}`)
  return values.map((value, i) => isValid(value) && (!domain || domain[i] === true) && design.weights[i]! > 0)
}

function summarise(design: SurveyDesign, members: boolean[]) {
  let n = 0
  let sumWeights = 0
  let sumSquaredWeights = 0
  members.forEach((member, i) => {
    if (!member) return
    const w = design.weights[i]!
    n += 1
    sumWeights += w
    sumSquaredWeights += w * w
  })
  const nEff = sumSquaredWeights > 0 ? (sumWeights * sumWeights) / sumSquaredWeights : 0
  return { n, sumWeights, nEff, df: degreesOfFreedom(design, (i) => members[i]!) }
}

/**
 * Influence values of a weighted mean: zᵢ = wᵢ·(yᵢ − θ)/W inside, 0 outside. Exposed so
 * composites (sums of several estimators) can add them before taking one variance.
 */
export function meanInfluence(design: SurveyDesign, values: readonly Observation[], domain?: readonly boolean[]) {
  const members = memberMask(design, values, domain)
  const summary = summarise(design, members)
  if (summary.n === 0)
    return { ...summary, estimate: Number.NaN, influence: new Array<number>(design.size).fill(0), members }
  let weightedSum = 0
  members.forEach((member, i) => {
    if (member) weightedSum += design.weights[i]! * (values[i] as number)
  })
  const estimate = weightedSum / summary.sumWeights
  const influence = members.map((member, i) =>
    member ? (design.weights[i]! * ((values[i] as number) - estimate)) / summary.sumWeights : 0,
  )
  return { ...summary, estimate, influence, members }
}

/** Weighted mean θ = Σwy/Σw with its linearised SE. Empty domains give NaN, not an error. */
export function estimateMean(
  design: SurveyDesign,
  values: readonly Observation[],
  domain?: readonly boolean[],
): Estimate {
  const { influence, members: _members, ...summary } = meanInfluence(design, values, domain)
  if (summary.n === 0) return { ...summary, se: Number.NaN, variance: Number.NaN }
  const variance = varianceOfTotal(design, influence)
  return { ...summary, variance, se: Math.sqrt(variance) }
}

/** A proportion is the mean of a 0/1 indicator; other values are refused. */
export function estimateProportion(
  design: SurveyDesign,
  indicator: readonly Observation[],
  domain?: readonly boolean[],
): Estimate {
  indicator.forEach((value, i) => {
    if (isValid(value) && value !== 0 && value !== 1) {
      throw new EstimationError(`a proportion needs 0/1 values; observation ${i + 1} is ${value}`)
    }
  })
  return estimateMean(design, indicator, domain)
}

/** Weighted total Σwy (the population total), SE from zᵢ = wᵢyᵢ over the full design. */
export function estimateTotal(
  design: SurveyDesign,
  values: readonly Observation[],
  domain?: readonly boolean[],
): Estimate {
  const members = memberMask(design, values, domain)
  const summary = summarise(design, members)
  const influence = members.map((member, i) => (member ? design.weights[i]! * (values[i] as number) : 0))
  const estimate = influence.reduce((sum, z) => sum + z, 0)
  const variance = summary.n === 0 ? Number.NaN : varianceOfTotal(design, influence)
  return { ...summary, estimate, variance, se: Math.sqrt(variance) }
}

/**
 * Estimates per level of `groups` (like R's `svyby`): each domain over the full design.
 * Observations whose group is missing belong to no domain. Levels come out in first-seen order.
 */
export function estimateBy(
  design: SurveyDesign,
  values: readonly Observation[],
  groups: readonly (Label | null | undefined)[],
  kind: EstimateKind = 'mean',
): DomainEstimate[] {
  if (groups.length !== design.size)
    throw new EstimationError(`expected ${design.size} group labels, got ${groups.length}`)
  const levels = [...new Set(groups.filter((g): g is Label => g !== null && g !== undefined))]
  const estimator = kind === 'mean' ? estimateMean : estimateTotal
  return levels.map((group) => ({
    group,
    ...estimator(
      design,
      values,
      groups.map((g) => g === group),
    ),
  }))
}
