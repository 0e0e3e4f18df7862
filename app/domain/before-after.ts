/**
 * Which quarters a before/after comparison across a reorganisation uses (docs/mergers.md): the last
 * `count` whole quarters before the effective date and the first `count` whole quarters from it that have
 * begun. A quarter that straddles the date belongs to neither side, so each side holds only its own units'
 * responses.
 */
import type { Period } from './period.ts'

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
