/**
 * The score table from aggregate sums, on cases small enough to compute by hand: both index methods,
 * element weights, design vs post-stratified weights, publication thresholds and rankings on the
 * rounded value with shared ranks.
 */
import { describe, expect, it } from 'vitest'
import {
  type AgencySums,
  DEFAULT_SCORE_OPTIONS,
  indicatorSums,
  type ScoreOptions,
  scoreAgency,
  type ScoringAgency,
  scoreTable,
} from '#app/domain/scoring/score-table.ts'
import { PopulationError } from '#app/domain/statistics/cell-sums.ts'
import { agencySums, elements, type Respondent, uniform } from './support.ts'

const opts = (o: Partial<ScoreOptions> = {}): ScoreOptions => ({ ...DEFAULT_SCORE_OPTIONS, ...o })
const one = (id: number, sums: AgencySums) => new Map([[id, sums]])

// Two elements: A (criteria A1, A2) and B (criterion B1). Four respondents, two of whom skip a criterion:
//   R1: A1=5 A2=5 B1=5 → A = 1,   B = 1, overall (equal weights) = 1
//   R2: A1=5  —   B1=2 → A = 1,   B = 0, overall = 0.5
//   R3: A1=2 A2=4 B1=4 → A = 1/2, B = 1, overall = 0.75
//   R4:  —   A2=1 B1=5 → A = 0,   B = 1, overall = 0.5
const SKIPPERS: Respondent[] = [
  { answers: { A1: 5, A2: 5, B1: 5 } },
  { answers: { A1: 5, B1: 2 } },
  { answers: { A1: 2, A2: 4, B1: 4 } },
  { answers: { A2: 1, B1: 5 } },
]

describe('index methods on respondents who skip criteria', () => {
  const equal = elements([
    ['A', 1, ['A1', 'A2']],
    ['B', 1, ['B1']],
  ])
  const sums = agencySums(equal, SKIPPERS)

  it('criterion indices are the share satisfied among those who answered it', () => {
    const s = scoreAgency(one(1, sums), equal, opts({ weighting: 'unweighted' }))
    // A1: answered by R1, R2, R3 (5, 5, 2) → 2/3; A2: R1, R3, R4 (5, 4, 1) → 2/3; B1: 5, 2, 4, 5 → 3/4.
    expect(s.criteria.A1.estimate).toBeCloseTo(2 / 3, 12)
    expect(s.criteria.A1.n).toBe(3)
    expect(s.criteria.A2.estimate).toBeCloseTo(2 / 3, 12)
    expect(s.criteria.B1.estimate).toBeCloseTo(3 / 4, 12)
    expect(s.criteria.B1.n).toBe(4)
  })

  it("'respondent-composite': the mean of each respondent's own share", () => {
    const s = scoreAgency(one(1, sums), equal, opts({ weighting: 'unweighted', method: 'respondent-composite' }))
    // A = (1 + 1 + 0.5 + 0)/4 = 0.625; B = (1 + 0 + 1 + 1)/4 = 0.75; overall = (1 + 0.5 + 0.75 + 0.5)/4 = 0.6875.
    expect(s.elements.A.estimate).toBeCloseTo(0.625, 12)
    expect(s.elements.B.estimate).toBeCloseTo(0.75, 12)
    expect(s.overall.estimate).toBeCloseTo(0.6875, 12)
    expect(s.overall.n).toBe(4)
  })

  it("'mean-of-item-indices': the mean of criterion indices, then of element indices — a different number", () => {
    const s = scoreAgency(one(1, sums), equal, opts({ weighting: 'unweighted', method: 'mean-of-item-indices' }))
    // A = (2/3 + 2/3)/2 = 2/3; B = 3/4; overall = (2/3 + 3/4)/2 = 17/24 ≈ 0.708333 (vs 0.6875 above).
    expect(s.elements.A.estimate).toBeCloseTo(2 / 3, 12)
    expect(s.elements.B.estimate).toBeCloseTo(3 / 4, 12)
    expect(s.overall.estimate).toBeCloseTo(17 / 24, 12)
    expect(s.overall.estimate).not.toBeCloseTo(0.6875, 3)
  })

  it('element weights enter both methods', () => {
    const weighted = elements([
      ['A', 1, ['A1', 'A2']],
      ['B', 3, ['B1']],
    ])
    const wsums = agencySums(weighted, SKIPPERS)
    // Composite per respondent, (1·A + 3·B)/4: R1 1, R2 (1 + 0)/4 = 0.25, R3 (0.5 + 3)/4 = 0.875, R4 (0 + 3)/4 = 0.75
    // → overall (1 + 0.25 + 0.875 + 0.75)/4 = 0.71875.
    expect(
      scoreAgency(one(1, wsums), weighted, opts({ weighting: 'unweighted', method: 'respondent-composite' })).overall
        .estimate,
    ).toBeCloseTo(0.71875, 12)
    // Index of indices: (1·2/3 + 3·3/4)/4 = 35/48 ≈ 0.729167.
    expect(
      scoreAgency(one(1, wsums), weighted, opts({ weighting: 'unweighted', method: 'mean-of-item-indices' })).overall
        .estimate,
    ).toBeCloseTo(35 / 48, 12)
  })

  it('both methods agree when nobody skips and element weights are equal', () => {
    const full = agencySums(equal, [
      { answers: { A1: 5, A2: 2, B1: 5 } },
      { answers: { A1: 4, A2: 4, B1: 1 } },
      { answers: { A1: 1, A2: 1, B1: 4 } },
    ])
    // Composites: (0.5+1)/2, (1+0)/2, (0+1)/2 → mean 0.5833…; items A1 2/3, A2 1/3, B1 2/3 → ((2/3+1/3)/2 + 2/3)/2 = 7/12.
    const a = scoreAgency(one(1, full), equal, opts({ weighting: 'unweighted', method: 'respondent-composite' }))
    const b = scoreAgency(one(1, full), equal, opts({ weighting: 'unweighted', method: 'mean-of-item-indices' }))
    expect(a.overall.estimate).toBeCloseTo(7 / 12, 12)
    expect(b.overall.estimate).toBeCloseTo(7 / 12, 12)
  })
})

describe('weights', () => {
  // The spec's check: answers [5,4,4,3,5,2,5,4], weights [1,1,2,2,1,3,1,1], one criterion.
  const single = elements([['X', 1, ['X1']]])
  const answers = [5, 4, 4, 3, 5, 2, 5, 4]
  const weights = [1, 1, 2, 2, 1, 3, 1, 1]
  const sums = agencySums(
    single,
    answers.map((a, i) => ({ w: weights[i], answers: { X1: a } })),
  )

  it('design weighting reproduces the reference share, SE and n_eff (R survey package)', () => {
    const s = scoreAgency(one(1, sums), single, opts({ weighting: 'design' }))
    // Satisfied weight 1+1+2+1+1+1 = 7 of W = 12 → 0.583333; n_eff = 144/22 = 6.545455.
    expect(s.overall.estimate).toBeCloseTo(7 / 12, 7)
    expect(s.overall.se).toBeCloseTo(0.2179652, 6)
    expect(s.overall.nEff).toBeCloseTo(6.545455, 5)
    expect(s.overall.n).toBe(8)
    // The criterion from per-answer rows gives the same numbers as the respondent composite.
    expect(s.criteria.X1.estimate).toBeCloseTo(7 / 12, 12)
    expect(s.criteria.X1.se).toBeCloseTo(0.2179652, 6)
    expect(s.criteria.X1.nEff).toBeCloseTo(6.545455, 5)
  })

  it('unweighted ignores the weights: 6 of 8 satisfied, n_eff = n', () => {
    const s = scoreAgency(one(1, sums), single, opts({ weighting: 'unweighted' }))
    expect(s.overall.estimate).toBeCloseTo(0.75, 12)
    expect(s.overall.nEff).toBeCloseTo(8, 12)
    expect(s.criteria.X1.estimate).toBeCloseTo(0.75, 12)
  })

  it('indicatorSums turns per-answer rows into sums of the satisfied indicator', () => {
    const rows = [
      { answer: 5, n: 2, sw: 3, sw2: 5 },
      { answer: 3, n: 1, sw: 2, sw2: 4 },
      { answer: 4, n: 1, sw: 1, sw2: 1 },
    ]
    expect(indicatorSums(rows, 4, true)).toEqual({ n: 4, sw: 6, sw2: 10, swx: 4, swx2: 4, sw2x: 6, sw2x2: 6 })
    expect(indicatorSums(rows, 4, false)).toEqual({ n: 4, sw: 4, sw2: 4, swx: 3, swx2: 3, sw2x: 3, sw2x2: 3 })
  })

  describe('post-stratified vs design', () => {
    // Agency 1: 4 respondents (weight 1), 3 satisfied → 0.75. Agency 2: 4 respondents, 1 satisfied → 0.25.
    const data = new Map([
      [
        1,
        agencySums(
          single,
          [5, 5, 4, 2].map((a) => ({ answers: { X1: a } })),
        ),
      ],
      [
        2,
        agencySums(
          single,
          [5, 1, 2, 3].map((a) => ({ answers: { X1: a } })),
        ),
      ],
    ])

    it('design: the pooled share 4/8 = 0.5', () => {
      const s = scoreAgency(data, single, opts({ weighting: 'design' }))
      expect(s.overall.estimate).toBeCloseTo(0.5, 12)
      // v = 8/7 · Σ(x − 0.5)² / 8² = 8/7 · 2/64.
      expect(s.overall.se).toBeCloseTo(Math.sqrt((8 / 7) * (2 / 64)), 12)
    })

    it('post-stratified to N = 300 and 100: (300·0.75 + 100·0.25)/400 = 0.625, with the within-cell variance', () => {
      const s = scoreAgency(
        data,
        single,
        opts({
          weighting: 'poststratified',
          population: new Map([
            [1, 300],
            [2, 100],
          ]),
        }),
      )
      expect(s.overall.estimate).toBeCloseTo(0.625, 12)
      expect(s.criteria.X1.estimate).toBeCloseTo(0.625, 12)
      // Weights become 75 (cell 1) and 25 (cell 2): n_eff = 400² / (4·75² + 4·25²) = 6.4.
      expect(s.overall.nEff).toBeCloseTo(6.4, 12)
      // Residuals from each cell's own mean: 75²·(3·0.25² + 0.75²) + 25²·(0.75² + 3·0.25²) = 4218.75 + 468.75 = 4687.5;
      // v = 8/7 · 4687.5 / 400².
      expect(s.overall.se).toBeCloseTo(Math.sqrt(((8 / 7) * 4687.5) / 160000), 12)
    })

    it('a population count for an agency without sample is a PopulationError, not silently dropped', () => {
      const withEmpty = new Map([...data, [3, { composites: new Map(), answers: new Map() } as AgencySums]])
      const run = () =>
        scoreAgency(
          withEmpty,
          single,
          opts({
            weighting: 'poststratified',
            population: new Map([
              [1, 300],
              [2, 100],
              [3, 50],
            ]),
          }),
        )
      expect(run).toThrow(PopulationError)
      try {
        run()
      } catch (error) {
        expect((error as PopulationError).cell).toBe('3')
      }
    })

    it('an agency with sample but no population count is a PopulationError too', () => {
      const run = () =>
        scoreAgency(data, single, opts({ weighting: 'poststratified', population: new Map([[1, 300]]) }))
      expect(run).toThrow(PopulationError)
      try {
        run()
      } catch (error) {
        expect((error as PopulationError).cell).toBe('2')
      }
    })

    it('population counts outside the agencies scored are ignored', () => {
      const s = scoreAgency(
        new Map([[1, data.get(1)!]]),
        single,
        opts({
          weighting: 'poststratified',
          population: new Map([
            [1, 300],
            [2, 100],
          ]),
        }),
      )
      expect(s.overall.estimate).toBeCloseTo(0.75, 12)
    })
  })
})

describe('scoreTable: publication thresholds and rankings', () => {
  const single = elements([['X', 1, ['X1']]])
  const agency = (id: number, parentId: number | null): ScoringAgency => ({
    id,
    code: `U${id}`,
    nameVi: `Đơn vị ${id}`,
    nameEn: `Unit ${id}`,
    level: parentId ? 'department' : 'province',
    parentId,
    path: parentId ? `/${parentId}/${id}/` : `/${id}/`,
  })
  const mixed = (satisfied: number, unsatisfied: number, extra: Respondent[] = []): Respondent[] => [
    ...uniform(single, satisfied, 5),
    ...uniform(single, unsatisfied, 2),
    ...extra,
  ]
  const data = new Map<number, AgencySums>([
    [2, agencySums(single, mixed(40, 0))], // 100 %
    [3, agencySums(single, mixed(36, 4))], // 36/40 = 0.9 exactly → 90.00
    // 36 satisfied of W = 39.9996 → 0.9000090: a different raw value with the same published 90.00.
    [4, agencySums(single, mixed(36, 3, [{ w: 0.9996, answers: { X1: 1 } }]))],
    [5, agencySums(single, mixed(32, 8))], // 0.8
    [6, agencySums(single, mixed(29, 0))], // 100 % but n = 29 < 30
    // n = 30 but one weight of 10: n_eff = 39² / (29 + 100) ≈ 11.8 < 30.
    [7, agencySums(single, mixed(29, 0, [{ w: 10, answers: { X1: 5 } }]))],
  ])
  const displayed = [agency(1, null), ...[2, 3, 4, 5, 6, 7].map((id) => agency(id, 1))]
  const paths = new Map(displayed.map((a) => [a.id, a.path]))
  const table = scoreTable(displayed, data, paths, single, opts({ weighting: 'design' }))
  const row = (id: number) => table.find((r) => r.agency.id === id)!

  it('ranks on the rounded published value: ties share a rank and the next one skips (1, 2, 2, 4)', () => {
    expect(row(3).overall.estimate).toBe(0.9)
    expect(row(4).overall.estimate).toBeCloseTo(36 / 39.9996, 12)
    expect(row(4).overall.estimate).not.toBe(row(3).overall.estimate)
    expect([2, 3, 4, 5].map((id) => row(id).rank)).toEqual([1, 2, 2, 4])
    expect([2, 3, 4, 5].map((id) => row(id).rankOf)).toEqual([4, 4, 4, 4])
  })

  it('marks cells under n = 30 or n_eff = 30 insufficient and leaves them out of the ranking', () => {
    expect(row(6).overall).toMatchObject({ status: 'insufficient', n: 29 })
    expect(row(6).rank).toBeNull()
    expect(row(7).overall.n).toBe(30)
    expect(row(7).overall.nEff).toBeCloseTo((39 * 39) / 129, 9)
    expect(row(7).overall.status).toBe('insufficient')
    expect(row(7).rank).toBeNull()
    expect(row(7).rankOf).toBe(4)
    expect(row(5).overall).toMatchObject({ status: 'published', n: 40 })
  })

  it('scores a parent over its whole subtree and ranks it among its own siblings', () => {
    // 40 + 36 + 36 + 32 + 29 + 30 satisfied (all weight 1 except agency 7's weight-10 respondent: +9)
    // over W = 40 + 40 + 39.9996 + 40 + 29 + 39 = 227.9996.
    const W = 40 + 40 + 39.9996 + 40 + 29 + 39
    expect(row(1).overall.estimate).toBeCloseTo((40 + 36 + 36 + 32 + 29 + 39) / W, 12)
    expect(row(1).overall.n).toBe(40 + 40 + 40 + 40 + 29 + 30)
    expect(row(1).rank).toBe(1)
    expect(row(1).rankOf).toBe(1)
  })

  it('gives Korn–Graubard intervals inside [0, 1] that contain the estimate; at 100 % the Clopper–Pearson bound on n', () => {
    for (const id of [1, 3, 4, 5]) {
      const { ci, estimate } = row(id).overall
      expect(ci!.lower).toBeGreaterThan(0)
      expect(ci!.upper).toBeLessThan(1)
      expect(ci!.lower).toBeLessThan(estimate!)
      expect(ci!.upper).toBeGreaterThan(estimate!)
    }
    // 40 of 40: lower = Beta⁻¹(0.025; 40, 1) = 0.025^(1/40), upper = 1.
    expect(row(2).overall.ci!.lower).toBeCloseTo(0.025 ** (1 / 40), 6)
    expect(row(2).overall.ci!.upper).toBe(1)
  })

  it('a subtree without data has no estimate and is not ranked', () => {
    const t = scoreTable(
      [agency(1, null), agency(8, 1), agency(5, 1)],
      new Map([[5, data.get(5)!]]),
      new Map([[5, '/1/5/']]),
      single,
      opts(),
    )
    const empty = t.find((r) => r.agency.id === 8)!
    expect(empty.overall).toMatchObject({ estimate: null, ci: null, n: 0, status: 'insufficient' })
    expect(empty.rank).toBeNull()
    expect(t.find((r) => r.agency.id === 5)!).toMatchObject({ rank: 1, rankOf: 1 })
  })
})
