/**
 * Bursts and shifts (issue 14): whether a survey link's recent window departs from the link's own history,
 * in volume (a Poisson upper-tail test) or in the answers it gets (a chi-square test of homogeneity on the
 * five-level scale). Pure functions; the counts come from the database (repos/link-activity.ts), the
 * thresholds from configuration (BURST_* and SHIFT_P_VALUE, docs/anti-rigging.md).
 */
import { chiSquareUpperTail, poissonUpperTail } from '../statistics/distributions.ts'

export interface BurstSettings {
  /** Length of the recent window, in minutes. */
  windowMinutes: number
  /** Length of the history the window is compared with (the days just before the window). */
  historyDays: number
  /** No flag below this many responses in the window (both tests). */
  minResponses: number
  /** A volume burst needs P(at least the observed count | the historical rate) below this. */
  burstPValue: number
  /** An answer shift needs the chi-square test's p-value below this. */
  shiftPValue: number
}

export const DEFAULT_BURST_SETTINGS: BurstSettings = {
  windowMinutes: 60,
  historyDays: 28,
  minResponses: 15,
  burstPValue: 1e-6,
  shiftPValue: 1e-6,
}

/**
 * The lowest rate a link is assumed to have: one response an hour. A new link (no history) or a
 * near-silent one is compared with this floor, so its first fifteen responses in an hour are flagged for a
 * look but a handful are not.
 */
export const FLOOR_RESPONSES_PER_HOUR = 1

/** The values of the five-level scale, in the order of every count array here. */
export const SCALE_VALUES = [1, 2, 3, 4, 5] as const

export interface TimeWindows {
  /** The recent window [windowFrom, windowTo). */
  windowFrom: Date
  windowTo: Date
  /** The history just before it, [historyFrom, windowFrom). */
  historyFrom: Date
}

/** The recent window ending at `now`, and the history before it. */
export function timeWindows(now: Date, settings: Pick<BurstSettings, 'windowMinutes' | 'historyDays'>): TimeWindows {
  const windowFrom = new Date(now.getTime() - settings.windowMinutes * 60_000)
  return {
    windowFrom,
    windowTo: now,
    historyFrom: new Date(windowFrom.getTime() - settings.historyDays * 86_400_000),
  }
}

/**
 * The window's clock times as they appear in an ISO instant ("HH:MM:SS.mmm", UTC), to count the history at
 * the same time of day; `wraps` when the window crosses midnight UTC. Null for a window of a day or more.
 */
export function timeOfDayRange(windowFrom: Date, windowTo: Date): { from: string; to: string; wraps: boolean } | null {
  if (windowTo.getTime() - windowFrom.getTime() >= 86_400_000) return null
  const from = windowFrom.toISOString().slice(11, 23)
  const to = windowTo.toISOString().slice(11, 23)
  return { from, to, wraps: to <= from }
}

/** A link's history for the volume test. */
export interface VolumeHistory {
  /** Counted responses in the whole history. */
  responses: number
  /** Those submitted at the window's time of day (timeOfDayRange), on each of the history's days. */
  atThisTimeOfDay: number
}

export type ExpectedBasis = 'average' | 'timeOfDay' | 'floor'

export interface VolumeTest {
  flagged: boolean
  /** Responses in the window. */
  observed: number
  /** Responses the window would usually hold: the largest of the three rates below. */
  expected: number
  /** P(X ≥ observed) for X ~ Poisson(expected). */
  pValue: number
  /**
   * Which rate `expected` is: the history's average over all hours, its average at this time of day (a
   * counter is busy in office hours and silent at night), or the floor of FLOOR_RESPONSES_PER_HOUR.
   */
  basis: ExpectedBasis
}

/**
 * Volume burst: the window's count against a Poisson whose mean is what the window usually holds: the
 * larger of the link's average rate over the history and its average at the same time of day, scaled to the
 * window, never below FLOOR_RESPONSES_PER_HOUR. Flagged when the count reaches `minResponses` and the
 * upper-tail probability is below `burstPValue`.
 */
export function volumeBurst(windowCount: number, history: VolumeHistory, settings: BurstSettings): VolumeTest {
  const rates: Array<[ExpectedBasis, number]> = [
    ['floor', (FLOOR_RESPONSES_PER_HOUR * settings.windowMinutes) / 60],
    ['average', (history.responses * settings.windowMinutes) / (settings.historyDays * 24 * 60)],
    ['timeOfDay', history.atThisTimeOfDay / settings.historyDays],
  ]
  const [basis, expected] = rates.reduce((best, rate) => (rate[1] > best[1] ? rate : best))
  const pValue = poissonUpperTail(windowCount, expected)
  return {
    flagged: windowCount >= settings.minResponses && pValue < settings.burstPValue,
    observed: windowCount,
    expected,
    pValue,
    basis,
  }
}

/** Scale answers of one period: how many answers had each value 1..5, and over how many responses. */
export interface AnswerCounts {
  /** Five counts, for the values 1..5 in order. */
  counts: number[]
  /** Responses with at least one scale answer. */
  responses: number
}

export interface ShiftTest {
  flagged: boolean
  /** The chi-square statistic after the correction for answers of one response being alike. */
  statistic: number
  df: number
  pValue: number
  /** The value whose share rose most from the history to the window, with both shares (0..1). */
  rose: { value: number; historyShare: number; windowShare: number } | null
}

const NOT_TESTED = (rose: ShiftTest['rose'] = null): ShiftTest => ({
  flagged: false,
  statistic: 0,
  df: 0,
  pValue: 1,
  rose,
})

/** Pearson's chi-square of homogeneity for two rows of counts; columns empty in both rows are left out. */
export function chiSquareHomogeneity(a: number[], b: number[]): { statistic: number; df: number } {
  if (a.length !== b.length) throw new RangeError('both rows need the same categories')
  const totalA = a.reduce((s, x) => s + x, 0)
  const totalB = b.reduce((s, x) => s + x, 0)
  const total = totalA + totalB
  if (totalA === 0 || totalB === 0) return { statistic: 0, df: 0 }
  let statistic = 0
  let columns = 0
  for (let j = 0; j < a.length; j++) {
    const column = a[j]! + b[j]!
    if (column === 0) continue
    columns++
    const expectedA = (totalA * column) / total
    const expectedB = (totalB * column) / total
    statistic += (a[j]! - expectedA) ** 2 / expectedA + (b[j]! - expectedB) ** 2 / expectedB
  }
  return { statistic, df: columns - 1 }
}

/** The value whose share rose most from `history` to `window` (null when either has no answers). */
export function largestRise(window: number[], history: number[]): ShiftTest['rose'] {
  const totalW = window.reduce((s, x) => s + x, 0)
  const totalH = history.reduce((s, x) => s + x, 0)
  if (totalW === 0 || totalH === 0) return null
  let best: ShiftTest['rose'] = null
  for (let j = 0; j < SCALE_VALUES.length; j++) {
    const windowShare = (window[j] ?? 0) / totalW
    const historyShare = (history[j] ?? 0) / totalH
    if (best === null || windowShare - historyShare > best.windowShare - best.historyShare)
      best = { value: SCALE_VALUES[j]!, historyShare, windowShare }
  }
  return best
}

/**
 * Answer shift: the window's scale answers against the link's history, by Pearson's chi-square test of
 * homogeneity (2 × 5 table). One response gives several scale answers that tend to agree, so the statistic
 * is divided by the mean number of scale answers per response (the largest design effect such clustering
 * can have): the test is then as strict as one on responses, never looser. Needs `minResponses` responses
 * in the window and in the history; flagged when the p-value is below `shiftPValue`.
 */
export function answerShift(window: AnswerCounts, history: AnswerCounts, settings: BurstSettings): ShiftTest {
  const rose = largestRise(window.counts, history.counts)
  if (window.responses < settings.minResponses || history.responses < settings.minResponses) return NOT_TESTED(rose)
  const { statistic: raw, df } = chiSquareHomogeneity(window.counts, history.counts)
  if (df === 0) return NOT_TESTED(rose)
  const answers = [...window.counts, ...history.counts].reduce((s, x) => s + x, 0)
  const perResponse = Math.max(1, answers / (window.responses + history.responses))
  const statistic = raw / perResponse
  const pValue = chiSquareUpperTail(statistic, df)
  return { flagged: pValue < settings.shiftPValue, statistic, df, pValue, rose }
}
