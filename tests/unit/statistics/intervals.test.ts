import { describe, expect, it } from 'vitest'
import { studentTQuantile } from '../../../app/domain/statistics/distributions.ts'
import { createDesign } from '../../../app/domain/statistics/design.ts'
import { estimateProportion } from '../../../app/domain/statistics/estimators.ts'
import {
  clopperPearsonInterval,
  confidenceInterval,
  inUnitInterval,
  intervalMethodFor,
  kornGraubardInterval,
  logitInterval,
  meanInterval,
  wilsonInterval,
} from '../../../app/domain/statistics/intervals.ts'

describe('docs/statistics.md check vectors', () => {
  it('10 of 10: Clopper–Pearson lower 0.691503, Wilson lower 0.722467', () => {
    expect(clopperPearsonInterval(10, 10).lower).toBeCloseTo(0.691503, 6)
    expect(clopperPearsonInterval(10, 10).upper).toBe(1)
    expect(wilsonInterval(1, 10).lower).toBeCloseTo(0.722467, 6)
    expect(wilsonInterval(1, 10).upper).toBe(1)
  })

  it('95 of 100: Clopper–Pearson (0.887165, 0.983568), Wilson (0.888250, 0.978456)', () => {
    const cp = clopperPearsonInterval(95, 100)
    expect(cp.lower).toBeCloseTo(0.887165, 6)
    expect(cp.upper).toBeCloseTo(0.983568, 6)
    const wilson = wilsonInterval(0.95, 100)
    expect(wilson.lower).toBeCloseTo(0.88825, 6)
    expect(wilson.upper).toBeCloseTo(0.978456, 6)
  })

  it('10 of 10 through an unweighted design: Korn–Graubard at θ = 1 uses n* = n', () => {
    const design = createDesign({ size: 10 })
    const share = estimateProportion(design, new Array(10).fill(1))
    const kg = confidenceInterval(share, 'beta')
    expect(kg.lower).toBeCloseTo(0.691503, 6)
    expect(kg.upper).toBe(1)
    // Survey-adjusted Wilson: t on the design's 9 degrees of freedom, not the normal quantile.
    expect(confidenceInterval(share, 'wilson').lower).toBeCloseTo(0.661491, 6)
  })

  it('0 of 10: mirror image of 10 of 10', () => {
    const design = createDesign({ size: 10 })
    const share = estimateProportion(design, new Array(10).fill(0))
    const kg = kornGraubardInterval(share)
    expect(kg.lower).toBe(0)
    expect(kg.upper).toBeCloseTo(1 - 0.691503, 6)
  })
})

describe('Korn–Graubard', () => {
  it('reduces to Clopper–Pearson when v = θ(1−θ)/n and df = n − 1', () => {
    const p = 0.95
    const kg = kornGraubardInterval({ estimate: p, variance: (p * (1 - p)) / 100, n: 100, df: 99 })
    const cp = clopperPearsonInterval(95, 100)
    expect(kg.lower).toBeCloseTo(cp.lower, 10)
    expect(kg.upper).toBeCloseTo(cp.upper, 10)
  })

  it('widens with fewer design degrees of freedom (t_{n−1}/t_df)²', () => {
    const input = { estimate: 0.8, variance: 0.0016, n: 200, df: 199 }
    const fewPsus = kornGraubardInterval({ ...input, df: 9 })
    const many = kornGraubardInterval(input)
    expect(fewPsus.lower).toBeLessThan(many.lower)
    expect(fewPsus.upper).toBeGreaterThan(many.upper)
    // the adjusted effective n reproduces the interval through Clopper–Pearson shapes
    const ratio = studentTQuantile(0.025, 199) / studentTQuantile(0.025, 9)
    const nStar = ((0.8 * 0.2) / 0.0016) * ratio ** 2
    const lowerByHand = kornGraubardInterval({ estimate: 0.8, variance: (0.8 * 0.2) / nStar, n: 2, df: 1 })
    // with n = 2, df = 1 the ratio is 1, so this is Beta(α/2; n*θ, n*(1−θ)+1) directly
    expect(fewPsus.lower).toBeCloseTo(lowerByHand.lower, 10)
  })

  it('honours the level', () => {
    const narrow = clopperPearsonInterval(95, 100, 0.8)
    const wide = clopperPearsonInterval(95, 100, 0.99)
    expect(narrow.lower).toBeGreaterThan(0.887165)
    expect(wide.lower).toBeLessThan(0.887165)
    expect(narrow.level).toBe(0.8)
    expect(() => clopperPearsonInterval(1, 2, 1.5)).toThrow(RangeError)
  })

  it('a variance that is zero but for round-off gives a near-point interval, not an error', () => {
    // A post-stratified domain whose post-strata are each uniform (H8's case): v = 8.4e-17 at θ = 0.8.
    const ci = kornGraubardInterval({ estimate: 0.8, variance: 8.4e-17, n: 3, df: 1 })
    expect(ci.lower).toBeLessThan(0.8)
    expect(ci.upper).toBeGreaterThan(0.8)
    expect(ci.upper - ci.lower).toBeLessThan(1e-6)
  })
  it('stays inside [0, 1]', () => {
    for (const p of [0.001, 0.5, 0.999]) {
      const ci = kornGraubardInterval({ estimate: p, variance: 0.01, n: 20, df: 5 })
      expect(ci.lower).toBeGreaterThanOrEqual(0)
      expect(ci.upper).toBeLessThanOrEqual(1)
      expect(ci.lower).toBeLessThanOrEqual(p)
      expect(ci.upper).toBeGreaterThanOrEqual(p)
    }
  })
})

/** Wilson's score interval written out, with the quantile q given as a number. */
function wilsonByHand(p: number, n: number, q: number) {
  const centre = (p + (q * q) / (2 * n)) / (1 + (q * q) / n)
  const half = (q / (1 + (q * q) / n)) * Math.sqrt((p * (1 - p)) / n + (q * q) / (4 * n * n))
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) }
}

describe('survey-adjusted Wilson (Kott and Carr): t on the design degrees of freedom', () => {
  // t_{0.975} quantiles (R: qt(0.975, 9), qt(0.975, 99), qt(0.95, 4)), typed in, not computed by the code.
  const T975_9 = 2.262157162798205
  const T975_99 = 1.984216951586417
  const T95_4 = 2.131846786326649

  it('10 of 10 on 9 df: lower 0.661491 (the normal quantile gave 0.722467)', () => {
    const ci = confidenceInterval({ estimate: 1, variance: 0, n: 10, df: 9 }, 'wilson')
    expect(ci.lower).toBeCloseTo(wilsonByHand(1, 10, T975_9).lower, 12)
    expect(ci.lower).toBeCloseTo(0.661491, 6)
    expect(ci.upper).toBe(1)
    expect(ci.method).toBe('wilson')
  })

  it('95 of 100 as a simple random sample (v = θ(1−θ)/n, 99 df): (0.887239, 0.978669)', () => {
    const ci = confidenceInterval({ estimate: 0.95, variance: (0.95 * 0.05) / 100, n: 100, df: 99 }, 'wilson')
    const byHand = wilsonByHand(0.95, 100, T975_99)
    expect(ci.lower).toBeCloseTo(byHand.lower, 12)
    expect(ci.upper).toBeCloseTo(byHand.upper, 12)
    expect(ci.lower).toBeCloseTo(0.887239, 6)
    expect(ci.upper).toBeCloseTo(0.978669, 6)
  })

  it('a design with few PSUs: n* = θ(1−θ)/v with t on df, at any level', () => {
    // θ = 0.8, v = 0.0016 → n* = 100; 4 df at the 90% level.
    const ci = confidenceInterval({ estimate: 0.8, variance: 0.0016, n: 400, df: 4 }, 'wilson', 0.9)
    const byHand = wilsonByHand(0.8, 100, T95_4)
    expect(ci.lower).toBeCloseTo(byHand.lower, 12)
    expect(ci.upper).toBeCloseTo(byHand.upper, 12)
  })

  it('the textbook form stays available without df', () => {
    expect(wilsonInterval(1, 10).lower).toBeCloseTo(0.722467, 6)
    expect(wilsonInterval(1, 10, 0.95, 9).lower).toBeCloseTo(0.661491, 6)
  })
})

describe('which interval an estimate gets, and saying which was used', () => {
  it('proportion intervals for values in [0, 1] (shares and composites), t otherwise', () => {
    expect(inUnitInterval([0, 1, null, 1, undefined])).toBe(true)
    expect(inUnitInterval([0.5, 2 / 3, 1])).toBe(true)
    expect(inUnitInterval([0, 1, 2])).toBe(false)
    expect(inUnitInterval([-0.1, 0.5])).toBe(false)
    expect(intervalMethodFor(undefined, true)).toBe('beta')
    expect(intervalMethodFor('logit', true)).toBe('logit')
    expect(intervalMethodFor('wilson', true)).toBe('wilson')
    expect(intervalMethodFor('mean', true)).toBe('mean')
    expect(intervalMethodFor(undefined, false)).toBe('mean')
    expect(intervalMethodFor('beta', false)).toBe('mean')
    expect(intervalMethodFor('logit', false)).toBe('mean')
  })

  it('the interval names the method actually used: logit at 0% or 100% is Korn–Graubard', () => {
    expect(confidenceInterval({ estimate: 0.9, variance: 0.0004, n: 100, df: 99 }, 'logit').method).toBe('logit')
    expect(confidenceInterval({ estimate: 1, variance: 0, n: 40, df: 39 }, 'logit').method).toBe('beta')
    expect(confidenceInterval({ estimate: 0, variance: 0, n: 40, df: 39 }, 'logit').method).toBe('beta')
    expect(confidenceInterval({ estimate: 0.5, variance: 0.01, n: 40, df: 39 }, 'mean').method).toBe('mean')
  })
})

describe('logit and mean intervals', () => {
  it('logit is symmetric on the log-odds scale with a t quantile on df', () => {
    const input = { estimate: 0.9, variance: 0.0004, n: 100, df: 14 }
    const ci = logitInterval(input)
    const logit = (x: number) => Math.log(x / (1 - x))
    const halfWidth = (studentTQuantile(0.975, 14) * 0.02) / (0.9 * 0.1)
    expect(logit(ci.upper) - logit(0.9)).toBeCloseTo(halfWidth, 10)
    expect(logit(0.9) - logit(ci.lower)).toBeCloseTo(halfWidth, 10)
    expect(ci.method).toBe('logit')
  })

  it('logit falls back to Korn–Graubard at 100%', () => {
    const ci = logitInterval({ estimate: 1, variance: 0, n: 10, df: 9 })
    expect(ci.method).toBe('beta')
    expect(ci.lower).toBeCloseTo(0.691503, 6)
  })

  it('mean interval is θ ± t_df·SE', () => {
    const ci = meanInterval({ estimate: 3.5, variance: 0.25, n: 30, df: 29 })
    const t = studentTQuantile(0.975, 29)
    expect(ci.lower).toBeCloseTo(3.5 - t * 0.5, 12)
    expect(ci.upper).toBeCloseTo(3.5 + t * 0.5, 12)
    expect(meanInterval({ estimate: 0, variance: 1, n: 5, df: 4 }, 0.9).upper).toBeCloseTo(
      studentTQuantile(0.95, 4),
      12,
    )
  })
})
