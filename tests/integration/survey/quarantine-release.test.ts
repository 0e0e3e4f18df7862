/**
 * Releasing and re-quarantining in batches: aggregates equal a rebuild after each move, each move is
 * audited, and nothing outside the user's scope moves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rebuildAggregates } from '#app/.server/services/rebuild-aggregates.ts'
import { EVERYTHING } from '#app/.server/auth/scope.ts'
import {
  HELD_BY_ADMINISTRATOR,
  listQuarantined,
  quarantineResponses,
  releaseResponses,
} from '#app/.server/services/quarantine.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext } from '#tests/helpers/remix.ts'
import { callSurveyAction, fixture, post, type SurveyFixture, validFields } from './support.ts'

let t: TestDatabase
let f: SurveyFixture
beforeAll(async () => {
  t = await createTestDatabase({ seed: 'demo' })
  f = await fixture(t)
})
afterAll(async () => t?.cleanup())

const round = (v: unknown) => (typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v)

/** Aggregate rows that count something, numbers rounded: a re-quarantine leaves rows at n = 0 behind. */
async function aggregates() {
  const items = await t.db.selectFrom('item_aggregate').selectAll().where('n', '>', 0).execute()
  const composites = await t.db.selectFrom('composite_aggregate').selectAll().where('n', '>', 0).execute()
  const norm = (rows: Record<string, unknown>[]) =>
    rows
      .map((r) =>
        Object.fromEntries(
          Object.entries(r).map(([k, v]) => [
            k,
            round(typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v),
          ]),
        ),
      )
      .map((r) => JSON.stringify(r, Object.keys(r).sort()))
      .sort()
  return { items: norm(items), composites: norm(composites) }
}

async function expectEqualToRebuild() {
  const live = await aggregates()
  await rebuildAggregates(t.db)
  expect(await aggregates()).toEqual(live)
}

async function submit(token?: string) {
  const fields = validFields(f, token === undefined ? [] : [['_token', token]])
  const res = await callSurveyAction('s', 'html', f.linkCode, post(`/s/${f.linkCode}`, fields), makeContext(t))
  expect(res.status).toBe(303)
}

const admin = { userId: null, actor: 'test', scope: EVERYTHING }

describe('release and re-quarantine', () => {
  it('moves a batch by link and time range; aggregates equal a rebuild after each move; each move audited', async () => {
    const from = new Date(Date.now() - 1000).toISOString()
    for (let i = 0; i < 3; i++) await submit()
    for (let i = 0; i < 4; i++) await submit('')
    const to = new Date(Date.now() + 1000).toISOString()
    await expectEqualToRebuild()

    const listed = await listQuarantined(t.db, EVERYTHING, { linkId: f.linkId, reason: 'missing token', from, to }, 100)
    expect(listed).toHaveLength(4)

    expect(await releaseResponses(t.db, admin, { linkId: f.linkId, from, to })).toEqual({ moved: 4 })
    expect(await listQuarantined(t.db, EVERYTHING, { linkId: f.linkId, from, to }, 100)).toHaveLength(0)
    await expectEqualToRebuild()

    expect(await quarantineResponses(t.db, admin, { linkId: f.linkId, from, to })).toEqual({ moved: 7 })
    const held = await listQuarantined(t.db, EVERYTHING, { linkId: f.linkId, from, to }, 100)
    expect(held.map((r) => r.reason)).toEqual(Array(7).fill(HELD_BY_ADMINISTRATOR))
    await expectEqualToRebuild()

    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'details_json'])
      .where('action', 'in', ['responses.release', 'responses.quarantine'])
      .orderBy('id')
      .execute()
    expect(audit.map((a) => [a.action, JSON.parse(a.details_json!).count])).toEqual([
      ['responses.release', 4],
      ['responses.quarantine', 7],
    ])
  })

  it('moves nothing outside the scope of the user', async () => {
    await submit('')
    const elsewhere = await t.db
      .selectFrom('agency')
      .select('path')
      .where('id', '!=', f.agencyId)
      .where('parent_id', 'is not', null)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    const own = await t.db.selectFrom('agency').select('path').where('id', '=', f.agencyId).executeTakeFirstOrThrow()
    if (own.path.startsWith(elsewhere.path)) return
    const outsider = { userId: null, actor: 'manager', scope: { scopePath: elsewhere.path } }
    expect(await listQuarantined(t.db, outsider.scope, { linkId: f.linkId }, 100)).toHaveLength(0)
    expect(await releaseResponses(t.db, outsider, { linkId: f.linkId })).toEqual({ moved: 0 })
  })
})
