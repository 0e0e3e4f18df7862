// SIPAS-style indices per criterion, per element and overall, by any of the four methods;
// every result records which method produced it.
import type { SurveyDesign } from './design.ts'
import { estimateMean, meanInfluence, type Estimate, type Observation } from './estimators.ts'
import { varianceOfTotal } from './design.ts'

/**
 * - "respondent-composite": each respondent's element score is the mean of their valid
 *   criterion scores, their overall score the element-weighted mean of their element scores;
 *   the index is the weighted mean of those per-respondent values (keeps the correlation of
 *   criteria answered by the same person in the variance).
 * - "mean-of-item-indices": element index = mean of its criterion indices, overall = weighted
 *   mean of element indices (the published SIPAS arithmetic). Its SE adds the criteria's
 *   influence values before taking one variance, so it is still design-correct.
 * - "element-weighted": as "mean-of-item-indices", with each element weighted by its number of
 *   criteria instead of its weight (so the overall is the mean of all criterion indices).
 * - "pooled-criteria": the share of all criterion answers that are satisfied, pooled over the
 *   element's criteria or over all of them: a ratio Σwᵢsᵢ / Σwᵢaᵢ of each respondent's satisfied
 *   (sᵢ) and answered (aᵢ) counts, with influence zᵢ = wᵢ(sᵢ − R·aᵢ)/Σwa.
 */
export type IndexMethod = 'respondent-composite' | 'mean-of-item-indices' | 'element-weighted' | 'pooled-criteria'

export interface ElementDefinition {
  id: string
  /** Weight of the element in the overall index (renormalised over the elements present). */
  weight: number
  criteria: readonly string[]
}

export interface IndexEstimate extends Estimate {
  id: string
  method: IndexMethod
}

export interface IndexResult {
  method: IndexMethod
  criteria: IndexEstimate[]
  elements: IndexEstimate[]
  overall: IndexEstimate
}

/**
 * Scores per criterion and respondent: already mapped through f(answer) (1/0 for "satisfied",
 * or the answer itself for a mean score); null where the criterion was not answered.
 */
export type CriterionScores = Readonly<Record<string, readonly Observation[]>>

function valid(value: Observation): value is number {
  return typeof value === 'number' && !Number.isNaN(value)
}

function scoresOf(scores: CriterionScores, criterion: string): readonly Observation[] {
  const values = scores[criterion]
  if (!values) throw new Error(`no scores for criterion "${criterion}"`)
  return values
}

/** Per respondent: weighted mean of the available parts, null if none is available. */
function compositeOf(
  parts: ReadonlyArray<readonly Observation[]>,
  weights: readonly number[],
  size: number,
): (number | null)[] {
  return Array.from({ length: size }, (_, i) => {
    let sum = 0
    let weightSum = 0
    parts.forEach((part, k) => {
      const value = part[i]
      if (valid(value)) {
        sum += weights[k]! * value
        weightSum += weights[k]!
      }
    })
    return weightSum > 0 ? sum / weightSum : null
  })
}

/** Weighted combination Σ c_k θ_k of several means, with the variance of the combined influence. */
function combineMeans(
  design: SurveyDesign,
  parts: ReadonlyArray<readonly Observation[]>,
  coefficients: readonly number[],
): Estimate {
  const pieces = parts.map((part) => meanInfluence(design, part))
  const present = pieces.map((piece) => piece.n > 0)
  const total = coefficients.reduce((sum, c, k) => (present[k] ? sum + c : sum), 0)
  const influence = new Array<number>(design.size).fill(0)
  let estimate = 0
  pieces.forEach((piece, k) => {
    if (!present[k]) return
    const c = coefficients[k]! / total
    estimate += c * piece.estimate
    piece.influence.forEach((z, i) => {
      influence[i]! += c * z
    })
  })
  // n, nEff and df describe the respondents who answered at least one part.
  const anyAnswer = Array.from({ length: design.size }, (_, i) => (parts.some((part) => valid(part[i])) ? 1 : null))
  const { n, nEff, df, sumWeights } = estimateMean(design, anyAnswer)
  if (!(total > 0)) return { estimate: Number.NaN, se: Number.NaN, variance: Number.NaN, n, nEff, df, sumWeights }
  const variance = varianceOfTotal(design, influence)
  return { estimate, variance, se: Math.sqrt(variance), n, nEff, df, sumWeights }
}

/**
 * Ratio of totals R = Σwᵢsᵢ / Σwᵢaᵢ over the parts (criteria): sᵢ the sum of respondent i's valid
 * scores, aᵢ how many parts they answered. n, nEff and df describe the respondents with aᵢ > 0.
 */
function pooledRatio(design: SurveyDesign, parts: ReadonlyArray<readonly Observation[]>): Estimate {
  const answered = new Array<number>(design.size).fill(0)
  const satisfied = new Array<number>(design.size).fill(0)
  for (const part of parts)
    part.forEach((value, i) => {
      if (!valid(value)) return
      answered[i]! += 1
      satisfied[i]! += value
    })
  const anyAnswer = answered.map((a) => (a > 0 ? 1 : null))
  const { n, nEff, df, sumWeights } = estimateMean(design, anyAnswer)
  let numerator = 0
  let denominator = 0
  answered.forEach((a, i) => {
    if (!(a > 0) || !(design.weights[i]! > 0)) return
    numerator += design.weights[i]! * satisfied[i]!
    denominator += design.weights[i]! * a
  })
  if (!(denominator > 0)) return { estimate: Number.NaN, se: Number.NaN, variance: Number.NaN, n, nEff, df, sumWeights }
  const ratio = numerator / denominator
  const influence = answered.map((a, i) =>
    a > 0 && design.weights[i]! > 0 ? (design.weights[i]! * (satisfied[i]! - ratio * a)) / denominator : 0,
  )
  const variance = varianceOfTotal(design, influence)
  return { estimate: ratio, variance, se: Math.sqrt(variance), n, nEff, df, sumWeights }
}

export function computeIndices(
  design: SurveyDesign,
  scores: CriterionScores,
  elements: readonly ElementDefinition[],
  method: IndexMethod,
): IndexResult {
  const criteria = elements.flatMap((element) =>
    element.criteria.map((id) => ({ id, method, ...estimateMean(design, scoresOf(scores, id)) })),
  )
  const elementWeights = elements.map((element) => element.weight)
  if (method === 'respondent-composite') {
    const elementScores = elements.map((element) =>
      compositeOf(
        element.criteria.map((id) => scoresOf(scores, id)),
        element.criteria.map(() => 1),
        design.size,
      ),
    )
    const overallScores = compositeOf(elementScores, elementWeights, design.size)
    return {
      method,
      criteria,
      elements: elements.map((element, k) => ({ id: element.id, method, ...estimateMean(design, elementScores[k]!) })),
      overall: { id: 'overall', method, ...estimateMean(design, overallScores) },
    }
  }
  if (method === 'pooled-criteria') {
    const partsOf = (element: ElementDefinition) => element.criteria.map((id) => scoresOf(scores, id))
    return {
      method,
      criteria,
      elements: elements.map((element) => ({ id: element.id, method, ...pooledRatio(design, partsOf(element)) })),
      overall: { id: 'overall', method, ...pooledRatio(design, elements.flatMap(partsOf)) },
    }
  }
  const elementIndices = elements.map((element) => {
    const parts = element.criteria.map((id) => scoresOf(scores, id))
    return {
      id: element.id,
      method,
      ...combineMeans(
        design,
        parts,
        parts.map(() => 1),
      ),
    }
  })
  // Overall = Σ ω_e·(mean of the element's criteria): a combination of criterion means with
  // coefficients ω_e/K_e, for elements that have an index; ω_e is the element's number of
  // criteria for "element-weighted".
  const parts: (readonly Observation[])[] = []
  const coefficients: number[] = []
  elements.forEach((element, k) => {
    if (!(elementIndices[k]!.n > 0)) return
    const answered = element.criteria.filter((id) => scoresOf(scores, id).some(valid))
    for (const id of answered) {
      parts.push(scoresOf(scores, id))
      const weight = method === 'element-weighted' ? element.criteria.length : element.weight
      coefficients.push(weight / answered.length)
    }
  })
  return {
    method,
    criteria,
    elements: elementIndices,
    overall: { id: 'overall', method, ...combineMeans(design, parts, coefficients) },
  }
}
