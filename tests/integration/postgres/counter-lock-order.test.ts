// The shared network counters are locked in key order (ADR 0028), so two servers' group commits that
// touch the same counters cannot deadlock. Deterministic: one transaction holds counter A, another's
// statement needs B and A; the first then needs B. In key order the second waits on A before it has
// taken B, so the first goes on; in arrival order the second holds B and PostgreSQL aborts one of them.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { addToCounters, spendNonces } from '#app/.server/repos/network-counters.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'

let t: TestDatabase
beforeAll(async () => {
  t = await createTestDatabase({ seed: 'none' })
})
afterAll(async () => {
  await t?.cleanup()
})

const at = new Date('2026-11-30T08:00:00Z')
const A = { linkId: 1, networkHash: 'aaaa', count: 1 }
const B = { linkId: 1, networkHash: 'bbbb', count: 1 }
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

it('a statement that needs counters another transaction holds waits before taking any, in key order', async () => {
  let releaseFirst!: () => void
  const firstHoldsA = new Promise<void>((resolve) => {
    releaseFirst = resolve
  })
  let firstLockedA!: () => void
  const aLocked = new Promise<void>((resolve) => {
    firstLockedA = resolve
  })
  const first = t.db.transaction().execute(async (trx) => {
    await addToCounters(trx, 'counted', [A], at)
    firstLockedA()
    await firstHoldsA
    return addToCounters(trx, 'counted', [B], at)
  })
  await aLocked
  // B first, as a group commit lists the networks it met: the statement must still take A first.
  const second = t.db.transaction().execute((trx) => addToCounters(trx, 'counted', [B, A], at))
  await pause(300)
  releaseFirst()
  const [firstTotals, secondTotals] = await Promise.all([first, second])
  expect(firstTotals.get('1:bbbb')).toEqual({ hour: 1, day: 1 })
  expect(secondTotals.get('1:aaaa')).toEqual({ hour: 2, day: 2 })
  expect(secondTotals.get('1:bbbb')).toEqual({ hour: 2, day: 2 })
})

it('spent nonces are inserted in key order too: a replay across two transactions waits, never deadlocks', async () => {
  let releaseFirst!: () => void
  const hold = new Promise<void>((resolve) => {
    releaseFirst = resolve
  })
  let firstSpent!: () => void
  const spent = new Promise<void>((resolve) => {
    firstSpent = resolve
  })
  const first = t.db.transaction().execute(async (trx) => {
    const one = await spendNonces(trx, ['nonce-1'], at)
    firstSpent()
    await hold
    const two = await spendNonces(trx, ['nonce-2'], at)
    return [...one, ...two]
  })
  await spent
  const second = t.db.transaction().execute((trx) => spendNonces(trx, ['nonce-2', 'nonce-1'], at))
  await pause(300)
  releaseFirst()
  const [firstSpentNonces, secondSpentNonces] = await Promise.all([first, second])
  // The first spent both; the second, a replay of both, spent none.
  expect(firstSpentNonces.sort()).toEqual(['nonce-1', 'nonce-2'])
  expect([...secondSpentNonces]).toEqual([])
})
