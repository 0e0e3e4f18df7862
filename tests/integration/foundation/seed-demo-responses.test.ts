/** seedDemoResponses: synthetic responses through the real submission path, with consistent aggregates. */
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DB } from '#db/client.ts'
import { seedDemoResponses } from '#app/.server/services/seed.ts'
import { createTestDatabase, rowCount, type TestDatabase } from '#tests/helpers/db.ts'

const N = 40

let t: TestDatabase
let db: DB

const countRows = (table: 'response' | 'answer' | 'item_aggregate' | 'composite_aggregate') => rowCount(db, table)

beforeAll(async () => {
  t = await createTestDatabase({ seed: 'demo' })
  db = t.db
})
afterAll(async () => t?.cleanup())

describe('seedDemoResponses', () => {
  it(`adds exactly N responses (N = ${N}) and returns N`, async () => {
    expect(await countRows('response')).toBe(0)
    expect(await countRows('item_aggregate')).toBe(0)
    expect(await seedDemoResponses(db, N)).toBe(N)
    expect(await countRows('response')).toBe(N)
    expect(await countRows('answer')).toBeGreaterThanOrEqual(N * 22)
  })

  it('attaches responses to current agencies only, as synthetic SIPAS responses within the last twelve months', async () => {
    const rows = await db
      .selectFrom('response as r')
      .innerJoin('agency as a', 'a.id', 'r.agency_id')
      .innerJoin('questionnaire_version as v', 'v.id', 'r.version_id')
      .innerJoin('questionnaire as q', 'q.id', 'v.questionnaire_id')
      .select(['a.valid_to', 'q.code', 'r.source', 'r.submitted_at', 'r.period_month', 'r.weight_micro'])
      .execute()
    const oldest = Date.now() - 12 * 30 * 24 * 3600 * 1000 - 60_000
    for (const r of rows) {
      expect(r).toMatchObject({ valid_to: null, code: 'SIPAS-2017', source: 'synthetic', weight_micro: 1_000_000 })
      expect(Date.parse(r.submitted_at)).toBeGreaterThan(oldest)
      expect(Date.parse(r.submitted_at)).toBeLessThanOrEqual(Date.now())
      expect(r.period_month).toMatch(/^\d{4}-(0[1-9]|1[0-2])$/)
    }
  })

  it('every response answers all 22 criteria', async () => {
    const perResponse = await db
      .selectFrom('answer as a')
      .innerJoin('questionnaire_item as i', 'i.id', 'a.item_id')
      .select(['a.response_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('i.role', '=', 'criterion')
      .groupBy('a.response_id')
      .execute()
    expect(perResponse).toHaveLength(N)
    for (const r of perResponse) expect(Number(r.n)).toBe(22)
  })

  it('item_aggregate counts match the stored scale answers exactly, per agency, month, item and value', async () => {
    const fromAnswers = await sql<{
      agency_id: number
      period_month: string
      item_id: number
      answer_value: number
      n: number
    }>`
      select r.agency_id, r.period_month, a.item_id, cast(a.value_number as integer) as answer_value, count(*) as n
      from answer a join response r on r.id = a.response_id
      where a.value_number is not null
      group by 1, 2, 3, 4 order by 1, 2, 3, 4`.execute(db)
    const aggregates = await sql<{
      agency_id: number
      period_month: string
      item_id: number
      answer_value: number
      n: number
    }>`
      select g.agency_id, g.period_month, g.item_id, g.answer_value, g.n
      from item_aggregate g join questionnaire_item i on i.id = g.item_id
      where i.type = 'scale5' order by 1, 2, 3, 4`.execute(db)
    expect(aggregates.rows.length).toBeGreaterThan(0)
    expect(aggregates.rows).toEqual(fromAnswers.rows)
    // Unit weights: Σw = n·10⁶ and Σw² = n.
    const weights = await db.selectFrom('item_aggregate').select(['n', 'sum_w_micro', 'sum_w2']).execute()
    for (const w of weights) {
      expect(Number(w.sum_w_micro)).toBe(w.n * 1_000_000)
      expect(w.sum_w2).toBe(w.n)
    }
  })

  it('the total n of scale-item aggregates equals the number of numeric answers', async () => {
    const answers = Number(
      (await sql<{ n: number }>`select count(*) as n from answer where value_number is not null`.execute(db)).rows[0]!
        .n,
    )
    const total = Number(
      (
        await sql<{
          n: number
        }>`select sum(n) as n from item_aggregate where answer_value > 0 and item_id in (select id from questionnaire_item where type = 'scale5')`.execute(
          db,
        )
      ).rows[0]!.n,
    )
    expect(total).toBe(answers)
  })

  it('the expectations question is counted once per respondent who answered it (answer_value 0)', async () => {
    const item = await db
      .selectFrom('questionnaire_item')
      .select('id')
      .where('code', '=', 'X.expectations')
      .executeTakeFirstOrThrow()
    const answered = Number(
      (await sql<{ n: number }>`select count(*) as n from answer where item_id = ${item.id}`.execute(db)).rows[0]!.n,
    )
    const counted = Number(
      (
        await sql<{
          n: number
        }>`select coalesce(sum(n), 0) as n from item_aggregate where item_id = ${item.id} and answer_value = 0`.execute(
          db,
        )
      ).rows[0]!.n,
    )
    expect(counted).toBe(answered)
  })

  it('the overall composite has one observation per response', async () => {
    const overall = Number(
      (await sql<{ n: number }>`select sum(n) as n from composite_aggregate where composite = 'overall'`.execute(db))
        .rows[0]!.n,
    )
    expect(overall).toBe(N)
    for (const e of ['E1', 'E2', 'E3', 'E4', 'E5']) {
      const n = Number(
        (await sql<{ n: number }>`select sum(n) as n from composite_aggregate where composite = ${e}`.execute(db))
          .rows[0]!.n,
      )
      expect(n).toBe(N)
    }
  })

  it('a second call adds N more', async () => {
    await seedDemoResponses(db, 5, { seed: 7 })
    expect(await countRows('response')).toBe(N + 5)
    const overall = Number(
      (await sql<{ n: number }>`select sum(n) as n from composite_aggregate where composite = 'overall'`.execute(db))
        .rows[0]!.n,
    )
    expect(overall).toBe(N + 5)
  })
})
