import { describe, expect, it } from 'vitest'
import { createDesign } from '../../../app/domain/statistics/design.ts'
import { estimateMean } from '../../../app/domain/statistics/estimators.ts'
import {
  addToAggregate,
  estimateFromAggregates,
  fromMicroUnits,
  mergeAggregateRows,
  toMicroUnits,
  type AggregateRow,
} from '../../../app/domain/statistics/sufficient.ts'

const answers = [5, 4, 4, 3, 5, 2, 5, 4]
const weights = [1, 1, 2, 2, 1, 3, 1, 1]

function aggregate(values: number[], w: number[]): AggregateRow[] {
  const rows = new Map<number, { n: number; sumWeights: bigint; sumSquaredWeights: bigint }>()
  values.forEach((answer, i) => {
    rows.set(answer, addToAggregate(rows.get(answer) ?? { n: 0, sumWeights: 0n, sumSquaredWeights: 0n }, w[i]!))
  })
  return [...rows].map(([answer, row]) => ({ answer, ...row }))
}

const satisfied = (answer: number) => (answer >= 4 ? 1 : 0)

describe('estimates from aggregate rows', () => {
  const rows = aggregate(answers, weights)

  it('reproduce the STATISTICS.md check vector: 0.5833333 (0.2179652), 3.5833333 (0.4959047), n_eff 6.545455', () => {
    const share = estimateFromAggregates(rows, satisfied)
    expect(share.estimate).toBeCloseTo(0.5833333, 7)
    expect(share.se).toBeCloseTo(0.2179652, 7)
    expect(share.nEff).toBeCloseTo(6.545455, 6)
    const mean = estimateFromAggregates(rows, (a) => a)
    expect(mean.estimate).toBeCloseTo(3.5833333, 7)
    expect(mean.se).toBeCloseTo(0.4959047, 7)
    expect(mean.n).toBe(8)
  })

  it('agree with the row-level weights-only design', () => {
    const weightsFractional = [0.37, 1.25, 2.5, 0.8, 1.1, 3.03, 0.9, 1.4]
    const fromRows = estimateFromAggregates(aggregate(answers, weightsFractional), (a) => a)
    const fromDesign = estimateMean(createDesign({ weights: weightsFractional }), answers)
    expect(fromRows.estimate).toBeCloseTo(fromDesign.estimate, 12)
    expect(fromRows.variance).toBeCloseTo(fromDesign.variance, 12)
    expect(fromRows.nEff).toBeCloseTo(fromDesign.nEff, 10)
  })

  it('exclude answers scored null (not applicable) from n and W', () => {
    const withNa = [...rows, { answer: 0, n: 3, sumWeights: toMicroUnits(9), sumSquaredWeights: toMicroUnits(3) ** 2n * 3n }]
    const share = estimateFromAggregates(withNa, (a) => (a === 0 ? null : satisfied(a)))
    expect(share.n).toBe(8)
    expect(share.estimate).toBeCloseTo(0.5833333, 7)
  })

  it('roll-ups are sums: merging two periods equals aggregating their union', () => {
    const first = aggregate(answers.slice(0, 4), weights.slice(0, 4))
    const second = aggregate(answers.slice(4), weights.slice(4))
    const merged = mergeAggregateRows([...first, ...second])
    expect(estimateFromAggregates(merged, satisfied)).toEqual(estimateFromAggregates(rows, satisfied))
  })

  it('empty input gives NaN, not an error', () => {
    expect(Number.isNaN(estimateFromAggregates([], satisfied).estimate)).toBe(true)
  })
})

describe('micro-units', () => {
  it('store weights exactly as integers', () => {
    expect(toMicroUnits(33.846996307373)).toBe(33846996n)
    expect(fromMicroUnits(toMicroUnits(0.1) + toMicroUnits(0.2))).toBe(0.3)
    expect(() => toMicroUnits(-1)).toThrow(RangeError)
  })
})
