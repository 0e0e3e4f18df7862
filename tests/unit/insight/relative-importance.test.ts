/**
 * Relative importance against independent computations: R² by the normal equations on the raw rows
 * (Gaussian elimination with an intercept column, nothing shared with the covariance code), LMG by
 * averaging over every order of entry (p! orders, not the subset weights), and closed forms where they exist.
 */
import { describe, expect, it } from 'vitest'
import { percentileInterval, quantile, seededRandom, stratifiedResample } from '#app/domain/insight/bootstrap.ts'
import {
  DEFAULT_DRIVER_OPTIONS,
  DRIVER_SAMPLE_LIMIT,
  driverAnalysis,
  driverSampleStep,
  replicateCovariance,
} from '#app/domain/insight/drivers.ts'
import { placeItems, quadrantOf, summaryItems } from '#app/domain/insight/quadrants.ts'
import { subsetRSquared, subsetRSquaredOf, weightedCovariance } from '#app/domain/insight/regression.ts'
import { lmg, relativeImportance, relativeWeights, symmetricEigen } from '#app/domain/insight/relative-importance.ts'

/** Weighted least squares R² by the normal equations on the rows themselves (with an intercept). */
function olsRSquared(y: number[], xs: number[][], w: number[]): number {
  const k = xs.length + 1
  const design = y.map((_, i) => [1, ...xs.map((x) => x[i]!)])
  const a = Array.from({ length: k }, (_, r) =>
    Array.from({ length: k + 1 }, (_, c) =>
      design.reduce((s, row, i) => s + w[i]! * row[r]! * (c < k ? row[c]! : y[i]!), 0),
    ),
  )
  // Gauss–Jordan with partial pivoting; a (near) zero pivot is an aliased column: dropped, as lm does.
  const beta = new Array<number>(k).fill(0)
  const pivotRow: number[] = []
  let row = 0
  for (let c = 0; c < k && row < k; c++) {
    let best = row
    for (let r = row + 1; r < k; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[best]![c]!)) best = r
    if (Math.abs(a[best]![c]!) < 1e-9) continue
    ;[a[row], a[best]] = [a[best]!, a[row]!]
    for (let r = 0; r < k; r++) {
      if (r === row) continue
      const f = a[r]![c]! / a[row]![c]!
      for (let cc = 0; cc <= k; cc++) a[r]![cc]! -= f * a[row]![cc]!
    }
    pivotRow[c] = row
    row++
  }
  for (let c = 0; c < k; c++) if (pivotRow[c] !== undefined) beta[c] = a[pivotRow[c]!]![k]! / a[pivotRow[c]!]![c]!
  const W = w.reduce((s, v) => s + v, 0)
  const mean = y.reduce((s, v, i) => s + w[i]! * v, 0) / W
  let sse = 0
  let sst = 0
  design.forEach((r, i) => {
    const fit = r.reduce((s, v, j) => s + v * beta[j]!, 0)
    sse += w[i]! * (y[i]! - fit) ** 2
    sst += w[i]! * (y[i]! - mean) ** 2
  })
  return 1 - sse / sst
}

function permutations(items: number[]): number[][] {
  if (items.length <= 1) return [items]
  return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((p) => [x, ...p]))
}

/** LMG by definition: the mean over all p! orders of each predictor's increase in R² when it enters. */
function lmgByOrders(y: number[], xs: number[][], w: number[]): number[] {
  const p = xs.length
  const r2 = (set: number[]) =>
    set.length
      ? olsRSquared(
          y,
          set.map((j) => xs[j]!),
          w,
        )
      : 0
  const out = new Array<number>(p).fill(0)
  const orders = permutations([...Array(p).keys()])
  for (const order of orders)
    order.forEach((j, at) => {
      out[j]! += (r2(order.slice(0, at + 1)) - r2(order.slice(0, at))) / orders.length
    })
  return out
}

function covarianceOf(y: number[], xs: number[][], w: number[]) {
  return weightedCovariance(
    y.map((v, i) => [v, ...xs.map((x) => x[i]!)]),
    w,
  )
}

function correlation(a: number[], b: number[], w: number[]): number {
  const c = covarianceOf(a, [b], w)
  return c[0]![1]! / Math.sqrt(c[0]![0]! * c[1]![1]!)
}

/** Deterministic pseudo-data: answers on 1–5 driven by correlated predictors. */
function syntheticData(n: number, seed: number) {
  const random = seededRandom(seed)
  const x1: number[] = []
  const x2: number[] = []
  const x3: number[] = []
  const x4: number[] = []
  const y: number[] = []
  const w: number[] = []
  for (let i = 0; i < n; i++) {
    const common = random()
    const a = Math.min(1, Math.max(0, common * 0.6 + random() * 0.5))
    const b = Math.min(1, Math.max(0, common * 0.4 + random() * 0.6))
    const c = Math.round(random() * 4) / 4
    const d = random() < 0.8 ? 1 : 0
    x1.push(a)
    x2.push(b)
    x3.push(c)
    x4.push(d)
    y.push(Math.min(5, Math.max(1, Math.round(1 + 2.5 * a + 1.2 * b + 0.4 * c + 0.3 * d + random() * 1.5))))
    w.push([1, 1.5, 2, 3.25][i % 4]!)
  }
  return { y, xs: [x1, x2, x3, x4], w }
}

describe('weighted R² of subsets', () => {
  const { y, xs, w } = syntheticData(80, 7)
  const cov = covarianceOf(y, xs, w)
  const all = subsetRSquared(cov)

  it('every subset agrees with the normal equations to 1e-12', () => {
    for (let mask = 1; mask < 16; mask++) {
      const set = [0, 1, 2, 3].filter((j) => mask & (1 << j))
      expect(all[mask]).toBeCloseTo(
        olsRSquared(
          y,
          set.map((j) => xs[j]!),
          w,
        ),
        12,
      )
      expect(subsetRSquaredOf(cov, set)).toBeCloseTo(all[mask]!, 14)
    }
    expect(all[0]).toBe(0)
  })

  it('integer weights equal the unweighted regression on rows repeated that many times', () => {
    const weights = y.map((_, i) => 1 + (i % 3))
    const repeat = <T>(v: T[]) => v.flatMap((x, i) => new Array<T>(weights[i]!).fill(x))
    const weighted = subsetRSquared(covarianceOf(y, xs, weights))
    const repeated = subsetRSquared(
      covarianceOf(
        repeat(y),
        xs.map((x) => repeat(x)),
        repeat(y).map(() => 1),
      ),
    )
    for (let mask = 0; mask < 16; mask++) expect(weighted[mask]).toBeCloseTo(repeated[mask]!, 12)
  })

  it('an aliased predictor (a sum of two others) adds nothing, like a dropped column in lm', () => {
    const sum = xs[0]!.map((v, i) => v + xs[1]![i]!)
    const withAlias = covarianceOf(y, [...xs, sum], w)
    expect(subsetRSquaredOf(withAlias, [0, 1, 4])).toBeCloseTo(all[0b0011]!, 10)
    expect(subsetRSquaredOf(withAlias, [0, 1, 2, 3, 4])).toBeCloseTo(all[0b1111]!, 10)
    expect(subsetRSquaredOf(withAlias, [4])).toBeCloseTo(olsRSquared(y, [sum], w), 12)
  })

  it('an outcome with no variation has no R² (NaN)', () => {
    const flat = covarianceOf(
      y.map(() => 4),
      xs,
      w,
    )
    expect(Number.isNaN(subsetRSquared(flat)[3]!)).toBe(true)
  })
})

describe('LMG (Shapley decomposition of R²)', () => {
  it('equals the average over all 4! orders of entry, computed by the normal equations', () => {
    const { y, xs, w } = syntheticData(60, 11)
    const result = lmg(covarianceOf(y, xs, w))
    const expected = lmgByOrders(y, xs, w)
    result.contributions.forEach((c, j) => {
      expect(c).toBeCloseTo(expected[j]!, 12)
    })
    expect(result.contributions.reduce((s, c) => s + c, 0)).toBeCloseTo(olsRSquared(y, xs, w), 12)
    expect(result.method).toBe('lmg')
  })

  it('orthogonal predictors: each share is its squared correlation with y', () => {
    // A balanced 2×2×2 design: the three predictors are exactly uncorrelated under equal weights.
    const x1: number[] = []
    const x2: number[] = []
    const x3: number[] = []
    const y: number[] = []
    const noise = [0.3, -0.2, 0.1, -0.4, 0.25, 0.05, -0.15, 0.35]
    for (let rep = 0; rep < 3; rep++)
      for (let k = 0; k < 8; k++) {
        const a = k & 1 ? 1 : -1
        const b = k & 2 ? 1 : -1
        const c = k & 4 ? 1 : -1
        x1.push(a)
        x2.push(b)
        x3.push(c)
        y.push(3 + 0.9 * a + 0.4 * b + 0.1 * c + noise[(k + rep) % 8]!)
      }
    const w = y.map(() => 1)
    const result = lmg(covarianceOf(y, [x1, x2, x3], w))
    ;[x1, x2, x3].forEach((x, j) => {
      expect(result.contributions[j]).toBeCloseTo(correlation(y, x, w) ** 2, 12)
    })
    // Relative weights coincide with LMG when the predictors are orthogonal.
    const rw = relativeWeights(covarianceOf(y, [x1, x2, x3], w))
    rw.contributions.forEach((c, j) => {
      expect(c).toBeCloseTo(result.contributions[j]!, 10)
    })
  })

  it('two predictors: each gets half of its own r² plus half of what it adds to the other (closed form)', () => {
    const { y, xs, w } = syntheticData(50, 3)
    const [a, b] = [xs[0]!, xs[1]!]
    const full = olsRSquared(y, [a, b], w)
    const ra = correlation(y, a, w) ** 2
    const rb = correlation(y, b, w) ** 2
    const result = lmg(covarianceOf(y, [a, b], w))
    expect(result.contributions[0]).toBeCloseTo((ra + (full - rb)) / 2, 12)
    expect(result.contributions[1]).toBeCloseTo((rb + (full - ra)) / 2, 12)
  })

  it('two exchangeable correlated predictors split R² equally', () => {
    // Each row has a mirror with x1 and x2 swapped and the same y: swapping the predictors maps the data
    // set onto itself, so neither can be more important than the other.
    const half = [
      [1, 2, 3.4],
      [2, 1, 2.6],
      [3, 4, 7.2],
      [4, 3, 6.9],
      [5, 5, 10.1],
      [2, 3, 4.8],
      [3, 2, 5.5],
      [4, 5, 9.3],
      [1, 1, 2.2],
      [5, 4, 8.8],
    ]
    const rows = [...half, ...half.map(([a, b, y]) => [b!, a!, y!])]
    const [x1, x2, y] = [0, 1, 2].map((k) => rows.map((r) => r[k]!))
    const w = rows.map(() => 1)
    const result = lmg(covarianceOf(y!, [x1!, x2!], w))
    expect(result.contributions[0]).toBeCloseTo(result.contributions[1]!, 12)
    expect(result.contributions[0]! * 2).toBeCloseTo(olsRSquared(y!, [x1!, x2!], w), 12)
    expect(correlation(x1!, x2!, w)).toBeGreaterThan(0.5)
    const rw = relativeWeights(covarianceOf(y!, [x1!, x2!], w))
    expect(rw.contributions[0]).toBeCloseTo(rw.contributions[1]!, 12)
  })

  it('is unchanged by rescaling a predictor or reordering them', () => {
    const { y, xs, w } = syntheticData(60, 5)
    const base = lmg(covarianceOf(y, xs, w)).contributions
    const scaled = lmg(covarianceOf(y, [xs[0]!.map((v) => 100 * v - 3), xs[1]!, xs[2]!, xs[3]!], w)).contributions
    scaled.forEach((c, j) => {
      expect(c).toBeCloseTo(base[j]!, 12)
    })
    const reordered = lmg(covarianceOf(y, [xs[3]!, xs[2]!, xs[1]!, xs[0]!], w)).contributions
    expect(reordered.reverse().map((c) => c.toFixed(12))).toEqual(base.map((c) => c.toFixed(12)))
  })

  it('a constant predictor (a 100 % element) gets exactly 0', () => {
    const { y, xs, w } = syntheticData(40, 9)
    const result = lmg(covarianceOf(y, [xs[0]!, y.map(() => 1), xs[1]!], w))
    expect(result.contributions[1]).toBe(0)
    expect(result.rSquared).toBeCloseTo(olsRSquared(y, [xs[0]!, xs[1]!], w), 12)
  })

  it('chooses exact LMG up to 12 predictors and relative weights beyond', () => {
    const { y, xs, w } = syntheticData(60, 13)
    const many = Array.from({ length: 13 }, (_, j) => xs[j % 4]!.map((v, i) => v + ((i * (j + 1)) % 7) / 10))
    expect(relativeImportance(covarianceOf(y, many.slice(0, 12), w)).method).toBe('lmg')
    expect(relativeImportance(covarianceOf(y, many, w)).method).toBe('relative-weights')
  })
})

describe("Johnson's relative weights", () => {
  it('add up to R² and stay close to LMG on correlated predictors', () => {
    const { y, xs, w } = syntheticData(120, 17)
    const cov = covarianceOf(y, xs, w)
    const rw = relativeWeights(cov)
    const exact = lmg(cov)
    expect(rw.rSquared).toBeCloseTo(olsRSquared(y, xs, w), 12)
    rw.contributions.forEach((c, j) => {
      expect(Math.abs(c - exact.contributions[j]!)).toBeLessThan(0.02)
    })
  })

  it('the eigen-decomposition rebuilds its matrix', () => {
    const m = [
      [1, 0.5, 0.3],
      [0.5, 1, 0.2],
      [0.3, 0.2, 1],
    ]
    const { values, vectors } = symmetricEigen(m)
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++)
        expect(values.reduce((s, l, k) => s + vectors[i]![k]! * l * vectors[j]![k]!, 0)).toBeCloseTo(m[i]![j]!, 12)
  })
})

describe('the seeded stratified bootstrap', () => {
  it('keeps each stratum’s size and draws only from it', () => {
    const strata = ['A', 'A', 'B', 'A', 'B', 'C']
    const drawn = stratifiedResample(strata, seededRandom(1))
    expect(drawn).toHaveLength(6)
    const count = (h: string) => drawn.filter((i) => strata[i] === h).length
    expect([count('A'), count('B'), count('C')]).toEqual([3, 2, 1])
    expect(drawn.filter((i) => strata[i] === 'C')).toEqual([5])
  })

  it('quantiles as R type 7: quantile(1:10, c(0.025, 0.975)) = 1.225, 9.775', () => {
    const values = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5]
    expect(quantile(values, 0.025)).toBeCloseTo(1.225, 12)
    expect(percentileInterval(values, 0.95)).toEqual({
      lower: expect.closeTo(1.225, 12),
      upper: expect.closeTo(9.775, 12),
    })
  })

  it('the same seed gives the same numbers, another seed other numbers', () => {
    const a = seededRandom(42)
    const b = seededRandom(42)
    const c = seededRandom(43)
    const first = [a(), a(), a()]
    expect([b(), b(), b()]).toEqual(first)
    expect([c(), c(), c()]).not.toEqual(first)
    for (const v of first) expect(v >= 0 && v < 1).toBe(true)
  })
})

describe('replicateCovariance (the bootstrap inner loop)', () => {
  it('counts act as repeated rows: the same as the two-pass covariance of the rows drawn', () => {
    const { y, xs, w } = syntheticData(30, 19)
    const rows = y.map((v, i) => [v, ...xs.map((x) => x[i]!)])
    const counts = Int32Array.from(y.map((_, i) => i % 4))
    const drawn = rows.flatMap((r, i) => new Array<number[]>(counts[i]!).fill(r))
    const drawnWeights = w.flatMap((v, i) => new Array<number>(counts[i]!).fill(v))
    const expected = weightedCovariance(drawn, drawnWeights)
    const actual = replicateCovariance(Float64Array.from(rows.flat()), 5, w, counts)
    for (let a = 0; a < 5; a++) for (let b = 0; b < 5; b++) expect(actual[a]![b]).toBeCloseTo(expected[a]![b]!, 12)
  })
})

describe('driverAnalysis', () => {
  const { y, xs, w } = syntheticData(200, 21)
  const input = {
    outcome: y,
    predictors: xs.map((values, j) => ({ code: `E${j + 1}`, values })),
    weights: w,
    strata: y.map((_, i) => (i % 3 === 0 ? 'A' : 'B')),
  }

  it('shares of R² add up to 1, with reproducible percentile intervals around them', () => {
    const result = driverAnalysis(input, { ...DEFAULT_DRIVER_OPTIONS, replicates: 100 })
    if (result.status !== 'ok') throw new Error(result.status)
    expect(result.method).toBe('lmg')
    expect(result.drivers.reduce((s, d) => s + d.importance, 0)).toBeCloseTo(1, 12)
    expect(result.rSquared).toBeCloseTo(olsRSquared(y, xs, w), 12)
    const exact = lmgByOrders(y, xs, w)
    result.drivers.forEach((d, j) => {
      expect(d.importance).toBeCloseTo(exact[j]! / result.rSquared, 12)
    })
    for (const d of result.drivers) {
      expect(d.importanceCi!.lower).toBeLessThanOrEqual(d.importance + 1e-12)
      expect(d.importanceCi!.upper).toBeGreaterThanOrEqual(d.importance - 1e-12)
    }
    // x1 drives y most in the simulation, x4 least.
    expect(result.drivers[0]!.importance).toBeGreaterThan(result.drivers[3]!.importance)
    expect(result.replicates).toBe(100)
    const again = driverAnalysis(input, { ...DEFAULT_DRIVER_OPTIONS, replicates: 100 })
    expect(again).toEqual(result)
    const other = driverAnalysis(input, { ...DEFAULT_DRIVER_OPTIONS, replicates: 100, seed: 1 })
    if (other.status !== 'ok') throw new Error(other.status)
    expect(other.drivers[0]!.importance).toBe(result.drivers[0]!.importance)
    expect(other.drivers[0]!.importanceCi).not.toEqual(result.drivers[0]!.importanceCi)
  })

  it('uses only respondents who answered the outcome and every predictor', () => {
    const gappy = {
      ...input,
      outcome: y.map((v, i) => (i % 10 === 0 ? null : v)),
      predictors: input.predictors.map((p, j) => ({
        ...p,
        values: p.values.map((v, i) => (j === 2 && i % 10 === 5 ? null : v)),
      })),
    }
    const result = driverAnalysis(gappy, { ...DEFAULT_DRIVER_OPTIONS, replicates: 0 })
    if (result.status !== 'ok') throw new Error(result.status)
    expect(result.n).toBe(160)
    const keep = y.map((_, i) => i % 10 !== 0 && i % 10 !== 5)
    const pick = <T>(v: T[]) => v.filter((_, i) => keep[i])
    expect(result.rSquared).toBeCloseTo(olsRSquared(pick(y), xs.map(pick), pick(w)), 12)
    expect(result.drivers[0]!.importanceCi).toBeNull()
  })

  it('too few respondents: insufficient, with the number needed (30, or 5 per predictor)', () => {
    const few = driverAnalysis(
      { ...input, outcome: y.map((v, i) => (i < 25 ? v : null)) },
      { ...DEFAULT_DRIVER_OPTIONS, replicates: 0 },
    )
    expect(few).toEqual({ status: 'insufficient', n: 25, nEff: expect.any(Number), needed: 30 })
    const wide = driverAnalysis(
      {
        ...input,
        outcome: y.slice(0, 40),
        weights: w.slice(0, 40),
        strata: input.strata.slice(0, 40),
        predictors: Array.from({ length: 10 }, (_, j) => ({ code: `C${j}`, values: xs[j % 4]!.slice(0, 40) })),
      },
      { ...DEFAULT_DRIVER_OPTIONS, replicates: 0 },
    )
    expect(wide).toMatchObject({ status: 'insufficient', n: 40, needed: 50 })
  })

  it('everyone gave the same overall answer: noVariation, not a division by zero', () => {
    const result = driverAnalysis({ ...input, outcome: y.map(() => 5) }, { ...DEFAULT_DRIVER_OPTIONS, replicates: 10 })
    expect(result).toMatchObject({ status: 'noVariation', n: 200 })
  })
})

describe('importance–performance quadrants', () => {
  it('divides at the equal share and the mean score', () => {
    const reading = placeItems([
      { code: 'E1', importance: 0.4, score: 0.7 },
      { code: 'E2', importance: 0.3, score: 0.9 },
      { code: 'E3', importance: 0.2, score: 0.6 },
      { code: 'E4', importance: 0.1, score: 0.95 },
      { code: 'E5', importance: 0, score: null },
    ])
    expect(reading.importanceLine).toBe(0.2)
    expect(reading.scoreLine).toBeCloseTo(0.7875, 12)
    expect(reading.items.map((i) => i.quadrant)).toEqual(['fixFirst', 'keepUp', 'fixFirst', 'possibleOverkill', null])
    expect(reading.items.map((i) => i.importanceRank)).toEqual([1, 2, 3, 4, 5])
    expect(reading.items.map((i) => i.scoreRankFromLowest)).toEqual([2, 3, 1, 4, null])
    expect(summaryItems(reading).map((i) => i.code)).toEqual(['E1', 'E3'])
    expect(quadrantOf(0.1, 0.5, 0.2, 0.7)).toBe('lowerPriority')
  })

  it('with nothing to fix first, the summary names the most important item', () => {
    const reading = placeItems([
      { code: 'A', importance: 0.6, score: 0.9 },
      { code: 'B', importance: 0.4, score: 0.8 },
    ])
    expect(summaryItems(reading).map((i) => [i.code, i.quadrant])).toEqual([['A', 'keepUp']])
  })
})

describe('how large a unit is analysed whole', () => {
  it('every respondent up to the limit', () => {
    expect(driverSampleStep(0)).toBe(1)
    expect(driverSampleStep(DRIVER_SAMPLE_LIMIT)).toBe(1)
    expect(driverSampleStep(100, 100)).toBe(1)
  })

  it('above it, the smallest step that brings the respondents under the limit', () => {
    expect(driverSampleStep(101, 100)).toBe(2)
    expect(driverSampleStep(200, 100)).toBe(2)
    expect(driverSampleStep(201, 100)).toBe(3)
    expect(driverSampleStep(DRIVER_SAMPLE_LIMIT + 1)).toBe(2)
    for (const counted of [5001, 12_345, 1_000_000, 2_500_001]) {
      const step = driverSampleStep(counted)
      expect(Math.ceil(counted / step)).toBeLessThanOrEqual(DRIVER_SAMPLE_LIMIT)
      expect(Math.ceil(counted / (step - 1))).toBeGreaterThan(DRIVER_SAMPLE_LIMIT)
    }
  })

  it('a count that is no number, or a limit below one, analyses everyone', () => {
    expect(driverSampleStep(Number.NaN)).toBe(1)
    expect(driverSampleStep(500, 0)).toBe(1)
  })
})
