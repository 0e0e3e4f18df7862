/**
 * Turns aggregate sums into the scores analysts read: for each agency shown, the overall index, each
 * element's index and each criterion's index, with n, n_eff, the interval and the publication status,
 * then ranks among siblings. Pure: the service reads sums, this decides every number.
 */
import {
  addSums,
  type CellEstimate,
  type DomainCell,
  EMPTY_SUMS,
  estimateDomain,
  type FullDesign,
  type MomentSums,
  PopulationError,
} from '../statistics/cell-sums.ts'
import { type RankRange, rankRanges } from '../statistics/change.ts'
import {
  confidenceInterval,
  type IntervalMethod,
  intervalMethodFor,
  type ProportionIntervalMethod,
} from '../statistics/intervals.ts'
import {
  type CellStatus,
  complementToWithhold,
  DEFAULT_PUBLICATION_RULES,
  type DisclosurePart,
  publicationStatus,
  type PublicationRules,
  rankUnits,
} from '../statistics/publication.ts'

export type Weighting = 'unweighted' | 'design' | 'poststratified'
/**
 * How the element and overall indices are built (docs/statistics.md):
 * - `respondent-composite`: weighted means of each respondent's own share of criteria satisfied;
 * - `mean-of-item-indices`: an element is the mean of its criteria's indices, the overall the mean of
 *   the elements weighted by the questionnaire's element weights;
 * - `pooled-criteria`: the share of all criterion answers that are satisfied, pooled over the element's
 *   criteria (element) or over every criterion (overall);
 * - `element-weighted`: elements as in `mean-of-item-indices`, the overall weighted by each element's
 *   number of criteria (which is the mean of all criterion indices).
 */
export type IndexMethod = 'respondent-composite' | 'mean-of-item-indices' | 'pooled-criteria' | 'element-weighted'
export const INDEX_METHODS: readonly IndexMethod[] = [
  'respondent-composite',
  'mean-of-item-indices',
  'pooled-criteria',
  'element-weighted',
]

export type { CellStatus }

export interface ScoreCell {
  /** Share in [0, 1]; null when nobody answered, or when withheld as a complement. */
  estimate: number | null
  se: number | null
  ci: { lower: number; upper: number } | null
  /** The interval method actually used (logit falls back to Korn–Graubard at 0 or 1); null without an interval. */
  intervalMethod: IntervalMethod | null
  n: number
  nEff: number
  /**
   * `insufficient`: under the publication thresholds (n, n_eff); `suppressed-complement`: enough data,
   * but withheld so that a value under the thresholds cannot be derived by subtraction (estimate, SE and
   * interval are then null). Only `published` values may be shown.
   */
  status: CellStatus
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

/** Composite sums (key "overall" or an element code) and per-criterion answer rows. */
export interface StratumSums {
  composites: Map<string, { weighted: MomentSums; unweighted: MomentSums }>
  answers: Map<string, Array<{ answer: number; n: number; sw: number; sw2: number }>>
}

/**
 * Per data agency (a post-stratum): its sums over all strata, and `strata`, the same sums per stratum
 * (the variance is stratified); without `strata` the agency is all in one stratum.
 */
export interface AgencySums extends StratumSums {
  strata?: Map<string, StratumSums>
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
   * Post-stratified on today's boundaries: pool a merged-away unit's count and responses into its
   * successor's cell (true) instead of keeping it as a post-stratum of its own (false, the default).
   */
  collapse?: boolean
  /** The full design every cell is a domain of (respondents per stratum); absent: each cell on its own. */
  design?: FullDesign
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
  collapse: false,
}

export interface AgencyScore {
  agency: ScoringAgency
  overall: ScoreCell
  elements: Record<string, ScoreCell>
  criteria: Record<string, ScoreCell>
  /** Rank among the siblings shown (ties share a rank); null when not ranked. */
  rank: number | null
  rankOf: number
  /** The ranks consistent with the siblings' intervals (`rankRanges`); null when not ranked or no interval. */
  rankRange: RankRange | null
}

function cellFrom(
  estimate: CellEstimate,
  options: ScoreOptions,
  withInterval = options.intervals !== 'none',
): ScoreCell {
  if (estimate.n === 0 || !Number.isFinite(estimate.estimate))
    return { estimate: null, se: null, ci: null, intervalMethod: null, n: estimate.n, nEff: 0, status: 'insufficient' }
  const variance = Number.isFinite(estimate.variance) ? estimate.variance : 0
  // The beta quantiles of an interval cost more than everything else in a cell: skip what is not shown.
  // Every score is a share or a mean of shares, in [0, 1]: the same rule as `hailong analyze`.
  const ci = withInterval
    ? confidenceInterval(
        { estimate: estimate.estimate, variance, n: estimate.n, df: estimate.df },
        intervalMethodFor(options.interval, true),
        options.level,
      )
    : null
  return {
    estimate: estimate.estimate,
    se: Math.sqrt(variance),
    ci: ci && { lower: ci.lower, upper: ci.upper },
    intervalMethod: ci?.method ?? null,
    n: estimate.n,
    nEff: estimate.nEff,
    status: publicationStatus({ n: estimate.n, nEff: estimate.nEff }, options.rules),
  }
}

const partsOf = (sums: AgencySums): Array<[string, StratumSums]> => (sums.strata ? [...sums.strata] : [['', sums]])

/**
 * The domain cells of one variable: per data agency (post-stratum) and stratum, the variable's sums
 * (`value`) and all respondents' count, Σw and Σw² (from the overall composite).
 */
function domainCells(
  dataAgencies: Map<number, AgencySums>,
  options: ScoreOptions,
  value: (part: StratumSums) => MomentSums | undefined,
): DomainCell[] {
  const weighted = options.weighting !== 'unweighted'
  const projected = options.weighting === 'poststratified'
  const cells: DomainCell[] = []
  for (const [id, sums] of dataAgencies)
    for (const [stratum, part] of partsOf(sums)) {
      const sums = value(part)
      if (!sums && !projected) continue
      const overall = part.composites.get('overall')
      const all = overall ? (weighted ? overall.weighted : overall.unweighted) : EMPTY_SUMS
      cells.push({ postStratum: String(id), stratum, sums: sums ?? EMPTY_SUMS, all })
    }
  return cells
}

/**
 * `respondentWeights` holds every data agency of the subtree (with 0 when it has no respondent), so a
 * population count for an agency without sample is reported rather than silently dropped.
 */
function estimateCells(
  cells: DomainCell[],
  respondentWeights: Map<string, number>,
  population: Map<string, number> | undefined,
  options: ScoreOptions,
): CellEstimate {
  return estimateDomain(cells, options.design, population ? { population, respondentWeights } : undefined)
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

/** Criterion sums already worked out for one table: per answer-rows array, per criterion threshold. */
type IndicatorMemo = WeakMap<object, Map<number, MomentSums>>

/**
 * Scores of one displayed agency from the data agencies in its subtree. `memo` shares the criteria's
 * indicator sums between the agencies of one table (each data agency's rows are in every ancestor's subtree).
 */
export function scoreAgency(
  dataAgencies: Map<number, AgencySums>,
  elements: ScoringElement[],
  options: ScoreOptions,
  memo: IndicatorMemo = new WeakMap(),
) {
  const weighted = options.weighting !== 'unweighted'
  const respondentWeights = new Map<string, number>()
  for (const [id, sums] of dataAgencies) {
    let w = 0
    for (const [, part] of partsOf(sums)) w += part.composites.get('overall')?.weighted.sw ?? 0
    respondentWeights.set(String(id), w)
  }
  const population =
    options.weighting === 'poststratified'
      ? new Map(
          [...(options.population ?? new Map<number, number>())]
            .filter(([id]) => respondentWeights.has(String(id)))
            .map(([id, n]) => [String(id), n]),
        )
      : undefined
  const estimate = (value: (part: StratumSums) => MomentSums | undefined) =>
    estimateCells(domainCells(dataAgencies, options, value), respondentWeights, population, options)
  const compositeCell = (key: string) =>
    estimate((part) => {
      const c = part.composites.get(key)
      return c && (weighted ? c.weighted : c.unweighted)
    })
  const criterionSums = (part: StratumSums, criterion: ScoringElement['criteria'][number]) => {
    const rows = part.answers.get(criterion.code)
    if (!rows) return undefined
    let byThreshold = memo.get(rows)
    if (!byThreshold) {
      byThreshold = new Map()
      memo.set(rows, byThreshold)
    }
    let sums = byThreshold.get(criterion.satisfiedThreshold)
    if (!sums) {
      sums = indicatorSums(rows, criterion.satisfiedThreshold, weighted)
      byThreshold.set(criterion.satisfiedThreshold, sums)
    }
    return sums
  }
  const criteria: Record<string, ScoreCell> = {}
  const criterionEstimates: Record<string, CellEstimate> = {}
  for (const element of elements) {
    for (const criterion of element.criteria) {
      criterionEstimates[criterion.code] = estimate((part) => criterionSums(part, criterion))
      criteria[criterion.code] = cellFrom(
        criterionEstimates[criterion.code],
        options,
        options.intervals === undefined || options.intervals === 'all',
      )
    }
  }
  // The satisfied indicator's sums over all of the given criteria (pooled-criteria).
  const pooledSums = (list: ScoringElement['criteria']) => (part: StratumSums) => {
    let total: MomentSums | undefined
    for (const criterion of list) {
      const sums = criterionSums(part, criterion)
      if (sums) total = addSums(total ?? EMPTY_SUMS, sums)
    }
    return total
  }
  const elementCells: Record<string, ScoreCell> = {}
  let overall: CellEstimate = compositeCell('overall')
  const meanOfCriteria = (element: ScoringElement) => {
    const values = element.criteria
      .map((c) => criterionEstimates[c.code]?.estimate)
      .filter((v): v is number => Number.isFinite(v))
    return values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN
  }
  if (options.method === 'respondent-composite') {
    for (const element of elements) elementCells[element.code] = cellFrom(compositeCell(element.code), options)
  } else if (options.method === 'pooled-criteria') {
    // Ratio of the satisfied answers' weight to the answered ones', over the element's criteria or all of
    // them (post-stratified: each agency's sums scaled by N_g / W_g first). The SE, n and n_eff are the
    // respondent composite's: the aggregates hold no per-respondent cross-products of criteria.
    for (const element of elements) {
      const pooled = estimate(pooledSums(element.criteria)).estimate
      elementCells[element.code] = cellFrom({ ...compositeCell(element.code), estimate: pooled }, options)
    }
    overall = { ...overall, estimate: estimate(pooledSums(elements.flatMap((e) => e.criteria))).estimate }
  } else {
    // Index of indices: the estimate is the (weighted) mean of item indices; its standard error is the
    // respondent composite's, which is exact when nobody skips a criterion (see the decision log).
    // `element-weighted` weighs an element by its number of criteria instead of its questionnaire weight.
    let weightedSum = 0
    let weightTotal = 0
    for (const element of elements) {
      const mean = meanOfCriteria(element)
      elementCells[element.code] = cellFrom({ ...compositeCell(element.code), estimate: mean }, options)
      const weight = options.method === 'element-weighted' ? element.criteria.length : element.weight
      if (Number.isFinite(mean)) {
        weightedSum += weight * mean
        weightTotal += weight
      }
    }
    overall = { ...overall, estimate: weightTotal ? weightedSum / weightTotal : Number.NaN }
  }
  return { overall: cellFrom(overall, options), elements: elementCells, criteria }
}

type Scores = Pick<AgencyScore, 'overall' | 'elements' | 'criteria'>

/** The columns of a score table: the overall index, each element's and each criterion's. */
function columnsOf(elements: ScoringElement[]): Array<(s: Scores) => ScoreCell | undefined> {
  return [
    (s) => s.overall,
    ...elements.map((e) => (s: Scores) => s.elements[e.code]),
    ...elements.flatMap((e) => e.criteria.map((c) => (s: Scores) => s.criteria[c.code])),
  ]
}

/**
 * Complementary suppression over the rows of a score table. Each displayed parent's score pools its
 * displayed children and its own responses (its subtree's data agencies under no displayed child: the
 * office itself, and units merged into it), which are never a row of their own. For every column, when
 * the parent's value is published and exactly one of {own responses, children} is not — the own
 * responses count when they would be `insufficient` if shown — that value is the parent minus the
 * rest; so the child with the fewest respondents in that column among the published ones is withheld
 * too. The same holds downwards: a withheld parent whose parts are all published would be their pooled
 * value. A withheld child loses its whole row (every published cell becomes `suppressed-complement`),
 * since its overall and element indices can be worked out from one another under the index-of-indices
 * methods. Repeated until nothing changes, since a withheld row may expose another value.
 */
export function suppressComplements<Row extends Scores & { agency: ScoringAgency }>(
  rows: Row[],
  /** Scores of each parent's own responses (by parent id); a parent without any may be left out. */
  own: ReadonlyMap<number, Scores>,
  elements: ScoringElement[],
): Row[] {
  const columns = columnsOf(elements)
  const displayedIds = new Set(rows.map((r) => r.agency.id))
  const children = new Map<number, Row[]>()
  for (const row of rows) {
    const parent = row.agency.parentId
    if (parent === null || !displayedIds.has(parent)) continue
    if (children.has(parent)) children.get(parent)!.push(row)
    else children.set(parent, [row])
  }
  const withheld = new Set<number>()
  const unknown = (row: Row, k: number) => withheld.has(row.agency.id) || columns[k]!(row)?.status !== 'published'
  for (let changed = true; changed; ) {
    changed = false
    for (const parent of rows) {
      const kids = children.get(parent.agency.id)
      if (!kids) continue
      columns.forEach((column, k) => {
        if (!column(parent)?.n) return
        const ownCell = own.get(parent.agency.id) && column(own.get(parent.agency.id)!)
        const parts: DisclosurePart[] = kids.map((kid) => ({
          key: String(kid.agency.id),
          n: column(kid)?.n ?? 0,
          unknown: unknown(kid, k),
          sensitive: unknown(kid, k),
          canWithhold: true,
        }))
        if (ownCell?.n)
          parts.push({
            key: 'own',
            n: ownCell.n,
            unknown: true,
            sensitive: ownCell.status !== 'published',
            canWithhold: false,
          })
        const key = complementToWithhold({ unknown: unknown(parent, k) }, parts)
        if (key !== null) {
          withheld.add(Number(key))
          changed = true
        }
      })
    }
  }
  // Cells already under the thresholds keep their status (and, like every such cell, their estimate).
  const hide = (cell: ScoreCell): ScoreCell =>
    cell.status !== 'published'
      ? cell
      : { ...cell, estimate: null, se: null, ci: null, intervalMethod: null, status: 'suppressed-complement' }
  const hideAll = (cells: Record<string, ScoreCell>) =>
    Object.fromEntries(Object.entries(cells).map(([code, cell]) => [code, hide(cell)]))
  return rows.map((row) =>
    withheld.has(row.agency.id)
      ? { ...row, overall: hide(row.overall), elements: hideAll(row.elements), criteria: hideAll(row.criteria) }
      : row,
  )
}

/** The scores of an agency that cannot be computed: nothing published, nothing to derive. */
function unavailableScores(elements: ScoringElement[]): Scores {
  const none = (): ScoreCell => ({
    estimate: null,
    se: null,
    ci: null,
    intervalMethod: null,
    n: 0,
    nEff: 0,
    status: 'insufficient',
  })
  return {
    overall: none(),
    elements: Object.fromEntries(elements.map((e) => [e.code, none()])),
    criteria: Object.fromEntries(elements.flatMap((e) => e.criteria.map((c) => [c.code, none()]))),
  }
}

/**
 * Scores for every agency of `tree`, each over its whole subtree of data agencies, with complementary
 * suppression, ranked among the siblings shown. `dataAgencyPaths` maps each data agency (after any
 * re-basing) to its tree path. Suppression is decided over the whole tree even when only a subtree is shown
 * (`shown`): a unit withheld in its parent's table must stay withheld on its own page, or the parent's
 * published value minus the others would give it away.
 */
export function scoreTable(
  tree: ScoringAgency[],
  data: Map<number, AgencySums>,
  dataAgencyPaths: Map<number, string>,
  elements: ScoringElement[],
  options: ScoreOptions,
  shown: (agency: ScoringAgency) => boolean = () => true,
): AgencyScore[] {
  const displayed = tree
  const pathOf = (id: number) => dataAgencyPaths.get(id) ?? ''
  const childrenOf = new Map<number, ScoringAgency[]>()
  for (const a of displayed) {
    if (a.parentId === null) continue
    if (childrenOf.has(a.parentId)) childrenOf.get(a.parentId)!.push(a)
    else childrenOf.set(a.parentId, [a])
  }
  const own = new Map<number, Scores>()
  // One table, one weighting: each data agency's criterion sums are worked out once, not once per ancestor.
  const memo: IndicatorMemo = new WeakMap()
  // Intervals only for the rows shown: suppression reads statuses and n, never an interval.
  const noIntervals: ScoreOptions = { ...options, intervals: 'none' }
  // An agency scored only to decide suppression (not shown) whose population counts are incomplete has no
  // published value to protect or to give away; its error belongs to a table that shows it.
  const scoreOrUnavailable = (agency: ScoringAgency, work: () => Scores): Scores => {
    if (shown(agency)) return work()
    try {
      return work()
    } catch (error) {
      if (error instanceof PopulationError) return unavailableScores(elements)
      throw error
    }
  }
  const scored = suppressComplements(
    displayed.map((agency) => {
      const subtree = new Map([...data].filter(([id]) => pathOf(id).startsWith(agency.path)))
      // The parent's own responses: its subtree less its displayed children's subtrees.
      const children = childrenOf.get(agency.id) ?? []
      if (children.length) {
        const ownData = new Map([...subtree].filter(([id]) => !children.some((c) => pathOf(id).startsWith(c.path))))
        if (ownData.size)
          own.set(
            agency.id,
            scoreOrUnavailable(agency, () => scoreAgency(ownData, elements, noIntervals, memo)),
          )
      }
      const agencyOptions = shown(agency) ? options : noIntervals
      return { agency, ...scoreOrUnavailable(agency, () => scoreAgency(subtree, elements, agencyOptions, memo)) }
    }),
    own,
    elements,
  )
  const byParent = new Map<string, typeof scored>()
  const visible = scored.filter((s) => shown(s.agency))
  for (const s of visible) {
    const key = String(s.agency.parentId)
    byParent.set(key, [...(byParent.get(key) ?? []), s])
  }
  const ranks = new Map<number, { rank: number | null; of: number }>()
  const ranges = new Map<number, RankRange>()
  for (const siblings of byParent.values()) {
    for (const r of rankUnits(
      siblings.map((s) => ({ id: String(s.agency.id), value: s.overall.estimate, status: s.overall.status })),
      options.rules.decimals,
    )) {
      ranks.set(Number(r.id), { rank: r.rank, of: r.of })
    }
    const ranked = siblings.filter((s) => s.overall.status === 'published')
    for (const [id, range] of rankRanges(ranked.map((s) => ({ key: s.agency.id, ci: s.overall.ci }))))
      ranges.set(id, range)
  }
  return visible.map((s) => ({
    ...s,
    rank: ranks.get(s.agency.id)?.rank ?? null,
    rankOf: ranks.get(s.agency.id)?.of ?? 0,
    rankRange: (ranks.get(s.agency.id)?.rank ?? null) === null ? null : (ranges.get(s.agency.id) ?? null),
  }))
}
