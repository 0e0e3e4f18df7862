/**
 * Reporting periods. Aggregates are kept per calendar month in Vietnam time (UTC+7, no daylight saving);
 * quarters, years and custom ranges are unions of months.
 */
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000

/** "2026-09" for an instant, in Vietnam time. */
export function periodMonthOf(instant: Date): string {
  return new Date(instant.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 7)
}

export type Period =
  | { kind: 'year'; year: number }
  | { kind: 'quarter'; year: number; quarter: 1 | 2 | 3 | 4 }
  | { kind: 'month'; year: number; month: number }
  | { kind: 'range'; fromMonth: string; toMonth: string }

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/

/** Parses "2026", "2026-Q3" or "2026-09"; null when the text is none of these. */
export function parsePeriod(text: string): Period | null {
  const t = text.trim()
  let m = /^(\d{4})$/.exec(t)
  if (m) return { kind: 'year', year: Number(m[1]) }
  m = /^(\d{4})-Q([1-4])$/i.exec(t)
  if (m) return { kind: 'quarter', year: Number(m[1]), quarter: Number(m[2]) as 1 | 2 | 3 | 4 }
  m = MONTH.exec(t)
  if (m) return { kind: 'month', year: Number(m[1]), month: Number(m[2]) }
  return null
}

export function isPeriodMonth(text: string): boolean {
  return MONTH.test(text)
}

/** First and last month ("YYYY-MM") covered by a period, inclusive. */
export function monthRange(period: Period): { from: string; to: string } {
  const mm = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}`
  switch (period.kind) {
    case 'year':
      return { from: mm(period.year, 1), to: mm(period.year, 12) }
    case 'quarter':
      return { from: mm(period.year, period.quarter * 3 - 2), to: mm(period.year, period.quarter * 3) }
    case 'month':
      return { from: mm(period.year, period.month), to: mm(period.year, period.month) }
    case 'range':
      return { from: period.fromMonth, to: period.toMonth }
  }
}

/** The period of the same length just before this one (for "change versus the previous period"). */
export function previousPeriod(period: Period): Period {
  switch (period.kind) {
    case 'year':
      return { kind: 'year', year: period.year - 1 }
    case 'quarter':
      return period.quarter === 1
        ? { kind: 'quarter', year: period.year - 1, quarter: 4 }
        : { kind: 'quarter', year: period.year, quarter: (period.quarter - 1) as 1 | 2 | 3 }
    case 'month':
      return period.month === 1
        ? { kind: 'month', year: period.year - 1, month: 12 }
        : { kind: 'month', year: period.year, month: period.month - 1 }
    case 'range': {
      const months = monthsBetween(period.fromMonth, period.toMonth)
      const to = addMonths(period.fromMonth, -1)
      return { kind: 'range', fromMonth: addMonths(to, -(months - 1)), toMonth: to }
    }
  }
}

export function formatPeriod(period: Period): string {
  switch (period.kind) {
    case 'year':
      return String(period.year)
    case 'quarter':
      return `${period.year}-Q${period.quarter}`
    case 'month':
      return `${period.year}-${String(period.month).padStart(2, '0')}`
    case 'range':
      return `${period.fromMonth}..${period.toMonth}`
  }
}

export function addMonths(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number)
  const index = y * 12 + (m - 1) + delta
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`
}

function monthsBetween(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number)
  const [ty, tm] = to.split('-').map(Number)
  return (ty - fy) * 12 + (tm - fm) + 1
}
