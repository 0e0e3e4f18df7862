/**
 * The document of an official release (docs/publication.md): every published number of a score table for
 * an agency subtree and a period, the ranks by level, the method, the population counts and questionnaire
 * wording used, the data cut-off and the app version. It is serialised canonically (`canonicalJson`), so the
 * SHA-256 of its bytes is reproducible, and those bytes are what is stored and served, never rebuilt.
 *
 * Only published values appear: a cell under the publication thresholds carries its status, n and n_eff,
 * never its estimate. Percentages are the published, rounded ones, so the document reads like the report.
 */
import {
  DEFAULT_PUBLICATION_RULES,
  type PublicationRules,
  publishedPercent,
  rankUnits,
  roundHalfAwayFromZero,
} from '../statistics/publication.ts'
import type { Rate766, ResponseRates } from '../scoring/rate-766.ts'
import { documentHasRates, rateQuantities } from './release-rates.ts'

export const RELEASE_FORMAT = 'hailong-release/1'

/** The score cell as the score table gives it (a share in [0, 1], its interval and publication status). */
export interface ReleaseInputCell {
  estimate: number | null
  ci: { lower: number; upper: number } | null
  intervalMethod?: string | null
  n: number
  nEff: number
  status: string
}

export interface ReleaseInputRow {
  agency: { id: number; code: string; nameVi: string; nameEn: string; level: string; parentId: number | null }
  overall: ReleaseInputCell
  elements: Record<string, ReleaseInputCell>
  criteria: Record<string, ReleaseInputCell>
  change: number | null
  depth: number
  /** The QĐ 766 rate (docs/dossiers.md); absent from rows of tables computed before it existed. */
  rate766?: Rate766 | null
  responseRate?: ResponseRates
}

/** What the service hands over: a successful score table (ScoresResult) plus what it read around it. */
export interface ReleaseInput {
  questionnaire: { code: string; nameVi: string; nameEn: string; versionId: number }
  elements: Array<{
    code: string
    titleVi: string
    titleEn: string
    criteria: Array<{ code: string; labelVi: string; labelEn: string }>
  }>
  period: string
  previousPeriod: string
  months: { from: string; to: string }
  boundaries: string
  options: {
    weighting: string
    method: string
    interval: string
    level: number
    collapse?: boolean
    rules: PublicationRules
  }
  rows: ReleaseInputRow[]
  /** The root of the release's scope. */
  scope: { code: string; nameVi: string; nameEn: string; level: string }
  /** Population counts of the period for the agencies of the scope (used when the weighting post-stratifies). */
  population: Array<{ agencyCode: string; count: number }>
  /** ISO time: responses submitted up to it are in the numbers. */
  dataCutoff: string
  appVersion: string
}

export interface ReleaseCell {
  /** Published percentage, rounded; null when not published. */
  percent: number | null
  lower: number | null
  upper: number | null
  intervalMethod: string | null
  n: number
  nEff: number
  status: string
}

/** The groups agencies are ranked in, as provinces publish them. */
export type RankGroup = 'province' | 'department' | 'district' | 'commune'

export interface ReleaseAgency {
  code: string
  nameVi: string
  nameEn: string
  level: string
  parentCode: string | null
  depth: number
  /** Whether this is the scope's own row (never ranked with its children). */
  isScopeRoot: boolean
  overall: ReleaseCell
  elements: Record<string, ReleaseCell>
  criteria: Record<string, ReleaseCell>
  /** Change of the overall index versus the previous period, in points. */
  change: number | null
  /** Rank within its level's group; null when not ranked (the root, insufficient data, no group). */
  rank: { group: RankGroup; rank: number | null; of: number } | null
  /** The QĐ 766 rate and the dossiers behind it; absent in releases made before it existed. */
  rate766?: Rate766 | null
  /** Responses ÷ invitations issued and ÷ dossiers settled, percent; absent in older releases. */
  responseRate?: ResponseRates
}

export interface ReleaseDocument {
  format: typeof RELEASE_FORMAT
  period: string
  months: { from: string; to: string }
  previousPeriod: string
  scope: { code: string; nameVi: string; nameEn: string; level: string }
  dataCutoff: string
  appVersion: string
  method: {
    weighting: string
    indexMethod: string
    interval: string
    level: number
    boundaries: string
    /** Post-stratified: merged-away units pooled into their successor's cell (absent in older releases: false). */
    collapse?: boolean
    rules: PublicationRules
  }
  questionnaire: {
    code: string
    nameVi: string
    nameEn: string
    versionId: number
    elements: ReleaseInput['elements']
  }
  population: Array<{ agencyCode: string; count: number }>
  agencies: ReleaseAgency[]
  rankings: Array<{ group: RankGroup; units: Array<{ code: string; percent: number; rank: number; of: number }> }>
}

/** The first month without districts: the 2025 reorganisation removed the district level on 1 July 2025. */
export const NO_DISTRICTS_FROM = '2025-07'

/** The ranking groups for a period: districts only for periods that start before the reorganisation. */
export function rankGroupsFor(months: { from: string }): RankGroup[] {
  const groups: RankGroup[] = ['province', 'department']
  if (months.from < NO_DISTRICTS_FROM) groups.push('district')
  groups.push('commune')
  return groups
}

function cell(c: ReleaseInputCell, decimals: number): ReleaseCell {
  const shown = c.status === 'published' && c.estimate !== null && Number.isFinite(c.estimate)
  const pct = (v: number) => publishedPercent(v, decimals)
  return {
    percent: shown ? pct(c.estimate!) : null,
    lower: shown && c.ci ? pct(c.ci.lower) : null,
    upper: shown && c.ci ? pct(c.ci.upper) : null,
    intervalMethod: shown && c.ci ? (c.intervalMethod ?? null) : null,
    n: c.n,
    nEff: Number.isFinite(c.nEff) ? roundHalfAwayFromZero(c.nEff, 1) : 0,
    status: c.status,
  }
}

const mapCells = (cells: Record<string, ReleaseInputCell>, decimals: number) =>
  Object.fromEntries(Object.entries(cells).map(([code, c]) => [code, cell(c, decimals)]))

/**
 * Ranks by level: each group holds the agencies of one level below the scope's root, ranked among
 * themselves on the published value; ties share a rank (1, 2, 2, 4). The root's own row is left out.
 */
export function rankByLevel(
  rows: ReadonlyArray<{ code: string; level: string; isScopeRoot: boolean; overall: ReleaseInputCell }>,
  months: { from: string },
  decimals = DEFAULT_PUBLICATION_RULES.decimals,
): Map<string, { group: RankGroup; rank: number | null; of: number; percent: number | null }> {
  const result = new Map<string, { group: RankGroup; rank: number | null; of: number; percent: number | null }>()
  for (const group of rankGroupsFor(months)) {
    const members = rows.filter((r) => !r.isScopeRoot && r.level === group)
    if (!members.length) continue
    const ranked = rankUnits(
      members.map((r) => ({
        id: r.code,
        value: r.overall.estimate,
        status: r.overall.status as 'published' | 'insufficient',
      })),
      decimals,
    )
    for (const r of ranked) result.set(r.id, { group, rank: r.rank, of: r.of, percent: r.published })
  }
  return result
}

export function buildReleaseDocument(input: ReleaseInput): ReleaseDocument {
  const decimals = input.options.rules.decimals
  const codeById = new Map(input.rows.map((r) => [r.agency.id, r.agency.code]))
  const isRoot = (r: ReleaseInputRow) => r.agency.code === input.scope.code
  const ranks = rankByLevel(
    input.rows.map((r) => ({ code: r.agency.code, level: r.agency.level, isScopeRoot: isRoot(r), overall: r.overall })),
    input.months,
    decimals,
  )
  const agencies: ReleaseAgency[] = input.rows.map((r) => {
    const rank = ranks.get(r.agency.code)
    return {
      code: r.agency.code,
      nameVi: r.agency.nameVi,
      nameEn: r.agency.nameEn,
      level: r.agency.level,
      parentCode: r.agency.parentId === null ? null : (codeById.get(r.agency.parentId) ?? null),
      depth: r.depth,
      isScopeRoot: isRoot(r),
      overall: cell(r.overall, decimals),
      elements: mapCells(r.elements, decimals),
      criteria: mapCells(r.criteria, decimals),
      change: r.change,
      rank: rank ? { group: rank.group, rank: rank.rank, of: rank.of } : null,
      ...(r.rate766 !== undefined ? { rate766: r.rate766 } : {}),
      ...(r.responseRate !== undefined ? { responseRate: r.responseRate } : {}),
    }
  })
  const rankings = rankGroupsFor(input.months)
    .map((group) => ({
      group,
      units: [...ranks.entries()]
        .filter(([, r]) => r.group === group && r.rank !== null)
        .map(([code, r]) => ({ code, percent: r.percent!, rank: r.rank!, of: r.of }))
        .sort((a, b) => a.rank - b.rank || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
    }))
    .filter((g) => g.units.length > 0)
  return {
    format: RELEASE_FORMAT,
    period: input.period,
    months: input.months,
    previousPeriod: input.previousPeriod,
    scope: input.scope,
    dataCutoff: input.dataCutoff,
    appVersion: input.appVersion,
    method: {
      weighting: input.options.weighting,
      indexMethod: input.options.method,
      interval: input.options.interval,
      level: input.options.level,
      boundaries: input.boundaries,
      collapse: input.options.collapse ?? false,
      rules: input.options.rules,
    },
    questionnaire: { ...input.questionnaire, elements: input.elements },
    population: [...input.population].sort((a, b) => (a.agencyCode < b.agencyCode ? -1 : 1)),
    agencies,
    rankings,
  }
}

/**
 * JSON with object keys in code-point order at every depth and no whitespace: the same value always
 * gives the same bytes. Undefined members are left out; a non-finite number is refused (it has no JSON).
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) throw new Error('canonicalJson: a number that is not finite')
      return JSON.stringify(value)
    case 'string':
    case 'boolean':
      return JSON.stringify(value)
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`
      const keys = Object.keys(value as object)
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .sort()
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`
    }
    default:
      throw new Error(`canonicalJson: cannot serialise a ${typeof value}`)
  }
}

/** The exact text stored and served for a document. */
export function serialiseRelease(document: ReleaseDocument): string {
  return canonicalJson(document)
}

export interface ReleaseChange {
  agency: string
  /**
   * "overall", "overall.rank", "overall.n", "element.A1", "criterion.A1.1", "rate766", "rate766.settled",
   * "responseRate.perInvitation", "responseRate.perDossier", …
   */
  quantity: string
  before: number | string | null
  after: number | string | null
}

/**
 * What moved between two releases: per agency, every published percentage (overall, elements, criteria),
 * the overall n and rank, the publication status, and the QĐ 766 and response rates (when both documents
 * publish them), in document order. An agency in only one of them appears with null on the other side.
 */
export function diffReleases(before: ReleaseDocument, after: ReleaseDocument): ReleaseChange[] {
  const changes: ReleaseChange[] = []
  const beforeByCode = new Map(before.agencies.map((a) => [a.code, a]))
  const afterByCode = new Map(after.agencies.map((a) => [a.code, a]))
  const codes = [
    ...after.agencies.map((a) => a.code),
    ...before.agencies.map((a) => a.code).filter((c) => !afterByCode.has(c)),
  ]
  const push = (agency: string, quantity: string, b: number | string | null, a: number | string | null) => {
    if (b !== a) changes.push({ agency, quantity, before: b, after: a })
  }
  // The QĐ 766 and response rates move too, but only between two documents that both publish them: a
  // correction of a release made before they existed would otherwise list every agency as "— → 96.88".
  const bothRates = documentHasRates(before) && documentHasRates(after)
  for (const code of codes) {
    const b = beforeByCode.get(code)
    const a = afterByCode.get(code)
    push(code, 'overall', b?.overall.percent ?? null, a?.overall.percent ?? null)
    push(code, 'overall.status', b?.overall.status ?? null, a?.overall.status ?? null)
    push(code, 'overall.n', b?.overall.n ?? null, a?.overall.n ?? null)
    push(code, 'overall.rank', b?.rank?.rank ?? null, a?.rank?.rank ?? null)
    for (const [kind, key] of [
      ['element', 'elements'],
      ['criterion', 'criteria'],
    ] as const) {
      const names = [...new Set([...Object.keys(a?.[key] ?? {}), ...Object.keys(b?.[key] ?? {})])].sort()
      for (const name of names)
        push(code, `${kind}.${name}`, b?.[key][name]?.percent ?? null, a?.[key][name]?.percent ?? null)
    }
    if (bothRates) {
      const next = rateQuantities(a)
      for (const [i, [quantity, value]] of rateQuantities(b).entries()) push(code, quantity, value, next[i]![1])
    }
  }
  return changes
}
