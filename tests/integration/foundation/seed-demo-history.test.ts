/**
 * The demo province seeded with its history (HAILONG_DEMO_RESPONSES): responses on both sides of the
 * 1 July 2025 reorganisation, on the units of their time, with agencies that differ and answers that are
 * correlated within a respondent, and aggregates that match the stored answers.
 */
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DB } from '#db/client.ts'
import { rebuildAggregates } from '#app/.server/services/rebuild-aggregates.ts'
import { seedAll } from '#app/.server/services/seed.ts'
import { createTestDatabase, rowCount, type TestDatabase } from '#tests/helpers/db.ts'

const N = 3000

let t: TestDatabase
let db: DB

beforeAll(async () => {
  t = await createTestDatabase({ seed: 'templates' })
  db = t.db
  const started = Date.now()
  const report = await seedAll(db, { demoResponses: N })
  // Reported, not asserted (no timed assertions): how long the bulk path takes on this database.
  console.info(`seeded ${N} demo responses on ${t.dialect} in ${Date.now() - started} ms`)
  expect(report).toMatchObject({ demoProvince: true, demoResponses: N })
})
afterAll(async () => t?.cleanup())

/** Per response, its agency's code, validity and level, and the date. */
async function responses() {
  return db
    .selectFrom('response as r')
    .innerJoin('agency as a', 'a.id', 'r.agency_id')
    .select(['r.id', 'r.submitted_at', 'r.source', 'a.code', 'a.level', 'a.valid_from', 'a.valid_to'])
    .execute()
}

/** Each response's answer to a criterion, by response id. */
async function answersTo(code: string): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('answer as a')
    .innerJoin('questionnaire_item as i', 'i.id', 'a.item_id')
    .select(['a.response_id', 'a.value_number'])
    .where('i.code', '=', code)
    .execute()
  return new Map(rows.map((r) => [Number(r.response_id), Number(r.value_number)]))
}

function correlation(pairs: Array<[number, number]>): number {
  const mean = (values: number[]) => values.reduce((s, x) => s + x, 0) / values.length
  const mx = mean(pairs.map((p) => p[0]))
  const my = mean(pairs.map((p) => p[1]))
  const cov = mean(pairs.map(([x, y]) => (x - mx) * (y - my)))
  const vx = mean(pairs.map(([x]) => (x - mx) ** 2))
  const vy = mean(pairs.map(([, y]) => (y - my) ** 2))
  return cov / Math.sqrt(vx * vy)
}

describe('the demo province with its history', () => {
  it(`holds ${N} synthetic responses from January 2024 to today`, async () => {
    const rows = await responses()
    expect(rows).toHaveLength(N)
    expect(new Set(rows.map((r) => r.source))).toEqual(new Set(['synthetic']))
    const times = rows.map((r) => Date.parse(r.submitted_at))
    expect(Math.min(...times)).toBeGreaterThanOrEqual(Date.parse('2024-01-01T00:00:00+07:00'))
    expect(Math.max(...times)).toBeLessThanOrEqual(Date.now())
  })

  it('has responses before and after 2025-07-01, each on a unit open that day (predecessors before, successors after)', async () => {
    const rows = await responses()
    const reorganisation = Date.parse('2025-07-01T00:00:00+07:00')
    const before = rows.filter((r) => Date.parse(r.submitted_at) < reorganisation)
    const after = rows.filter((r) => Date.parse(r.submitted_at) >= reorganisation)
    expect(before.length).toBeGreaterThan(N / 4)
    expect(after.length).toBeGreaterThan(N / 4)
    for (const r of rows) {
      const date = new Date(Date.parse(r.submitted_at) + 7 * 3600 * 1000).toISOString().slice(0, 10)
      expect(r.level).not.toBe('province')
      expect(r.valid_from <= date && (r.valid_to === null || date <= r.valid_to), `${r.code} on ${date}`).toBe(true)
    }
    for (const code of ['DEMO-BS-H-BINHMINH', 'DEMO-BS-H-HOATHUAN', 'DEMO-AL-H-ANLAC', 'DEMO-AL-STNMT'])
      expect(before.map((r) => r.code)).toContain(code)
    for (const code of ['DEMO-AL-X-BINHMINH', 'DEMO-AL-X-HOATHUAN', 'DEMO-AL-P-ANLAC', 'DEMO-AL-SNNMT'])
      expect(after.map((r) => r.code)).toContain(code)
  })

  it('has agencies that differ by several points of satisfaction (from the aggregates)', async () => {
    const rows = await sql<{ code: string; satisfied: number | string; total: number | string }>`
      select a.code,
             sum(case when g.answer_value >= 4 then g.n else 0 end) as satisfied,
             sum(g.n) as total
      from item_aggregate g
      join questionnaire_item i on i.id = g.item_id
      join agency a on a.id = g.agency_id
      where i.role = 'criterion'
      group by a.code`.execute(db)
    const shares = rows.rows
      .filter((r) => Number(r.total) >= 100 * 22)
      .map((r) => (100 * Number(r.satisfied)) / Number(r.total))
    expect(shares.length).toBeGreaterThanOrEqual(8)
    expect(Math.max(...shares) - Math.min(...shares)).toBeGreaterThan(8)
  })

  it('makes a respondent’s answers correlated (> 0.3) across elements', async () => {
    const access = await answersTo('E1.1')
    const staff = await answersTo('E3.1')
    const result = await answersTo('E4.1')
    const pairs = (a: Map<number, number>, b: Map<number, number>) =>
      [...a].flatMap(([id, x]): Array<[number, number]> => (b.has(id) ? [[x, b.get(id)!]] : []))
    expect(pairs(access, staff)).toHaveLength(N)
    expect(correlation(pairs(access, staff))).toBeGreaterThan(0.3)
    expect(correlation(pairs(staff, result))).toBeGreaterThan(0.3)
  })

  it('has a weak element: the processing time (E2.5) scores below every criterion of staff (E3)', async () => {
    const share = async (code: string) => {
      const values = [...(await answersTo(code)).values()]
      return values.filter((v) => v >= 4).length / values.length
    }
    const time = await share('E2.5')
    for (const code of ['E3.1', 'E3.2', 'E3.3', 'E3.4', 'E3.5', 'E3.6'])
      expect(time).toBeLessThan((await share(code)) - 0.05)
  })

  it('has suggestions and expectations to analyse', async () => {
    const texts = await db
      .selectFrom('answer as a')
      .innerJoin('questionnaire_item as i', 'i.id', 'a.item_id')
      .select('a.value_text')
      .where('i.code', '=', 'S.suggestion')
      .execute()
    expect(texts.length).toBeGreaterThan(N * 0.08)
    const expectations = await db
      .selectFrom('answer as a')
      .innerJoin('questionnaire_item as i', 'i.id', 'a.item_id')
      .select('a.value_text')
      .where('i.code', '=', 'X.expectations')
      .execute()
    expect(expectations.length).toBeGreaterThan(N * 0.4)
  })

  it('keeps aggregates equal to a rebuild from the raw answers', async () => {
    const snapshot = async () => [
      await sql`select agency_id, period_month, item_id, answer_value, stratum, entry_channel, n from item_aggregate
                order by agency_id, period_month, item_id, answer_value, stratum, entry_channel`.execute(db),
      await sql`select agency_id, period_month, version_id, composite, stratum, entry_channel, n from composite_aggregate
                order by agency_id, period_month, version_id, composite, stratum, entry_channel`.execute(db),
    ]
    const before = (await snapshot()).map((r) => r.rows)
    await rebuildAggregates(db)
    expect((await snapshot()).map((r) => r.rows)).toEqual(before)
  })

  it('a second seed adds nothing', async () => {
    const report = await seedAll(db, { demoResponses: N })
    expect(report).toMatchObject({ demoProvince: false, demoResponses: 0 })
    expect(await rowCount(db, 'response')).toBe(N)
  })
})
