/**
 * The interval method each score cell reports, and the two further index methods (issue #16): the
 * pooled-criteria index and the element-weighted index, beside the respondent composite.
 */
import { describe, expect, it } from 'vitest'
import { SIPAS_2017_ELEMENTS } from '#app/domain/questionnaire/templates/sipas2017.ts'
import {
  type AgencySums,
  DEFAULT_SCORE_OPTIONS,
  INDEX_METHODS,
  type ScoreOptions,
  scoreAgency,
} from '#app/domain/scoring/score-table.ts'
import { createDesign } from '#app/domain/statistics/design.ts'
import { computeIndices } from '#app/domain/statistics/indices.ts'
import { agencySums, elements, type Respondent, uniform } from './support.ts'

const opts = (o: Partial<ScoreOptions> = {}): ScoreOptions => ({ ...DEFAULT_SCORE_OPTIONS, ...o })
const one = (sums: AgencySums) => new Map([[1, sums]])

describe('every score cell names the interval method actually used', () => {
  const single = elements([['X', 1, ['X1']]])
  const allSatisfied = one(agencySums(single, uniform(single, 40, 5)))
  const threeQuarters = one(agencySums(single, [...uniform(single, 30, 5), ...uniform(single, 10, 2)]))

  it('Korn–Graubard by default', () => {
    const s = scoreAgency(threeQuarters, single, opts())
    expect(s.overall.intervalMethod).toBe('beta')
    expect(s.elements.X!.intervalMethod).toBe('beta')
    expect(s.criteria.X1!.intervalMethod).toBe('beta')
  })

  it('logit where it is defined; at 100 % the Korn–Graubard interval it falls back to, said as such', () => {
    expect(scoreAgency(threeQuarters, single, opts({ interval: 'logit' })).overall.intervalMethod).toBe('logit')
    const full = scoreAgency(allSatisfied, single, opts({ interval: 'logit' }))
    expect(full.overall.intervalMethod).toBe('beta')
    expect(full.criteria.X1!.intervalMethod).toBe('beta')
    // 40 of 40: the Clopper–Pearson lower bound 0.025^(1/40).
    expect(full.overall.ci!.lower).toBeCloseTo(0.025 ** (1 / 40), 6)
  })

  it('wilson, on the design degrees of freedom', () => {
    const s = scoreAgency(allSatisfied, single, opts({ interval: 'wilson' }))
    expect(s.overall.intervalMethod).toBe('wilson')
    // Wilson at p = 1, n = 40, with t_{39, 0.975} = 2.022690920036761 (R: qt(0.975, 39)): lower = n/(n + t²).
    const t = 2.022690920036761
    expect(s.overall.ci!.lower).toBeCloseTo(40 / (40 + t * t), 10)
  })

  it('null where no interval was computed', () => {
    expect(scoreAgency(threeQuarters, single, opts({ intervals: 'none' })).overall.intervalMethod).toBeNull()
    const noCriteria = scoreAgency(threeQuarters, single, opts({ intervals: 'no-criteria' }))
    expect(noCriteria.overall.intervalMethod).toBe('beta')
    expect(noCriteria.criteria.X1!.intervalMethod).toBeNull()
  })
})

describe('pooled-criteria and element-weighted indices', () => {
  // A (criteria A1, A2) and B (B1), element weights 1; two respondents skip a criterion.
  //   R1: A1=5 A2=5 B1=5   R2: A1=5 B1=2   R3: A1=2 A2=4 B1=4   R4: A2=1 B1=5
  const ab = elements([
    ['A', 1, ['A1', 'A2']],
    ['B', 1, ['B1']],
  ])
  const skippers: Respondent[] = [
    { answers: { A1: 5, A2: 5, B1: 5 } },
    { answers: { A1: 5, B1: 2 } },
    { answers: { A1: 2, A2: 4, B1: 4 } },
    { answers: { A2: 1, B1: 5 } },
  ]
  const sums = one(agencySums(ab, skippers))

  it('are named methods beside the respondent composite', () => {
    expect(INDEX_METHODS).toEqual([
      'respondent-composite',
      'mean-of-item-indices',
      'pooled-criteria',
      'element-weighted',
    ])
  })

  it('pooled-criteria: satisfied answers over answers, per element and over all criteria', () => {
    const s = scoreAgency(sums, ab, opts({ weighting: 'unweighted', method: 'pooled-criteria' }))
    // A: A1 (5, 5, 2) and A2 (5, 4, 1) → 4 satisfied of 6 answers; B: 3 of 4; overall: 7 of 10.
    expect(s.elements.A!.estimate).toBeCloseTo(4 / 6, 12)
    expect(s.elements.B!.estimate).toBeCloseTo(3 / 4, 12)
    expect(s.overall.estimate).toBeCloseTo(7 / 10, 12)
    // SE, n and n_eff are the respondent composite's (the aggregates hold no cross-criterion products).
    const composite = scoreAgency(sums, ab, opts({ weighting: 'unweighted' }))
    expect(s.overall.se).toBe(composite.overall.se)
    expect(s.overall.n).toBe(4)
  })

  it('pooled-criteria with weights: Σ w over satisfied answers / Σ w over answers', () => {
    const weighted = one(
      agencySums(
        ab,
        skippers.map((r, i) => ({ ...r, w: [1, 2, 3, 4][i] })),
      ),
    )
    const s = scoreAgency(weighted, ab, opts({ weighting: 'design', method: 'pooled-criteria' }))
    // Satisfied: R1 ×3 (w 1), R2 A1 (w 2), R3 A2 + B1 (w 3 each), R4 B1 (w 4) = 3 + 2 + 6 + 4 = 15.
    // Answered: R1 3·1, R2 2·2, R3 3·3, R4 2·4 = 3 + 4 + 9 + 8 = 24.
    expect(s.overall.estimate).toBeCloseTo(15 / 24, 12)
    // A: satisfied 2 (R1) + 2 (R2) + 3 (R3) = 7 of answered 2 + 2 + 6 + 4 = 14.
    expect(s.elements.A!.estimate).toBeCloseTo(7 / 14, 12)
  })

  it('pooled-criteria post-stratified: each agency’s answers scaled by N_g / W_g', () => {
    const data = new Map([
      [1, agencySums(ab, skippers.slice(0, 2))], // answers 5 satisfied 4 (R1 3, R2 1), W = 2
      [2, agencySums(ab, skippers.slice(2))], // answers 5, satisfied 3 (R3 2, R4 1), W = 2
    ])
    const s = scoreAgency(
      data,
      ab,
      opts({
        weighting: 'poststratified',
        method: 'pooled-criteria',
        population: new Map([
          [1, 30],
          [2, 10],
        ]),
      }),
    )
    // k = 15 and 5: (15·4 + 5·3) / (15·5 + 5·5) = 75/100.
    expect(s.overall.estimate).toBeCloseTo(0.75, 12)
  })

  it('element-weighted: element indices as mean of item indices, weighted by number of criteria', () => {
    const s = scoreAgency(sums, ab, opts({ weighting: 'unweighted', method: 'element-weighted' }))
    // A = (2/3 + 2/3)/2, B = 3/4; overall (2·2/3 + 1·3/4)/3 = 25/36 — the mean of all three criteria.
    expect(s.elements.A!.estimate).toBeCloseTo(2 / 3, 12)
    expect(s.overall.estimate).toBeCloseTo(25 / 36, 12)
    const meanOfItems = scoreAgency(sums, ab, opts({ weighting: 'unweighted', method: 'mean-of-item-indices' }))
    expect(meanOfItems.overall.estimate).toBeCloseTo(17 / 24, 12)
  })

  it('all four agree when nobody skips and elements have equal numbers of criteria and weights', () => {
    const even = elements([
      ['A', 1, ['A1', 'A2']],
      ['B', 1, ['B1', 'B2']],
    ])
    const full = one(
      agencySums(even, [
        { answers: { A1: 5, A2: 2, B1: 5, B2: 5 } },
        { answers: { A1: 4, A2: 4, B1: 1, B2: 3 } },
        { answers: { A1: 1, A2: 1, B1: 4, B2: 2 } },
      ]),
    )
    const values = INDEX_METHODS.map(
      (method) => scoreAgency(full, even, opts({ weighting: 'unweighted', method })).overall.estimate,
    )
    // Satisfied answers: 3 + 2 + 1 = 6 of 12.
    for (const v of values) expect(v).toBeCloseTo(0.5, 12)
  })
})

describe('aggregates against microdata (computeIndices) for the new methods', () => {
  // A has two criteria and weight 2, B one criterion and weight 1: weights proportional to criteria.
  const proportional = elements([
    ['A', 2, ['A1', 'A2']],
    ['B', 1, ['B1']],
  ])
  const complete: Respondent[] = [
    { w: 1, answers: { A1: 5, A2: 2, B1: 5 } },
    { w: 2, answers: { A1: 4, A2: 4, B1: 1 } },
    { w: 1, answers: { A1: 1, A2: 1, B1: 4 } },
    { w: 3, answers: { A1: 5, A2: 4, B1: 2 } },
    { w: 1, answers: { A1: 2, A2: 5, B1: 5 } },
  ]
  const microdata = (respondents: Respondent[], method: 'pooled-criteria' | 'element-weighted') =>
    computeIndices(
      createDesign({ weights: respondents.map((r) => r.w ?? 1) }),
      Object.fromEntries(
        ['A1', 'A2', 'B1'].map((c) => [
          c,
          respondents.map((r) => (r.answers[c] === undefined ? null : r.answers[c]! >= 4 ? 1 : 0)),
        ]),
      ),
      proportional.map((e) => ({ id: e.code, weight: e.weight, criteria: e.criteria.map((c) => c.code) })),
      method,
    )

  for (const method of ['pooled-criteria', 'element-weighted'] as const) {
    it(`${method}: same estimate; same SE when nobody skips and weights follow the criteria counts`, () => {
      const aggregate = scoreAgency(one(agencySums(proportional, complete)), proportional, opts({ method }))
      const exact = microdata(complete, method)
      expect(aggregate.overall.estimate).toBeCloseTo(exact.overall.estimate, 12)
      expect(aggregate.overall.se).toBeCloseTo(exact.overall.se, 12)
      expect(aggregate.elements.A!.se).toBeCloseTo(exact.elements[0]!.se, 12)
    })

    it(`${method}: with skipped criteria the estimate is still exact, the SE only borrowed`, () => {
      const skipping = [...complete, { w: 2, answers: { A1: 5, B1: 1 } }, { w: 1, answers: { A2: 2, B1: 5 } }]
      const aggregate = scoreAgency(one(agencySums(proportional, skipping)), proportional, opts({ method }))
      const exact = microdata(skipping, method)
      expect(aggregate.overall.estimate).toBeCloseTo(exact.overall.estimate, 12)
      expect(aggregate.overall.se).not.toBeCloseTo(exact.overall.se, 6)
    })
  }
})

describe("the ministry's 2023 overall (docs/statistics.md)", () => {
  // Published element indices 83.00 / 83.02 / 83.12 / 83.03 / 82.27 and overall 82.66.
  const published = [83.0, 83.02, 83.12, 83.03, 82.27]
  const weighted = (weights: number[]) =>
    published.reduce((sum, v, i) => sum + weights[i]! * v, 0) / weights.reduce((a, b) => a + b, 0)

  it('neither the plain mean nor the criteria-count weighting reproduces 82.66', () => {
    const counts = SIPAS_2017_ELEMENTS.map((e) => e.items.filter((i) => i.countsInIndex).length)
    expect(counts).toEqual([4, 5, 6, 3, 4])
    expect(weighted([1, 1, 1, 1, 1])).toBeCloseTo(82.888, 3)
    expect(weighted(counts)).toBeCloseTo(82.9086, 4)
    expect(weighted([4, 6, 4, 5, 3])).toBeCloseTo(82.9345, 4)
    // Any weighted mean of the elements reaching 82.66 puts at least 45% of the weight on element 5
    // (worst case: the others at their lowest, 83.00 − 0.005, element 5 at 82.27 + 0.005, overall 82.665).
    const needed = (83.0 - 0.005 - 82.665) / (83.0 - 0.005 - (82.27 + 0.005))
    expect(needed).toBeGreaterThan(0.45)
    expect(4 / 22).toBeLessThan(needed)
  })
})
