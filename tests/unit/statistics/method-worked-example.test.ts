/**
 * The worked example of docs/method.md (and docs/method.en.md), computed with the app's own domain
 * functions: respondentComposites (the composite), scoreTable (domains of the full design, strata,
 * post-strata, intervals, ranks), estimateDomain (degrees of freedom), publishedPercent (rounding). Every
 * number printed in the example is asserted here with the rounding the doc uses, so the doc cannot drift
 * from the code. Change a number here only together with both docs.
 */
import { describe, expect, it } from 'vitest'
import type { ItemDefinition } from '#app/domain/questionnaire/definition.ts'
import { respondentComposites } from '#app/domain/scoring/contributions.ts'
import {
  type AgencyScore,
  type AgencySums,
  DEFAULT_SCORE_OPTIONS,
  type ScoreOptions,
  type ScoringAgency,
  type ScoringElement,
  type StratumSums,
  scoreTable,
} from '#app/domain/scoring/score-table.ts'
import { addSums, EMPTY_SUMS, estimateDomain, observationSums } from '#app/domain/statistics/cell-sums.ts'
import { publishedPercent } from '#app/domain/statistics/publication.ts'

// The questionnaire: E1 (weight 1) with criteria C1, C2; E2 (weight 1) with C3; "satisfied" is 4 or 5.
const ELEMENTS: ScoringElement[] = [
  {
    code: 'E1',
    weight: 1,
    criteria: [
      { code: 'C1', satisfiedThreshold: 4 },
      { code: 'C2', satisfiedThreshold: 4 },
    ],
  },
  { code: 'E2', weight: 1, criteria: [{ code: 'C3', satisfiedThreshold: 4 }] },
]
const item = (code: string) => ({ code, type: 'scale5', countsInIndex: true, satisfiedThreshold: 4 }) as ItemDefinition
const COMPOSITE_ELEMENTS = ELEMENTS.map((e) => ({
  code: e.code,
  weight: e.weight,
  items: e.criteria.map((c) => item(c.code)),
}))

// The province P, its office A and commune B; unit M was merged into B (it exists on historical boundaries).
const P: ScoringAgency = { id: 1, code: 'P', nameVi: 'P', nameEn: 'P', level: 'province', parentId: null, path: '/1/' }
const A: ScoringAgency = { id: 2, code: 'A', nameVi: 'A', nameEn: 'A', level: 'department', parentId: 1, path: '/1/2/' }
const B: ScoringAgency = { id: 3, code: 'B', nameVi: 'B', nameEn: 'B', level: 'commune', parentId: 1, path: '/1/3/' }
const M: ScoringAgency = { id: 4, code: 'M', nameVi: 'M', nameEn: 'M', level: 'district', parentId: 1, path: '/1/4/' }

/** The six respondents of the doc's table (null: "no opinion", not counted). */
interface Respondent {
  agency: ScoringAgency
  stratum: string
  w: number
  answers: Record<string, number>
}
const RESPONDENTS: Respondent[] = [
  { agency: A, stratum: 'S1', w: 1, answers: { C1: 5, C2: 4, C3: 3 } },
  { agency: A, stratum: 'S1', w: 2, answers: { C1: 4, C2: 2, C3: 5 } },
  { agency: A, stratum: 'S2', w: 1, answers: { C1: 3, C3: 4 } },
  { agency: B, stratum: 'S2', w: 3, answers: { C1: 5, C2: 5, C3: 5 } },
  { agency: M, stratum: 'S1', w: 2, answers: { C1: 2, C2: 3, C3: 4 } },
  { agency: M, stratum: 'S2', w: 1, answers: { C1: 4, C2: 5, C3: 4 } },
]
const POPULATION = new Map([
  [A.id, 100],
  [B.id, 60],
  [M.id, 40],
])

/** What the aggregates hold: per agency and stratum, the composites' and the answers' sums. */
function sumsByAgency(): Map<number, AgencySums> {
  const data = new Map<number, AgencySums>()
  const add = (part: StratumSums, r: (typeof RESPONDENTS)[number]) => {
    const composites = respondentComposites(COMPOSITE_ELEMENTS, r.answers)
    for (const [key, x] of Object.entries(composites)) {
      if (x === null) continue
      const prev = part.composites.get(key) ?? { weighted: EMPTY_SUMS, unweighted: EMPTY_SUMS }
      part.composites.set(key, {
        weighted: addSums(prev.weighted, observationSums(r.w, x)),
        unweighted: addSums(prev.unweighted, observationSums(1, x)),
      })
    }
    for (const [code, answer] of Object.entries(r.answers)) {
      const rows = part.answers.get(code) ?? []
      const same = rows.find((x) => x.answer === answer)
      if (same) Object.assign(same, { n: same.n + 1, sw: same.sw + r.w, sw2: same.sw2 + r.w * r.w })
      else rows.push({ answer, n: 1, sw: r.w, sw2: r.w * r.w })
      part.answers.set(code, rows)
    }
  }
  for (const r of RESPONDENTS) {
    let agency = data.get(r.agency.id)
    if (!agency) {
      agency = { composites: new Map(), answers: new Map(), strata: new Map() }
      data.set(r.agency.id, agency)
    }
    let stratum = agency.strata!.get(r.stratum)
    if (!stratum) {
      stratum = { composites: new Map(), answers: new Map() }
      agency.strata!.set(r.stratum, stratum)
    }
    add(agency, r)
    add(stratum, r)
  }
  return data
}

// The example is far below the publication thresholds (n ≥ 30, n_eff ≥ 30): lowered to 1 to show the rules.
const OPTIONS: ScoreOptions = {
  ...DEFAULT_SCORE_OPTIONS,
  method: 'respondent-composite',
  rules: { ...DEFAULT_SCORE_OPTIONS.rules, minN: 1, minNEff: 1 },
  design: {
    stratumSizes: new Map([
      ['S1', 3],
      ['S2', 3],
    ]),
  },
}

function table(boundaries: 'current' | 'historical', options: Partial<ScoreOptions>): Map<string, AgencyScore> {
  const displayed = boundaries === 'current' ? [P, A, B] : [P, A, B, M]
  // On today's boundaries M's responses lie in B's subtree, but M stays its own post-stratum.
  const paths = new Map([
    [A.id, A.path],
    [B.id, B.path],
    [M.id, boundaries === 'current' ? B.path : M.path],
  ])
  const rows = scoreTable(displayed, sumsByAgency(), paths, ELEMENTS, { ...OPTIONS, ...options })
  return new Map(rows.map((r) => [r.agency.code, r]))
}

const pct = (x: number | null | undefined) => publishedPercent(x!)
const round = (x: number | null | undefined, digits: number) => Number(x!.toFixed(digits))

describe('docs/method.md, the worked example', () => {
  it('step 1: each respondent’s composites', () => {
    const rows = RESPONDENTS.map((r) => respondentComposites(COMPOSITE_ELEMENTS, r.answers))
    expect(rows.map((c) => c.E1)).toEqual([1, 0.5, 0, 1, 0, 1])
    expect(rows.map((c) => c.E2)).toEqual([0, 1, 1, 1, 1, 1])
    expect(rows.map((c) => c.overall)).toEqual([0.5, 0.75, 0.5, 1, 0.5, 1])
  })

  it('step 2: design-weighted indices on today’s boundaries', () => {
    const t = table('current', { weighting: 'design' })
    expect(pct(t.get('P')!.overall.estimate)).toBe(75)
    expect(pct(t.get('A')!.overall.estimate)).toBe(62.5)
    expect(pct(t.get('B')!.overall.estimate)).toBe(83.33)
    expect(pct(t.get('A')!.elements.E1!.estimate)).toBe(50)
    expect(round(t.get('P')!.overall.se, 6)).toBe(0.096825)
    expect([round(t.get('P')!.overall.ci!.lower, 4), round(t.get('P')!.overall.ci!.upper, 4)]).toEqual([0.4868, 0.923])
    expect(round(t.get('A')!.overall.se, 6)).toBe(0.088388)
    expect(pct(t.get('A')!.criteria.C2!.estimate)).toBe(33.33)
    expect(t.get('A')!.criteria.C2!.n).toBe(2)
  })

  it('step 3: B as a domain of the full design — variance 23/1296, SE, df 1, n_eff, Korn–Graubard', () => {
    const b = table('current', { weighting: 'design' }).get('B')!.overall
    expect(b.se! ** 2).toBeCloseTo(23 / 1296, 15)
    expect(round(b.se, 6)).toBe(0.133218)
    expect(b.n).toBe(3)
    expect(round(b.nEff, 4)).toBe(2.5714)
    expect(b.intervalMethod).toBe('beta')
    expect([round(b.ci!.lower, 4), round(b.ci!.upper, 4)]).toEqual([0.0062, 1])
    // The degrees of freedom: 3 respondents in the domain, in 2 strata.
    const cells = RESPONDENTS.filter((r) => r.agency !== A).map((r) => ({
      postStratum: r.agency.code,
      stratum: r.stratum,
      sums: observationSums(r.w, respondentComposites(COMPOSITE_ELEMENTS, r.answers).overall!),
      all: { n: 1, sw: r.w, sw2: r.w * r.w },
    }))
    const domain = estimateDomain(cells, OPTIONS.design)
    expect(domain.df).toBe(1)
    // P spans all six respondents in both strata: 6 − 2 = 4.
    const all = RESPONDENTS.map((r) => ({
      postStratum: r.agency.code,
      stratum: r.stratum,
      sums: observationSums(r.w, respondentComposites(COMPOSITE_ELEMENTS, r.answers).overall!),
      all: { n: 1, sw: r.w, sw2: r.w * r.w },
    }))
    expect(estimateDomain(all, OPTIONS.design).df).toBe(4)
    expect(domain.variance).toBeCloseTo(23 / 1296, 15)
  })

  it('step 4: post-stratified, M its own post-stratum (and collapsed, on request)', () => {
    const t = table('current', { weighting: 'poststratified', population: POPULATION })
    expect(pct(t.get('B')!.overall.estimate)).toBe(86.67)
    expect(pct(t.get('A')!.overall.estimate)).toBe(62.5)
    expect(pct(t.get('P')!.overall.estimate)).toBe(74.58)
    expect(round(t.get('B')!.overall.se, 6)).toBe(0.062854)
    expect(round(t.get('P')!.overall.se, 6)).toBe(0.060293)
    // Collapsed: M's count and responses pooled into B's cell (N = 100 for B's three respondents).
    const collapsedB = estimateDomain(
      RESPONDENTS.filter((r) => r.agency !== A).map((r) => ({
        postStratum: 'B',
        stratum: r.stratum,
        sums: observationSums(r.w, respondentComposites(COMPOSITE_ELEMENTS, r.answers).overall!),
        all: { n: 1, sw: r.w, sw2: r.w * r.w },
      })),
      OPTIONS.design,
      { population: new Map([['B', 100]]), respondentWeights: new Map([['B', 6]]) },
    )
    expect(pct(collapsedB.estimate)).toBe(83.33)
  })

  it('step 5: historical boundaries show M as it was', () => {
    const t = table('historical', { weighting: 'design' })
    expect(pct(t.get('M')!.overall.estimate)).toBe(66.67)
    expect(pct(t.get('B')!.overall.estimate)).toBe(100)
    expect(pct(t.get('P')!.overall.estimate)).toBe(75)
  })

  it('step 6: the other index methods for A', () => {
    const of = (method: ScoreOptions['method']) => table('current', { weighting: 'design', method }).get('A')!
    expect(pct(of('mean-of-item-indices').overall.estimate)).toBe(64.58)
    expect(pct(of('mean-of-item-indices').elements.E1!.estimate)).toBe(54.17)
    expect(pct(of('pooled-criteria').overall.estimate)).toBe(63.64)
    expect(pct(of('element-weighted').overall.estimate)).toBe(61.11)
    expect(pct(of('respondent-composite').overall.estimate)).toBe(62.5)
  })

  it('step 7: ranks among P’s children, unweighted', () => {
    const t = table('current', { weighting: 'unweighted' })
    expect(pct(t.get('A')!.overall.estimate)).toBe(58.33)
    expect(pct(t.get('B')!.overall.estimate)).toBe(83.33)
    expect([t.get('B')!.rank, t.get('A')!.rank, t.get('A')!.rankOf]).toEqual([1, 2, 2])
  })
})
