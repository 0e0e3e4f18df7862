// Weight adjustment to known population counts: post-stratification, raking (iterative
// proportional fitting) and trimming. Calibrated designs remember a projection so their
// variance uses residuals, as R's survey package does.
import { withWeights, type Label, type SurveyDesign } from './design.ts'

export class CalibrationError extends Error {}

/** Population count per cell label, e.g. { E: 4421, H: 755, M: 1018 }. */
export type PopulationCounts = Readonly<Record<Label, number>>

export interface Margin {
  /** Cell label of each observation on this margin. */
  cells: readonly (Label | null | undefined)[]
  population: PopulationCounts
}

export interface RakeOptions {
  /** Stop when no weight changes by more than this, relatively, over a full cycle. */
  tolerance?: number
  maxIterations?: number
}

interface IndexedMargin {
  cellOf: number[]
  targets: number[]
}

/**
 * Checks a margin against its population: every observation must have a cell, every sample
 * cell must exist in the population, and every population cell must hold sample weight.
 * A population cell without sample is an error, never silently dropped (it would bias).
 */
function indexMargin(margin: Margin, weights: readonly number[], name: string): IndexedMargin {
  if (margin.cells.length !== weights.length) {
    throw new CalibrationError(`${name}: expected ${weights.length} cell labels, got ${margin.cells.length}`)
  }
  const levels = Object.keys(margin.population)
  const position = new Map(levels.map((level, i) => [level, i]))
  for (const level of levels) {
    const count = margin.population[level]!
    if (!Number.isFinite(count) || count < 0)
      throw new CalibrationError(`${name}: population count of "${level}" is not a non-negative number`)
  }
  const sampleWeight = new Array<number>(levels.length).fill(0)
  const cellOf = margin.cells.map((cell, i) => {
    if (cell === null || cell === undefined) throw new CalibrationError(`${name}: observation ${i + 1} has no cell`)
    const index = position.get(cell)
    if (index === undefined)
      throw new CalibrationError(`${name}: sample cell "${cell}" is missing from the population counts`)
    sampleWeight[index]! += weights[i]!
    return index
  })
  levels.forEach((level, i) => {
    if (sampleWeight[i]! <= 0 && margin.population[level]! > 0) {
      throw new CalibrationError(
        `${name}: population cell "${level}" has no sample (collapse it with a neighbouring cell)`,
      )
    }
  })
  return { cellOf, targets: levels.map((level) => margin.population[level]!) }
}

/** wᵢ ← wᵢ · N_g / Σ_{j∈g} wⱼ for one margin; returns the largest relative change of a weight. */
function scaleToMargin(weights: number[], margin: IndexedMargin): number {
  const totals = new Array<number>(margin.targets.length).fill(0)
  margin.cellOf.forEach((cell, i) => {
    totals[cell]! += weights[i]!
  })
  const factors = totals.map((total, cell) => (total > 0 ? margin.targets[cell]! / total : 1))
  let largest = 0
  margin.cellOf.forEach((cell, i) => {
    if (weights[i]! > 0) largest = Math.max(largest, Math.abs(factors[cell]! - 1))
    weights[i]! *= factors[cell]!
  })
  return largest
}

/** Post-stratified weights for plain weight vectors. */
export function postStratifyWeights(weights: readonly number[], margin: Margin): number[] {
  const indexed = indexMargin(margin, weights, 'post-stratification')
  const adjusted = [...weights]
  scaleToMargin(adjusted, indexed)
  return adjusted
}

/**
 * Raking over several margins: post-stratify to each margin in turn until a full cycle moves
 * no weight by more than `tolerance` relatively (default 1e-10, as R's own tests use).
 * Not converging within `maxIterations` cycles is an error: the margins are inconsistent
 * or the sample cannot reach them.
 */
export function rakeWeights(
  weights: readonly number[],
  margins: readonly Margin[],
  options: RakeOptions = {},
): number[] {
  const tolerance = options.tolerance ?? 1e-10
  const maxIterations = options.maxIterations ?? 1000
  if (margins.length === 0) throw new CalibrationError('raking needs at least one margin')
  const indexed = margins.map((margin, k) => indexMargin(margin, weights, `raking margin ${k + 1}`))
  const adjusted = [...weights]
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    let largest = 0
    for (const margin of indexed) largest = Math.max(largest, scaleToMargin(adjusted, margin))
    if (largest <= tolerance) return adjusted
  }
  throw new CalibrationError(`raking did not converge within ${maxIterations} iterations (tolerance ${tolerance})`)
}

/** Iterative proportional fitting of a two-way table to row and column totals. */
export function fitTable(
  seed: readonly (readonly number[])[],
  rowTargets: readonly number[],
  columnTargets: readonly number[],
  options: RakeOptions = {},
): number[][] {
  const rows: Label[] = []
  const columns: Label[] = []
  const cells: number[] = []
  for (const [r, row] of seed.entries()) {
    for (const [c, value] of row.entries()) {
      rows.push(String(r))
      columns.push(String(c))
      cells.push(value)
    }
  }
  const toCounts = (targets: readonly number[]) => Object.fromEntries(targets.map((t, i) => [String(i), t]))
  const fitted = rakeWeights(
    cells,
    [
      { cells: rows, population: toCounts(rowTargets) },
      { cells: columns, population: toCounts(columnTargets) },
    ],
    options,
  )
  const width = seed[0]?.length ?? 0
  return seed.map((_, r) => fitted.slice(r * width, (r + 1) * width))
}

function marginCellIndex(margin: Margin): number[] {
  const levels = new Map(Object.keys(margin.population).map((level, i) => [level, i]))
  return margin.cells.map((cell) => levels.get(cell as Label)!)
}

/** Post-stratify a design; its variance then uses residuals from the cell weighted means. */
export function postStratify(design: SurveyDesign, margin: Margin): SurveyDesign {
  const weights = postStratifyWeights(design.weights, margin)
  return withWeights(design, weights, {
    kind: 'post-stratification',
    cells: marginCellIndex(margin),
    weights,
    priorWeights: design.weights,
  })
}

/** Rake a design; its variance then uses residuals from backfitting the margins, as R does. */
export function rake(design: SurveyDesign, margins: readonly Margin[], options: RakeOptions = {}): SurveyDesign {
  const weights = rakeWeights(design.weights, margins, options)
  return withWeights(design, weights, { kind: 'raking', margins: margins.map(marginCellIndex), weights })
}

export interface TrimOptions {
  lower?: number
  upper?: number
  maxIterations?: number
}

/**
 * Clamp weights to [lower, upper] and hand the trimmed amount to the untrimmed weights in
 * proportion to their size, repeating until none is outside (the total is preserved).
 */
export function trimWeights(weights: readonly number[], options: TrimOptions): number[] {
  const lower = options.lower ?? 0
  const upper = options.upper ?? Infinity
  const maxIterations = options.maxIterations ?? 100
  if (!(lower <= upper)) throw new CalibrationError(`trimming bounds are reversed: [${lower}, ${upper}]`)
  const total = weights.reduce((sum, w) => sum + w, 0)
  if (lower * weights.length > total || upper * weights.length < total) {
    throw new CalibrationError(`no weights within [${lower}, ${upper}] can keep the total ${total}`)
  }
  const trimmed = [...weights]
  const fixed = new Array<boolean>(weights.length).fill(false)
  const slack = 1e-12 * Math.max(1, Math.abs(upper === Infinity ? total : upper))
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let excess = 0
    trimmed.forEach((w, i) => {
      if (w > upper) {
        excess += w - upper
        trimmed[i] = upper
        fixed[i] = true
      } else if (w < lower) {
        excess -= lower - w
        trimmed[i] = lower
        fixed[i] = true
      }
    })
    if (Math.abs(excess) <= slack) return trimmed
    const free = trimmed.reduce((sum, w, i) => (fixed[i] ? sum : sum + w), 0)
    if (!(free > 0)) throw new CalibrationError('every weight hit a trimming bound; widen the bounds')
    trimmed.forEach((w, i) => {
      if (!fixed[i]) trimmed[i] = w + (excess * w) / free
    })
  }
  throw new CalibrationError(`weight trimming did not settle within ${maxIterations} iterations`)
}
