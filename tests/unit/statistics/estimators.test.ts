import { describe, expect, it } from 'vitest'
import { createDesign, LonelyPsuError, varianceOfTotal } from '../../../app/domain/statistics/design.ts'
import {
  estimateBy,
  estimateMean,
  estimateProportion,
  estimateTotal,
  EstimationError,
} from '../../../app/domain/statistics/estimators.ts'

// docs/statistics.md, "How the method is checked": answers and weights, no strata.
const answers = [5, 4, 4, 3, 5, 2, 5, 4]
const weights = [1, 1, 2, 2, 1, 3, 1, 1]
const satisfied = answers.map((a) => (a >= 4 ? 1 : 0))

describe('weighted estimates (docs/statistics.md check vector)', () => {
  const design = createDesign({ weights })

  it('share satisfied 0.5833333 with SE 0.2179652', () => {
    const share = estimateProportion(design, satisfied)
    expect(share.estimate).toBeCloseTo(0.5833333, 7)
    expect(share.se).toBeCloseTo(0.2179652, 7)
  })

  it('mean score 3.5833333 with SE 0.4959047', () => {
    const mean = estimateMean(design, answers)
    expect(mean.estimate).toBeCloseTo(3.5833333, 7)
    expect(mean.se).toBeCloseTo(0.4959047, 7)
  })

  it('Kish n_eff 6.545455, n 8, df n − 1', () => {
    const mean = estimateMean(design, answers)
    expect(mean.nEff).toBeCloseTo(6.545455, 6)
    expect(mean.n).toBe(8)
    expect(mean.df).toBe(7)
    expect(mean.sumWeights).toBe(12)
  })

  it('weights-only variance equals n/(n−1)·Σw²(y−θ)²/W²', () => {
    const mean = estimateMean(design, answers)
    const W = 12
    const spread = answers.reduce((s, y, i) => s + weights[i]! ** 2 * (y - mean.estimate) ** 2, 0)
    expect(mean.variance).toBeCloseTo((8 / 7) * (spread / W ** 2), 14)
  })
})

describe('edge cases', () => {
  it('p = 1 and p = 0 give zero variance, not NaN', () => {
    const design = createDesign({ size: 5 })
    expect(estimateProportion(design, [1, 1, 1, 1, 1])).toMatchObject({ estimate: 1, variance: 0 })
    expect(estimateProportion(design, [0, 0, 0, 0, 0])).toMatchObject({ estimate: 0, variance: 0 })
  })

  it('equal weights give the unweighted mean and n_eff = n', () => {
    const design = createDesign({ weights: [3, 3, 3, 3] })
    const mean = estimateMean(design, [1, 2, 3, 6])
    expect(mean.estimate).toBe(3)
    expect(mean.nEff).toBeCloseTo(4, 12)
    // SRS with replacement: s²/n
    expect(mean.variance).toBeCloseTo(14 / 3 / 4, 12)
  })

  it('drops missing answers (null, undefined, NaN) from n and W', () => {
    const design = createDesign({ weights: [1, 2, 5, 1, 1] })
    const mean = estimateMean(design, [4, 2, null, Number.NaN, undefined])
    expect(mean.n).toBe(2)
    expect(mean.sumWeights).toBe(3)
    expect(mean.estimate).toBeCloseTo((4 + 4) / 3, 12)
  })

  it('an empty domain gives NaN with n = 0 rather than throwing', () => {
    const design = createDesign({ size: 3 })
    const result = estimateMean(design, [1, 2, 3], [false, false, false])
    expect(result.n).toBe(0)
    expect(Number.isNaN(result.estimate)).toBe(true)
    expect(estimateBy(design, [1, 2, 3], ['a', 'a', null]).map((d) => d.group)).toEqual(['a'])
  })

  it('refuses non-binary values for a proportion', () => {
    const design = createDesign({ size: 2 })
    expect(() => estimateProportion(design, [1, 2])).toThrow(EstimationError)
  })

  it('a stratum with one PSU fails by default and contributes 0 under "certainty"', () => {
    const strata = ['a', 'a', 'b']
    const values = [1, 3, 5]
    expect(() => estimateMean(createDesign({ strata }), values)).toThrow(LonelyPsuError)
    const certainty = estimateMean(createDesign({ strata, lonelyPsu: 'certainty' }), values)
    // only stratum a contributes: z = (y − θ)/3 for its two units, θ = 3
    const za = [(1 - 3) / 3, (3 - 3) / 3]
    const mean = (za[0]! + za[1]!) / 2
    expect(certainty.variance).toBeCloseTo(2 * ((za[0]! - mean) ** 2 + (za[1]! - mean) ** 2), 14)
  })

  it('a census stratum (fpc = number of PSUs) has no variance and is not lonely', () => {
    const design = createDesign({ strata: ['a', 'a', 'b'], fpc: [10, 10, 1], clusters: ['1', '2', '3'] })
    expect(() => varianceOfTotal(design, [1, 2, 3])).not.toThrow()
    const noCensus = createDesign({ strata: ['a', 'a'], clusters: ['1', '2'] })
    // stratum a with f = 2/10 is scaled by 0.8 relative to no fpc
    expect(varianceOfTotal(design, [1, 2, 0])).toBeCloseTo(0.8 * varianceOfTotal(noCensus, [1, 2]), 14)
  })
})

describe('domains are estimated over the full design', () => {
  // Two strata with 3 and 2 clusters; domain "x" misses cluster c3.
  const strata = ['s1', 's1', 's1', 's1', 's1', 's1', 's2', 's2', 's2', 's2']
  const clusters = ['c1', 'c1', 'c2', 'c2', 'c3', 'c3', 'c4', 'c4', 'c5', 'c5']
  const w = [2, 2, 3, 3, 1, 2, 1, 1, 4, 4]
  const y = [1, 0, 1, 1, 0, 1, 0, 1, 1, 0]
  const group = ['x', 'y', 'x', 'x', 'y', 'y', 'x', 'y', 'x', 'x']
  const design = createDesign({ weights: w, strata, clusters })

  it('matches the ratio-estimator linearisation with zeros outside the domain', () => {
    const [x] = estimateBy(design, y, group)
    const inDomain = group.map((g) => g === 'x')
    const W = w.reduce((s, wi, i) => (inDomain[i] ? s + wi : s), 0)
    const theta = w.reduce((s, wi, i) => (inDomain[i] ? s + wi * y[i]! : s), 0) / W
    const z = w.map((wi, i) => (inDomain[i] ? (wi * (y[i]! - theta)) / W : 0))
    // by hand: PSU totals centred within stratum, times m/(m−1)
    const psu = [0, 2, 4, 6, 8].map((k) => z[k]! + z[k + 1]!)
    const s1Mean = (psu[0]! + psu[1]! + psu[2]!) / 3
    const s1 = (3 / 2) * psu.slice(0, 3).reduce((s, t) => s + (t - s1Mean) ** 2, 0)
    const s2 = 2 * ((psu[3]! - psu[4]!) ** 2 / 2)
    const v = s1 + s2
    expect(x!.estimate).toBeCloseTo(theta, 14)
    expect(x!.variance).toBeCloseTo(v, 14)
  })

  it('differs from naively subsetting the data first', () => {
    const [x] = estimateBy(design, y, group)
    const keep = group.map((g) => g === 'x')
    const subset = createDesign({
      weights: w.filter((_, i) => keep[i]),
      strata: strata.filter((_, i) => keep[i]),
      clusters: clusters.filter((_, i) => keep[i]),
      lonelyPsu: 'certainty',
    })
    const naive = estimateMean(
      subset,
      y.filter((_, i) => keep[i]),
    )
    expect(naive.estimate).toBeCloseTo(x!.estimate, 14)
    expect(naive.variance).not.toBeCloseTo(x!.variance, 6)
  })

  it('domain df counts only PSUs and strata holding domain members (R degf on a subset)', () => {
    const result = estimateBy(design, y, group)
    // x: PSUs c1, c2, c4, c5 in strata s1, s2 → 2; y: c1, c3, c4 → 1
    expect(result.map((r) => r.df)).toEqual([2, 1])
  })

  it('a missing answer acts as a domain: same as excluding it by a domain flag', () => {
    const withNa = estimateMean(
      design,
      y.map((v, i) => (i === 2 ? null : v)),
    )
    const byDomain = estimateMean(
      design,
      y,
      y.map((_, i) => i !== 2),
    )
    expect(withNa.variance).toBeCloseTo(byDomain.variance, 15)
    expect(withNa.estimate).toBeCloseTo(byDomain.estimate, 15)
  })

  it('totals by domain add up to the overall total', () => {
    const parts = estimateBy(design, y, group, 'total')
    const whole = estimateTotal(design, y)
    expect(parts.reduce((s, p) => s + p.estimate, 0)).toBeCloseTo(whole.estimate, 12)
  })
})
