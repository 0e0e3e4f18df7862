// SIPAS-style indices per criterion, per element and overall, by either of the two methods
// in use; every result records which method produced it.
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
 */
export type IndexMethod = 'respondent-composite' | 'mean-of-item-indices'

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
  // coefficients ω_e/K_e, for elements that have an index.
  const parts: (readonly Observation[])[] = []
  const coefficients: number[] = []
  elements.forEach((element, k) => {
    if (!(elementIndices[k]!.n > 0)) return
    const answered = element.criteria.filter((id) => scoresOf(scores, id).some(valid))
    for (const id of answered) {
      parts.push(scoresOf(scores, id))
      coefficients.push(element.weight / answered.length)
    }
  })
  return {
    method,
    criteria,
    elements: elementIndices,
    overall: { id: 'overall', method, ...combineMeans(design, parts, coefficients) },
  }
}
