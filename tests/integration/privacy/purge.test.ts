/**
 * `hailong purge`: free text and profile answers of responses older than RETENTION_MONTHS are deleted, the
 * scored answers and the aggregates stay (published indices do not move, even after a rebuild), a dry run
 * deletes nothing, and the purge is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rebuildAggregates } from '#app/.server/services/rebuild-aggregates.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { runCli } from '#scripts/support/cli.ts'
import { seed } from '../analytics/support.ts'

let t: TestDatabase
let oldIds: number[]
let recentIds: number[]
const personal = { 'S.suggestion': 'Cán bộ rất nhiệt tình', 'P.gender': 'female', 'P.age': '18-30' }

beforeAll(async () => {
  t = await createTestDatabase({ seed: 'demo' })
  const recent = new Date(Date.now() - 24 * 3600 * 1000).toISOString()
  oldIds = await seed(t, [
    { agency: 'DEMO-AL-SNV', at: '2023-03-10T03:00:00Z', profile: 'S', count: 3, extra: personal },
    { agency: 'DEMO-AL-SNV', at: '2023-04-10T03:00:00Z', profile: 'H', count: 2, extra: personal },
  ])
  recentIds = await seed(t, [{ agency: 'DEMO-AL-SNV', at: recent, profile: 'U', count: 2, extra: personal }])
  await t.db.updateTable('response').set({ network_hash: 'keyed-hash-of-a-network' }).execute()
})
afterAll(async () => t?.cleanup())

const env = (extra: Record<string, string> = {}) => ({ DATABASE_URL: t.url, ...extra })

async function answersOf(ids: number[]) {
  return t.db
    .selectFrom('answer as a')
    .innerJoin('questionnaire_item as i', 'i.id', 'a.item_id')
    .select(['a.response_id', 'i.code', 'i.role', 'a.value_number', 'a.value_text'])
    .where('a.response_id', 'in', ids)
    .orderBy('a.response_id')
    .orderBy('i.code')
    .execute()
}
const profilesOf = async (ids: number[]) =>
  (await t.db.selectFrom('response').select('profile_json').where('id', 'in', ids).execute()).map((r) => r.profile_json)
const aggregates = async () => ({
  items: await t.db
    .selectFrom('item_aggregate')
    .selectAll()
    .orderBy(['agency_id', 'period_month', 'item_id', 'answer_value', 'stratum'])
    .execute(),
  composites: await t.db
    .selectFrom('composite_aggregate')
    .selectAll()
    .orderBy(['agency_id', 'period_month', 'version_id', 'composite', 'stratum'])
    .execute(),
})

describe('hailong purge', () => {
  it('--dry-run counts what is past the retention period and deletes nothing', async () => {
    const before = await answersOf(oldIds)
    const r = await runCli(['purge', '--dry-run'], { env: env({ RETENTION_MONTHS: '24' }) })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    // 5 old responses × (suggestion + gender + age).
    expect(r.stdout).toMatch(/^Dry run: would delete 15 free-text and profile answers and 5 profiles of 5 responses/)
    expect(await answersOf(oldIds)).toEqual(before)
    expect(await profilesOf(oldIds)).not.toContain(null)
  })

  it('deletes old free text and profile answers, keeps the scores and recent responses, and audits it', async () => {
    const scoredBefore = (await answersOf(oldIds)).filter((a) => a.role === 'criterion' || a.role === 'overall')
    const recentBefore = await answersOf(recentIds)
    const aggregatesBefore = await aggregates()

    const r = await runCli(['purge'], { env: env({ RETENTION_MONTHS: '24' }) })
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(
      /^Deleted 15 free-text and profile answers and 5 profiles of 5 responses submitted before /,
    )

    const after = await answersOf(oldIds)
    expect(after.filter((a) => a.code === 'S.suggestion' || a.role === 'profile')).toEqual([])
    expect(after).toEqual(scoredBefore)
    expect(await profilesOf(oldIds)).toEqual(oldIds.map(() => null))
    const networks = async (ids: number[]) =>
      (await t.db.selectFrom('response').select('network_hash').where('id', 'in', ids).execute()).map(
        (r) => r.network_hash,
      )
    expect(await networks(oldIds)).toEqual(oldIds.map(() => null))
    expect(await networks(recentIds)).toEqual(recentIds.map(() => 'keyed-hash-of-a-network'))
    expect(await answersOf(recentIds)).toEqual(recentBefore)
    expect(await profilesOf(recentIds)).not.toContain(null)
    expect(await aggregates()).toEqual(aggregatesBefore)

    const audit = await t.db
      .selectFrom('audit_log')
      .select(['actor', 'details_json'])
      .where('action', '=', 'privacy.purge')
      .executeTakeFirstOrThrow()
    expect(audit.actor).toBe('cli')
    expect(JSON.parse(audit.details_json!)).toMatchObject({
      retentionMonths: 24,
      responses: 5,
      answers: 15,
      profiles: 5,
    })

    // The indices come from the scored answers alone: rebuilt from what is left, they are the same.
    await rebuildAggregates(t.db)
    expect((await aggregates()).composites).toEqual(aggregatesBefore.composites)

    const again = await runCli(['purge'], { env: env({ RETENTION_MONTHS: '24' }) })
    expect(again.stdout).toMatch(/^Deleted 0 free-text and profile answers and 0 profiles of 0 responses/)
  })
})
