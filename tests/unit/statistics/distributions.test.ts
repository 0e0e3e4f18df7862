import { describe, expect, it } from 'vitest'
import {
  betaQuantile,
  normalCdf,
  normalQuantile,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTQuantile,
} from '../../../app/domain/statistics/distributions.ts'

// Reference values computed independently with SciPy 1.17 (scipy.stats norm/t/beta),
// the same values R's qnorm/qt/qbeta/pbeta print.
const relative = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected)

describe('normal', () => {
  it.each([
    [0.975, 1.959963984540054],
    [0.5, 0],
    [0.025, -1.959963984540054],
    [1e-10, -6.361340902404056],
    [0.9, 1.2815515655446004],
  ])('quantile(%s) = %s', (p, z) => {
    expect(Math.abs(normalQuantile(p) - z)).toBeLessThan(1e-10 * Math.max(1, Math.abs(z)))
  })
  it('cdf inverts the quantile in both tails', () => {
    for (const p of [1e-12, 1e-6, 0.01, 0.3, 0.7, 0.99, 1 - 1e-9]) {
      expect(relative(normalCdf(normalQuantile(p)), p)).toBeLessThan(1e-10)
    }
  })
  it('handles 0 and 1', () => {
    expect(normalQuantile(0)).toBe(-Infinity)
    expect(normalQuantile(1)).toBe(Infinity)
    expect(() => normalQuantile(1.5)).toThrow(RangeError)
  })
})

describe('Student t', () => {
  it.each([
    [0.975, 10, 2.228138851986274],
    [0.975, 1, 12.706204736174694],
    [0.975, 14, 2.144786687917804],
    [0.995, 3.5, 5.085702223091256],
    [0.975, 1e6, 1.959966356814107],
    [0.025, 197, -1.9720790337785026],
  ])('quantile(%s, df=%s) = %s', (p, df, t) => {
    expect(relative(studentTQuantile(p, df), t)).toBeLessThan(1e-10)
  })
  it('infinite df is the normal', () => {
    expect(studentTQuantile(0.975, Infinity)).toBe(normalQuantile(0.975))
  })
  it('cdf inverts the quantile', () => {
    for (const df of [1, 2.5, 7, 30, 500]) {
      for (const p of [0.001, 0.05, 0.6, 0.999])
        expect(relative(studentTCdf(studentTQuantile(p, df), df), p)).toBeLessThan(1e-10)
    }
  })
})

describe('beta', () => {
  it.each([
    [0.3, 2.5, 7.1, 0.6490225790210132],
    [0.999, 0.5, 0.5, 0.9798649583666235],
    [0.01, 5000, 2, 0],
    [0.5, 1, 1, 0.5],
  ])('I_%s(%s, %s) = %s', (x, a, b, expected) => {
    expect(Math.abs(regularizedIncompleteBeta(x, a, b) - expected)).toBeLessThan(1e-12)
  })
  it.each([
    [0.025, 10, 1, 0.6915028921812392],
    [0.025, 95, 6, 0.8871650888945373],
    [0.975, 96, 5, 0.9835681208179479],
    [0.025, 0.3, 200, 1.5956303410843774e-8],
    [0.975, 1500.5, 3.2, 0.9995294914150489],
    [0.5, 2, 3, 0.3857275681323895],
  ])('quantile(%s; %s, %s) = %s', (p, a, b, x) => {
    expect(relative(betaQuantile(p, a, b), x)).toBeLessThan(1e-10)
  })
  it('huge shapes (a + b > 1e10) use the normal approximation, continuous with the exact quantile', () => {
    // Exact at 1e10 (computed by the continued fraction before this branch existed): 0.7999921600317745.
    const mean = 0.8
    const sd = (s: number) => Math.sqrt((s * 0.8 * (s * 0.2 + 1)) / ((s + 1) ** 2 * (s + 2)))
    expect(Math.abs(betaQuantile(0.025, 1e10 * 0.8, 1e10 * 0.2) - 0.7999921600317745)).toBeLessThan(1e-10)
    // It used to throw "incomplete beta did not converge" here.
    const q = betaQuantile(0.025, 4.368e13, 1.747e13)
    expect(q).toBeGreaterThan(0.71428 - 1e-6)
    expect(q).toBeLessThan(4.368e13 / (4.368e13 + 1.747e13))
    expect(
      Math.abs(betaQuantile(0.975, 1e12 * 0.8, 1e12 * 0.2 + 1) - (mean + 1.959963984540054 * sd(1e12))),
    ).toBeLessThan(1e-12)
  })
  it('Beta(1, 1) is uniform and the edges are exact', () => {
    expect(betaQuantile(0.025, 1, 1)).toBeCloseTo(0.025, 14)
    expect(betaQuantile(0, 2, 3)).toBe(0)
    expect(betaQuantile(1, 2, 3)).toBe(1)
    expect(() => betaQuantile(0.5, 0, 1)).toThrow(RangeError)
  })
})
