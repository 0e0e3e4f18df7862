// Rules that decide what may be published: minimum sample sizes, small-cell suppression,
// rankings on the published (rounded) value, and change versus the previous period.

export interface PublicationRules {
  /** Minimum respondents for a published score. */
  minN: number
  /** Minimum Kish effective sample size for a published score. */
  minNEff: number
  /** Breakdowns with fewer respondents than this are suppressed for privacy. */
  minCell: number
  /** Decimals of the published percentage. */
  decimals: number
}

export const DEFAULT_PUBLICATION_RULES: PublicationRules = { minN: 30, minNEff: 30, minCell: 5, decimals: 2 }

export type PublicationStatus = 'published' | 'insufficient'
/**
 * A published table's cell: `insufficient` under the thresholds, `suppressed-complement` withheld so that
 * a value under them cannot be derived by subtraction. Only `published` values may be shown.
 */
export type CellStatus = PublicationStatus | 'suppressed-complement'

export function publicationStatus(
  sample: { n: number; nEff: number },
  rules: Partial<PublicationRules> = {},
): PublicationStatus {
  const { minN, minNEff } = { ...DEFAULT_PUBLICATION_RULES, ...rules }
  return sample.n >= minN && sample.nEff >= minNEff ? 'published' : 'insufficient'
}

/**
 * Rounds half away from zero at `decimals`, nudged by a relative epsilon so that values such
 * as 0.90285 (stored as 0.902849999…) publish as 90.29, the way a person rounds them.
 */
export function roundHalfAwayFromZero(value: number, decimals: number): number {
  const factor = 10 ** decimals
  const scaled = Math.abs(value) * factor
  return (Math.sign(value) * Math.round(scaled * (1 + Number.EPSILON * 4))) / factor
}

/** A share in [0, 1] as the published percentage (e.g. 0.902915 → 90.29). */
export function publishedPercent(share: number, decimals = DEFAULT_PUBLICATION_RULES.decimals): number {
  return roundHalfAwayFromZero(share * 100, decimals)
}

export interface Breakdown {
  key: string
  n: number
}

/** A part of a published (or withheld) total, for complementary suppression. */
export interface DisclosurePart {
  key: string
  /** Respondents in the part; an empty part (0) reveals nothing and is never counted. */
  n: number
  /** The reader does not see this part's value (withheld, or never shown at all). */
  unknown: boolean
  /** Its value must not be derivable (for example fewer respondents than the rules publish). */
  sensitive: boolean
  /** Whether it may be withheld as a complement (a part that is never shown cannot be). */
  canWithhold: boolean
}

/**
 * Complementary suppression for one total and the parts it is made of (total = the parts pooled).
 * When the total is shown and exactly one non-empty part is unknown, that part is the total minus the
 * others; when the total is withheld and every non-empty part is known, the total is their pooled
 * value. Either way, if the one unknown value is sensitive, the smallest part that is shown and may be
 * withheld (ties: the first given) must be withheld too. Returns its key, or null when nothing need be.
 */
export function complementToWithhold(total: { unknown: boolean }, parts: readonly DisclosurePart[]): string | null {
  const present = parts.filter((part) => part.n > 0)
  const unknown = present.filter((part) => part.unknown)
  const lone = total.unknown ? (unknown.length === 0 ? 'total' : null) : unknown.length === 1 ? unknown[0]! : null
  if (lone === null) return null
  const sensitive = lone === 'total' ? true : lone.sensitive
  if (!sensitive) return null
  let smallest: DisclosurePart | undefined
  for (const part of present)
    if (!part.unknown && part.canWithhold && (smallest === undefined || part.n < smallest.n)) smallest = part
  return smallest?.key ?? null
}

/**
 * Which breakdown cells to suppress: every cell under `minCell` respondents, plus — when only
 * one cell would be hidden while the total is shown — the next smallest cell, so the hidden
 * one cannot be recovered by subtracting the others from the total. Empty cells (n = 0)
 * reveal nothing and are not counted as hidden.
 */
export function suppressedBreakdowns(
  cells: readonly Breakdown[],
  rules: Partial<Pick<PublicationRules, 'minCell'>> = {},
): Set<string> {
  const { minCell } = { ...DEFAULT_PUBLICATION_RULES, ...rules }
  const hidden = new Set(cells.filter((cell) => cell.n > 0 && cell.n < minCell).map((cell) => cell.key))
  const sorted = [...cells].sort((a, b) => a.n - b.n)
  const partner = complementToWithhold(
    { unknown: false },
    sorted.map((cell) => {
      const small = hidden.has(cell.key)
      return { key: cell.key, n: cell.n, unknown: small, sensitive: small, canWithhold: true }
    }),
  )
  if (partner !== null) hidden.add(partner)
  return hidden
}

export interface RankableUnit {
  id: string
  /** Share in [0, 1] (or null when there is no score). */
  value: number | null
  status: CellStatus
}

export interface RankedUnit {
  id: string
  /** Published percentage, rounded. */
  published: number | null
  /** Competition rank (1, 2, 2, 4), null when left out of the ranking. */
  rank: number | null
  /** Number of ranked units: the "63" of "2nd of 63". */
  of: number
}

/**
 * Rank on the rounded published value, highest first; equal published values share a rank
 * and the next rank skips (1, 2, 2, 4). Units with insufficient data are left out.
 */
export function rankUnits(units: readonly RankableUnit[], decimals = DEFAULT_PUBLICATION_RULES.decimals): RankedUnit[] {
  const published = units.map((unit) =>
    unit.status === 'published' && unit.value !== null && Number.isFinite(unit.value)
      ? publishedPercent(unit.value, decimals)
      : null,
  )
  const ranked = published.filter((value): value is number => value !== null)
  return units.map((unit, i) => {
    const value = published[i]!
    return {
      id: unit.id,
      published: value,
      rank: value === null ? null : 1 + ranked.filter((other) => other > value).length,
      of: ranked.length,
    }
  })
}

/**
 * Change versus the previous period in percentage points, from the published (rounded)
 * values so the printed numbers add up: 90.29% vs 86.26% → +4.03.
 */
export function changeInPoints(
  current: number | null,
  previous: number | null,
  decimals = DEFAULT_PUBLICATION_RULES.decimals,
): number | null {
  if (current === null || previous === null || !Number.isFinite(current) || !Number.isFinite(previous)) return null
  return roundHalfAwayFromZero(publishedPercent(current, decimals) - publishedPercent(previous, decimals), decimals)
}
