// Responses, answers and aggregates partitioned by month with db/postgres/partition-by-month.sql: proof
// that the schema is partition-ready, not only said to be. The app runs unchanged on the partitioned
// tables: same scores, submissions stored once each in their month's partition, aggregates equal to a
// rebuild, keys and indexes as before.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { computeScores } from '#app/.server/services/scores.ts'
import { rebuildAggregates } from '#app/.server/services/rebuild-aggregates.ts'
import { seedDemoResponses } from '#app/.server/services/seed.ts'
import { submitResponse, type Submission } from '#app/.server/services/submit-response.ts'
import { getVersionDefinition } from '#app/.server/services/survey-definition.ts'
import { aggregateSnapshot } from '#tests/helpers/aggregates.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'

const RECIPE = resolve(import.meta.dirname, '../../../db/postgres/partition-by-month.sql')
const TABLES = ['response', 'answer', 'item_aggregate', 'composite_aggregate']
let t: TestDatabase

/** Keys, checks, foreign keys and indexes of the four tables, as the catalogue defines them. */
async function catalogue() {
  const { rows: constraints } = await sql<{ table: string; name: string; def: string }>`
    select conrelid::regclass::text as table, conname as name, pg_get_constraintdef(oid) as def from pg_constraint
    where conrelid::regclass::text = any(${TABLES}) and conparentid = 0 order by 1, 2`.execute(t.db)
  const { rows: indexes } = await sql<{ def: string }>`
    select replace(pg_get_indexdef(indexrelid), ' ON ONLY ', ' ON ') as def from pg_index
    where indrelid::regclass::text = any(${TABLES}) order by 1`.execute(t.db)
  return { constraints, indexes: indexes.map((i) => i.def) }
}

async function counts() {
  const result: Record<string, number> = {}
  for (const table of [...TABLES, 'submission_key'])
    result[table] = Number(
      (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(t.db)).rows[0].n,
    )
  return result
}

const aggregates = () => aggregateSnapshot(t.db)

const scoresOf = (year: number) =>
  computeScores(t.db, {
    questionnaireCode: 'SIPAS-2017',
    rootAgencyCode: null,
    period: { kind: 'year', year },
    boundaries: 'current',
  })

let before: { catalogue: Awaited<ReturnType<typeof catalogue>>; counts: Record<string, number>; scores: unknown[] }

beforeAll(async () => {
  t = await createTestDatabase({ seed: 'demo' })
  // Spread over 18 months: two calendar years, so rows land in two partitions.
  await seedDemoResponses(t.db, 400, { seed: 7, months: 18 })
  before = {
    catalogue: await catalogue(),
    counts: await counts(),
    scores: [await scoresOf(2025), await scoresOf(2026)],
  }
  await sql.raw(readFileSync(RECIPE, 'utf8')).execute(t.db)
}, 120_000)

afterAll(async () => {
  await t?.cleanup()
})

describe('db/postgres/partition-by-month.sql', () => {
  it('partitions the four tables by month range, a partition per year and a default, keeping every row', async () => {
    const { rows: partitioned } = await sql<{ table: string; strategy: string; key: string }>`
      select partrelid::regclass::text as table, partstrat as strategy, pg_get_partkeydef(partrelid) as key from pg_partitioned_table order by 1`.execute(
      t.db,
    )
    expect(partitioned).toEqual(
      [...TABLES].sort().map((table) => ({ table, strategy: 'r', key: 'RANGE (period_month)' })),
    )
    const { rows: partitions } = await sql<{ name: string }>`
      select inhrelid::regclass::text as name from pg_inherits where inhparent = 'response'::regclass order by 1`.execute(
      t.db,
    )
    expect(partitions.map((p) => p.name)).toEqual(
      expect.arrayContaining(['response_2025', 'response_2026', 'response_2027', 'response_default']),
    )
    expect(await counts()).toEqual(before.counts)
    const { rows: placed } = await sql<{ partition: string; n: number }>`
      select tableoid::regclass::text as partition, count(*)::int as n from response group by 1 order by 1`.execute(
      t.db,
    )
    expect(placed.map((p) => p.partition)).toEqual(['response_2025', 'response_2026'])
  })

  it('keeps every key, check, foreign key and index, with the same names and definitions', async () => {
    expect(await catalogue()).toEqual(before.catalogue)
  })

  it('gives the same scores', async () => {
    expect([await scoresOf(2025), await scoresOf(2026)]).toEqual(before.scores)
  })

  it('stores concurrent submissions and their retries once each, in the partition of their month', async () => {
    const version = await getVersionDefinition(
      t.db,
      (
        await t.db
          .selectFrom('questionnaire_version as v')
          .innerJoin('questionnaire as q', 'q.id', 'v.questionnaire_id')
          .select('v.id')
          .where('q.code', '=', 'SIPAS-2017')
          .where('v.status', '=', 'published')
          .executeTakeFirstOrThrow()
      ).id,
      'published',
    )
    const agencies = await t.db
      .selectFrom('agency')
      .select('id')
      .where('valid_to', 'is', null)
      .orderBy('id')
      .limit(4)
      .execute()
    const answers = Object.fromEntries(
      version.items.filter((i) => i.role === 'criterion').map((i, k) => [i.code, 1 + (k % 5)]),
    )
    const submissions: Submission[] = Array.from({ length: 40 }, (_, k) => ({
      clientSubmissionId: `partitioned-${k}`,
      version,
      answers,
      context: {
        agencyId: agencies[k % 4].id,
        procedureId: null,
        channel: 'counter',
        linkId: null,
        invitationId: null,
      },
      submittedAt: new Date(k % 2 ? '2026-03-10T03:00:00Z' : '2027-01-10T03:00:00Z'),
    }))
    const results = await Promise.all([...submissions, ...submissions.slice(0, 10)].map((s) => submitResponse(t.db, s)))
    expect(results.filter((r) => r.status === 'stored')).toHaveLength(40)
    expect(results.filter((r) => r.status === 'duplicate')).toHaveLength(10)
    const { rows } = await sql<{ partition: string; n: number }>`
      select tableoid::regclass::text as partition, count(*)::int as n from answer a
      where response_id in (select response_id from submission_key where client_submission_id like 'partitioned-%') group by 1 order by 1`.execute(
      t.db,
    )
    const perResponse = Object.keys(answers).length
    expect(rows).toEqual([
      { partition: 'answer_2026', n: 20 * perResponse },
      { partition: 'answer_2027', n: 20 * perResponse },
    ])
  })

  it('keeps the aggregates equal to a rebuild from raw responses', async () => {
    const live = await aggregates()
    await rebuildAggregates(t.db)
    expect(await aggregates()).toEqual(live)
  })

  it('reads only the partitions of the period asked for', async () => {
    const { rows } = await sql<{ 'QUERY PLAN': string }>`
      explain select sum(n) from item_aggregate where period_month between '2026-01' and '2026-12'`.execute(t.db)
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n')
    expect(plan).toContain('item_aggregate_2026')
    expect(plan).not.toContain('item_aggregate_2025')
  })

  it('refuses an answer filed under another month than its response', async () => {
    const { response_id, agency_id } = await t.db
      .selectFrom('answer')
      .select(['response_id', 'agency_id'])
      .where('period_month', 'like', '2026-%')
      .executeTakeFirstOrThrow()
    const item = await t.db
      .selectFrom('questionnaire_item')
      .select('id')
      .where('role', '=', 'suggestion')
      .executeTakeFirstOrThrow()
    await expect(
      t.db
        .insertInto('answer')
        .values({
          response_id,
          item_id: item.id,
          agency_id,
          period_month: '2025-01',
          value_number: null,
          value_text: 'x',
        })
        .execute(),
    ).rejects.toThrow(/foreign key/)
  })
})
