import { Migrator } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DB } from '#db/client.ts'
import { migrationProvider } from '#db/migrations/index.ts'
import { seedDemoProvince, seedTemplates } from '#app/.server/services/seed.ts'
import { createEmptyDatabase } from '#tests/helpers/db.ts'

const BEFORE = '2026-11-28T0900_partition_ready_responses'
const THIS = '2026-11-29T2010_population_count_approval'
let db: DB
let drop = async () => {}
const ids: Record<string, number> = {}

// [agency, period as typed, count, entered at]
const TYPED: Array<[string, string, number, string]> = [
  ['DEMO-AL-SNV', '2026-Q3', 100, '2026-09-01T00:00:00Z'],
  ['DEMO-AL-SNV', '2026-q3', 200, '2026-10-01T00:00:00Z'],
  ['DEMO-AL-SNV', 'Q3/2026', 300, '2026-08-01T00:00:00Z'],
  // Entered at the same instant: the later row (higher id) stays.
  ['DEMO-AL-STP', '2026-q1', 10, '2026-04-01T00:00:00Z'],
  ['DEMO-AL-STP', '2026-Q1', 20, '2026-04-01T00:00:00Z'],
  ['DEMO-AL-STP', '2026', 5000, '2026-04-01T00:00:00Z'],
  ['DEMO-AL-SXD', '2026-9', 40, '2026-10-01T00:00:00Z'],
  ['DEMO-AL-SXD', 'soon', 50, '2026-10-01T00:00:00Z'],
]

beforeAll(async () => {
  ;({ db, drop } = await createEmptyDatabase())
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo(BEFORE)
  if (error) throw error
  await seedTemplates(db)
  await seedDemoProvince(db)
  for (const a of await db.selectFrom('agency').select(['id', 'code']).execute()) ids[a.code] = a.id
  for (const [code, period, count, at] of TYPED)
    await db
      .insertInto('population_count')
      .values({ agency_id: ids[code]!, period, count, source: null, created_at: at })
      .execute()
  const { error: upgrade, results } = await new Migrator({ db, provider: migrationProvider }).migrateTo(THIS)
  if (upgrade) throw upgrade
  expect(results?.map((r) => [r.migrationName, r.status])).toEqual([[THIS, 'Success']])
})
afterAll(async () => {
  await db?.destroy()
  await drop()
})

const stored = async () =>
  (
    await db
      .selectFrom('population_count as p')
      .innerJoin('agency as a', 'a.id', 'p.agency_id')
      .select(['a.code', 'p.period', 'p.count'])
      .orderBy('a.code')
      .orderBy('p.period')
      .execute()
  ).map((r) => [r.code, r.period, r.count])

const refused = async (work: () => Promise<unknown>) => {
  let failure: unknown = null
  try {
    await work()
  } catch (error) {
    failure = error
  }
  expect(failure).toBeInstanceOf(Error)
}

describe('population counts after the upgrade', () => {
  it('hold one row per agency and canonical period, the latest entered, and leave an unreadable one alone', async () => {
    expect(await stored()).toEqual([
      ['DEMO-AL-SNV', '2026-Q3', 200],
      ['DEMO-AL-STP', '2026', 5000],
      ['DEMO-AL-STP', '2026-Q1', 20],
      ['DEMO-AL-SXD', '2026-09', 40],
      ['DEMO-AL-SXD', 'soon', 50],
    ])
  })

  it('refuse a period that is not canonical, on insert and on update', async () => {
    const row = (period: string) => ({
      agency_id: ids['DEMO-AL-SNNMT']!,
      period,
      count: 7,
      source: null,
      created_at: '2026-11-29T00:00:00Z',
    })
    for (const period of ['2026-q4', 'Q4/2026', '2026-9', '2026-Q5', '2026-13', ' 2026'])
      await refused(() => db.insertInto('population_count').values(row(period)).execute())
    await db.insertInto('population_count').values(row('2026-H2')).execute()
    await refused(() =>
      db.updateTable('population_count').set({ period: '2026-h2' }).where('period', '=', '2026-H2').execute(),
    )
    // The unique key now holds on the canonical period.
    await refused(() => db.insertInto('population_count').values(row('2026-H2')).execute())
  })

  it('keep at most one pending proposal per agency and period, and any number of decided ones', async () => {
    const proposal = (status: 'pending' | 'rejected', period = '2026-Q4') => ({
      agency_id: ids['DEMO-AL-SNV']!,
      period,
      count: 9,
      source: null,
      status,
      entered_by_user_id: null,
      entered_by: 'test',
      entered_at: '2026-11-29T00:00:00Z',
    })
    await db.insertInto('population_count_proposal').values(proposal('pending')).execute()
    await refused(() => db.insertInto('population_count_proposal').values(proposal('pending')).execute())
    await db.insertInto('population_count_proposal').values(proposal('rejected')).execute()
    await db.insertInto('population_count_proposal').values(proposal('rejected')).execute()
    await refused(() => db.insertInto('population_count_proposal').values(proposal('rejected', '2026-q4')).execute())
  })
})
