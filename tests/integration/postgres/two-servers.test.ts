/**
 * Why PostgreSQL: several app servers behind a load balancer on one database. Two production servers
 * share a PostgreSQL database while citizens submit to both at once, retries included: every
 * acknowledged submission is stored exactly once, nothing fails, and the aggregates both servers kept
 * equal a rebuild from the raw responses (their upserts of the same rows neither lost an update nor
 * deadlocked).
 */
import crypto from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { issueFormToken, tokenEntry } from '#app/.server/anti-rigging/form-token.ts'
import { rebuildAggregates } from '#app/.server/services/rebuild-aggregates.ts'
import { aggregateSnapshot } from '#tests/helpers/aggregates.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { posterSurvey, SHARED_SECRET, startServersOn, stopServers } from '#tests/helpers/servers.ts'
import type { RunningServer } from '#scripts/support/server-process.ts'

let t: TestDatabase
let servers: RunningServer[] = []

beforeAll(async () => {
  t = await createTestDatabase({ seed: 'demo' })
  servers = await startServersOn(t, 2, { RATE_LIMIT: 'off' })
})
afterAll(async () => {
  await stopServers(servers)
  await t?.cleanup()
})

const aggregates = () => aggregateSnapshot(t.db)

describe('two app servers on one PostgreSQL database', () => {
  it('store every acknowledged submission once, and keep exact aggregates', async () => {
    const { links, versionId, criteria } = await posterSurvey(t, 3)
    const forms = Array.from({ length: 240 }, (_, i) => ({
      link: links[i % links.length].code,
      body: new URLSearchParams({
        _sid: crypto.randomUUID(),
        _version: String(versionId),
        _website: '',
        // The token its page would have carried: these citizens are counted.
        _token: issueFormToken(SHARED_SECRET, {
          entry: tokenEntry('s', links[i % links.length].code),
          networkHash: 'test',
          overCap: false,
        }),
        ...Object.fromEntries(criteria.map((c, k) => [`q:${c.replaceAll('.', ':')}`, String(((i + k) % 5) + 1)])),
      }).toString(),
    }))
    const post = (server: RunningServer, form: (typeof forms)[number]) =>
      fetch(`${server.url}/s/${form.link}/submit`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form.body,
      })
    // Each form goes to one server and, as a retry, to the other one too, all at the same time.
    const answers = await Promise.all(
      forms.flatMap((form, i) => [post(servers[i % 2], form), post(servers[(i + 1) % 2], form)]),
    )
    const bodies = await Promise.all(answers.map((a) => a.json() as Promise<{ ok: boolean; duplicate: boolean }>))
    expect(answers.map((a) => a.status).filter((s) => s !== 200)).toEqual([])
    expect(bodies.every((b) => b.ok)).toBe(true)
    // Of the two copies of each form, exactly one was stored and the other answered as its duplicate.
    expect(bodies.filter((b) => !b.duplicate)).toHaveLength(forms.length)

    const stored = await t.db.selectFrom('response').select('client_submission_id').execute()
    expect(stored).toHaveLength(forms.length)
    expect(new Set(stored.map((r) => r.client_submission_id)).size).toBe(forms.length)
    const kept = await aggregates()
    await rebuildAggregates(t.db)
    expect(await aggregates()).toEqual(kept)
  })
})
