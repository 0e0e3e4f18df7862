/**
 * Reporting periods. Aggregates are kept per calendar month in Vietnam time (UTC+7, no daylight saving);
 * quarters, halves, the first nine months, years and custom ranges are unions of months. A named period has
 * one canonical text ("2026", "2026-H1", "2026-9M", "2026-Q3", "2026-09"): population counts and releases
 * are stored and looked up by it, so "2026-q3" typed on one day and "Quý III/2026" on another are the same
 * row. The first nine months are "2026-9M" (as financial reports write "9M 2026"), not "2026-M9", because
 * "M9" already reads as the month of September ("2026-M09").
 */
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000

/** "2026-09" for an instant, in Vietnam time. */
export function periodMonthOf(instant: Date): string {
  return new Date(instant.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 7)
}

export type Period =
  | { kind: 'year'; year: number }
  | { kind: 'half'; year: number; half: 1 | 2 }
  /** January to September: the "9 tháng đầu năm" report every province writes in October. */
  | { kind: 'nine-months'; year: number }
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

const ROMAN: Record<string, string> = { i: '1', ii: '2', iii: '3', iv: '4' }

const MONTH_NAMES_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const

/**
 * Parses a named period from the ways people write one, with or without diacritics, in any case:
 * - year: "2026", "Năm 2026", "Year 2026";
 * - half: "2026-H1", "H1/2026", "6 tháng đầu năm 2026", "6 tháng cuối năm 2026", "First half of 2026";
 * - first nine months: "2026-9M", "9M/2026", "9 tháng đầu năm 2026", "9 tháng năm 2026",
 *   "First nine months of 2026";
 * - quarter: "2026-Q3", "2026Q3", "Q3/2026", "Q3-2026", "quý 3/2026", "Quý III/2026";
 * - month: "2026-09", "2026-9", "2026/09", "09/2026", "T9/2026", "Tháng 9/2026", "September 2026".
 * Null when the text is none of these, or a number is out of range (quarter 5, month 13, year 0026).
 * `formatPeriod` gives the one canonical text of the result; `formatPeriodVi`/`formatPeriodEn` the labels.
 */
export function parsePeriod(text: string): NamedPeriod | null {
  const t = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
  let m = /^(?:nam |year )?(\d{4})$/.exec(t)
  if (m) return named('year', m[1]!, null)
  // The report titles: "6 tháng đầu năm 2026", "6 tháng cuối năm 2026", "9 tháng (đầu) năm 2026".
  m = /^(6|9) thang (dau |cuoi )?nam (\d{4})$/.exec(t)
  if (m) {
    if (m[1] === '9') return m[2] === 'cuoi ' ? null : named('nine-months', m[3]!, null)
    return named('half', m[3]!, m[2] === 'cuoi ' ? '2' : '1')
  }
  m = /^(first|second) half (?:of )?(\d{4})$/.exec(t)
  if (m) return named('half', m[2]!, m[1] === 'first' ? '1' : '2')
  m = /^(?:first nine months (?:of )?|9m ?[-/.]? ?)(\d{4})$/.exec(t) ?? /^(\d{4}) ?[-/.]? ?9m$/.exec(t)
  if (m) return named('nine-months', m[1]!, null)
  m = /^([a-z]+) (\d{4})$/.exec(t)
  if (m && m[1]!.length >= 3) {
    const index = MONTH_NAMES_EN.findIndex((name) => name.toLowerCase().startsWith(m![1]!))
    if (index >= 0) return named('month', m[2]!, String(index + 1))
  }
  const short = t
    .replace(/quy|q\./g, 'q')
    .replace(/thang/g, 't')
    // Roman quarters ("Quý III/2026"): only right after the quarter letter, so nothing else is read as one.
    .replace(/^q ?(iv|iii|ii|i)\b/, (_, r: string) => `q${ROMAN[r]}`)
    .replace(/(\d{4}) ?[-/.]? ?q ?(iv|iii|ii|i)$/, (_, y: string, r: string) => `${y}q${ROMAN[r]}`)
  // Year first: 2026-Q3, 2026 q3, 2026Q3, 2026/H1, 2026-09, 2026/9.
  m = /^(\d{4}) ?[-/.]? ?([qhmt]) ?(\d{1,2})$/.exec(short)
  if (m) return named(LETTER_KIND[m[2] as Letter], m[1]!, m[3]!)
  m = /^(\d{4}) ?[-/.] ?(\d{1,2})$/.exec(short)
  if (m) return named('month', m[1]!, m[2]!)
  // Number first: Q3/2026, Q3-2026, Q3 2026, H1/2026, T9/2026, 09/2026, 9-2026.
  m = /^([qhmt]) ?(\d{1,2}) ?[-/. ] ?(\d{4})$/.exec(short)
  if (m) return named(LETTER_KIND[m[1] as Letter], m[3]!, m[2]!)
  m = /^(\d{1,2}) ?[-/.] ?(\d{4})$/.exec(short)
  if (m) return named('month', m[2]!, m[1]!)
  return null
}

function named(kind: NamedPeriod['kind'], yearText: string, partText: string | null): NamedPeriod | null {
  const year = Number(yearText)
  if (year < FIRST_YEAR || year > LAST_YEAR) return null
  const part = Number(partText)
  switch (kind) {
    case 'year':
    case 'nine-months':
      return { kind, year }
    case 'half':
      return part === 1 || part === 2 ? { kind, year, half: part } : null
    case 'quarter':
      return part >= 1 && part <= 4 ? { kind, year, quarter: part as 1 | 2 | 3 | 4 } : null
    case 'month':
      return part >= 1 && part <= 12 ? { kind, year, month: part } : null
  }
}

/** The one way a named period is stored and looked up ("2026", "2026-H1", "2026-9M", "2026-Q3", "2026-09"). */
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
    case 'nine-months':
      return { from: mm(period.year, 1), to: mm(period.year, 9) }
    case 'quarter':
      return { from: mm(period.year, period.quarter * 3 - 2), to: mm(period.year, period.quarter * 3) }
    case 'month':
      return { from: mm(period.year, period.month), to: mm(period.year, period.month) }
    case 'range':
      return { from: period.fromMonth, to: period.toMonth }
  }
}

/**
 * The period of the same length just before this one (for "change versus the previous period"). The first
 * nine months compare with the first nine months of the year before, as the reports do: April to December
 * is no period anyone reports on.
 */
export function previousPeriod(period: Period): Period {
  switch (period.kind) {
    case 'year':
    case 'nine-months':
      return { kind: period.kind, year: period.year - 1 }
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
    case 'nine-months':
      return `${period.year}-9M`
    case 'quarter':
      return `${period.year}-Q${period.quarter}`
    case 'month':
      return `${period.year}-${String(period.month).padStart(2, '0')}`
    case 'range':
      return `${period.fromMonth}..${period.toMonth}`
  }
}

const ROMAN_QUARTER = ['I', 'II', 'III', 'IV'] as const
const monthOf = (text: string) => {
  const [y, m] = text.split('-').map(Number)
  return { year: y!, month: m! }
}

/**
 * The period as Vietnamese reports title it: "Năm 2026", "6 tháng đầu năm 2026", "6 tháng cuối năm 2026",
 * "9 tháng đầu năm 2026", "Quý III/2026", "Tháng 9/2026"; a range "Từ tháng 1/2026 đến tháng 4/2026".
 * `parsePeriod` reads every named label back.
 */
export function formatPeriodVi(period: Period): string {
  switch (period.kind) {
    case 'year':
      return `Năm ${period.year}`
    case 'half':
      return `6 tháng ${period.half === 1 ? 'đầu' : 'cuối'} năm ${period.year}`
    case 'nine-months':
      return `9 tháng đầu năm ${period.year}`
    case 'quarter':
      return `Quý ${ROMAN_QUARTER[period.quarter - 1]}/${period.year}`
    case 'month':
      return `Tháng ${period.month}/${period.year}`
    case 'range': {
      const from = monthOf(period.fromMonth)
      const to = monthOf(period.toMonth)
      return `Từ tháng ${from.month}/${from.year} đến tháng ${to.month}/${to.year}`
    }
  }
}

/** The English label: "Year 2026", "First half of 2026", "First nine months of 2026", "Q3 2026", "September 2026". */
export function formatPeriodEn(period: Period): string {
  switch (period.kind) {
    case 'year':
      return `Year ${period.year}`
    case 'half':
      return `${period.half === 1 ? 'First' : 'Second'} half of ${period.year}`
    case 'nine-months':
      return `First nine months of ${period.year}`
    case 'quarter':
      return `Q${period.quarter} ${period.year}`
    case 'month':
      return `${MONTH_NAMES_EN[period.month - 1]} ${period.year}`
    case 'range': {
      const from = monthOf(period.fromMonth)
      const to = monthOf(period.toMonth)
      return `${MONTH_NAMES_EN[from.month - 1]} ${from.year} to ${MONTH_NAMES_EN[to.month - 1]} ${to.year}`
    }
  }
}

/**
 * The label of a stored period text (canonical, or a range "2026-01..2026-04") in a language. Text that is
 * neither is shown as it is, so an odd stored value is never hidden.
 */
export function periodLabel(text: string, lng: 'vi' | 'en' | string): string {
  const range = /^(\d{4}-\d{2})\.\.(\d{4}-\d{2})$/.exec(text)
  const period: Period | null =
    range && isPeriodMonth(range[1]!) && isPeriodMonth(range[2]!)
      ? { kind: 'range', fromMonth: range[1]!, toMonth: range[2]! }
      : parsePeriod(text)
  if (!period) return text
  return lng === 'en' ? formatPeriodEn(period) : formatPeriodVi(period)
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
