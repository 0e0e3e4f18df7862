/**
 * scoreAgency with per-stratum sums and the full design's n_h: each cell is a domain of the full design,
 * the same as the microdata path (estimateMean over the whole sample with a domain), including a criterion
 * some respondents skipped and post-strata that are the units as they were.
 */
import { describe, expect, it } from 'vitest'
import { respondentComposites } from '#app/domain/scoring/contributions.ts'
import { type AgencySums, DEFAULT_SCORE_OPTIONS, scoreAgency } from '#app/domain/scoring/score-table.ts'
import { postStratify } from '#app/domain/statistics/calibration.ts'
import { createDesign } from '#app/domain/statistics/design.ts'
import { estimateMean } from '#app/domain/statistics/estimators.ts'
import { agencySums, elements, type Respondent, scaleItem } from './support.ts'

const els = elements([
  ['A', 1, ['A1', 'A2']],
  ['B', 1, ['B1']],
])
const items = els.map((e) => ({ ...e, items: e.criteria.map((c) => scaleItem(c.code)) }))

interface Row extends Respondent {
  unit: number
  stratum: string
}
const ANSWERS: Array<Record<string, number>> = [
  { A1: 5, A2: 5, B1: 5 },
  { A1: 5, B1: 2 },
  { A1: 2, A2: 4, B1: 4 },
  { A2: 1, B1: 5 },
  { A1: 4, A2: 2, B1: 1 },
  { A1: 3, A2: 5, B1: 4 },
  { A1: 5, A2: 4, B1: 5 },
]
// Units 1, 2 (2 merged into 1's subtree on today's boundaries) and 3; strata '', 'S1', 'S2'.
const ROWS: Row[] = Array.from({ length: 42 }, (_, i) => ({
  unit: [1, 2, 3][i % 3]!,
  stratum: ['', 'S1', 'S2'][Math.floor(i / 3) % 3]!,
  w: [1, 1.5, 2.5, 0.75][i % 4]!,
  answers: ANSWERS[i % ANSWERS.length]!,
}))

function sumsOf(rows: Row[]): AgencySums {
  const strata = new Map(
    [...new Set(rows.map((r) => r.stratum))].map((h) => [
      h,
      agencySums(
        els,
        rows.filter((r) => r.stratum === h),
      ),
    ]),
  )
  return { ...agencySums(els, rows), strata }
}
const data = new Map([1, 2, 3].map((u) => [u, sumsOf(ROWS.filter((r) => r.unit === u))]))
const stratumSizes = new Map<string, number>()
for (const r of ROWS) stratumSizes.set(r.stratum, (stratumSizes.get(r.stratum) ?? 0) + 1)

const design = createDesign({ weights: ROWS.map((r) => r.w!), strata: ROWS.map((r) => r.stratum) })
const overall = ROWS.map((r) => respondentComposites(items, r.answers).overall)
const a2 = ROWS.map((r) => (r.answers.A2 === undefined ? null : r.answers.A2 >= 4 ? 1 : 0))
const inDomain = ROWS.map((r) => r.unit !== 3)
const domainData = new Map([...data].filter(([u]) => u !== 3))

describe('scoreAgency: a domain of the full design, with strata', () => {
  it('design weights: overall and a skipped criterion equal svymean on subset(design)', () => {
    const s = scoreAgency(domainData, els, { ...DEFAULT_SCORE_OPTIONS, design: { stratumSizes } })
    for (const [cell, values] of [
      [s.overall, overall],
      [s.criteria.A2!, a2],
    ] as const) {
      const micro = estimateMean(design, values, inDomain)
      expect(cell.estimate).toBeCloseTo(micro.estimate, 12)
      expect(cell.se).toBeCloseTo(micro.se, 12)
      expect(cell.n).toBe(micro.n)
    }
  })

  it('post-stratified on the units: equals postStratify then subset', () => {
    const population = new Map([
      [1, 500],
      [2, 200],
      [3, 800],
    ])
    const ps = postStratify(design, {
      cells: ROWS.map((r) => String(r.unit)),
      population: Object.fromEntries([...population].map(([u, n]) => [String(u), n])),
    })
    const s = scoreAgency(domainData, els, {
      ...DEFAULT_SCORE_OPTIONS,
      weighting: 'poststratified',
      population,
      design: { stratumSizes },
    })
    for (const [cell, values] of [
      [s.overall, overall],
      [s.criteria.A2!, a2],
    ] as const) {
      const micro = estimateMean(ps, values, inDomain)
      expect(cell.estimate).toBeCloseTo(micro.estimate, 12)
      expect(cell.se).toBeCloseTo(micro.se, 12)
      expect(cell.n).toBe(micro.n)
    }
  })
})
