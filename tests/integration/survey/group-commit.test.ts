/**
 * Group commit: submissions that arrive together are written in one transaction with their aggregate
 * deltas summed. What must hold whatever the grouping: every acknowledged submission is stored once,
 * a retry inside the same group is a duplicate, one bad submission fails alone, and the aggregates are
 * exactly what a rebuild from the raw responses gives.
 */
import crypto from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb } from '#db/client.ts'
import { databaseConfig } from '#db/config.ts'
import { MAX_GROUP, type Submission, submitResponse } from '#app/.server/services/submit-response.ts'
import { rebuildAggregates } from '#app/.server/services/rebuild-aggregates.ts'
import type { VersionDefinition } from '#app/.server/services/survey-definition.ts'
import { aggregateSnapshot } from '#tests/helpers/aggregates.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { agencyId, answersFor, sipasVersion } from '../analytics/support.ts'

let t: TestDatabase
let version: VersionDefinition
let agency: number

function submission(answers = answersFor('S'), clientSubmissionId: string = crypto.randomUUID()): Submission {
  return {
    clientSubmissionId,
    version,
    answers,
    submittedAt: new Date('2026-05-04T03:00:00Z'),
    context: { agencyId: agency, procedureId: null, channel: 'counter', linkId: null, invitationId: null },
  }
}

const aggregates = () => aggregateSnapshot(t.db)

const responseCount = async () =>
  Number(
    (
      await t.db
        .selectFrom('response')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

beforeAll(async () => {
  t = await createTestDatabase({ seed: 'demo' })
  version = await sipasVersion(t)
  agency = await agencyId(t, 'DEMO-AL-STP')
})
afterAll(async () => t?.cleanup())

describe('group commit', () => {
  it('stores every one of many simultaneous submissions once, in fewer transactions, with exact aggregates', async () => {
    // A second handle on the same database that counts the aggregate upserts it sends.
    let upserts = 0
    const counted = createDb(databaseConfig({ ...process.env, DATABASE_URL: t.url }), {
      onQuery: (sql) => (upserts += sql.includes('insert into "item_aggregate"') ? 1 : 0),
    })
    try {
      const profiles = ['S', 'U', 'H'] as const
      const count = MAX_GROUP + 36
      const results = await Promise.all(
        Array.from({ length: count }, (_, i) => submitResponse(counted, submission(answersFor(profiles[i % 3])))),
      )
      expect(results.every((r) => r.status === 'stored')).toBe(true)
      expect(new Set(results.map((r) => (r as { responseId: number }).responseId)).size).toBe(count)
      expect(await responseCount()).toBe(count)
      // 100 submissions in groups of at most 64: two commits, not a hundred.
      expect(upserts).toBe(Math.ceil(count / MAX_GROUP))
    } finally {
      await counted.destroy()
    }
    const kept = await aggregates()
    await rebuildAggregates(t.db)
    expect(await aggregates()).toEqual(kept)
  })

  it('writes a group in one statement on PostgreSQL (each is a round trip), one per table on SQLite', async () => {
    const writes: string[] = []
    const counted = createDb(databaseConfig({ ...process.env, DATABASE_URL: t.url }), {
      onQuery: (sql) => {
        if (/^(with|insert)\b/.test(sql)) writes.push(sql)
      },
    })
    try {
      const before = await aggregates()
      const group = [submission(answersFor('S')), submission(answersFor('U')), submission(answersFor('H'))]
      const results = await Promise.all(group.map((s) => submitResponse(counted, s)))
      expect(results.every((r) => r.status === 'stored')).toBe(true)
      // response, submission_key, answer, item_aggregate, composite_aggregate and one aggregate_stamp for
      // both (ADR 0057)
      expect(writes).toHaveLength(t.dialect === 'postgres' ? 1 : 6)
      const stored = await t.db
        .selectFrom('answer')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(
          'response_id',
          'in',
          results.map((r) => (r as { responseId: number }).responseId),
        )
        .executeTakeFirstOrThrow()
      expect(Number(stored.n)).toBe(group.reduce((n, s) => n + Object.keys(s.answers).length, 0))
      expect(await aggregates()).not.toEqual(before)
    } finally {
      await counted.destroy()
    }
    const kept = await aggregates()
    await rebuildAggregates(t.db)
    expect(await aggregates()).toEqual(kept)
  })

  it('a retry in the same group as its first copy is a duplicate of it', async () => {
    const before = await responseCount()
    const first = submission(answersFor('H'), `retry-${crypto.randomUUID()}`)
    // The retry as a copy and as the very same object: each is told it is a duplicate.
    const [a, b, c, d] = await Promise.all([
      submitResponse(t.db, first),
      submitResponse(t.db, { ...first }),
      submitResponse(t.db, submission()),
      submitResponse(t.db, first),
    ])
    expect(a.status).toBe('stored')
    expect(b).toEqual({ status: 'duplicate', responseId: (a as { responseId: number }).responseId })
    expect(d).toEqual(b)
    expect(c.status).toBe('stored')
    expect(await responseCount()).toBe(before + 2)
    const kept = await aggregates()
    await rebuildAggregates(t.db)
    expect(await aggregates()).toEqual(kept)
  })

  it('one submission the database refuses fails alone; the rest of its group is stored', async () => {
    const before = await responseCount()
    const bad = { ...submission(), context: { ...submission().context, agencyId: 999_999 } }
    const outcomes = await Promise.allSettled([
      submitResponse(t.db, submission()),
      submitResponse(t.db, bad),
      submitResponse(t.db, submission()),
    ])
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(await responseCount()).toBe(before + 2)
    const kept = await aggregates()
    await rebuildAggregates(t.db)
    expect(await aggregates()).toEqual(kept)
  })

  it('of two submissions in one group with the same invitation, the first uses it and the second is refused', async () => {
    const questionnaireId = (
      await t.db.selectFrom('questionnaire').select('id').where('code', '=', 'SIPAS-2017').executeTakeFirstOrThrow()
    ).id
    const { id: invitationId } = await t.db
      .insertInto('invitation')
      .values({
        code: `GRP${Date.now().toString(36)}`,
        agency_id: agency,
        questionnaire_id: questionnaireId,
        procedure_id: null,
        dossier_hash: null,
        channel: 'counter',
        expires_at: '2099-01-01T00:00:00.000Z',
        used_at: null,
        created_at: new Date().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const withInvitation = (s: Submission): Submission => ({ ...s, context: { ...s.context, invitationId } })
    const first = withInvitation(submission())
    const [a, b, c] = await Promise.all([
      submitResponse(t.db, first),
      submitResponse(t.db, withInvitation(submission())),
      submitResponse(t.db, { ...first }),
    ])
    expect(a.status).toBe('stored')
    expect(b).toEqual({ status: 'invitation_used' })
    expect(c).toEqual({ status: 'duplicate', responseId: (a as { responseId: number }).responseId })
    expect(
      await t.db.selectFrom('response').select('id').where('invitation_id', '=', invitationId).execute(),
    ).toHaveLength(1)
  })
})
