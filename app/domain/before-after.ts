/**
 * Which quarters a before/after comparison across a reorganisation uses (docs/mergers.md): the last
 * `count` whole quarters before the effective date and the first `count` whole quarters from it that have
 * begun. A quarter that straddles the date belongs to neither side, so each side holds only its own units'
 * responses.
 */
import { disclosedCell } from './export/disclosure.ts'
import type { Period } from './period.ts'
import type { ScoreCell } from './scoring/score-table.ts'
import type { SuccessionKind } from './successions.ts'

type Quarter = Extract<Period, { kind: 'quarter' }>

function quarterOf(month: string): Quarter {
  return {
    kind: 'quarter',
    year: Number(month.slice(0, 4)),
    quarter: Math.ceil(Number(month.slice(5, 7)) / 3) as 1 | 2 | 3 | 4,
  }
}
function shift(q: Quarter, by: number): Quarter {
  const index = q.year * 4 + (q.quarter - 1) + by
  return { kind: 'quarter', year: Math.floor(index / 4), quarter: ((index % 4) + 1) as 1 | 2 | 3 | 4 }
}
const firstMonth = (q: Quarter) => `${q.year}-${String(q.quarter * 3 - 2).padStart(2, '0')}`

/** `date` is YYYY-MM-DD (the effective date), `today` the current month YYYY-MM. */
export function quartersAround(date: string, today: string, count = 2): { before: Quarter[]; after: Quarter[] } {
  const containing = quarterOf(date.slice(0, 7))
  const startsQuarter = date.slice(5) === `${firstMonth(containing).slice(5)}-01`
  const lastBefore = shift(containing, -1)
  const firstAfter = startsQuarter ? containing : shift(containing, 1)
  const before = Array.from({ length: count }, (_, i) => shift(lastBefore, i - count + 1))
  const after = Array.from({ length: count }, (_, i) => shift(firstAfter, i)).filter((q) => firstMonth(q) <= today)
  return { before, after }
}

export interface BeforeAfterUnit {
  code: string
  nameVi: string
  nameEn: string
  /** How it relates to the unit: a predecessor (by kind), or the unit itself as it was. */
  kind: SuccessionKind | 'self'
  /** One cell per before-quarter; null when the unit has no row in that quarter. */
  cells: Array<ScoreCell | null>
}

export interface BeforeAfterChange {
  period: string
  overall: ScoreCell | null
  /** After minus the last re-based before-quarter, in points; null when either is not published. */
  change: number | null
  changeCi: { lower: number; upper: number } | null
  significant: boolean | null
}

export interface BeforeAfter {
  date: string
  before: string[]
  units: BeforeAfterUnit[]
  /** The before-quarters on today's boundaries: the predecessors' responses counted for this unit. */
  rebased: Array<ScoreCell | null>
  /** The quarter the changes compare with (the last before-quarter). */
  comparedWith: string | null
  after: BeforeAfterChange[]
}

/** The disclosure rule (export/disclosure.ts) over every cell: only published cells carry a value. */
export function disclosedBeforeAfter(b: BeforeAfter): BeforeAfter {
  const cell = (c: ScoreCell | null) => c && disclosedCell(c)
  return {
    ...b,
    units: b.units.map((u) => ({ ...u, cells: u.cells.map(cell) })),
    rebased: b.rebased.map(cell),
    after: b.after.map((a) => ({ ...a, overall: cell(a.overall) })),
  }
}
