/**
 * Every number and date shown to a person goes through here: Vietnamese "90,29%", "1.863", 31/12/2026;
 * English "90.29%", "1,863", 31/12/2026 as well (dates stay day-first, as Vietnamese readers expect).
 */
export type Locale = 'vi' | 'en'

const intl = (lng: Locale) => (lng === 'vi' ? 'vi-VN' : 'en-GB')

// Building a NumberFormat costs far more than formatting with one (a twelfth of a scores page's server
// time when built per number), and there are only two languages and a few precisions.
const formatters = new Map<string, Intl.NumberFormat>()

function formatter(lng: Locale, decimals: number): Intl.NumberFormat {
  const key = `${lng}:${decimals}`
  let format = formatters.get(key)
  if (!format) {
    format = new Intl.NumberFormat(intl(lng), { minimumFractionDigits: decimals, maximumFractionDigits: decimals })
    formatters.set(key, format)
  }
  return format
}

export function formatNumber(value: number, lng: Locale, decimals = 0): string {
  if (decimals === 0 && Number.isSafeInteger(value) && !Object.is(value, -0)) return groupDigits(value, lng)
  return formatter(lng, decimals).format(value)
}

const THOUSANDS = { vi: '.', en: ',' } as const

/**
 * A whole number with the language's thousands separator, as Intl writes it, without Intl: a browser's
 * first NumberFormat loads the locale's number data, 100–200 ms of main thread on this machine, and the
 * survey page writes only counts ("3/22 answered"), so it never pays for it (issue 20). A unit test
 * compares this with Intl.NumberFormat.
 */
function groupDigits(value: number, lng: Locale): string {
  const grouped = String(Math.abs(value)).replace(/\B(?=(\d{3})+$)/g, THOUSANDS[lng])
  return value < 0 ? `-${grouped}` : grouped
}

/** A share in [0, 1] as a percentage with two decimals: 0.9029 → "90,29%". */
export function formatPercent(share: number | null, lng: Locale, decimals = 2): string {
  if (share === null || !Number.isFinite(share)) return '—'
  return `${formatNumber(share * 100, lng, decimals)}%`
}

/** A change in percentage points with its sign: +4,03 / −1,20. */
export function formatPoints(points: number | null, lng: Locale, decimals = 2): string {
  if (points === null || !Number.isFinite(points)) return '—'
  const sign = points > 0 ? '+' : points < 0 ? '−' : '±'
  return `${sign}${formatNumber(Math.abs(points), lng, decimals)}`
}

export function formatInterval(ci: { lower: number; upper: number } | null, lng: Locale): string {
  if (!ci) return '—'
  return `${formatPercent(ci.lower, lng)} – ${formatPercent(ci.upper, lng)}`
}

/** dd/MM/yyyy from an ISO date or instant (the date in Vietnam time). */
export function formatDate(iso: string): string {
  const date = iso.length <= 10 ? new Date(`${iso}T00:00:00Z`) : new Date(new Date(iso).getTime() + 7 * 3600_000)
  const d = String(date.getUTCDate()).padStart(2, '0')
  const m = String(date.getUTCMonth() + 1).padStart(2, '0')
  return `${d}/${m}/${date.getUTCFullYear()}`
}

/** dd/MM/yyyy HH:mm in Vietnam time, for "generated at". */
export function formatDateTime(iso: string): string {
  const shifted = new Date(new Date(iso).getTime() + 7 * 3600_000)
  return `${formatDate(iso)} ${String(shifted.getUTCHours()).padStart(2, '0')}:${String(shifted.getUTCMinutes()).padStart(2, '0')}`
}
