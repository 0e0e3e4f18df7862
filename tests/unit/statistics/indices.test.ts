import { describe, expect, it } from 'vitest'
import { createDesign } from '../../../app/domain/statistics/design.ts'
import { computeIndices, type ElementDefinition } from '../../../app/domain/statistics/indices.ts'

const elements: ElementDefinition[] = [
  { id: 'A', weight: 2, criteria: ['a1', 'a2'] },
  { id: 'B', weight: 1, criteria: ['b1'] },
]
// "satisfied" scores (1 = answer 4 or 5), null = not answered
const scores = {
  a1: [1, 0, 1, null],
  a2: [1, 1, 0, 1],
  b1: [0, 1, 1, null],
}
const design = createDesign({ size: 4 })

describe('respondent-composite', () => {
  const result = computeIndices(design, scores, elements, 'respondent-composite')

  it('element index = mean of per-respondent element scores (hand: A 0.75, B 2/3)', () => {
    // A per respondent: 1, 0.5, 0.5, 1; B: 0, 1, 1, —
    expect(result.elements[0]!.estimate).toBeCloseTo(0.75, 12)
    expect(result.elements[1]!.estimate).toBeCloseTo(2 / 3, 12)
    expect(result.elements[1]!.n).toBe(3)
  })

  it('overall = mean of element-weighted respondent composites (hand: 0.75)', () => {
    // respondents: (2·1+0)/3, (2·0.5+1)/3, (2·0.5+1)/3, 1 (only A answered)
    expect(result.overall.estimate).toBeCloseTo(0.75, 12)
    expect(result.overall.n).toBe(4)
  })

  it('records the method on every result', () => {
    expect(result.method).toBe('respondent-composite')
    for (const r of [...result.criteria, ...result.elements, result.overall])
      expect(r.method).toBe('respondent-composite')
  })
})

describe('mean-of-item-indices', () => {
  const result = computeIndices(design, scores, elements, 'mean-of-item-indices')

  it('criteria 2/3, 3/4, 2/3; element A = 17/24, B = 2/3; overall = 25/36', () => {
    expect(result.criteria.map((c) => c.estimate)).toEqual([2 / 3, 3 / 4, 2 / 3].map((v) => expect.closeTo(v, 12)))
    expect(result.elements[0]!.estimate).toBeCloseTo(17 / 24, 12)
    expect(result.elements[1]!.estimate).toBeCloseTo(2 / 3, 12)
    expect(result.overall.estimate).toBeCloseTo(25 / 36, 12)
    expect(result.overall.method).toBe('mean-of-item-indices')
  })

  it('a single-criterion element has the criterion SE', () => {
    expect(result.elements[1]!.se).toBeCloseTo(result.criteria[2]!.se, 12)
  })

  it('differs from respondent-composite when answers are missing', () => {
    const composite = computeIndices(design, scores, elements, 'respondent-composite')
    expect(Math.abs(composite.overall.estimate - result.overall.estimate)).toBeGreaterThan(0.05)
  })
})

describe('complete answers', () => {
  const complete = { a1: [1, 0, 1, 1, 0], a2: [1, 1, 0, 1, 1], b1: [0, 1, 1, 1, 0] }
  const weighted = createDesign({ weights: [1, 2, 1, 3, 1] })

  it('both methods give the same element and overall index, and the same SE', () => {
    const a = computeIndices(weighted, complete, elements, 'respondent-composite')
    const b = computeIndices(weighted, complete, elements, 'mean-of-item-indices')
    for (const k of [0, 1]) {
      expect(b.elements[k]!.estimate).toBeCloseTo(a.elements[k]!.estimate, 12)
      expect(b.elements[k]!.se).toBeCloseTo(a.elements[k]!.se, 12)
    }
    expect(b.overall.estimate).toBeCloseTo(a.overall.estimate, 12)
    expect(b.overall.se).toBeCloseTo(a.overall.se, 12)
  })

  it('an element index SE is not the mean of its criterion SEs (correlation counts)', () => {
    const a = computeIndices(weighted, complete, elements, 'respondent-composite')
    const naive = (a.criteria[0]!.se + a.criteria[1]!.se) / 2
    expect(Math.abs(a.elements[0]!.se - naive)).toBeGreaterThan(1e-3)
  })
})
