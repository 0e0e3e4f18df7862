// Population counts: entered from the command line or by an analyst on the page, always in scope, and
// used by post-stratified scores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { action, loader } from '#app/routes/analytics.population.tsx'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { runCli } from '#scripts/support/cli.ts'
import { makeContext, signIn } from '#tests/helpers/remix.ts'

let t: TestDatabase
let context: Parameters<typeof loader>[0]['context']
let cookie: string

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  cookie = (await signIn(context, 'analyst@snv.vn', 'analyst', 'DEMO-AL-SNV')).cookie
})
afterAll(() => t.cleanup())

const counts = () =>
  t.db
    .selectFrom('population_count as p')
    .innerJoin('agency as a', 'a.id', 'p.agency_id')
    .select(['a.code', 'p.period', 'p.count'])
    .orderBy('a.code')
    .execute()

async function post(body: Record<string, string>) {
  const request = new Request('http://localhost/analytics/population', {
    method: 'POST',
    body: new URLSearchParams(body),
    headers: { Cookie: cookie },
  })
  const result = (await action({ request, params: {}, context })) as { init?: { status?: number }; data?: unknown }
  return { status: result.init?.status ?? 200, data: (result.data ?? result) as { ok: boolean; error: string | null } }
}

describe('population counts', () => {
  it('are set and replaced from the command line, with exit 2 on bad arguments', async () => {
    const set = (...args: string[]) => runCli(['population', 'set', ...args], { env: { DATABASE_URL: t.url } })
    expect((await set('--agency', 'DEMO-AL-STP', '--period', '2026-Q1', '--count', '1200')).status).toBe(0)
    const replaced = await set(
      '--agency',
      'DEMO-AL-STP',
      '--period',
      '2026-Q1',
      '--count',
      '1300',
      '--source',
      'one-stop shop',
    )
    expect(replaced.status).toBe(0)
    expect(await counts()).toEqual([{ code: 'DEMO-AL-STP', period: '2026-Q1', count: 1300 }])
    for (const args of [
      ['--period', '2026-Q1', '--count', '5'],
      ['--agency', 'DEMO-AL-STP', '--period', '2026-Q9', '--count', '5'],
      ['--agency', 'DEMO-AL-STP', '--period', '2026', '--count', '-3'],
      ['--agency', 'NOPE', '--period', '2026', '--count', '3'],
    ]) {
      const r = await set(...args)
      expect(r.status, args.join(' ')).toBe(2)
      expect(r.stderr.length).toBeGreaterThan(0)
    }
    expect(await counts()).toHaveLength(1)
  })

  it('are entered by an analyst inside their subtree, refused outside it with 403, and bad input gets 400', async () => {
    expect((await post({ agencyCode: 'DEMO-AL-SNV', period: '2026-Q1', count: '800' })).status).toBe(200)
    const outside = await post({ agencyCode: 'DEMO-AL-STP', period: '2026-Q1', count: '1' })
    expect(outside.status).toBe(403)
    expect((await post({ agencyCode: 'DEMO-AL-SNV', period: 'soon', count: '1' })).status).toBe(400)
    const bad = await post({ agencyCode: 'DEMO-AL-SNV', period: '2026-Q2', count: '1.5' })
    expect(bad.status).toBe(400)
    expect(bad.data.error).toBe('analytics.population.badCount')
    expect(await counts()).toEqual([
      { code: 'DEMO-AL-SNV', period: '2026-Q1', count: 800 },
      { code: 'DEMO-AL-STP', period: '2026-Q1', count: 1300 },
    ])
    const audit = await t.db.selectFrom('audit_log').select('action').where('action', '=', 'population.set').execute()
    expect(audit).toHaveLength(3)
  })

  it('lists only the counts of the analyst’s subtree', async () => {
    const request = new Request('http://localhost/analytics/population', { headers: { Cookie: cookie } })
    const data = (await loader({ request, params: {}, context })) as { counts: Array<{ code: string }> }
    expect(data.counts.map((c) => c.code)).toEqual(['DEMO-AL-SNV'])
  })
})
