/**
 * Complementary suppression in the score table (issue #16, item 4): a parent office's own responses
 * are never a row, so with every child published they were the parent's rollup minus its children.
 */
import { describe, expect, it } from 'vitest'
import {
  type AgencyScore,
  type AgencySums,
  DEFAULT_SCORE_OPTIONS,
  type ScoreOptions,
  type ScoringAgency,
  scoreTable,
} from '#app/domain/scoring/score-table.ts'
import { publishedPercent } from '#app/domain/statistics/publication.ts'
import { agencySums, elements, type Respondent, uniform } from './support.ts'

const single = elements([['X', 1, ['X1']]])
const opts = (o: Partial<ScoreOptions> = {}): ScoreOptions => ({ ...DEFAULT_SCORE_OPTIONS, ...o })

function agency(id: number, parent: ScoringAgency | null): ScoringAgency {
  return {
    id,
    code: `U${id}`,
    nameVi: `Đơn vị ${id}`,
    nameEn: `Unit ${id}`,
    level: parent ? 'department' : 'province',
    parentId: parent?.id ?? null,
    path: `${parent?.path ?? '/'}${id}/`,
  }
}

/** `satisfied` respondents answering 5 and `unsatisfied` answering 2, weight 1. */
const mixed = (satisfied: number, unsatisfied: number): Respondent[] => [
  ...uniform(single, satisfied, 5),
  ...uniform(single, unsatisfied, 2),
]

function table(displayed: ScoringAgency[], data: Array<[id: number, sums: AgencySums]>, o?: Partial<ScoreOptions>) {
  const paths = new Map(displayed.map((a) => [a.id, a.path]))
  const rows = scoreTable(displayed, new Map(data), paths, single, opts(o))
  return (id: number) => rows.find((r) => r.agency.id === id)!
}

/**
 * What a reader of the published table can work out for the parent's own responses: the parent's
 * published percentage times its n, minus each published child's percentage times its n (exact for
 * unweighted scores). Null when some child's value is withheld.
 */
function ownByDifference(parent: AgencyScore, children: AgencyScore[]): number | null {
  const shown = (r: AgencyScore) => (r.overall.status === 'published' ? publishedPercent(r.overall.estimate!) : null)
  if (shown(parent) === null || children.some((c) => shown(c) === null)) return null
  const n = parent.overall.n - children.reduce((sum, c) => sum + c.overall.n, 0)
  return (shown(parent)! * parent.overall.n - children.reduce((sum, c) => sum + shown(c)! * c.overall.n, 0)) / n
}

describe('complementary suppression over the agency tree', () => {
  // The case: a province office (1) with 26 answers of its own (15 satisfied: 57.69 %, under
  // n = 30, so never publishable) and three departments, all published.
  const province = agency(1, null)
  const departments = [agency(2, province), agency(3, province), agency(4, province)]
  const data: Array<[number, AgencySums]> = [
    [1, agencySums(single, mixed(15, 11))],
    [2, agencySums(single, mixed(30, 10))], // 75 %
    [3, agencySums(single, mixed(45, 5))], // 90 %
    [4, agencySums(single, mixed(21, 14))], // 60 %, n = 35: the smallest
  ]

  it('without complements the own responses were the rollup minus the children: 57.69 % recovered', () => {
    // Shown only in this test: the arithmetic that used to work on the published table.
    const all = [province, ...departments]
    const row = table(all, data)
    const byHand = (publishedPercent(111 / 151) * 151 - 75 * 40 - 90 * 50 - 60 * 35) / 26
    expect(byHand).toBeCloseTo(57.69, 1)
    expect(row(1).overall.status).toBe('published')
    // Now one department is withheld, so the subtraction has two unknowns.
    expect(
      ownByDifference(
        row(1),
        departments.map((d) => row(d.id)),
      ),
    ).toBeNull()
  })

  it('withholds the smallest published sibling as a complement, with no estimate, SE or interval', () => {
    const row = table([province, ...departments], data)
    expect(row(4).overall).toMatchObject({
      status: 'suppressed-complement',
      estimate: null,
      se: null,
      ci: null,
      intervalMethod: null,
      n: 35,
    })
    expect(row(2).overall.status).toBe('published')
    expect(row(3).overall.status).toBe('published')
    expect(row(1).overall).toMatchObject({ status: 'published', n: 151 })
    expect(row(1).overall.estimate).toBeCloseTo(111 / 151, 12)
    // Every column of the table is protected, not only the overall index.
    expect(row(4).elements.X!.status).toBe('suppressed-complement')
    expect(row(4).criteria.X1!.status).toBe('suppressed-complement')
  })

  it('a withheld unit is left out of the ranking', () => {
    const row = table([province, ...departments], data)
    expect(row(4).rank).toBeNull()
    expect([row(3).rank, row(2).rank]).toEqual([1, 2])
    expect(row(2).rankOf).toBe(2)
  })

  it('own responses that would be published (n ≥ 30) need no complement', () => {
    const row = table([province, ...departments], [[1, agencySums(single, mixed(18, 12))], ...data.slice(1)])
    expect(departments.map((d) => row(d.id).overall.status)).toEqual(['published', 'published', 'published'])
  })

  it('no own responses and one child under the thresholds: the next smallest child is withheld', () => {
    const row = table(
      [province, ...departments],
      [
        [2, agencySums(single, mixed(30, 10))],
        [3, agencySums(single, mixed(45, 5))],
        [4, agencySums(single, mixed(10, 5))],
      ],
    )
    expect(row(4).overall.status).toBe('insufficient')
    expect(row(2).overall.status).toBe('suppressed-complement') // n = 40 < 50
    expect(row(3).overall.status).toBe('published')
  })

  it('two children under the thresholds protect each other: nothing more is withheld', () => {
    const row = table(
      [province, ...departments],
      [
        [2, agencySums(single, mixed(30, 10))],
        [3, agencySums(single, mixed(8, 5))],
        [4, agencySums(single, mixed(10, 5))],
      ],
    )
    expect(row(2).overall.status).toBe('published')
  })

  it('cascades: a withheld child whose parts are all published has one of them withheld too', () => {
    // Department 4 has no responses of its own: it pools offices 5 (n = 35) and 6 (n = 40).
    const offices = [agency(5, departments[2]!), agency(6, departments[2]!)]
    const displayed = [province, ...departments, ...offices]
    const withOffices = (two: Respondent[], three: Respondent[]) =>
      table(displayed, [
        data[0]!,
        [2, agencySums(single, two)],
        [3, agencySums(single, three)],
        [5, agencySums(single, mixed(21, 14))],
        [6, agencySums(single, mixed(30, 10))],
      ])
    // Department 2 (n = 40) is the smallest sibling: it is withheld, and department 4 stays published.
    const first = withOffices(mixed(30, 10), mixed(45, 5))
    expect(first(2).overall.status).toBe('suppressed-complement')
    expect([4, 5, 6].map((id) => first(id).overall.status)).toEqual(['published', 'published', 'published'])
    // With departments 2 and 3 larger, department 4 (n = 75) is withheld; it would then be office 5
    // pooled with office 6, so the smaller office is withheld as well.
    const second = withOffices(mixed(60, 20), mixed(90, 10))
    expect(second(4).overall).toMatchObject({ status: 'suppressed-complement', n: 75, estimate: null })
    expect(second(5).overall.status).toBe('suppressed-complement')
    expect(second(6).overall.status).toBe('published')
    expect([2, 3].map((id) => second(id).overall.status)).toEqual(['published', 'published'])
  })

  it('a criterion under the thresholds in one child withholds the smallest sibling’s whole row', () => {
    // Two criteria; department 3 has 50 respondents, but only 10 answered X2 (under 30).
    const two = elements([['X', 1, ['X1', 'X2']]])
    const full = (count: number) => uniform(two, count, 5)
    const only = (count: number, code: string) => Array.from({ length: count }, () => ({ answers: { [code]: 4 } }))
    const displayed = [province, ...departments]
    const rows = scoreTable(
      displayed,
      new Map([
        [2, agencySums(two, full(40))],
        [3, agencySums(two, [...full(10), ...only(40, 'X1')])],
        [4, agencySums(two, full(35))],
      ]),
      new Map(displayed.map((a) => [a.id, a.path])),
      two,
      opts({ method: 'mean-of-item-indices' }),
    )
    const row = (id: number) => rows.find((r) => r.agency.id === id)!
    expect(row(3).criteria.X2).toMatchObject({ n: 10, status: 'insufficient' })
    expect(row(3).overall.status).toBe('published')
    // Department 4 (35 on X2) goes whole: under this method its element and overall are the mean of its
    // criteria, so withholding X2 alone would leave it derivable from the rest of its row.
    expect(row(4).criteria.X2!.status).toBe('suppressed-complement')
    expect(row(4).criteria.X1!.status).toBe('suppressed-complement')
    expect(row(4).elements.X!.status).toBe('suppressed-complement')
    expect(row(4).overall).toMatchObject({ status: 'suppressed-complement', estimate: null })
    // Then in X1, X and the overall department 4 is the one value missing, so the next smallest
    // (department 2, n = 40) goes too: the price of a closure that holds under every method.
    expect(row(2).overall.status).toBe('suppressed-complement')
    expect(row(3).overall.status).toBe('published')
    expect(row(3).criteria.X1!.status).toBe('published')
  })
})
