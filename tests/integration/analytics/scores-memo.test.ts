/**
 * The score tables kept in memory per version of the aggregates (app/.server/services/aggregate-memo.ts,
 * ADR 0057): a new submission, a quarantine, a release from quarantine and a rebuild each change the
 * version, so the next table counts them; without a change the kept table is served, as a copy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EVERYTHING } from '#app/.server/auth/scope.ts'
import { aggregateVersion } from '#app/.server/services/aggregate-memo.ts'
import { quarantineResponses, releaseResponses } from '#app/.server/services/quarantine.ts'
import { rebuildAggregates } from '#app/.server/services/rebuild-aggregates.ts'
import { computeScores, type ScoresResult } from '#app/.server/services/scores.ts'
import { parsePeriod, periodMonthOf } from '#app/domain/period.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext } from '#tests/helpers/remix.ts'
import { callSurveyAction, fixture, post, type SurveyFixture, validFields } from '../survey/support.ts'

let t: TestDatabase
let f: SurveyFixture
let agencyCode: string
let questionnaireCode: string
beforeAll(async () => {
  t = await createTestDatabase({ seed: 'demo' })
  f = await fixture(t)
  agencyCode = (await t.db.selectFrom('agency').select('code').where('id', '=', f.agencyId).executeTakeFirstOrThrow())
    .code
  questionnaireCode = (
    await t.db.selectFrom('questionnaire').select('code').where('id', '=', f.questionnaireId).executeTakeFirstOrThrow()
  ).code
})
afterAll(async () => t?.cleanup())

async function submit() {
  const res = await callSurveyAction('s', 'html', f.linkCode, post(`/s/${f.linkCode}`, validFields(f)), makeContext(t))
  expect(res.status).toBe(303)
}

type Ok = Extract<ScoresResult, { ok: true }>

async function table(): Promise<Ok> {
  const result = await computeScores(t.db, {
    questionnaireCode,
    rootAgencyCode: agencyCode,
    period: parsePeriod(periodMonthOf(new Date()))!,
    boundaries: 'current',
  })
  if (!result.ok) throw new Error(`computeScores failed: ${result.error}`)
  return result
}

const respondents = async () => (await table()).rows.find((r) => r.agency.code === agencyCode)!.overall.n
const admin = { userId: null, actor: 'test', scope: EVERYTHING }

describe('score tables kept per version of the aggregates', () => {
  it('counts each submission, quarantine, release and rebuild at the next request', async () => {
    const before = await respondents()
    const version = await aggregateVersion(t.db)
    await submit()
    expect(await aggregateVersion(t.db)).not.toBe(version)
    expect(await respondents()).toBe(before + 1)
    await submit()
    expect(await respondents()).toBe(before + 2)

    expect(await quarantineResponses(t.db, admin, { linkId: f.linkId })).toMatchObject({ moved: before + 2 })
    expect(await respondents()).toBe(0)
    expect(await releaseResponses(t.db, admin, { linkId: f.linkId })).toMatchObject({ moved: before + 2 })
    expect(await respondents()).toBe(before + 2)

    // A rebuild writes the same sums, yet the version moves: the memo cannot tell equal sums from new ones.
    const rebuiltFrom = await aggregateVersion(t.db)
    await rebuildAggregates(t.db)
    expect(await aggregateVersion(t.db)).not.toBe(rebuiltFrom)
    expect(await respondents()).toBe(before + 2)
  })

  it("versions the months a table reads: this month's submission leaves another year's version alone", async () => {
    const thisMonth = periodMonthOf(new Date())
    const year = { from: '2001-01', to: '2001-12' }
    const now = { from: thisMonth, to: thisMonth }
    const [pastBefore, nowBefore] = [await aggregateVersion(t.db, year), await aggregateVersion(t.db, now)]
    await submit()
    expect(await aggregateVersion(t.db, now)).not.toBe(nowBefore)
    expect(await aggregateVersion(t.db, year)).toBe(pastBefore)
    // A rebuild may change any month: every range's version moves.
    await rebuildAggregates(t.db)
    expect(await aggregateVersion(t.db, year)).not.toBe(pastBefore)
  })

  it('serves the same table again while nothing changed, a copy that its caller may change', async () => {
    const first = await table()
    const kept = JSON.stringify(first)
    first.rows[0].overall.n = -1
    first.rows.pop()
    expect(JSON.stringify(await table())).toBe(kept)
  })
})
