/**
 * Why PostgreSQL: several app servers behind a load balancer on one database. Two production servers
 * share a PostgreSQL database while citizens submit to both at once, retries included: every
 * acknowledged submission is stored exactly once, nothing fails, and the aggregates both servers kept
 * equal a rebuild from the raw responses (their upserts of the same rows neither lost an update nor
 * deadlocked).
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { issueFormToken, tokenEntry } from '#app/.server/anti-rigging/form-token.ts'
import { rebuildAggregates } from '#app/.server/services/rebuild-aggregates.ts'
import { createUser } from '#app/.server/services/users.ts'
import { aggregateSnapshot } from '#tests/helpers/aggregates.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { type RunningServer, startServer } from '#scripts/support/server-process.ts'

let t: TestDatabase
const servers: RunningServer[] = []

beforeAll(async () => {
  t = await createTestDatabase({ seed: 'demo' })
  // With an administrator, neither server opens a first-admin setup link (two at once would collide).
  const admin = await createUser(
    t.db,
    { email: 'admin@example.gov.vn', role: 'admin', agencyCode: null, password: 'ruộng bậc thang 2026' },
    'test',
  )
  if (!admin.ok) throw new Error(admin.error)
  const env = { DATABASE_URL: t.url, RATE_LIMIT: 'off', HAILONG_SECRET: 'k'.repeat(40), DATABASE_POOL_SIZE: '4' }
  servers.push(await startServer(env), await startServer(env))
})
afterAll(async () => {
  for (const server of servers) {
    expect(await server.stop()).toBe(0)
    fs.rmSync(server.dir, { recursive: true, force: true })
  }
  await t?.cleanup()
})

const aggregates = () => aggregateSnapshot(t.db)

describe('two app servers on one PostgreSQL database', () => {
  it('store every acknowledged submission once, and keep exact aggregates', async () => {
    const links = await t.db
      .selectFrom('survey_link')
      .select(['code', 'questionnaire_id'])
      .where('active', '=', 1)
      .where('kind', '=', 'poster')
      .orderBy('id')
      .limit(3)
      .execute()
    const version = await t.db
      .selectFrom('questionnaire_version')
      .select('id')
      .where('questionnaire_id', '=', links[0].questionnaire_id)
      .where('status', '=', 'published')
      .orderBy('version_number', 'desc')
      .executeTakeFirstOrThrow()
    const criteria = (
      await t.db
        .selectFrom('questionnaire_item')
        .select('code')
        .where('version_id', '=', version.id)
        .where('role', '=', 'criterion')
        .execute()
    ).map((c) => c.code)
    const forms = Array.from({ length: 240 }, (_, i) => ({
      link: links[i % links.length].code,
      body: new URLSearchParams({
        _sid: crypto.randomUUID(),
        _version: String(version.id),
        _website: '',
        // The token its page would have carried: these citizens are counted.
        _token: issueFormToken('k'.repeat(40), {
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
