/**
 * Quarantine, never lockout (docs/anti-rigging.md): a response without a valid, unspent form token, or
 * past its network's cap, is thanked like any other and stored, but adds nothing to any aggregate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loader as linkLoader } from '#app/routes/s.$code.tsx'
import type { SurveyPageData } from '#app/domain/survey/view.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run } from '#tests/helpers/remix.ts'
import { callSurveyAction, counts, fixture, pageToken, post, type SurveyFixture, validFields } from './support.ts'

let t: TestDatabase
let f: SurveyFixture
beforeAll(async () => {
  t = await createTestDatabase({ seed: 'demo' })
  f = await fixture(t)
})
afterAll(async () => t?.cleanup())

type Ctx = ReturnType<typeof makeContext>

function send(via: 'html' | 'json', fields: Array<[string, string]>, ctx: Ctx = makeContext(t)) {
  const url = `/s/${encodeURIComponent(f.linkCode)}${via === 'json' ? '/submit' : ''}`
  return callSurveyAction('s', via, f.linkCode, post(url, fields), ctx)
}

async function fetchPage(ctx: Ctx) {
  const request = new Request(`http://localhost/s/${encodeURIComponent(f.linkCode)}`)
  return run(() => linkLoader({ request, params: { code: f.linkCode }, context: ctx } as never))
}

async function reasonOf(sid: string) {
  const row = await t.db
    .selectFrom('response')
    .select(['quarantine_reason', 'entry_channel', 'network_hash'])
    .where('client_submission_id', '=', sid)
    .executeTakeFirstOrThrow()
  return row
}

const sidOf = (fields: Array<[string, string]>) => fields.find(([k]) => k === '_sid')![1]

describe('form tokens', () => {
  const cases: Array<[string, () => string, string]> = [
    ['missing', () => '', 'missing token'],
    ['forged', () => `${pageToken(`/s/${f.linkCode}`).slice(0, -4)}AAAA`, 'forged token'],
    ['for another link', () => pageToken('/s/ANOTHER'), 'forged token'],
    [
      'expired',
      () => pageToken(`/s/${f.linkCode}`, { issuedAt: Math.floor(Date.now() / 1000) - 5 * 3600 }),
      'expired token',
    ],
  ]
  for (const via of ['html', 'json'] as const)
    for (const [name, token, reason] of cases)
      it(`${via}: a ${name} token is thanked, stored quarantined and counted nowhere`, async () => {
        const before = await counts(t)
        const fields = validFields(f, [['_token', token()]])
        const res = await send(via, fields)
        expect(res.status).toBe(via === 'html' ? 303 : 200)
        if (via === 'html') expect(res.location).toMatch(/\/thanks\?ref=[2-9A-KMNP-Z]{4}-[2-9A-KMNP-Z]{4}$/)
        else expect(res.data).toMatchObject({ ok: true })
        const after = await counts(t)
        expect(after.response).toBe(before.response + 1)
        expect(after.item_n).toBe(before.item_n)
        expect(after.composite_n).toBe(before.composite_n)
        expect((await reasonOf(sidOf(fields))).quarantine_reason).toBe(reason)
      })

  it('a replayed token is not counted again; a retry of the same submission stays one response', async () => {
    const token = pageToken(`/s/${f.linkCode}`)
    const first = validFields(f, [['_token', token]])
    expect((await send('html', first)).status).toBe(303)
    expect((await reasonOf(sidOf(first))).quarantine_reason).toBeNull()
    const before = await counts(t)
    expect((await send('json', first)).data).toMatchObject({ ok: true, duplicate: true })
    expect(await counts(t)).toEqual(before)
    const replay = validFields(f, [['_token', token]])
    expect((await send('html', replay)).status).toBe(303)
    expect((await reasonOf(sidOf(replay))).quarantine_reason).toBe('replayed token')
    expect((await counts(t)).composite_n).toBe(before.composite_n)
  })

  it('the page carries a token that counts its response, on both paths', async () => {
    for (const via of ['html', 'json'] as const) {
      const page = await fetchPage(makeContext(t))
      const token = (page.data as SurveyPageData).formToken
      const before = await counts(t)
      const fields = validFields(f, [['_token', token]])
      await send(via, fields)
      const stored = await reasonOf(sidOf(fields))
      expect(stored).toMatchObject({ quarantine_reason: null, entry_channel: 'open_link' })
      expect(stored.network_hash).toMatch(/^[0-9a-f]{32}$/)
      expect((await counts(t)).composite_n).toBeGreaterThan(before.composite_n)
    }
  })
})

describe('network caps', () => {
  const capped = (address: string, env: Record<string, string> = {}) =>
    makeContext(t, { RATE_LIMIT: 'on', NETWORK_CAP_PER_HOUR: '3', NETWORK_CAP_PER_DAY: '5', ...env }, address)

  it('counts at most the cap from one IPv6 /64 with rotating addresses; the rest are quarantined, all thanked', async () => {
    const before = await counts(t)
    const sids: string[] = []
    const tokens: string[] = []
    // All pages first, then all posts: the caps hold whichever comes first.
    for (let i = 0; i < 8; i++) {
      const page = await fetchPage(capped(`2001:db8:aa:bb:${(i + 1).toString(16)}::${i + 7}`))
      tokens.push((page.data as SurveyPageData).formToken)
    }
    for (const [i, token] of tokens.entries()) {
      const fields = validFields(f, [['_token', token]])
      sids.push(sidOf(fields))
      const res = await send(i % 2 ? 'json' : 'html', fields, capped(`2001:db8:aa:bb::${i + 100}`))
      expect(res.status).toBe(i % 2 ? 200 : 303)
    }
    const reasons = await Promise.all(sids.map(async (sid) => (await reasonOf(sid)).quarantine_reason))
    expect(reasons.filter((r) => r === null)).toHaveLength(3)
    expect(reasons.filter((r) => r === 'network cap')).toHaveLength(5)
    expect((await counts(t)).response).toBe(before.response + 8)

    // Right after, a citizen from another network is counted, on both paths.
    for (const via of ['html', 'json'] as const) {
      const other = capped(via === 'html' ? '203.0.113.50' : '2001:db8:cc::1')
      const token = ((await fetchPage(other)).data as SurveyPageData).formToken
      const fields = validFields(f, [['_token', token]])
      const res = await send(via, fields, other)
      expect(res.status).toBe(via === 'html' ? 303 : 200)
      expect((await reasonOf(sidOf(fields))).quarantine_reason).toBeNull()
    }
  })

  it('caps counted responses even with tokens fetched elsewhere', async () => {
    const sids: string[] = []
    for (let i = 0; i < 5; i++) {
      const fields = validFields(f)
      sids.push(sidOf(fields))
      await send('html', fields, capped('198.51.100.77'))
    }
    const reasons = await Promise.all(sids.map(async (sid) => (await reasonOf(sid)).quarantine_reason))
    expect(reasons).toEqual([null, null, null, 'network cap', 'network cap'])
  })

  it('answers 429 only to the network far over the cap, and to no one else', async () => {
    const abusive = capped('198.51.100.200', { NETWORK_BLOCK_PER_HOUR: '4' })
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) statuses.push((await fetchPage(abusive)).status)
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429])
    expect((await fetchPage(capped('198.51.100.201', { NETWORK_BLOCK_PER_HOUR: '4' }))).status).toBe(200)
  })
})
