import { describe, expect, it } from 'vitest'
import {
  CalibrationError,
  fitTable,
  postStratify,
  postStratifyWeights,
  rake,
  rakeWeights,
  trimWeights,
} from '../../../app/domain/statistics/calibration.ts'
import { createDesign } from '../../../app/domain/statistics/design.ts'
import { estimateMean } from '../../../app/domain/statistics/estimators.ts'

describe('IPF check vector (docs/statistics.md)', () => {
  const seed = [
    [40, 30, 20, 10],
    [35, 50, 100, 75],
    [30, 80, 70, 120],
    [20, 30, 40, 50],
  ]
  const fitted = fitTable(seed, [150, 300, 400, 150], [200, 300, 400, 100])

  it('first row 64.5585 46.2325 35.3843 3.82473, last row 28.7516 41.18 63.0347 17.0337', () => {
    const expectedFirst = [64.5585, 46.2325, 35.3843, 3.82473]
    const expectedLast = [28.7516, 41.18, 63.0347, 17.0337]
    for (const [j, v] of fitted[0]!.entries()) expect(v).toBeCloseTo(expectedFirst[j]!, 3)
    for (const [j, v] of fitted[3]!.entries()) expect(v).toBeCloseTo(expectedLast[j]!, 3)
  })

  it('meets both margins to 1e-8', () => {
    const rowSums = fitted.map((row) => row.reduce((s, v) => s + v, 0))
    const colSums = [0, 1, 2, 3].map((j) => fitted.reduce((s, row) => s + row[j]!, 0))
    for (const [i, t] of [150, 300, 400, 150].entries()) expect(Math.abs(rowSums[i]! - t)).toBeLessThan(1e-8)
    for (const [j, t] of [200, 300, 400, 100].entries()) expect(Math.abs(colSums[j]! - t)).toBeLessThan(1e-8)
  })

  it('reports non-convergence as an error', () => {
    expect(() => fitTable(seed, [150, 300, 400, 150], [200, 300, 400, 100], { maxIterations: 2 })).toThrow(
      CalibrationError,
    )
    // inconsistent margins (totals differ) can never converge
    expect(() => fitTable(seed, [150, 300, 400, 150], [200, 300, 400, 200], { maxIterations: 200 })).toThrow(
      /did not converge/,
    )
  })
})

describe('post-stratification', () => {
  const cells = ['a', 'a', 'b', 'b', 'b']
  const weights = [1, 3, 2, 2, 4]

  it('wᵢ·N_g/Σ_g w, hitting every population count', () => {
    const adjusted = postStratifyWeights(weights, { cells, population: { a: 100, b: 40 } })
    expect(adjusted).toEqual([25, 75, 10, 10, 20])
  })

  it('a population cell without sample is an error, never dropped', () => {
    expect(() => postStratifyWeights(weights, { cells, population: { a: 100, b: 40, c: 5 } })).toThrow(
      /population cell "c" has no sample/,
    )
  })

  it('a sample cell missing from the population is an error', () => {
    expect(() => postStratifyWeights(weights, { cells, population: { a: 100 } })).toThrow(/sample cell "b" is missing/)
    expect(() =>
      postStratifyWeights(weights, { cells: ['a', null, 'b', 'b', 'b'], population: { a: 1, b: 1 } }),
    ).toThrow(CalibrationError)
  })

  it('variance uses residuals from the post-stratum mean: y constant within cells has SE 0', () => {
    const design = postStratify(createDesign({ weights }), { cells, population: { a: 100, b: 40 } })
    const y = [7, 7, 3, 3, 3]
    const mean = estimateMean(design, y)
    expect(mean.estimate).toBeCloseTo((100 * 7 + 40 * 3) / 140, 12)
    expect(mean.variance).toBeCloseTo(0, 20)
    const unadjusted = estimateMean(createDesign({ weights: design.weights }), y)
    expect(unadjusted.variance).toBeGreaterThan(0)
  })
})

describe('raking', () => {
  it('with one margin equals post-stratification', () => {
    const margin = { cells: ['a', 'b', 'b'], population: { a: 10, b: 30 } }
    expect(rakeWeights([1, 1, 2], [margin])).toEqual(postStratifyWeights([1, 1, 2], margin))
  })

  it('variance of a variable additive in the margins is 0 after raking', () => {
    const sex = ['m', 'f', 'm', 'f', 'm', 'f', 'm', 'f']
    const area = ['u', 'u', 'r', 'r', 'u', 'r', 'r', 'u']
    const design = rake(createDesign({ weights: [1, 2, 1, 2, 3, 1, 2, 1] }), [
      { cells: sex, population: { m: 50, f: 60 } },
      { cells: area, population: { u: 70, r: 40 } },
    ])
    const y = sex.map((s, i) => (s === 'm' ? 2 : 5) + (area[i] === 'u' ? 1 : 0))
    expect(estimateMean(design, y).variance).toBeLessThan(1e-20)
  })
})

describe('trimming', () => {
  it('clamps and redistributes until none is outside, keeping the total', () => {
    const weights = [1, 1, 1, 1, 16]
    const trimmed = trimWeights(weights, { upper: 6 })
    expect(trimmed.reduce((s, w) => s + w, 0)).toBeCloseTo(20, 10)
    expect(Math.max(...trimmed)).toBeLessThanOrEqual(6 + 1e-9)
    // the 10 trimmed off is shared equally by the four equal weights
    expect(trimmed.slice(0, 4).every((w) => Math.abs(w - 3.5) < 1e-12)).toBe(true)
  })

  it('repeats when redistribution pushes another weight over the bound', () => {
    const trimmed = trimWeights([1, 5, 5, 9], { upper: 5.5 })
    expect(trimmed.reduce((s, w) => s + w, 0)).toBeCloseTo(20, 10)
    expect(Math.max(...trimmed)).toBeLessThanOrEqual(5.5 + 1e-9)
    expect(trimmed[0]).toBeGreaterThan(1)
  })

  it('raises weights below the lower bound and refuses impossible bounds', () => {
    const trimmed = trimWeights([0.1, 2, 3, 4.9], { lower: 1 })
    expect(trimmed[0]).toBe(1)
    expect(trimmed.reduce((s, w) => s + w, 0)).toBeCloseTo(10, 10)
    expect(() => trimWeights([1, 1], { upper: 0.5 })).toThrow(CalibrationError)
  })
})
