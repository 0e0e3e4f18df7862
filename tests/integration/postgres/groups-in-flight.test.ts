/**
 * On PostgreSQL one process writes up to GROUPS_IN_FLIGHT.postgres groups at once (ADR 0066), each on its
 * own pooled connection. Deterministic: the aggregates table is locked, so every group that reaches its
 * writes waits there; the waiting backends are then the groups in flight. Once the lock is gone, every
 * submission is stored once and the aggregates equal a rebuild from the raw responses.
 */
import crypto from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createDb, type DB } from '#db/client.ts'
import { databaseConfig } from '#db/config.ts'
import {
  GROUPS_IN_FLIGHT,
  type Submission,
  type SubmitResult,
  submitResponse,
} from '#app/.server/services/submit-response.ts'
import { rebuildAggregates } from '#app/.server/services/rebuild-aggregates.ts'
import type { VersionDefinition } from '#app/.server/services/survey-definition.ts'
import { aggregateSnapshot } from '#tests/helpers/aggregates.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { agencyId, answersFor, sipasVersion } from '../analytics/support.ts'

let t: TestDatabase
let writer: DB
let version: VersionDefinition
let agency: number

beforeAll(async () => {
  t = await createTestDatabase({ seed: 'demo' })
  // A handle of its own, so that its group writer starts empty.
  writer = createDb(databaseConfig({ ...process.env, DATABASE_URL: t.url }))
  version = await sipasVersion(t)
  agency = await agencyId(t, 'DEMO-AL-STP')
})
afterAll(async () => {
  await writer?.destroy()
  await t?.cleanup()
})

const submission = (): Submission => ({
  clientSubmissionId: crypto.randomUUID(),
  version,
  answers: answersFor('S'),
  submittedAt: new Date('2026-05-04T03:00:00Z'),
  context: { agencyId: agency, procedureId: null, channel: 'counter', linkId: null, invitationId: null },
})

/** Backends waiting for a lock on the aggregates table. */
async function waiting(): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*) as n from pg_locks where not granted and relation = 'item_aggregate'::regclass`.execute(t.db)
  return Number(rows[0]!.n)
}

async function until(count: number): Promise<number> {
  const deadline = Date.now() + 10_000
  let now = await waiting()
  while (now < count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    now = await waiting()
  }
  return now
}

/** A promise and the function that settles it (Promise.withResolvers needs Node 22). */
function signal() {
  let fire!: () => void
  const fired = new Promise<void>((resolve) => {
    fire = resolve
  })
  return { fired, fire }
}

it(`writes up to ${GROUPS_IN_FLIGHT.postgres} groups at once, each committed whole`, async () => {
  const limit = GROUPS_IN_FLIGHT.postgres
  expect(limit).toBeGreaterThan(1)
  const release = signal()
  const locked = signal()
  const blocker = t.db.transaction().execute(async (trx) => {
    await sql`lock table item_aggregate in exclusive mode`.execute(trx)
    locked.fire()
    await release.fired
  })
  await locked.fired

  const results: Promise<SubmitResult>[] = []
  try {
    // Each submission arrives while the groups before it wait: each starts a group, up to the limit.
    for (let k = 1; k <= limit; k++) {
      results.push(submitResponse(writer, submission()))
      expect(await until(k)).toBe(k)
    }
    // Two more wait in the queue, not on the table.
    results.push(submitResponse(writer, submission()), submitResponse(writer, submission()))
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(await waiting()).toBe(limit)
  } finally {
    release.fire()
    await blocker
  }

  const stored = await Promise.all(results)
  expect(stored.map((r) => r.status)).toEqual(Array(limit + 2).fill('stored'))
  const kept = await aggregateSnapshot(t.db)
  await rebuildAggregates(t.db)
  expect(await aggregateSnapshot(t.db)).toEqual(kept)
})
