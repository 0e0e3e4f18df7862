// `hailong analyze`: weighted estimates with design-based SEs and intervals from a CSV file.
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { parse } from 'csv-parse/sync'
import {
  CalibrationError,
  confidenceInterval,
  createDesign,
  DesignError,
  estimateBy,
  estimateMean,
  inUnitInterval,
  intervalMethodFor,
  postStratify,
  rake,
  type IntervalMethod,
  type Margin,
  type Observation,
  type PopulationCounts,
  type SurveyDesign,
} from '../../../app/domain/statistics/index.ts'
import { UsageError, type CliIO, type Command } from '../command.ts'

const usage = `Usage: hailong analyze --input FILE.csv --value COL [options] --json

Weighted mean or proportion of COL with a design-based standard error (Taylor linearisation)
and confidence interval, overall or per group.

Options:
  --input FILE.csv         data, one row per respondent (header row required)
  --value COL              variable to estimate (numeric; values in [0, 1] make a proportion or,
                           like the composite indices, a mean of proportions)
  --weights COL            sampling weights (default: all 1)
  --strata COL             stratum of each row
  --cluster COL            primary sampling unit (cluster) of each row
  --fpc COL                population size of the row's stratum (number of PSUs), as in R
  --by COL                 estimate per level of COL (domains over the full design), in sorted order
  --poststrata COL         post-stratify on COL ...
  --population L=N,...     ... to these population counts
  --rake COL=L:N,...       raking margin (repeat for each margin)
  --ci beta|wilson|logit|mean   interval for values in [0, 1] (default beta, Korn–Graubard); any
                           other values get the t interval (mean). Each row's "intervalMethod"
                           names the interval used: the rule of the score pages, and logit at
                           0 or 1 is Korn–Graubard
  --level 0.95             confidence level
  --json                   print one JSON array (the only output format)
  --help                   show this help

Missing values (NA or empty) are dropped for that variable, as a domain of the full design.
`

const CI_METHODS = ['beta', 'wilson', 'logit', 'mean'] as const

interface AnalyzeOptions {
  input: string
  value: string
  weights?: string
  strata?: string
  cluster?: string
  fpc?: string
  by?: string
  poststrata?: string
  population?: string
  rake: string[]
  ci?: IntervalMethod
  level: number
}

/** node's parseArgs, its errors followed by the usage text. */
function parseAnalyzeArgs(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        input: { type: 'string' },
        value: { type: 'string' },
        weights: { type: 'string' },
        strata: { type: 'string' },
        cluster: { type: 'string' },
        fpc: { type: 'string' },
        by: { type: 'string' },
        poststrata: { type: 'string' },
        population: { type: 'string' },
        rake: { type: 'string', multiple: true },
        ci: { type: 'string' },
        level: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }).values
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${usage}`)
  }
}

function parseOptions(argv: string[]): AnalyzeOptions | 'help' {
  const values = parseAnalyzeArgs(argv)
  if (values.help) return 'help'
  if (!values.input) throw new UsageError('--input FILE.csv is required')
  if (!values.value) throw new UsageError('--value COL is required')
  if (!values.json) throw new UsageError('--json is required (JSON is the only output format)')
  if (values.ci !== undefined && !(CI_METHODS as readonly string[]).includes(values.ci)) {
    throw new UsageError(`--ci must be one of ${CI_METHODS.join(', ')}, got "${values.ci}"`)
  }
  const level = values.level === undefined ? 0.95 : Number(values.level)
  if (!(level > 0 && level < 1)) throw new UsageError(`--level must be a number between 0 and 1, got "${values.level}"`)
  if ((values.poststrata === undefined) !== (values.population === undefined)) {
    throw new UsageError('--poststrata and --population go together')
  }
  return {
    input: values.input,
    value: values.value,
    weights: values.weights,
    strata: values.strata,
    cluster: values.cluster,
    fpc: values.fpc,
    by: values.by,
    poststrata: values.poststrata,
    population: values.population,
    rake: values.rake ?? [],
    ci: values.ci as IntervalMethod | undefined,
    level,
  }
}

/** "E=4421,H=755" → { E: 4421, H: 755 } (the separator between level and count is `separator`). */
function parseCounts(spec: string, separator: string, flag: string): PopulationCounts {
  const counts: Record<string, number> = {}
  for (const part of spec.split(',')) {
    const at = part.lastIndexOf(separator)
    const level = part.slice(0, at).trim()
    const count = Number(part.slice(at + 1))
    if (at <= 0 || !level || part.slice(at + 1).trim() === '' || !Number.isFinite(count) || count < 0) {
      throw new UsageError(`${flag}: "${part}" is not LEVEL${separator}COUNT with a non-negative count`)
    }
    if (level in counts) throw new UsageError(`${flag}: level "${level}" is given twice`)
    counts[level] = count
  }
  return counts
}

// Groups are listed in sorted order, as R's svyby lists factor levels; numeric labels by value.
const groupOrder = new Intl.Collator('en', { numeric: true })

const isMissing = (cell: string | undefined) => cell === undefined || cell === '' || cell === 'NA'

class Table {
  constructor(
    readonly rows: Record<string, string>[],
    readonly columns: string[],
  ) {}

  column(name: string): (string | null)[] {
    if (!this.columns.includes(name))
      throw new UsageError(`unknown column "${name}" (columns: ${this.columns.join(', ')})`)
    return this.rows.map((row) => (isMissing(row[name]) ? null : row[name]!))
  }

  numbers(name: string): Observation[] {
    return this.column(name).map((cell, i) => {
      if (cell === null) return null
      const value = Number(cell)
      if (!Number.isFinite(value)) throw new UsageError(`column "${name}", row ${i + 2}: "${cell}" is not a number`)
      return value
    })
  }

  /** A design variable may not be missing. */
  required(name: string): string[] {
    return this.column(name).map((cell, i) => {
      if (cell === null) throw new UsageError(`column "${name}", row ${i + 2}: value is missing`)
      return cell
    })
  }

  requiredNumbers(name: string): number[] {
    const values = this.numbers(name)
    return values.map((value, i) => {
      if (value === null || value === undefined)
        throw new UsageError(`column "${name}", row ${i + 2}: value is missing`)
      return value
    })
  }
}

async function readTable(path: string, cwd: string): Promise<Table> {
  let text: string
  try {
    text = await readFile(resolve(cwd, path), 'utf8')
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
  try {
    const records = parse(text, { bom: true, skip_empty_lines: true }) as string[][]
    const [header, ...body] = records
    if (!header || header.length === 0) throw new UsageError(`${path} is empty`)
    const rows = body.map((cells) => Object.fromEntries(header.map((name, k) => [name, cells[k] ?? ''])))
    return new Table(rows, header)
  } catch (error) {
    if (error instanceof UsageError) throw error
    throw new UsageError(`${path} is not a valid CSV file: ${(error as Error).message}`)
  }
}

function buildDesign(table: Table, options: AnalyzeOptions): SurveyDesign {
  let design = createDesign({
    size: table.rows.length,
    weights: options.weights ? table.requiredNumbers(options.weights) : undefined,
    strata: options.strata ? table.required(options.strata) : undefined,
    clusters: options.cluster ? table.required(options.cluster) : undefined,
    fpc: options.fpc ? table.requiredNumbers(options.fpc) : undefined,
  })
  if (options.poststrata && options.population) {
    const margin: Margin = {
      cells: table.required(options.poststrata),
      population: parseCounts(options.population, '=', '--population'),
    }
    design = postStratify(design, margin)
  }
  if (options.rake.length > 0) {
    const margins = options.rake.map((spec): Margin => {
      const at = spec.indexOf('=')
      if (at <= 0) throw new UsageError(`--rake: "${spec}" is not COL=LEVEL:COUNT,...`)
      return { cells: table.required(spec.slice(0, at)), population: parseCounts(spec.slice(at + 1), ':', '--rake') }
    })
    design = rake(design, margins)
  }
  return design
}

export async function analyze(argv: string[], io: CliIO): Promise<number> {
  const options = parseOptions(argv)
  if (options === 'help') {
    io.stdout(usage)
    return 0
  }
  const table = await readTable(options.input, io.cwd)
  if (table.rows.length === 0) throw new UsageError(`${options.input} has no data rows`)
  const values = table.numbers(options.value)
  const groups = options.by ? table.column(options.by) : undefined
  let design: SurveyDesign
  try {
    design = buildDesign(table, options)
  } catch (error) {
    if (error instanceof DesignError || error instanceof CalibrationError) throw new UsageError(error.message)
    throw error
  }
  // The score pages' rule (app/domain/statistics/intervals.ts): proportion intervals for values in
  // [0, 1], so composites get the interval they are published with; the t interval otherwise.
  const method: IntervalMethod = intervalMethodFor(options.ci, inUnitInterval(values))
  const estimate = () => {
    try {
      return groups
        ? estimateBy(design, values, groups).sort((a, b) => groupOrder.compare(a.group, b.group))
        : [{ group: null, ...estimateMean(design, values) }]
    } catch (error) {
      if (error instanceof DesignError) throw new UsageError(error.message)
      throw error
    }
  }
  const estimates = estimate()
  const finite = (x: number) => (Number.isFinite(x) ? x : null)
  const output = estimates.map((e) => {
    const ci = e.n > 0 ? confidenceInterval(e, method, options.level) : null
    return {
      group: e.group,
      estimate: finite(e.estimate),
      se: finite(e.se),
      ci: { lower: finite(ci?.lower ?? Number.NaN), upper: finite(ci?.upper ?? Number.NaN) },
      // The interval actually used: logit falls back to Korn–Graubard at 0 or 1.
      intervalMethod: ci?.method ?? null,
      n: e.n,
      nEff: finite(e.nEff),
      df: e.df,
    }
  })
  io.stdout(`${JSON.stringify(output, null, 2)}\n`)
  return 0
}

export const analyzeCommand: Command = {
  name: 'analyze',
  summary: 'Weighted estimates with design-based standard errors and confidence intervals from a CSV file',
  usage,
  run: analyze,
}
