/**
 * Reporting periods. Aggregates are kept per calendar month in Vietnam time (UTC+7, no daylight saving);
 * quarters, halves, years and custom ranges are unions of months. A named period has one canonical text
 * ("2026", "2026-H1", "2026-Q3", "2026-09"): population counts are stored and looked up by it, so
 * "2026-q3" typed on one day and "Q3/2026" on another are the same row.
 */
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000

/** "2026-09" for an instant, in Vietnam time. */
export function periodMonthOf(instant: Date): string {
  return new Date(instant.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 7)
}

export type Period =
  | { kind: 'year'; year: number }
  | { kind: 'half'; year: number; half: 1 | 2 }
  | { kind: 'quarter'; year: number; quarter: 1 | 2 | 3 | 4 }
  | { kind: 'month'; year: number; month: number }
  | { kind: 'range'; fromMonth: string; toMonth: string }

/** A period with a name of its own: what population counts and reports are kept for (ranges are not). */
export type NamedPeriod = Exclude<Period, { kind: 'range' }>

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/
/** Years a report can be about; anything else is a typing mistake, not a period. */
const FIRST_YEAR = 1900
const LAST_YEAR = 2999

/** Period letters people write before the number: quý (quarter), tháng (month), H (half). */
const LETTER_KIND = { q: 'quarter', h: 'half', m: 'month', t: 'month' } as const
type Letter = keyof typeof LETTER_KIND

/**
 * Parses a named period from the ways people write one, in any case: "2026"; "2026-Q3", "2026Q3",
 * "Q3/2026", "Q3-2026", "quý 3/2026"; "2026-H1", "H1/2026"; "2026-09", "2026-9", "2026/09", "09/2026",
 * "T9/2026", "tháng 9/2026". Null when the text is none of these, or a number is out of range
 * (quarter 5, month 13, year 0026). `formatPeriod` gives the one canonical text of the result.
 */
export function parsePeriod(text: string): NamedPeriod | null {
  const t = text
    .normalize('NFC')
    .trim()
    .toLowerCase()
    .replace(/quý|quy/g, 'q')
    .replace(/tháng|thang/g, 't')
    .replace(/\s+/g, ' ')
  let m = /^(\d{4})$/.exec(t)
  if (m) return named('year', m[1]!, null)
  // Year first: 2026-Q3, 2026 q3, 2026Q3, 2026/H1, 2026-09, 2026/9.
  m = /^(\d{4}) ?[-/.]? ?([qhmt]) ?(\d{1,2})$/.exec(t)
  if (m) return named(LETTER_KIND[m[2] as Letter], m[1]!, m[3]!)
  m = /^(\d{4}) ?[-/.] ?(\d{1,2})$/.exec(t)
  if (m) return named('month', m[1]!, m[2]!)
  // Number first: Q3/2026, Q3-2026, Q3 2026, H1/2026, T9/2026, 09/2026, 9-2026.
  m = /^([qhmt]) ?(\d{1,2}) ?[-/. ] ?(\d{4})$/.exec(t)
  if (m) return named(LETTER_KIND[m[1] as Letter], m[3]!, m[2]!)
  m = /^(\d{1,2}) ?[-/.] ?(\d{4})$/.exec(t)
  if (m) return named('month', m[2]!, m[1]!)
  return null
}

function named(kind: NamedPeriod['kind'], yearText: string, partText: string | null): NamedPeriod | null {
  const year = Number(yearText)
  if (year < FIRST_YEAR || year > LAST_YEAR) return null
  const part = Number(partText)
  switch (kind) {
    case 'year':
      return { kind, year }
    case 'half':
      return part === 1 || part === 2 ? { kind, year, half: part } : null
    case 'quarter':
      return part >= 1 && part <= 4 ? { kind, year, quarter: part as 1 | 2 | 3 | 4 } : null
    case 'month':
      return part >= 1 && part <= 12 ? { kind, year, month: part } : null
  }
}

/** The one way a named period is stored and looked up ("2026", "2026-H1", "2026-Q3", "2026-09"). */
export function canonicalPeriod(text: string): string | null {
  const period = parsePeriod(text)
  return period && formatPeriod(period)
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
    case 'half':
      return { from: mm(period.year, period.half * 6 - 5), to: mm(period.year, period.half * 6) }
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
    case 'half':
      return period.half === 1
        ? { kind: 'half', year: period.year - 1, half: 2 }
        : { kind: 'half', year: period.year, half: 1 }
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

/** The same period a year earlier ("2026-Q3" → "2025-Q3"): the comparison that ignores the season. */
export function samePeriodYearEarlier(period: Period): Period {
  if (period.kind === 'range')
    return { kind: 'range', fromMonth: addMonths(period.fromMonth, -12), toMonth: addMonths(period.toMonth, -12) }
  return { ...period, year: period.year - 1 }
}

export function formatPeriod(period: Period): string {
  switch (period.kind) {
    case 'year':
      return String(period.year)
    case 'half':
      return `${period.year}-H${period.half}`
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
