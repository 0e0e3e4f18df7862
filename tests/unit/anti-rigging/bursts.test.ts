import { describe, expect, it } from 'vitest'
import {
  answerShift,
  chiSquareHomogeneity,
  DEFAULT_BURST_SETTINGS,
  largestRise,
  timeOfDayRange,
  timeWindows,
  volumeBurst,
} from '../../../app/domain/anti-rigging/bursts.ts'
import {
  chiSquareUpperTail,
  poissonUpperTail,
  regularizedGammaP,
} from '../../../app/domain/statistics/distributions.ts'

const S = DEFAULT_BURST_SETTINGS

/** ln k! by summing logs: independent of the gamma functions under test. */
function logFactorial(k: number): number {
  let s = 0
  for (let i = 2; i <= k; i++) s += Math.log(i)
  return s
}

/** P(X ≥ k), X ~ Poisson(λ), by summing the probability mass from k upward until the terms vanish. */
function poissonTailBySum(k: number, lambda: number): number {
  let sum = 0
  for (let i = k; i < k + 2000; i++) {
    const term = Math.exp(-lambda + i * Math.log(lambda) - logFactorial(i))
    sum += term
    if (i > lambda && term < sum * 1e-18) break
  }
  return sum
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b)

describe('poissonUpperTail', () => {
  it('equals a direct sum of the probability mass, from the body to far tails', () => {
    for (const lambda of [0.01, 0.2083, 1, 2.5, 6, 17, 40, 120])
      for (const k of [1, 2, 5, 10, 15, 30, 60, 100, 200]) {
        const direct = poissonTailBySum(k, lambda)
        if (direct < 1e-300) continue
        expect(relative(poissonUpperTail(k, lambda), direct), `k=${k} λ=${lambda}`).toBeLessThan(1e-10)
      }
  })

  it('has the closed forms P(X ≥ 0) = 1, P(X ≥ 1) = 1 − e^−λ, and a zero mean gives nothing', () => {
    expect(poissonUpperTail(0, 3)).toBe(1)
    expect(poissonUpperTail(1, 0.5)).toBeCloseTo(1 - Math.exp(-0.5), 14)
    expect(relative(poissonUpperTail(1, 1e-9), -Math.expm1(-1e-9))).toBeLessThan(1e-12)
    expect(poissonUpperTail(5, 0)).toBe(0)
  })

  it('keeps the digits of a tiny tail: P(X ≥ 60 | λ = 1) = e^−1 Σ 1/i! from 60', () => {
    // The first term e^-1/60! ≈ 4.46e-83 dominates; the next is 61 times smaller.
    const first = Math.exp(-1 - logFactorial(60))
    expect(relative(poissonUpperTail(60, 1), first * (1 + 1 / 61 + 1 / (61 * 62) + 1 / (61 * 62 * 63)))).toBeLessThan(
      1e-6,
    )
  })

  it('refuses a negative mean or a fractional count', () => {
    expect(() => poissonUpperTail(3, -1)).toThrow(RangeError)
    expect(() => poissonUpperTail(2.5, 1)).toThrow(RangeError)
  })
})

describe('regularizedGammaP', () => {
  it('is 1 − e^−x for a = 1 and 0 at x = 0', () => {
    for (const x of [0.001, 0.5, 1, 3, 10]) expect(regularizedGammaP(1, x)).toBeCloseTo(1 - Math.exp(-x), 14)
    expect(regularizedGammaP(2, 0)).toBe(0)
  })
})

describe('chiSquareUpperTail', () => {
  it('matches the table critical values (df 1, 2, 4, 10 at 5%, 1%, 0.1%)', () => {
    const table: Array<[number, number, number]> = [
      [1, 3.841459, 0.05],
      [1, 6.634897, 0.01],
      [1, 10.827566, 0.001],
      [2, 5.991465, 0.05],
      [4, 9.487729, 0.05],
      [4, 13.276704, 0.01],
      [4, 18.466827, 0.001],
      [10, 18.307038, 0.05],
      [10, 29.588298, 0.001],
    ]
    for (const [df, x, p] of table) expect(relative(chiSquareUpperTail(x, df), p), `df=${df} x=${x}`).toBeLessThan(1e-5)
  })

  it('has the closed forms e^−x/2 (df 2) and e^−x/2 (1 + x/2) (df 4), far into the tail', () => {
    for (const x of [0.1, 1, 7, 50, 300, 1200]) {
      expect(relative(chiSquareUpperTail(x, 2), Math.exp(-x / 2))).toBeLessThan(1e-12)
      expect(relative(chiSquareUpperTail(x, 4), Math.exp(-x / 2) * (1 + x / 2))).toBeLessThan(1e-12)
    }
  })

  it('is 1 at 0 and refuses df ≤ 0', () => {
    expect(chiSquareUpperTail(0, 3)).toBe(1)
    expect(() => chiSquareUpperTail(1, 0)).toThrow(RangeError)
  })
})

describe('timeWindows', () => {
  it('is the last windowMinutes before now, and historyDays before that', () => {
    const w = timeWindows(new Date('2026-11-29T10:00:00.000Z'), { windowMinutes: 60, historyDays: 28 })
    expect(w.windowTo.toISOString()).toBe('2026-11-29T10:00:00.000Z')
    expect(w.windowFrom.toISOString()).toBe('2026-11-29T09:00:00.000Z')
    expect(w.historyFrom.toISOString()).toBe('2026-11-01T09:00:00.000Z')
  })
})

describe('timeOfDayRange', () => {
  it("gives the window's UTC clock times as in an ISO instant", () => {
    expect(timeOfDayRange(new Date('2026-11-29T02:15:00.000Z'), new Date('2026-11-29T03:15:00.000Z'))).toEqual({
      from: '02:15:00.000',
      to: '03:15:00.000',
      wraps: false,
    })
  })

  it('wraps across midnight UTC, and is null for a window of a day', () => {
    expect(timeOfDayRange(new Date('2026-11-29T23:30:00.000Z'), new Date('2026-11-30T00:30:00.000Z'))).toEqual({
      from: '23:30:00.000',
      to: '00:30:00.000',
      wraps: true,
    })
    expect(timeOfDayRange(new Date('2026-11-29T08:00:00.000Z'), new Date('2026-11-30T08:00:00.000Z'))).toBeNull()
  })
})

describe('volumeBurst', () => {
  /** 4032 responses in 28 days is 6 an hour; `atThisTimeOfDay` of them fell in the window's hour. */
  const history = (responses: number, atThisTimeOfDay = 0) => ({ responses, atThisTimeOfDay })

  it('scales the history to the window and tests the count against Poisson(expected)', () => {
    const quiet = volumeBurst(15, history(4032), S)
    expect(quiet.expected).toBeCloseTo(6, 12)
    expect(quiet.basis).toBe('average')
    expect(relative(quiet.pValue, poissonTailBySum(15, 6))).toBeLessThan(1e-10)
    expect(quiet.pValue).toBeGreaterThan(1e-3) // ≈ 0.00113: busy, not a burst
    expect(quiet.flagged).toBe(false)

    const burst = volumeBurst(60, history(4032), S)
    expect(burst.observed).toBe(60)
    expect(burst.pValue).toBeLessThan(1e-20)
    expect(burst.flagged).toBe(true)
  })

  it('flags at the first count whose tail is below the threshold: 22 at 6 an hour, not 21', () => {
    // Direct sums: P(X ≥ 21 | 6) ≈ 1.46e-6, P(X ≥ 22 | 6) ≈ 3.9e-7.
    expect(poissonTailBySum(21, 6)).toBeGreaterThan(1e-6)
    expect(poissonTailBySum(22, 6)).toBeLessThan(1e-6)
    expect(volumeBurst(21, history(4032), S).flagged).toBe(false)
    expect(volumeBurst(22, history(4032), S).flagged).toBe(true)
  })

  it('expects the busy hours of a counter from the same time of day, not the average of day and night', () => {
    // 100 a day, all in eight office hours: 4.17 an hour on average, 12.5 in an office hour.
    const officeHour = history(2800, 350)
    const twenty = volumeBurst(20, officeHour, S)
    expect(twenty.basis).toBe('timeOfDay')
    expect(twenty.expected).toBeCloseTo(12.5, 12)
    expect(relative(twenty.pValue, poissonTailBySum(20, 12.5))).toBeLessThan(1e-10)
    expect(twenty.flagged).toBe(false)
    // Against the day-and-night average the same morning would have been flagged.
    expect(poissonTailBySum(20, 2800 / (28 * 24))).toBeLessThan(1e-6)
    // At night the average over all hours is expected, not the silence of the night.
    expect(volumeBurst(20, history(2800, 0), S)).toMatchObject({ basis: 'average', flagged: true })
  })

  it('uses the floor of one response an hour for a link with no or little history', () => {
    const fresh = volumeBurst(15, history(0), S)
    expect(fresh.basis).toBe('floor')
    expect(fresh.expected).toBe(1)
    expect(relative(fresh.pValue, poissonTailBySum(15, 1))).toBeLessThan(1e-10)
    expect(fresh.flagged).toBe(true)
    // 100 responses in 28 days is 0.15 an hour, 10 at this hour 0.36: the floor again.
    expect(volumeBurst(15, history(100, 10), S)).toMatchObject({ basis: 'floor', expected: 1 })
    // A 30-minute window halves the floor.
    expect(volumeBurst(3, history(0), { ...S, windowMinutes: 30 }).expected).toBe(0.5)
  })

  it('never flags below the minimum count, however unlikely', () => {
    const few = volumeBurst(14, history(0), S)
    expect(few.pValue).toBeLessThan(1e-9)
    expect(few.flagged).toBe(false)
    expect(volumeBurst(14, history(0), { ...S, minResponses: 14 }).flagged).toBe(true)
    expect(volumeBurst(0, history(0), S)).toMatchObject({ flagged: false, pValue: 1 })
  })

  it('follows the configured threshold', () => {
    expect(volumeBurst(15, history(4032), { ...S, burstPValue: 0.01 }).flagged).toBe(true)
  })
})

describe('chiSquareHomogeneity', () => {
  it('matches a hand computation on a 2 × 2 table', () => {
    // Totals 30 and 70 of 100, columns 40 and 60: expected 12 18 / 28 42, each |O − E| = 2.
    const { statistic, df } = chiSquareHomogeneity([10, 20], [30, 40])
    expect(statistic).toBeCloseTo(4 / 12 + 4 / 18 + 4 / 28 + 4 / 42, 12)
    expect(df).toBe(1)
  })

  it('leaves out columns empty in both rows, and is 0 with df 0 when a row is empty', () => {
    expect(chiSquareHomogeneity([10, 0, 20, 0, 0], [30, 0, 40, 0, 0])).toEqual(chiSquareHomogeneity([10, 20], [30, 40]))
    expect(chiSquareHomogeneity([0, 0], [3, 4])).toEqual({ statistic: 0, df: 0 })
    expect(() => chiSquareHomogeneity([1], [1, 2])).toThrow(RangeError)
  })

  it('is 0 when both rows have the same proportions', () => {
    expect(chiSquareHomogeneity([1, 2, 3, 4, 5], [10, 20, 30, 40, 50]).statistic).toBeCloseTo(0, 12)
  })
})

describe('largestRise', () => {
  it('names the value whose share rose most, with both shares', () => {
    expect(largestRise([71, 9, 10, 5, 5], [8, 12, 20, 30, 30])).toEqual({
      value: 1,
      historyShare: 0.08,
      windowShare: 0.71,
    })
    expect(largestRise([0, 0, 0, 0, 4], [1, 1, 1, 1, 0])).toEqual({ value: 5, historyShare: 0, windowShare: 1 })
    expect(largestRise([0, 0, 0, 0, 0], [1, 1, 1, 1, 0])).toBeNull()
  })
})

describe('answerShift', () => {
  const history = { counts: [8, 12, 20, 30, 30], responses: 100 }

  it('flags a run of 1s: share of 1 from 8% to 71%', () => {
    const shift = answerShift({ counts: [71, 9, 10, 5, 5], responses: 100 }, history, S)
    expect(shift.df).toBe(4)
    expect(shift.rose).toEqual({ value: 1, historyShare: 0.08, windowShare: 0.71 })
    const { statistic } = chiSquareHomogeneity([71, 9, 10, 5, 5], [8, 12, 20, 30, 30])
    expect(shift.statistic).toBeCloseTo(statistic, 12)
    expect(shift.pValue).toBeCloseTo(chiSquareUpperTail(statistic, 4), 20)
    expect(shift.pValue).toBeLessThan(1e-15)
    expect(shift.flagged).toBe(true)
  })

  it('does not flag a window answered like the history', () => {
    const shift = answerShift({ counts: [2, 3, 5, 7, 8], responses: 25 }, history, S)
    expect(shift.pValue).toBeGreaterThan(0.5)
    expect(shift.flagged).toBe(false)
  })

  it('divides by the scale answers per response: 4 alike answers each weigh as one response', () => {
    const one = answerShift({ counts: [12, 3, 3, 1, 1], responses: 20 }, history, S)
    const times4 = (c: number[]) => c.map((x) => 4 * x)
    const four = answerShift(
      { counts: times4([12, 3, 3, 1, 1]), responses: 20 },
      { counts: times4(history.counts), responses: 100 },
      S,
    )
    expect(four.statistic).toBeCloseTo(one.statistic, 10)
    expect(four.pValue).toBeCloseTo(one.pValue, 15)
    // Without the correction the same table would look four times as significant.
    expect(chiSquareHomogeneity(times4([12, 3, 3, 1, 1]), times4(history.counts)).statistic).toBeCloseTo(
      4 * one.statistic,
      8,
    )
  })

  it('needs the minimum of responses in the window and in the history', () => {
    const allOnes = { counts: [14, 0, 0, 0, 0], responses: 14 }
    const small = answerShift(allOnes, history, S)
    expect(small).toMatchObject({ flagged: false, pValue: 1, df: 0 })
    expect(small.rose?.value).toBe(1)
    expect(answerShift({ counts: [15, 0, 0, 0, 0], responses: 15 }, history, S).flagged).toBe(true)
    expect(
      answerShift({ counts: [40, 0, 0, 0, 0], responses: 40 }, { counts: [0, 0, 1, 5, 8], responses: 14 }, S).flagged,
    ).toBe(false)
  })

  it('cannot test when every answer in both periods has one value', () => {
    expect(
      answerShift({ counts: [0, 0, 0, 0, 20], responses: 20 }, { counts: [0, 0, 0, 0, 90], responses: 90 }, S),
    ).toMatchObject({ flagged: false, df: 0, pValue: 1 })
  })

  it('follows the configured threshold', () => {
    const mild = { counts: [8, 3, 5, 4, 5], responses: 25 }
    const p = answerShift(mild, history, S).pValue
    expect(p).toBeGreaterThan(1e-6)
    expect(p).toBeLessThan(0.05)
    expect(answerShift(mild, history, { ...S, shiftPValue: 0.05 }).flagged).toBe(true)
  })
})
