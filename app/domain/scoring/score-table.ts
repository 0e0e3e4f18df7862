/**
 * Turns aggregate sums into the scores analysts read: for each agency shown, the overall index, each
 * element's index and each criterion's index, with n, n_eff, the interval and the publication status,
 * then ranks among siblings. Pure: the service reads sums, this decides every number.
 */
import {
  addSums,
  type CellEstimate,
  EMPTY_SUMS,
  estimatePooled,
  estimatePostStratified,
  type MomentSums,
} from '../statistics/cell-sums.ts'
import { confidenceInterval, type ProportionIntervalMethod } from '../statistics/intervals.ts'
import {
  DEFAULT_PUBLICATION_RULES,
  publicationStatus,
  type PublicationRules,
  rankUnits,
} from '../statistics/publication.ts'

export type Weighting = 'unweighted' | 'design' | 'poststratified'
export type IndexMethod = 'respondent-composite' | 'mean-of-item-indices'

export interface ScoreCell {
  /** Share in [0, 1]; null when nobody answered. */
  estimate: number | null
  se: number | null
  ci: { lower: number; upper: number } | null
  n: number
  nEff: number
  status: 'published' | 'insufficient'
}

export interface ScoringAgency {
  id: number
  code: string
  nameVi: string
  nameEn: string
  level: string
  parentId: number | null
  path: string
}

export interface ScoringElement {
  code: string
  weight: number
  criteria: Array<{ code: string; satisfiedThreshold: number }>
}

/** Per data agency: composite sums (key "overall" or an element code) and per-criterion answer rows. */
export interface AgencySums {
  composites: Map<string, { weighted: MomentSums; unweighted: MomentSums }>
  answers: Map<string, Array<{ answer: number; n: number; sw: number; sw2: number }>>
}

export interface ScoreOptions {
  weighting: Weighting
  method: IndexMethod
  interval: ProportionIntervalMethod
  level: number
  rules: PublicationRules
  /** Population count per data agency, for post-stratification. */
  population?: Map<number, number>
  /**
   * Which intervals to compute: all, all but the criteria's (a table that shows only the overall and
   * element indices), or none (the previous period, needed only for the change column).
   */
  intervals?: 'all' | 'no-criteria' | 'none'
}

export const DEFAULT_SCORE_OPTIONS: ScoreOptions = {
  weighting: 'design',
  method: 'respondent-composite',
  interval: 'beta',
  level: 0.95,
  rules: DEFAULT_PUBLICATION_RULES,
}

export interface AgencyScore {
  agency: ScoringAgency
  overall: ScoreCell
  elements: Record<string, ScoreCell>
  criteria: Record<string, ScoreCell>
  /** Rank among the siblings shown (ties share a rank); null when not ranked. */
  rank: number | null
  rankOf: number
}

function cellFrom(
  estimate: CellEstimate,
  options: ScoreOptions,
  withInterval = options.intervals !== 'none',
): ScoreCell {
  if (estimate.n === 0 || !Number.isFinite(estimate.estimate))
    return { estimate: null, se: null, ci: null, n: estimate.n, nEff: 0, status: 'insufficient' }
  const variance = Number.isFinite(estimate.variance) ? estimate.variance : 0
  // The beta quantiles of an interval cost more than everything else in a cell: skip what is not shown.
  const ci = withInterval
    ? confidenceInterval(
        { estimate: estimate.estimate, variance, n: estimate.n, df: estimate.df },
        options.interval,
        options.level,
      )
    : null
  return {
    estimate: estimate.estimate,
    se: Math.sqrt(variance),
    ci: ci && { lower: ci.lower, upper: ci.upper },
    n: estimate.n,
    nEff: estimate.nEff,
    status: publicationStatus({ n: estimate.n, nEff: estimate.nEff }, options.rules),
  }
}

/**
 * `respondentWeights` holds every data agency of the subtree (with 0 when it has no respondent), so a
 * population count for an agency without sample is reported rather than silently dropped.
 */
function estimateCells(
  cells: Map<number, MomentSums>,
  respondentWeights: Map<number, number>,
  options: ScoreOptions,
): CellEstimate {
  if (options.weighting !== 'poststratified') return estimatePooled([...cells.values()])
  const keyed = new Map([...cells].map(([id, s]) => [String(id), s]))
  const population = new Map(
    [...(options.population ?? new Map<number, number>())]
      .filter(([id]) => respondentWeights.has(id))
      .map(([id, n]) => [String(id), n]),
  )
  const weights = new Map([...respondentWeights].map(([id, w]) => [String(id), w]))
  return estimatePostStratified(keyed, population, weights)
}

/** Sums of the satisfied indicator of one criterion, from its per-answer rows. */
export function indicatorSums(
  rows: Array<{ answer: number; n: number; sw: number; sw2: number }>,
  threshold: number,
  weighted: boolean,
): MomentSums {
  let s = EMPTY_SUMS
  for (const r of rows) {
    const x = r.answer >= threshold ? 1 : 0
    const sw = weighted ? r.sw : r.n
    const sw2 = weighted ? r.sw2 : r.n
    s = addSums(s, { n: r.n, sw, sw2, swx: sw * x, swx2: sw * x, sw2x: sw2 * x, sw2x2: sw2 * x })
  }
  return s
}

/** Scores of one displayed agency from the data agencies in its subtree. */
export function scoreAgency(dataAgencies: Map<number, AgencySums>, elements: ScoringElement[], options: ScoreOptions) {
  const weighted = options.weighting !== 'unweighted'
  const respondentWeights = new Map<number, number>()
  for (const [id, sums] of dataAgencies) respondentWeights.set(id, sums.composites.get('overall')?.weighted.sw ?? 0)
  const compositeCell = (key: string) => {
    const cells = new Map<number, MomentSums>()
    for (const [id, sums] of dataAgencies) {
      const c = sums.composites.get(key)
      if (c) cells.set(id, weighted ? c.weighted : c.unweighted)
    }
    return estimateCells(cells, respondentWeights, options)
  }
  const criteria: Record<string, ScoreCell> = {}
  const criterionEstimates: Record<string, CellEstimate> = {}
  for (const element of elements) {
    for (const criterion of element.criteria) {
      const cells = new Map<number, MomentSums>()
      for (const [id, sums] of dataAgencies) {
        const rows = sums.answers.get(criterion.code)
        if (rows) cells.set(id, indicatorSums(rows, criterion.satisfiedThreshold, weighted))
      }
      criterionEstimates[criterion.code] = estimateCells(cells, respondentWeights, options)
      criteria[criterion.code] = cellFrom(
        criterionEstimates[criterion.code],
        options,
        options.intervals === undefined || options.intervals === 'all',
      )
    }
  }
  const elementCells: Record<string, ScoreCell> = {}
  let overall: CellEstimate = compositeCell('overall')
  if (options.method === 'respondent-composite') {
    for (const element of elements) elementCells[element.code] = cellFrom(compositeCell(element.code), options)
  } else {
    // Index of indices: the estimate is the (weighted) mean of item indices; its standard error is the
    // respondent composite's, which is exact when nobody skips a criterion (see the decision log).
    let weightedSum = 0
    let weightTotal = 0
    for (const element of elements) {
      const values = element.criteria
        .map((c) => criterionEstimates[c.code]?.estimate)
        .filter((v): v is number => Number.isFinite(v))
      const composite = compositeCell(element.code)
      const mean = values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN
      elementCells[element.code] = cellFrom({ ...composite, estimate: mean }, options)
      if (Number.isFinite(mean)) {
        weightedSum += element.weight * mean
        weightTotal += element.weight
      }
    }
    overall = { ...overall, estimate: weightTotal ? weightedSum / weightTotal : Number.NaN }
  }
  return { overall: cellFrom(overall, options), elements: elementCells, criteria }
}

/**
 * Scores for every displayed agency, each over its whole subtree of data agencies, ranked among the
 * displayed siblings. `dataAgencyPaths` maps each data agency (after any re-basing) to its tree path.
 */
export function scoreTable(
  displayed: ScoringAgency[],
  data: Map<number, AgencySums>,
  dataAgencyPaths: Map<number, string>,
  elements: ScoringElement[],
  options: ScoreOptions,
): AgencyScore[] {
  const scored = displayed.map((agency) => {
    const subtree = new Map([...data].filter(([id]) => (dataAgencyPaths.get(id) ?? '').startsWith(agency.path)))
    return { agency, ...scoreAgency(subtree, elements, options) }
  })
  const byParent = new Map<string, typeof scored>()
  for (const s of scored) {
    const key = String(s.agency.parentId)
    byParent.set(key, [...(byParent.get(key) ?? []), s])
  }
  const ranks = new Map<number, { rank: number | null; of: number }>()
  for (const siblings of byParent.values()) {
    for (const r of rankUnits(
      siblings.map((s) => ({ id: String(s.agency.id), value: s.overall.estimate, status: s.overall.status })),
      options.rules.decimals,
    )) {
      ranks.set(Number(r.id), { rank: r.rank, of: r.of })
    }
  }
  return scored.map((s) => ({
    ...s,
    rank: ranks.get(s.agency.id)?.rank ?? null,
    rankOf: ranks.get(s.agency.id)?.of ?? 0,
  }))
}
