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

describe('pooled-criteria: a ratio of satisfied to answered criteria, with its linearised SE', () => {
  const result = computeIndices(design, scores, elements, 'pooled-criteria')

  it('element A: 5 satisfied of 7 answers; overall 7 of 10', () => {
    // s/a per respondent over A: 2/2, 1/2, 1/2, 1/1; over everything: 2/3, 2/3, 2/3, 1/1.
    expect(result.elements[0]!.estimate).toBeCloseTo(5 / 7, 12)
    expect(result.elements[1]!.estimate).toBeCloseTo(2 / 3, 12)
    expect(result.overall.estimate).toBeCloseTo(0.7, 12)
    expect(result.overall.n).toBe(4)
    expect(result.overall.method).toBe('pooled-criteria')
  })

  it('SE of the ratio (R: svyratio(~s, ~a)): zᵢ = (sᵢ − 0.7·aᵢ)/10 = −0.01, −0.01, −0.01, 0.03 → SE 0.04', () => {
    // v = 4/3 · (3·0.01² + 0.03²) = 0.0016.
    expect(result.overall.variance).toBeCloseTo(0.0016, 14)
    expect(result.overall.se).toBeCloseTo(0.04, 12)
  })

  it('equals the respondent composite of an element when nobody skips it (a constant denominator)', () => {
    const complete = { a1: [1, 0, 1, 1, 0], a2: [1, 1, 0, 1, 1], b1: [0, 1, 1, 1, 0] }
    const weighted = createDesign({ weights: [1, 2, 1, 3, 1] })
    const pooled = computeIndices(weighted, complete, elements, 'pooled-criteria')
    const composite = computeIndices(weighted, complete, elements, 'respondent-composite')
    expect(pooled.elements[0]!.estimate).toBeCloseTo(composite.elements[0]!.estimate, 12)
    expect(pooled.elements[0]!.se).toBeCloseTo(composite.elements[0]!.se, 12)
  })
})

describe('element-weighted: elements weighted by their number of criteria', () => {
  const result = computeIndices(design, scores, elements, 'element-weighted')

  it('overall = mean of all criterion indices (2/3 + 3/4 + 2/3)/3 = 25/36, whatever the element weights', () => {
    expect(result.elements[0]!.estimate).toBeCloseTo((2 / 3 + 3 / 4) / 2, 12)
    expect(result.overall.estimate).toBeCloseTo(25 / 36, 12)
  })

  it('SE from the summed influence values: (−7, −7, 5, 9)/432 → v = 4/3 · 204/432²', () => {
    // Criterion influences (yᵢ − p)/n: a1 (1/9, −2/9, 1/9, 0), a2 (1, 1, −3, 1)/16, b1 (−2/9, 1/9, 1/9, 0);
    // their sum per respondent is (−7, −7, 5, 9)/144, divided by 3 criteria.
    expect(result.overall.variance).toBeCloseTo(((4 / 3) * 204) / 432 ** 2, 14)
  })
})
