/**
 * The anti-rigging tables stay small: finished counter windows and the nonces of tokens that have expired
 * anyway are deleted, while the current windows and every nonce that could still be replayed are kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLOCK_MARGIN_MS, pruneAntiRiggingState } from '#app/.server/services/anti-rigging-housekeeping.ts'
import { windowsOf } from '#app/.server/repos/network-counters.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'

let t: TestDatabase
beforeAll(async () => {
  t = await createTestDatabase({ seed: 'demo' })
})
afterAll(async () => t?.cleanup())

const now = new Date('2026-11-29T10:30:00Z')
const HOUR = 3_600_000
const TTL_SECONDS = 4 * 3600
const at = (ms: number) => new Date(now.getTime() + ms)

describe('pruneAntiRiggingState', () => {
  it('deletes finished windows and nonces past the token lifetime, keeps the rest', async () => {
    const link = await t.db.selectFrom('survey_link').select('id').orderBy('id').executeTakeFirstOrThrow()
    const counter = (kind: string, window: string) => ({
      link_id: link.id,
      network_hash: 'n1',
      kind,
      window_start: window,
      count: 3,
    })
    await t.db
      .insertInto('network_counter')
      .values([
        counter('issued:h', windowsOf(now).hour),
        counter('counted:h', windowsOf(at(-HOUR)).hour),
        counter('issued:h', windowsOf(at(-2 * HOUR)).hour),
        counter('counted:h', windowsOf(at(-30 * HOUR)).hour),
        counter('issued:d', windowsOf(now).day),
        counter('counted:d', windowsOf(at(-24 * HOUR)).day),
        counter('issued:d', windowsOf(at(-48 * HOUR)).day),
      ])
      .execute()
    const lifetime = TTL_SECONDS * 1000 + CLOCK_MARGIN_MS
    await t.db
      .insertInto('form_token_use')
      .values([
        { nonce: 'fresh', used_at: now.toISOString() },
        { nonce: 'could-replay', used_at: at(-lifetime + 60_000).toISOString() },
        { nonce: 'expired-anyway', used_at: at(-lifetime - 60_000).toISOString() },
      ])
      .execute()

    const report = await pruneAntiRiggingState(t.db, { tokenTtlSeconds: TTL_SECONDS, now })
    expect(report).toEqual({ counters: 3, nonces: 1 })
    const windows = await t.db.selectFrom('network_counter').select(['kind', 'window_start']).execute()
    expect(windows.map((w) => `${w.kind} ${w.window_start}`).sort()).toEqual(
      [
        `issued:h ${windowsOf(now).hour}`,
        `counted:h ${windowsOf(at(-HOUR)).hour}`,
        `issued:d ${windowsOf(now).day}`,
        `counted:d ${windowsOf(at(-24 * HOUR)).day}`,
      ].sort(),
    )
    const nonces = await t.db.selectFrom('form_token_use').select('nonce').execute()
    expect(nonces.map((n) => n.nonce).sort()).toEqual(['could-replay', 'fresh'])

    // Nothing more to do right after.
    expect(await pruneAntiRiggingState(t.db, { tokenTtlSeconds: TTL_SECONDS, now })).toEqual({
      counters: 0,
      nonces: 0,
    })
  })
})
