/**
 * Issue 14's "done when", end to end on production servers: two sharing one database on PostgreSQL (the
 * caps are shared state), one on SQLite (a single writer). From one IPv6 /64 with rotating addresses, 300
 * submissions that each fetched a fresh page (all pages first, then all posts, spread over the servers) add
 * at most the cap (10) to the counted responses and to the scores API's n; the rest are stored quarantined. Right after, a citizen from another network is counted on both paths, and a
 * replayed token is not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiToken } from '#app/.server/auth/api-token.ts'
import { periodMonthOf } from '#app/domain/period.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { posterSurvey, startServersOn, stopServers } from '#tests/helpers/servers.ts'
import type { RunningServer } from '#scripts/support/server-process.ts'

let t: TestDatabase
let servers: RunningServer[] = []

beforeAll(async () => {
  t = await createTestDatabase({ seed: 'demo' })
  // TRUST_PROXY keeps its default (loopback): X-Forwarded-For from this test stands for the client.
  servers = await startServersOn(t, t.dialect === 'postgres' ? 2 : 1, { RATE_LIMIT: 'on' })
})
afterAll(async () => {
  await stopServers(servers)
  await t?.cleanup()
})

const TOKEN = /name="_token" value="([^"]+)"/

async function fetchToken(server: RunningServer, code: string, address: string) {
  const page = await fetch(`${server.url}/s/${code}`, { headers: { 'X-Forwarded-For': address } })
  expect(page.status).toBe(200)
  return TOKEN.exec(await page.text())![1]!
}

describe('a flood from one IPv6 /64', () => {
  it('count at most 10 of 300 from one /64; the next citizen elsewhere is counted', { timeout: 240_000 }, async () => {
    const survey = await posterSurvey(t)
    const link = survey.links[0]!
    const { criteria } = survey
    const form = (token: string, value: number) =>
      new URLSearchParams({
        _sid: crypto.randomUUID(),
        _version: String(survey.versionId),
        _website: '',
        _token: token,
        ...Object.fromEntries(criteria.map((c) => [`q:${c.replaceAll('.', ':')}`, String(value)])),
      })
    const submit = (server: RunningServer, body: URLSearchParams, address: string, json: boolean) =>
      fetch(`${server.url}/s/${link.code}${json ? '/submit' : ''}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': address },
        body,
      })
    const counted = async () =>
      Number(
        (
          await t.db
            .selectFrom('response')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('link_id', '=', link.id)
            .where('quarantine_reason', 'is', null)
            .executeTakeFirstOrThrow()
        ).n,
      )
    const before = await counted()

    // What other systems read: the scores API's n for the link's agency, this month.
    const agency = await t.db
      .selectFrom('agency')
      .select('code')
      .where('id', '=', link.agency_id)
      .executeTakeFirstOrThrow()
    const apiToken = await createApiToken(t.db, link.agency_id, 'flood check', 'test')
    const apiN = async () => {
      const res = await fetch(
        `${servers[0]!.url}/api/v1/scores?agency=${agency.code}&period=${periodMonthOf(new Date())}`,
        { headers: { Authorization: `Bearer ${apiToken}` } },
      )
      expect(res.status).toBe(200)
      const body = (await res.json()) as { rows: Array<{ agency: { code: string }; overall: { n: number } }> }
      return body.rows.find((r) => r.agency.code === agency.code)?.overall.n ?? 0
    }
    const apiBefore = await apiN()

    const address = (i: number) => `2001:db8:77:1:${(i % 65535).toString(16)}::${((i * 7) % 65535).toString(16)}`
    const tokens: string[] = []
    for (let i = 0; i < 300; i += 20)
      tokens.push(
        ...(await Promise.all(
          Array.from({ length: 20 }, (_, k) =>
            fetchToken(servers[(i + k) % servers.length]!, link.code, address(i + k)),
          ),
        )),
      )
    const statuses: number[] = []
    for (let i = 0; i < 300; i += 20)
      statuses.push(
        ...(
          await Promise.all(
            tokens
              .slice(i, i + 20)
              .map((token, k) =>
                submit(
                  servers[(i + k + 1) % servers.length]!,
                  form(token, 1),
                  address(1000 + i + k),
                  (i + k) % 2 === 1,
                ),
              ),
          )
        ).map((r) => r.status),
      )
    expect(statuses.filter((s) => s !== 303 && s !== 200)).toEqual([])
    expect((await counted()) - before).toBeLessThanOrEqual(10)
    const quarantined = await t.db
      .selectFrom('response')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('link_id', '=', link.id)
      .where('quarantine_reason', '=', 'network cap')
      .executeTakeFirstOrThrow()
    expect(Number(quarantined.n)).toBeGreaterThanOrEqual(290)
    const afterFlood = await counted()
    expect((await apiN()) - apiBefore).toBe(afterFlood - before)

    // Right after: a citizen from another network, without JavaScript and with it, is counted.
    const html = await submit(
      servers[0]!,
      form(await fetchToken(servers.at(-1)!, link.code, '203.0.113.9'), 5),
      '203.0.113.9',
      false,
    )
    expect(html.status).toBe(303)
    expect(html.headers.get('location')).toMatch(/\/thanks/)
    const token = await fetchToken(servers[0]!, link.code, '198.51.100.9')
    const first = form(token, 5)
    const json = await submit(servers.at(-1)!, first, '198.51.100.9', true)
    expect(json.status).toBe(200)
    expect(await json.json()).toMatchObject({ ok: true })
    const afterCitizens = await counted()
    expect(afterCitizens).toBe(afterFlood + 2)
    expect((await apiN()) - apiBefore).toBe(afterCitizens - before)

    // The same token replayed on the other server, as a new submission: thanked, not counted.
    const replay = await submit(servers[0]!, form(token, 1), '198.51.100.9', true)
    expect(replay.status).toBe(200)
    expect(await counted()).toBe(afterCitizens)
  })
})
