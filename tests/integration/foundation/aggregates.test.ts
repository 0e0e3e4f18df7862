/**
 * Live aggregates written by submitResponse, checked against hand-computed values, then rebuilt from the
 * raw responses by rebuildAggregates, which must give identical tables.
 */
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DB } from '#db/client.ts'
import type { AnswerValue } from '#app/domain/survey/response-schema.ts'
import { latestPublishedVersion } from '#app/.server/repos/questionnaires.ts'
import { rebuildAggregates } from '#app/.server/services/rebuild-aggregates.ts'
import { seedDemoResponses } from '#app/.server/services/seed.ts'
import { submitResponse, type Submission } from '#app/.server/services/submit-response.ts'
import { getVersionDefinition, type VersionDefinition } from '#app/.server/services/survey-definition.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'

const CRITERIA: Record<string, string[]> = {
  E1: ['E1.1', 'E1.2', 'E1.3', 'E1.4'],
  E2: ['E2.1', 'E2.2', 'E2.3', 'E2.4', 'E2.5'],
  E3: ['E3.1', 'E3.2', 'E3.3', 'E3.4', 'E3.5', 'E3.6'],
  E4: ['E4.1', 'E4.2', 'E4.3'],
  E5: ['E5.1', 'E5.2', 'E5.3', 'E5.4'],
}

/** Answers every criterion of each element with the given values (one value repeated, or one per criterion). */
function answers(
  perElement: Record<string, number | number[]>,
  extra: Record<string, AnswerValue> = {},
): Record<string, AnswerValue> {
  const out: Record<string, AnswerValue> = {}
  for (const [element, codes] of Object.entries(CRITERIA)) {
    const v = perElement[element]!
    for (const [k, code] of codes.entries()) out[code] = Array.isArray(v) ? v[k]! : v
  }
  return { ...out, ...extra }
}

// Hand-computed per-respondent composites (share of satisfied criteria, 4 or 5; overall = mean of the five):
// A: all 5                                → E1..E5 = 1,    overall 1                      (weight 1)
// B: E1 all 2, rest all 4                 → E1 = 0, rest 1, overall 4/5 = 0.8             (weight 1)
// C: E1 [5,3,3,3], E2 all 1, E3 all 4,
//    E4 [4,4,2], E5 all 5                 → 0.25, 0, 1, 2/3, 1; overall 35/60 = 7/12      (weight 2)
const A = answers({ E1: 5, E2: 5, E3: 5, E4: 5, E5: 5 }, { 'O.overall': 4 })
const B = answers({ E1: 2, E2: 4, E3: 4, E4: 4, E5: 4 })
const C = answers(
  { E1: [5, 3, 3, 3], E2: 1, E3: 4, E4: [4, 4, 2], E5: 5 },
  { 'X.expectations': ['simplify', 'time'], 'S.suggestion': 'Thêm ghế chờ' },
)
// D falls in April in Vietnam time (UTC+7) although it is still March in UTC.
const D = answers({ E1: 5, E2: 5, E3: 5, E4: 5, E5: 5 })
const MARCH = new Date('2026-03-15T03:00:00.000Z')
const APRIL_IN_VIETNAM = new Date('2026-03-31T18:30:00.000Z')

let t: TestDatabase
let db: DB
let version: VersionDefinition
let agencyId: number
const itemId = (code: string) => version.items.find((i) => i.code === code)!.id

function submission(
  clientSubmissionId: string,
  values: Record<string, AnswerValue>,
  extra: Partial<Submission> = {},
): Submission {
  return {
    clientSubmissionId,
    version,
    answers: values,
    submittedAt: MARCH,
    context: { agencyId, procedureId: null, channel: 'counter', linkId: null, invitationId: null },
    ...extra,
  }
}

async function itemRows() {
  return (
    await sql<
      Record<string, unknown>
    >`select * from item_aggregate order by agency_id, period_month, item_id, answer_value, stratum`.execute(db)
  ).rows
}
async function compositeRows() {
  return (
    await sql<
      Record<string, unknown>
    >`select * from composite_aggregate order by agency_id, period_month, version_id, composite, stratum`.execute(db)
  ).rows
}
async function itemAggregate(code: string, periodMonth = '2026-03') {
  return db
    .selectFrom('item_aggregate')
    .select(['answer_value', 'stratum', 'n', 'sum_w_micro', 'sum_w2'])
    .where('agency_id', '=', agencyId)
    .where('period_month', '=', periodMonth)
    .where('item_id', '=', itemId(code))
    .orderBy('answer_value')
    .execute()
}
async function composite(name: string, periodMonth = '2026-03') {
  return db
    .selectFrom('composite_aggregate')
    .selectAll()
    .where('agency_id', '=', agencyId)
    .where('period_month', '=', periodMonth)
    .where('composite', '=', name)
    .executeTakeFirst()
}

beforeAll(async () => {
  t = await createTestDatabase({ seed: 'demo' })
  db = t.db
  const q = await db.selectFrom('questionnaire').select('id').where('code', '=', 'SIPAS-2017').executeTakeFirstOrThrow()
  const v = (await latestPublishedVersion(db, q.id))!
  version = await getVersionDefinition(db, v.id, v.status)
  agencyId = (await db.selectFrom('agency').select('id').where('code', '=', 'DEMO-AL-STP').executeTakeFirstOrThrow()).id
})
afterAll(async () => t?.cleanup())

describe('live aggregates from submitResponse', () => {
  it('stores each response with its answers', async () => {
    expect(await submitResponse(db, submission('resp-A', A))).toMatchObject({ status: 'stored' })
    expect(await submitResponse(db, submission('resp-B', B))).toMatchObject({ status: 'stored' })
    expect(await submitResponse(db, submission('resp-C', C, { weightMicro: 2_000_000 }))).toMatchObject({
      status: 'stored',
    })
    expect(await submitResponse(db, submission('resp-D', D, { submittedAt: APRIL_IN_VIETNAM }))).toMatchObject({
      status: 'stored',
    })
    const responses = await db
      .selectFrom('response')
      .select(['client_submission_id', 'period_month', 'weight_micro', 'agency_id', 'version_id'])
      .orderBy('id')
      .execute()
    expect(responses).toEqual([
      {
        client_submission_id: 'resp-A',
        period_month: '2026-03',
        weight_micro: 1_000_000,
        agency_id: agencyId,
        version_id: version.versionId,
      },
      {
        client_submission_id: 'resp-B',
        period_month: '2026-03',
        weight_micro: 1_000_000,
        agency_id: agencyId,
        version_id: version.versionId,
      },
      {
        client_submission_id: 'resp-C',
        period_month: '2026-03',
        weight_micro: 2_000_000,
        agency_id: agencyId,
        version_id: version.versionId,
      },
      {
        client_submission_id: 'resp-D',
        period_month: '2026-04',
        weight_micro: 1_000_000,
        agency_id: agencyId,
        version_id: version.versionId,
      },
    ])
    const c = await db
      .selectFrom('response')
      .select('id')
      .where('client_submission_id', '=', 'resp-C')
      .executeTakeFirstOrThrow()
    const stored = await db
      .selectFrom('answer')
      .select(['item_id', 'value_number', 'value_text'])
      .where('response_id', '=', c.id)
      .execute()
    expect(stored).toHaveLength(22 + 2)
    expect(stored).toContainEqual({
      item_id: itemId('X.expectations'),
      value_number: null,
      value_text: JSON.stringify(['simplify', 'time']),
    })
    expect(stored).toContainEqual({ item_id: itemId('S.suggestion'), value_number: null, value_text: 'Thêm ghế chờ' })
    expect(stored).toContainEqual({ item_id: itemId('E1.2'), value_number: 3, value_text: null })
  })

  it('counts each scale answer by value, with Σw in micro-units and Σw²', async () => {
    // E1.1: A 5 (w 1), B 2 (w 1), C 5 (w 2)
    expect(await itemAggregate('E1.1')).toEqual([
      { answer_value: 2, stratum: '', n: 1, sum_w_micro: 1_000_000, sum_w2: 1 },
      { answer_value: 5, stratum: '', n: 2, sum_w_micro: 3_000_000, sum_w2: 5 },
    ])
    // E1.2: A 5, B 2, C 3
    expect(await itemAggregate('E1.2')).toEqual([
      { answer_value: 2, stratum: '', n: 1, sum_w_micro: 1_000_000, sum_w2: 1 },
      { answer_value: 3, stratum: '', n: 1, sum_w_micro: 2_000_000, sum_w2: 4 },
      { answer_value: 5, stratum: '', n: 1, sum_w_micro: 1_000_000, sum_w2: 1 },
    ])
    // E4.3: A 5, B 4, C 2
    expect((await itemAggregate('E4.3')).map((r) => [r.answer_value, r.n, r.sum_w_micro])).toEqual([
      [2, 1, 2_000_000],
      [4, 1, 1_000_000],
      [5, 1, 1_000_000],
    ])
    // O.overall: only A answered it.
    expect(await itemAggregate('O.overall')).toEqual([
      { answer_value: 4, stratum: '', n: 1, sum_w_micro: 1_000_000, sum_w2: 1 },
    ])
    // Free text is never aggregated.
    expect(await itemAggregate('S.suggestion')).toEqual([])
  })

  it('counts a multiple-choice answer once as "answered" (0) and once per chosen option position', async () => {
    // Options: seating(1) simplify(2) publicity(3) attitude(4) competence(5) time(6) …
    expect(await itemAggregate('X.expectations')).toEqual([
      { answer_value: 0, stratum: '', n: 1, sum_w_micro: 2_000_000, sum_w2: 4 },
      { answer_value: 2, stratum: '', n: 1, sum_w_micro: 2_000_000, sum_w2: 4 },
      { answer_value: 6, stratum: '', n: 1, sum_w_micro: 2_000_000, sum_w2: 4 },
    ])
  })

  it('puts a response in its Vietnam-time month', async () => {
    expect((await itemAggregate('E1.1', '2026-04')).map((r) => [r.answer_value, r.n])).toEqual([[5, 1]])
    expect(await composite('overall', '2026-04')).toMatchObject({ n: 1, sum_w_micro: 1_000_000, sum_wx: 1 })
  })

  it('sums every criterion answer of March: 3 respondents × 22 criteria', async () => {
    const total = await sql<{
      n: number
    }>`select sum(g.n) as n from item_aggregate g join questionnaire_item i on i.id = g.item_id
      where g.period_month = '2026-03' and i.role = 'criterion'`.execute(db)
    expect(Number(total.rows[0]!.n)).toBe(66)
  })

  it('keeps the overall composite sums: n, Σw, Σw², Σwx, Σwx², Σw²x, Σw²x²', async () => {
    // x = 1 (w 1), 0.8 (w 1), 7/12 (w 2)
    const x = [1, 0.8, 7 / 12]
    const w = [1, 1, 2]
    const sum = (f: (k: number) => number) => [0, 1, 2].reduce((s, k) => s + f(k), 0)
    const row = (await composite('overall'))!
    expect(row).toMatchObject({ version_id: version.versionId, stratum: '', n: 3, sum_w_micro: 4_000_000, sum_w2: 6 })
    expect(row.sum_wx).toBeCloseTo(1 + 0.8 + 14 / 12, 12)
    expect(row.sum_wx).toBeCloseTo(
      sum((k) => w[k]! * x[k]!),
      12,
    )
    expect(row.sum_wx2).toBeCloseTo(
      sum((k) => w[k]! * x[k]! ** 2),
      12,
    )
    expect(row.sum_w2x).toBeCloseTo(
      sum((k) => w[k]! ** 2 * x[k]!),
      12,
    )
    expect(row.sum_w2x2).toBeCloseTo(
      sum((k) => w[k]! ** 2 * x[k]! ** 2),
      12,
    )
    // The weighted overall index for March: Σwx / Σw = (1 + 0.8 + 7/6) / 4
    expect(row.sum_wx / (Number(row.sum_w_micro) / 1e6)).toBeCloseTo((1 + 0.8 + 7 / 6) / 4, 12)
  })

  it('keeps one composite per element with the hand-computed shares', async () => {
    // Σwx per element: E1 1·1 + 1·0 + 2·0.25 = 1.5; E2 1 + 1 + 0 = 2; E3 1 + 1 + 2 = 4; E4 1 + 1 + 2·2/3; E5 4
    const expected: Record<string, number> = { E1: 1.5, E2: 2, E3: 4, E4: 2 + 4 / 3, E5: 4 }
    for (const [code, sumWx] of Object.entries(expected)) {
      const row = (await composite(code))!
      expect(row, code).toMatchObject({ n: 3, sum_w_micro: 4_000_000, sum_w2: 6 })
      expect(row.sum_wx, code).toBeCloseTo(sumWx, 12)
    }
    const e1 = (await composite('E1'))!
    expect(e1.sum_wx2).toBeCloseTo(1 + 0 + 2 * 0.0625, 12)
    expect(e1.sum_w2x).toBeCloseTo(1 + 0 + 4 * 0.25, 12)
    expect(e1.sum_w2x2).toBeCloseTo(1 + 0 + 4 * 0.0625, 12)
    const all = await db
      .selectFrom('composite_aggregate')
      .select('composite')
      .where('period_month', '=', '2026-03')
      .orderBy('composite')
      .execute()
    expect(all.map((r) => r.composite)).toEqual(['E1', 'E2', 'E3', 'E4', 'E5', 'overall'])
  })

  it('a response without any criterion adds to no composite', async () => {
    const before = await compositeRows()
    expect(await submitResponse(db, submission('resp-E', { 'O.overall': 2 }))).toMatchObject({ status: 'stored' })
    expect(await compositeRows()).toEqual(before)
    expect((await itemAggregate('O.overall')).map((r) => [r.answer_value, r.n])).toEqual([
      [2, 1],
      [4, 1],
    ])
  })
})

describe('idempotent submission', () => {
  it('a duplicate clientSubmissionId returns "duplicate" with the stored id and changes nothing', async () => {
    const original = await db
      .selectFrom('response')
      .select('id')
      .where('client_submission_id', '=', 'resp-A')
      .executeTakeFirstOrThrow()
    const [items, composites] = [await itemRows(), await compositeRows()]
    const responses = Number((await sql<{ n: number }>`select count(*) as n from response`.execute(db)).rows[0]!.n)
    // Same id with different answers: still the first one stands.
    expect(await submitResponse(db, submission('resp-A', B))).toEqual({ status: 'duplicate', responseId: original.id })
    expect(await submitResponse(db, submission('resp-A', A))).toEqual({ status: 'duplicate', responseId: original.id })
    expect(Number((await sql<{ n: number }>`select count(*) as n from response`.execute(db)).rows[0]!.n)).toBe(
      responses,
    )
    expect(
      Number(
        (await sql<{ n: number }>`select count(*) as n from response where client_submission_id = 'resp-A'`.execute(db))
          .rows[0]!.n,
      ),
    ).toBe(1)
    expect(await itemRows()).toEqual(items)
    expect(await compositeRows()).toEqual(composites)
  })

  it('concurrent copies of one submission store a single response', async () => {
    const results = await Promise.all([1, 2, 3].map(() => submitResponse(db, submission('resp-race', B))))
    expect(results.filter((r) => r.status === 'stored')).toHaveLength(1)
    expect(results.filter((r) => r.status === 'duplicate')).toHaveLength(2)
    expect(new Set(results.map((r) => ('responseId' in r ? r.responseId : null))).size).toBe(1)
    expect(
      Number(
        (
          await sql<{ n: number }>`select count(*) as n from response where client_submission_id = 'resp-race'`.execute(
            db,
          )
        ).rows[0]!.n,
      ),
    ).toBe(1)
    expect((await composite('overall'))!.n).toBe(4)
  })
})

describe('rebuildAggregates', () => {
  it('reproduces exactly the live tables for the hand-made responses', async () => {
    const [items, composites] = [await itemRows(), await compositeRows()]
    expect(items.length).toBeGreaterThan(0)
    const report = await rebuildAggregates(db)
    expect(report).toEqual({ responses: 6, itemRows: items.length, compositeRows: composites.length })
    expect(await itemRows()).toEqual(items)
    expect(await compositeRows()).toEqual(composites)
  })

  it('reproduces exactly the live tables after synthetic responses, from empty aggregate tables', async () => {
    await seedDemoResponses(db, 60, { seed: 42 })
    const [items, composites] = [await itemRows(), await compositeRows()]
    await db.deleteFrom('item_aggregate').execute()
    await db.deleteFrom('composite_aggregate').execute()
    const progress: Array<[number, number]> = []
    const report = await rebuildAggregates(db, (done, total) => progress.push([done, total]))
    expect(report.responses).toBe(66)
    expect(progress.at(-1)).toEqual([66, 66])
    expect(await itemRows()).toEqual(items)
    expect(await compositeRows()).toEqual(composites)
  })

  it('repairs tampered aggregates', async () => {
    const [items, composites] = [await itemRows(), await compositeRows()]
    await db.updateTable('item_aggregate').set({ n: 999 }).execute()
    await db.deleteFrom('composite_aggregate').where('composite', '=', 'overall').execute()
    await rebuildAggregates(db)
    expect(await itemRows()).toEqual(items)
    expect(await compositeRows()).toEqual(composites)
  })
})
