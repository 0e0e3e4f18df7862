/**
 * computeScores() against hand-computed numbers (see fixture.ts): indices, shares, n, n_eff, intervals,
 * suppression, ties, change, boundaries before and after the 2025 merger, post-stratification, and a
 * rebuild of the aggregates giving the very same table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { computeScores, type ScoresRequest, type ScoresResult } from '#app/.server/services/scores.ts'
import { rebuildAggregates } from '#app/.server/services/rebuild-aggregates.ts'
import { parsePeriod } from '#app/domain/period.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { SNV, seedFixture } from './fixture.ts'
import { agencyId } from './support.ts'

let t: TestDatabase

beforeAll(async () => {
  t = await createTestDatabase()
  await seedFixture(t)
})
afterAll(async () => {
  await t?.cleanup()
})

type Ok = Extract<ScoresResult, { ok: true }>

async function scores(period: string, extra: Partial<ScoresRequest> = {}): Promise<Ok> {
  const result = await computeScores(t.db, {
    questionnaireCode: 'SIPAS-2017',
    rootAgencyCode: 'DEMO-AL',
    period: parsePeriod(period)!,
    boundaries: 'current',
    ...extra,
  })
  if (!result.ok) throw new Error(`computeScores failed: ${result.error} ${result.detail ?? ''}`)
  return result
}
const row = (r: Ok, code: string) => {
  const found = r.rows.find((x) => x.agency.code === code)
  if (!found) throw new Error(`no row ${code}: ${r.rows.map((x) => x.agency.code).join(', ')}`)
  return found
}

describe('2026-Q1, current boundaries, design weights', () => {
  let r: Ok
  beforeAll(async () => {
    r = await scores('2026-Q1')
  })

  it('states what it computed', () => {
    expect(r.period).toBe('2026-Q1')
    expect(r.previousPeriod).toBe('2025-Q4')
    expect(r.months).toEqual({ from: '2026-01', to: '2026-03' })
    expect(r.options).toMatchObject({
      weighting: 'design',
      method: 'respondent-composite',
      interval: 'beta',
      level: 0.95,
    })
    expect(r.elements.map((e) => e.code)).toEqual(['E1', 'E2', 'E3', 'E4', 'E5'])
    expect(r.elements[0].criteria.map((c) => c.code)).toEqual(['E1.1', 'E1.2', 'E1.3', 'E1.4'])
  })

  it('shows DEMO-AL and its current units only, at the right depths', () => {
    expect(r.rows.map((x) => x.agency.code).sort()).toEqual(
      [
        'DEMO-AL',
        'DEMO-AL-SNV',
        'DEMO-AL-STP',
        'DEMO-AL-SXD',
        'DEMO-AL-SNNMT',
        'DEMO-AL-P-ANLAC',
        'DEMO-AL-X-BINHMINH',
        'DEMO-AL-X-HOATHUAN',
      ].sort(),
    )
    expect(row(r, 'DEMO-AL').depth).toBe(0)
    expect(row(r, 'DEMO-AL-SNV').depth).toBe(1)
  })

  it('overall index = weighted mean of per-respondent composites, with n and n_eff (unequal weights)', () => {
    const snv = row(r, 'DEMO-AL-SNV')
    expect(snv.overall.n).toBe(40) // includes the response of 2026-01-01 00:30 Vietnam time
    expect(snv.overall.estimate).toBeCloseTo(SNV.overall, 12)
    expect(snv.overall.nEff).toBeCloseTo(SNV.nEff, 9)
    expect(snv.overall.se).toBeCloseTo(Math.sqrt(SNV.variance), 12)
    expect(snv.overall.status).toBe('published')
  })

  it('element and criterion indices are shares satisfied (4 or 5), with 3 not satisfied', () => {
    const snv = row(r, 'DEMO-AL-SNV')
    for (const e of ['E1', 'E3', 'E5']) expect(snv.elements[e].estimate).toBeCloseTo(SNV.satisfiedElement, 12)
    for (const e of ['E2', 'E4']) expect(snv.elements[e].estimate).toBeCloseTo(SNV.unsatisfiedElement, 12)
    expect(snv.criteria['E1.1'].estimate).toBeCloseTo(SNV.satisfiedElement, 12) // H answered 4
    expect(snv.criteria['E4.2'].estimate).toBeCloseTo(SNV.unsatisfiedElement, 12) // H answered 3
    expect(snv.criteria['E2.5'].estimate).toBeCloseTo(SNV.unsatisfiedElement, 12)
    expect(snv.criteria['E3.6'].n).toBe(40)
    expect(snv.criteria['E3.6'].nEff).toBeCloseTo(SNV.nEff, 9)
  })

  it('gives a Korn–Graubard interval strictly inside (0, 1) around the estimate', () => {
    const { ci, estimate } = row(r, 'DEMO-AL-SNV').overall
    expect(ci!.lower).toBeGreaterThan(0)
    expect(ci!.upper).toBeLessThan(1)
    expect(ci!.lower).toBeLessThan(estimate!)
    expect(ci!.upper).toBeGreaterThan(estimate!)
    // Wider than ±1 SE, narrower than ±3 SE.
    expect(ci!.upper - ci!.lower).toBeGreaterThan(2 * Math.sqrt(SNV.variance))
    expect(ci!.upper - ci!.lower).toBeLessThan(6 * Math.sqrt(SNV.variance))
  })

  it('100 % at SNNMT: interval upper bound 1, lower 0.025^(1/30)', () => {
    const snnmt = row(r, 'DEMO-AL-SNNMT')
    expect(snnmt.overall).toMatchObject({ estimate: 1, n: 30, status: 'published', intervalMethod: 'beta' })
    expect(snnmt.overall.ci!.upper).toBe(1)
    expect(snnmt.overall.ci!.lower).toBeCloseTo(0.025 ** (1 / 30), 6)
  })

  it('withholds STP (the smallest published sibling) so SXD is not DEMO-AL minus the others', () => {
    // STP: 100 % of 30 (the April response is in Q2), but SXD's 10 would be derivable from DEMO-AL.
    expect(row(r, 'DEMO-AL-STP').overall).toMatchObject({ estimate: null, n: 30, status: 'suppressed-complement' })
    expect(row(r, 'DEMO-AL-STP').rank).toBeNull()
  })

  it('keeps STP withheld on its own table: suppression does not depend on the root asked for', async () => {
    // Otherwise DEMO-AL's published total minus STP's own page and the other departments gives SXD away.
    const own = await scores('2026-Q1', { rootAgencyCode: 'DEMO-AL-STP' })
    expect(own.rows.map((x) => x.agency.code)).toEqual(['DEMO-AL-STP'])
    expect(row(own, 'DEMO-AL-STP').overall).toMatchObject({ estimate: null, n: 30, status: 'suppressed-complement' })
    const sxd = await scores('2026-Q1', { rootAgencyCode: 'DEMO-AL-SXD' })
    expect(row(sxd, 'DEMO-AL-SXD').overall.status).not.toBe('published')
  })

  it('rolls the province up over its subtree', () => {
    const al = row(r, 'DEMO-AL')
    expect(al.overall.n).toBe(40 + 30 + 10 + 30 + 35)
    expect(al.overall.estimate).toBeCloseTo(136 / 175, 12)
    expect(al.rank).toBe(1)
    expect(al.rankOf).toBe(1)
  })

  it('suppresses an agency under 30 responses: insufficient, no rank', () => {
    const sxd = row(r, 'DEMO-AL-SXD')
    expect(sxd.overall).toMatchObject({ n: 10, status: 'insufficient' })
    expect(sxd.rank).toBeNull()
    expect(sxd.change).toBeNull()
    const empty = row(r, 'DEMO-AL-X-HOATHUAN')
    expect(empty.overall).toMatchObject({ n: 0, estimate: null, status: 'insufficient' })
    expect(empty.rank).toBeNull()
  })

  it('ranks the published siblings: SNNMT 1, P-ANLAC 2, SNV 3 of 3', () => {
    expect(['DEMO-AL-SNNMT', 'DEMO-AL-P-ANLAC', 'DEMO-AL-SNV'].map((c) => [row(r, c).rank, row(r, c).rankOf])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ])
  })

  it('reports the change versus 2025-Q4 in points from the published values', () => {
    expect(row(r, 'DEMO-AL-SNV').change).toBeCloseTo(54.29 - 96.77, 9)
    expect(row(r, 'DEMO-AL-P-ANLAC').change).toBeCloseTo(-10, 9)
    expect(row(r, 'DEMO-AL').change).toBeCloseTo(77.71 - 93.44, 9)
    expect(row(r, 'DEMO-AL-STP').change).toBeNull() // nothing in 2025-Q4
  })

  it('unweighted ignores the weights: SNV (20 + 10·0.6)/40 = 0.65 with n_eff = 40', async () => {
    const u = await scores('2026-Q1', { options: { weighting: 'unweighted' } })
    expect(row(u, 'DEMO-AL-SNV').overall.estimate).toBeCloseTo(0.65, 12)
    expect(row(u, 'DEMO-AL-SNV').overall.nEff).toBeCloseTo(40, 9)
    expect(row(u, 'DEMO-AL-SNV').criteria['E1.1'].estimate).toBeCloseTo(30 / 40, 12)
  })

  it("'mean-of-item-indices' equals the composite when nobody skips and element weights are equal", async () => {
    const m = await scores('2026-Q1', { options: { method: 'mean-of-item-indices' } })
    expect(m.options.method).toBe('mean-of-item-indices')
    // (3·5/7 + 2·2/7)/5 = 19/35 = 38/70.
    expect(row(m, 'DEMO-AL-SNV').overall.estimate).toBeCloseTo(SNV.overall, 12)
  })

  it('a month is a month in Vietnam time', async () => {
    const jan = await scores('2026-01')
    // 2025-12-31T17:30Z (1 × S) and the 10 × H of 2026-01-20.
    expect(row(jan, 'DEMO-AL-SNV').overall.n).toBe(11)
    const dec = await scores('2025-12')
    expect(row(dec, 'DEMO-AL-SNV').overall.n).toBe(1) // 2025-12-31T16:30Z = 23:30 on the 31st
    const apr = await scores('2026-04')
    expect(row(apr, 'DEMO-AL-STP').overall).toMatchObject({ n: 1, estimate: 0 })
  })

  it('a custom month range is the same as the quarter it spans, and compares with the range just before', async () => {
    const range = await computeScores(t.db, {
      questionnaireCode: 'SIPAS-2017',
      rootAgencyCode: 'DEMO-AL',
      period: { kind: 'range', fromMonth: '2026-01', toMonth: '2026-03' },
      boundaries: 'current',
    })
    if (!range.ok) throw new Error(range.error)
    expect(range.period).toBe('2026-01..2026-03')
    expect(range.previousPeriod).toBe('2025-10..2025-12')
    expect(range.rows).toEqual(r.rows)
  })

  it('reports unknown agencies and questionnaires', async () => {
    expect(
      await computeScores(t.db, {
        questionnaireCode: 'SIPAS-2017',
        rootAgencyCode: 'NOPE',
        period: parsePeriod('2026')!,
        boundaries: 'current',
      }),
    ).toEqual({ ok: false, error: 'unknownAgency' })
    expect(
      await computeScores(t.db, {
        questionnaireCode: 'NOPE',
        rootAgencyCode: null,
        period: parsePeriod('2026')!,
        boundaries: 'current',
      }),
    ).toEqual({ ok: false, error: 'unknownQuestionnaire' })
  })
})

describe('boundaries across the 2025-07-01 merger (2024 data)', () => {
  it("'current': Bình Minh district's 2024 responses count for Xã Bình Minh and for DEMO-AL", async () => {
    const r = await scores('2024', { rootAgencyCode: null })
    const codes = r.rows.map((x) => x.agency.code)
    expect(codes).not.toContain('DEMO-BS')
    expect(codes).not.toContain('DEMO-BS-H-BINHMINH')
    expect(row(r, 'DEMO-AL-X-BINHMINH').overall).toMatchObject({ n: 30, status: 'published' })
    expect(row(r, 'DEMO-AL-X-BINHMINH').overall.estimate).toBeCloseTo(0.8, 12)
    // SNV's 5 would be DEMO-AL minus the others: P-ANLAC (the first of the two smallest) is withheld too.
    expect(row(r, 'DEMO-AL-P-ANLAC').overall).toMatchObject({ n: 30, estimate: null, status: 'suppressed-complement' })
    expect(row(r, 'DEMO-AL-SNV').overall).toMatchObject({ n: 5, status: 'insufficient' })
    // 24 + 30 + 5 satisfied of 65.
    expect(row(r, 'DEMO-AL').overall.n).toBe(65)
    expect(row(r, 'DEMO-AL').overall.estimate).toBeCloseTo(59 / 65, 12)
    expect([row(r, 'DEMO-AL').rank, row(r, 'DEMO-AL').rankOf]).toEqual([1, 1])
    expect([
      row(r, 'DEMO-AL-P-ANLAC').rank,
      row(r, 'DEMO-AL-X-BINHMINH').rank,
      row(r, 'DEMO-AL-X-BINHMINH').rankOf,
    ]).toEqual([null, 1, 1])
  })

  it("'historical': they count for DEMO-BS, and the ranking counts the units that existed then", async () => {
    const r = await scores('2024', { rootAgencyCode: null, boundaries: 'historical' })
    expect(r.rows.map((x) => x.agency.code).sort()).toEqual(
      [
        'DEMO-AL',
        'DEMO-AL-SNV',
        'DEMO-AL-STP',
        'DEMO-AL-SXD',
        'DEMO-AL-STNMT',
        'DEMO-AL-H-ANLAC',
        'DEMO-BS',
        'DEMO-BS-SNV',
        'DEMO-BS-H-BINHMINH',
        'DEMO-BS-H-HOATHUAN',
      ].sort(),
    )
    // Bình Minh is withheld: with it, DEMO-BS-SNV's 5 would be DEMO-BS minus Bình Minh.
    expect(row(r, 'DEMO-BS-H-BINHMINH').overall).toMatchObject({
      n: 30,
      estimate: null,
      status: 'suppressed-complement',
    })
    // DEMO-BS: Bình Minh's 30 and its department's 5 → (24 + 5)/35.
    expect(row(r, 'DEMO-BS').overall.n).toBe(35)
    expect(row(r, 'DEMO-BS').overall.estimate).toBeCloseTo(29 / 35, 12)
    expect(row(r, 'DEMO-AL').overall).toMatchObject({ n: 30, estimate: 1 })
    expect(row(r, 'DEMO-AL-SNV').overall.n).toBe(0)
    // Two provinces then: An Lạc 1st of 2, Bình Sơn 2nd of 2.
    expect([row(r, 'DEMO-AL').rank, row(r, 'DEMO-AL').rankOf]).toEqual([1, 2])
    expect([row(r, 'DEMO-BS').rank, row(r, 'DEMO-BS').rankOf]).toEqual([2, 2])
    expect([row(r, 'DEMO-BS-H-BINHMINH').rank, row(r, 'DEMO-BS-H-BINHMINH').rankOf]).toEqual([null, 0])
  })

  it("'historical' with DEMO-AL as root shows An Lạc's units of the time and the predecessors merged in", async () => {
    const r = await scores('2024', { boundaries: 'historical' })
    expect(r.rows.map((x) => x.agency.code)).not.toContain('DEMO-AL-X-BINHMINH')
    expect(row(r, 'DEMO-AL-H-ANLAC').overall).toMatchObject({ n: 30, estimate: 1 })
    // Bình Sơn merged into An Lạc on 2025-07-01: its 2024 rows stand next to An Lạc's (ADR 0046), as they were.
    expect(row(r, 'DEMO-BS').overall.n).toBe(35)
    expect(row(r, 'DEMO-AL').overall).toMatchObject({ n: 30, estimate: 1 })
  })
})

describe('post-stratified to population counts', () => {
  const insertCounts = async (period: string, counts: Record<string, number>) => {
    for (const [code, count] of Object.entries(counts)) {
      await t.db
        .insertInto('population_count')
        .values({
          agency_id: await agencyId(t, code),
          period,
          count,
          source: 'test',
          created_at: new Date().toISOString(),
        })
        .execute()
    }
  }
  const clearCounts = () => t.db.deleteFrom('population_count').execute()
  /** A count for every agency with responses in 2026-Q1, and for no other. */
  const COUNTS_2026_Q1 = {
    'DEMO-AL-SNV': 700,
    'DEMO-AL-STP': 300,
    'DEMO-AL-SXD': 100,
    'DEMO-AL-SNNMT': 300,
    'DEMO-AL-P-ANLAC': 600,
  }
  const ps = (period: string, root: string | null = 'DEMO-AL') =>
    computeScores(t.db, {
      questionnaireCode: 'SIPAS-2017',
      rootAgencyCode: root,
      period: parsePeriod(period)!,
      boundaries: 'current',
      options: { weighting: 'poststratified' },
    })

  it("no population count entered for the period: 'noPopulation'", async () => {
    await clearCounts()
    expect(await ps('2023')).toMatchObject({ ok: false, error: 'noPopulation' })
    // The period has responses but nobody entered counts: still "no population", not a mismatch of one unit.
    expect(await ps('2026-Q1')).toMatchObject({ ok: false, error: 'noPopulation' })
  })

  it('weights each agency to its count: DEMO-AL = Σ N_g θ_g / Σ N_g', async () => {
    await clearCounts()
    await insertCounts('2026-Q1', COUNTS_2026_Q1)
    const r = await ps('2026-Q1')
    if (!r.ok) throw new Error(r.error)
    expect(r.options.weighting).toBe('poststratified')
    // (700·38/70 + 300 + 100 + 300 + 600·0.8)/2000 = (380 + 700 + 480)/2000 = 0.78
    expect(row(r, 'DEMO-AL').overall.estimate).toBeCloseTo(0.78, 12)
    expect(row(r, 'DEMO-AL').criteria['E2.1'].estimate).toBeCloseTo((700 * (2 / 7) + 700 + 600 * 0.8) / 2000, 12)
    // Weights become 10·w (SNV, STP, SXD, SNNMT) and 600/35 (P-ANLAC): n_eff = 2000² / Σw².
    const sw2 = 100 * 150 + 100 * 30 + 100 * 10 + 100 * 30 + 35 * (600 / 35) ** 2
    expect(row(r, 'DEMO-AL').overall.nEff).toBeCloseTo(4e6 / sw2, 9)
    // One agency alone is its own cell: the same share as with design weights.
    expect(row(r, 'DEMO-AL-SNV').overall.estimate).toBeCloseTo(SNV.overall, 12)
    expect(row(r, 'DEMO-AL-SNV').overall.nEff).toBeCloseTo(SNV.nEff, 9)
    // No counts for 2025-Q4: no change can be computed.
    expect(r.rows.every((x) => x.change === null)).toBe(true)
  })

  it("an agency with responses but no count: 'populationMismatch' naming it", async () => {
    await clearCounts()
    const { 'DEMO-AL-SXD': _, ...withoutSXD } = COUNTS_2026_Q1
    await insertCounts('2026-Q1', withoutSXD)
    expect(await ps('2026-Q1')).toEqual({ ok: false, error: 'populationMismatch', detail: 'DEMO-AL-SXD' })
  })

  it("a count for an agency without responses: 'populationMismatch' naming it", async () => {
    await clearCounts()
    await insertCounts('2026-Q1', { ...COUNTS_2026_Q1, 'DEMO-AL-X-HOATHUAN': 500 })
    expect(await ps('2026-Q1')).toEqual({ ok: false, error: 'populationMismatch', detail: 'DEMO-AL-X-HOATHUAN' })
    await clearCounts()
  })
})

describe('rebuilding the aggregates from raw responses', () => {
  const itemAggregateRows = () =>
    t.db
      .selectFrom('item_aggregate')
      .selectAll()
      .orderBy('agency_id')
      .orderBy('period_month')
      .orderBy('item_id')
      .orderBy('answer_value')
      .orderBy('stratum')
      .execute()

  it('gives exactly the same tables', async () => {
    const requests: Array<[string, Partial<ScoresRequest>]> = [
      ['2026-Q1', {}],
      ['2026-Q1', { options: { weighting: 'unweighted' } }],
      ['2024', { rootAgencyCode: null, boundaries: 'historical' }],
      ['2024', { rootAgencyCode: null }],
    ]
    const before = await Promise.all(requests.map(([p, o]) => scores(p, o)))
    const itemRows = await itemAggregateRows()
    const report = await rebuildAggregates(t.db)
    expect(report.responses).toBe(272)
    const after = await Promise.all(requests.map(([p, o]) => scores(p, o)))
    expect(after).toEqual(before)
    expect(await itemAggregateRows()).toEqual(itemRows)
  })
})
