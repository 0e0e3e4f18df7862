// Aggregate-based estimates must equal the microdata estimators of the same design: these tests build
// random microdata, estimate it both ways and compare.
import { describe, expect, it } from 'vitest'
import {
  addSums,
  EMPTY_SUMS,
  estimatePooled,
  estimatePostStratified,
  type MomentSums,
  observationSums,
  PopulationError,
  scaleSums,
} from '#app/domain/statistics/cell-sums.ts'
import { createDesign } from '#app/domain/statistics/design.ts'
import { estimateMean } from '#app/domain/statistics/estimators.ts'
import { postStratify } from '#app/domain/statistics/calibration.ts'
import { seededRandom } from '#app/.server/services/seed.ts'

function microdata(seed: number, size: number, cells: string[]) {
  const random = seededRandom(seed)
  return Array.from({ length: size }, (_, i) => ({
    cell: cells[i % cells.length],
    weight: 0.5 + random() * 3,
    x: random() < 0.8 ? 1 : random() < 0.5 ? 0.5 : 0,
  }))
}

function sumsByCell(rows: ReturnType<typeof microdata>) {
  const cells = new Map<string, MomentSums>()
  for (const r of rows) cells.set(r.cell, addSums(cells.get(r.cell) ?? EMPTY_SUMS, observationSums(r.weight, r.x)))
  return cells
}

describe('estimatePooled', () => {
  it('reproduces the docs/statistics.md check vector (share satisfied 0.5833333, SE 0.2179652, n_eff 6.545455)', () => {
    const answers = [5, 4, 4, 3, 5, 2, 5, 4]
    const weights = [1, 1, 2, 2, 1, 3, 1, 1]
    const sums = answers.map((a, i) => observationSums(weights[i], a >= 4 ? 1 : 0))
    const e = estimatePooled(sums)
    expect(e.estimate).toBeCloseTo(0.5833333, 7)
    expect(e.se).toBeCloseTo(0.2179652, 7)
    expect(e.nEff).toBeCloseTo(6.545455, 6)
    const mean = estimatePooled(answers.map((a, i) => observationSums(weights[i], a)))
    expect(mean.estimate).toBeCloseTo(3.5833333, 7)
    expect(mean.se).toBeCloseTo(0.4959047, 7)
  })

  it('equals the microdata weighted mean and its Taylor SE, however the rows are split into cells', () => {
    const rows = microdata(7, 400, ['a', 'b', 'c', 'd'])
    const design = createDesign({ weights: rows.map((r) => r.weight) })
    const micro = estimateMean(
      design,
      rows.map((r) => r.x),
    )
    const fromCells = estimatePooled([...sumsByCell(rows).values()])
    const fromOne = estimatePooled([rows.map((r) => observationSums(r.weight, r.x)).reduce(addSums, EMPTY_SUMS)])
    for (const e of [fromCells, fromOne]) {
      expect(e.estimate).toBeCloseTo(micro.estimate, 12)
      expect(e.se).toBeCloseTo(micro.se, 12)
      expect(e.nEff).toBeCloseTo(micro.nEff, 9)
      expect(e.n).toBe(400)
    }
  })

  it('gives a zero variance when everyone is satisfied, and NaN estimates when nobody answered', () => {
    const all = estimatePooled(Array.from({ length: 10 }, () => observationSums(1, 1)))
    expect(all.estimate).toBe(1)
    expect(all.variance).toBe(0)
    const none = estimatePooled([])
    expect(none.n).toBe(0)
    expect(Number.isNaN(none.estimate)).toBe(true)
  })

  it('with equal weights gives the unweighted mean and n_eff = n', () => {
    const e = estimatePooled([1, 1, 0, 1].map((x) => observationSums(2.5, x)))
    expect(e.estimate).toBe(0.75)
    expect(e.nEff).toBeCloseTo(4, 12)
  })
})

describe('estimatePostStratified', () => {
  const rows = microdata(11, 300, ['E', 'H', 'M'])
  const population = new Map([
    ['E', 4421],
    ['H', 755],
    ['M', 1018],
  ])

  it('equals R-style post-stratification of the microdata (estimate and SE)', () => {
    const design = postStratify(createDesign({ weights: rows.map((r) => r.weight) }), {
      cells: rows.map((r) => r.cell),
      population: Object.fromEntries(population),
    })
    const micro = estimateMean(
      design,
      rows.map((r) => r.x),
    )
    const fromCells = estimatePostStratified(sumsByCell(rows), population)
    expect(fromCells.estimate).toBeCloseTo(micro.estimate, 12)
    expect(fromCells.se).toBeCloseTo(micro.se, 12)
    expect(fromCells.sumWeights).toBeCloseTo(4421 + 755 + 1018, 6)
  })

  it('refuses a population cell without respondents and a sample cell without population', () => {
    const cells = sumsByCell(rows)
    expect(() => estimatePostStratified(cells, new Map([...population, ['X', 10]]))).toThrow(PopulationError)
    expect(() =>
      estimatePostStratified(
        cells,
        new Map([
          ['E', 1],
          ['H', 2],
        ]),
      ),
    ).toThrow(/no population count for cell M/)
  })

  it('scales by the respondents of the cell when the variable was not answered by all of them', () => {
    const cells = sumsByCell(rows)
    const weights = new Map([...cells].map(([k, s]) => [k, s.sw * 2]))
    const e = estimatePostStratified(cells, population, weights)
    expect(e.sumWeights).toBeCloseTo((4421 + 755 + 1018) / 2, 6)
  })

  it('scaleSums multiplies weights: the mean is unchanged, Σw scales by k and Σw² by k²', () => {
    const s = rows
      .slice(0, 10)
      .map((r) => observationSums(r.weight, r.x))
      .reduce(addSums, EMPTY_SUMS)
    const k = scaleSums(s, 3)
    expect(k.swx / k.sw).toBeCloseTo(s.swx / s.sw, 12)
    expect(k.sw).toBeCloseTo(3 * s.sw, 12)
    expect(k.sw2).toBeCloseTo(9 * s.sw2, 12)
  })
})
