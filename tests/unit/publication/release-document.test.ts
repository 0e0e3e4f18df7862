import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  buildReleaseDocument,
  canonicalJson,
  diffReleases,
  type ReleaseInput,
  type ReleaseInputCell,
  type ReleaseInputRow,
  rankByLevel,
  serialiseRelease,
} from '#app/domain/publication/release-document.ts'
import { DEFAULT_PUBLICATION_RULES } from '#app/domain/statistics/publication.ts'

const published = (estimate: number, n = 100): ReleaseInputCell => ({
  estimate,
  ci: { lower: estimate - 0.05, upper: Math.min(1, estimate + 0.05) },
  intervalMethod: 'beta',
  n,
  nEff: n * 0.9,
  status: 'published',
})
const insufficient = (estimate: number): ReleaseInputCell => ({ ...published(estimate, 10), status: 'insufficient' })

let nextId = 1
function row(code: string, level: string, overall: ReleaseInputCell, parentId: number | null = 1): ReleaseInputRow {
  return {
    agency: { id: nextId++, code, nameVi: `Đơn vị ${code}`, nameEn: `Unit ${code}`, level, parentId },
    overall,
    elements: { A: overall },
    criteria: { 'A.1': overall },
    change: null,
    depth: parentId === null ? 0 : 1,
  }
}

function input(rows: ReleaseInputRow[], months = { from: '2026-07', to: '2026-09' }): ReleaseInput {
  return {
    questionnaire: { code: 'SIPAS', nameVi: 'Chỉ số SIPAS', nameEn: 'SIPAS index', versionId: 3 },
    elements: [
      {
        code: 'A',
        titleVi: 'Tiếp cận',
        titleEn: 'Access',
        criteria: [{ code: 'A.1', labelVi: 'Dễ', labelEn: 'Easy' }],
      },
    ],
    period: '2026-Q3',
    previousPeriod: '2026-Q2',
    months,
    boundaries: 'current',
    options: {
      weighting: 'design',
      method: 'respondent-composite',
      interval: 'beta',
      level: 0.95,
      rules: DEFAULT_PUBLICATION_RULES,
    },
    rows,
    scope: { code: 'P', nameVi: 'Tỉnh', nameEn: 'Province', level: 'province' },
    population: [
      { agencyCode: 'S2', count: 50 },
      { agencyCode: 'S1', count: 70 },
    ],
    dataCutoff: '2026-10-01T00:00:00.000Z',
    appVersion: '0.1.0+abc',
  }
}

describe('release document', () => {
  it('ranks by level: departments and communes apart, the root never, ties share a rank', () => {
    nextId = 1
    const doc = buildReleaseDocument(
      input([
        row('P', 'province', published(0.99), null),
        row('S1', 'department', published(0.9)),
        row('S2', 'department', published(0.80001)),
        row('S3', 'department', published(0.8)),
        row('S4', 'department', insufficient(0.99)),
        row('X1', 'commune', published(0.7)),
        row('X2', 'commune', published(0.95)),
        row('D1', 'district', published(0.5)),
      ]),
    )
    const rank = (code: string) => doc.agencies.find((a) => a.code === code)!.rank
    expect(rank('P')).toBeNull()
    expect(rank('S1')).toEqual({ group: 'department', rank: 1, of: 3 })
    expect(rank('S2')).toEqual({ group: 'department', rank: 2, of: 3 })
    expect(rank('S3')).toEqual({ group: 'department', rank: 2, of: 3 })
    expect(rank('S4')).toEqual({ group: 'department', rank: null, of: 3 })
    expect(rank('X2')).toEqual({ group: 'commune', rank: 1, of: 2 })
    expect(rank('X1')).toEqual({ group: 'commune', rank: 2, of: 2 })
    // After 1 July 2025 there are no districts to rank.
    expect(rank('D1')).toBeNull()
    expect(doc.rankings.map((g) => g.group)).toEqual(['department', 'commune'])
    expect(doc.rankings[0]!.units.map((u) => [u.code, u.rank])).toEqual([
      ['S1', 1],
      ['S2', 2],
      ['S3', 2],
    ])
  })

  it('ranks districts among themselves for periods before July 2025', () => {
    const ranks = rankByLevel(
      [
        { code: 'P', level: 'province', isScopeRoot: true, overall: published(0.9) },
        { code: 'D1', level: 'district', isScopeRoot: false, overall: published(0.5) },
        { code: 'D2', level: 'district', isScopeRoot: false, overall: published(0.6) },
        { code: 'X1', level: 'commune', isScopeRoot: false, overall: published(0.4) },
      ],
      { from: '2025-04' },
    )
    expect(ranks.get('P')).toBeUndefined()
    expect(ranks.get('D2')).toMatchObject({ group: 'district', rank: 1, of: 2 })
    expect(ranks.get('D1')).toMatchObject({ group: 'district', rank: 2, of: 2 })
    expect(ranks.get('X1')).toMatchObject({ group: 'commune', rank: 1, of: 1 })
  })

  it('holds published percentages only, never an insufficient estimate', () => {
    nextId = 1
    const doc = buildReleaseDocument(
      input([row('P', 'province', published(0.90285), null), row('S4', 'department', insufficient(0.99))]),
    )
    expect(doc.agencies[0]!.overall).toMatchObject({
      percent: 90.29,
      lower: 85.29,
      upper: 95.29,
      n: 100,
      nEff: 90,
      status: 'published',
    })
    expect(doc.agencies[1]!.overall).toEqual({
      percent: null,
      lower: null,
      upper: null,
      intervalMethod: null,
      n: 10,
      nEff: 9,
      status: 'insufficient',
    })
    expect(doc.population.map((p) => p.agencyCode)).toEqual(['S1', 'S2'])
    expect(doc.questionnaire.elements[0]!.criteria[0]!.labelVi).toBe('Dễ')
  })

  it('serialises canonically: same bytes and hash whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 'x', c: null }], u: undefined })).toBe(
      '{"a":[2,{"c":null,"d":"x"}],"b":1}',
    )
    expect(() => canonicalJson({ a: Number.NaN })).toThrow()
    nextId = 1
    const one = serialiseRelease(buildReleaseDocument(input([row('P', 'province', published(0.9), null)])))
    nextId = 1
    const reordered = JSON.parse(one)
    const two = canonicalJson(Object.fromEntries(Object.entries(reordered).reverse()))
    expect(two).toBe(one)
    expect(one).not.toMatch(/\s"|":\s|,\s/)
    const hash = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex')
    expect(hash(two)).toBe(hash(one))
  })

  it('diffs two releases: what moved, before and after', () => {
    nextId = 1
    const before = buildReleaseDocument(
      input([
        row('P', 'province', published(0.9), null),
        row('S1', 'department', published(0.8)),
        row('S2', 'department', published(0.7)),
      ]),
    )
    nextId = 1
    const after = buildReleaseDocument(
      input([
        row('P', 'province', published(0.9), null),
        row('S1', 'department', published(0.6)),
        row('S2', 'department', published(0.7)),
      ]),
    )
    const changes = diffReleases(before, after)
    expect(changes).toContainEqual({ agency: 'S1', quantity: 'overall', before: 80, after: 60 })
    expect(changes).toContainEqual({ agency: 'S1', quantity: 'overall.rank', before: 1, after: 2 })
    expect(changes).toContainEqual({ agency: 'S2', quantity: 'overall.rank', before: 2, after: 1 })
    expect(changes.some((c) => c.agency === 'P')).toBe(false)
    expect(diffReleases(before, before)).toEqual([])
  })
})
