// Population counts: entered from the command line or by an analyst on the page, always in scope, stored
// under their canonical period, and refused with a clear message when they cannot be a count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { action, loader } from '#app/routes/analytics.population.tsx'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { runCli } from '#scripts/support/cli.ts'
import { makeContext, run, signIn } from '#tests/helpers/remix.ts'

let t: TestDatabase
let context: Parameters<typeof loader>[0]['context']
let department: string
let province: string

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  department = (await signIn(context, 'analyst@snv.vn', 'analyst', 'DEMO-AL-SNV')).cookie
  province = (await signIn(context, 'analyst@anlac.vn', 'analyst', 'DEMO-AL')).cookie
})
afterAll(() => t.cleanup())

const counts = async () =>
  (
    await t.db
      .selectFrom('population_count as p')
      .innerJoin('agency as a', 'a.id', 'p.agency_id')
      .select(['a.code', 'p.period', 'p.count'])
      .orderBy('a.code')
      .orderBy('p.period')
      .execute()
  ).map((r) => `${r.code} ${r.period} ${r.count}`)

const pending = async () =>
  (
    await t.db
      .selectFrom('population_count_proposal as p')
      .innerJoin('agency as a', 'a.id', 'p.agency_id')
      .select(['a.code', 'p.period', 'p.count', 'p.entered_by'])
      .where('p.status', '=', 'pending')
      .orderBy('p.id')
      .execute()
  ).map((r) => `${r.code} ${r.period} ${r.count} ${r.entered_by}`)

async function post(cookie: string, body: Record<string, string>) {
  const request = new Request('http://localhost/analytics/population', {
    method: 'POST',
    body: new URLSearchParams(body),
    headers: { Cookie: cookie },
  })
  const outcome = await run(() => action({ request, params: {}, context }))
  return {
    status: outcome.status,
    data: outcome.data as { outcome: string | null; error: string | null; field: string | null; values: object },
  }
}

const cli = (...args: string[]) => runCli(['population', 'set', ...args], { env: { DATABASE_URL: t.url } })

describe('population counts from the command line', () => {
  it('are set and replaced by the operator, with exit 2 and a message on bad arguments', async () => {
    expect((await cli('--agency', 'DEMO-AL-STP', '--period', '2026-Q1', '--count', '1200')).status).toBe(0)
    const replaced = await cli('--agency', 'DEMO-AL-STP', '--period', '2026-q1', '--count', '1300', '--source', 'hub')
    expect(replaced.status).toBe(0)
    expect(replaced.stdout).toContain('DEMO-AL-STP for 2026-Q1: 1300')
    expect(await counts()).toEqual(['DEMO-AL-STP 2026-Q1 1300'])
    for (const [args, message] of [
      [['--period', '2026-Q1', '--count', '5'], /--agency/],
      [['--agency', 'DEMO-AL-STP', '--period', '2026-Q9', '--count', '5'], /--period: The period is not valid/],
      [['--agency', 'DEMO-AL-STP', '--period', '2026', '--count=-3'], /--count: The count must be a positive/],
      [['--agency', 'DEMO-AL-STP', '--period', '2026', '--count', '1.5'], /--count/],
      [['--agency', 'DEMO-AL-STP', '--period', '2026', '--count', '2000000000'], /may not exceed/],
      [['--agency', 'NOPE', '--period', '2026', '--count', '3'], /This agency does not exist/],
      [['--agency', 'DEMO-AL-STP', '--period', '2026', '--count', '3', '--as', 'nobody@example.vn'], /no active user/],
    ] as const) {
      const r = await cli(...args)
      expect(r.status, args.join(' ')).toBe(2)
      expect(r.stderr, args.join(' ')).toMatch(message)
    }
    expect(await counts()).toEqual(['DEMO-AL-STP 2026-Q1 1300'])
  })

  it('--as a user: only inside their scope, and waiting for approval when it moves the province', async () => {
    const outside = await cli(
      '--agency',
      'DEMO-AL-STP',
      '--period',
      '2026-Q2',
      '--count',
      '9',
      '--as',
      'analyst@snv.vn',
    )
    expect(outside.status).toBe(2)
    expect(outside.stderr).toMatch(/outside the scope/)
    const own = await cli('--agency', 'DEMO-AL-SNV', '--period', 'Q2/2026', '--count', '900', '--as', 'analyst@snv.vn')
    expect(own.status).toBe(0)
    expect(own.stdout).toMatch(/waiting for approval/)
    expect(await pending()).toEqual(['DEMO-AL-SNV 2026-Q2 900 analyst@snv.vn'])
    const applied = await cli(
      '--agency',
      'DEMO-AL-SXD',
      '--period',
      '2026-Q2',
      '--count',
      '50',
      '--as',
      'analyst@anlac.vn',
    )
    expect(applied.status).toBe(0)
    expect(await counts()).toEqual(['DEMO-AL-STP 2026-Q1 1300', 'DEMO-AL-SXD 2026-Q2 50'])
  })
})

describe('population counts on the page', () => {
  it('are entered inside the subtree only (403 outside), pending for a department, at once for the province', async () => {
    expect(await post(department, { agencyCode: 'DEMO-AL-STP', period: '2026-Q1', count: '1' })).toMatchObject({
      status: 403,
      data: { error: 'analytics.errors.forbidden' },
    })
    expect(await post(department, { agencyCode: 'DEMO-AL-SNV', period: '2026-Q1', count: '800' })).toMatchObject({
      status: 200,
      data: { outcome: 'pending', error: null },
    })
    expect(await post(province, { agencyCode: 'DEMO-AL-SNNMT', period: '2026-Q1', count: '300' })).toMatchObject({
      status: 200,
      data: { outcome: 'applied' },
    })
    expect(await counts()).toEqual(['DEMO-AL-SNNMT 2026-Q1 300', 'DEMO-AL-STP 2026-Q1 1300', 'DEMO-AL-SXD 2026-Q2 50'])
    expect(await pending()).toEqual([
      'DEMO-AL-SNV 2026-Q2 900 analyst@snv.vn',
      'DEMO-AL-SNV 2026-Q1 800 analyst@snv.vn',
    ])
  })

  it('refuse what is not a count or not a period with 400 and a message for the field, storing nothing', async () => {
    const before = [await counts(), await pending()]
    for (const [count, error] of [
      ['1.5', 'analytics.population.badCount'],
      ['1.000', 'analytics.population.badCount'],
      ['1,000', 'analytics.population.badCount'],
      ['1e3', 'analytics.population.badCount'],
      ['-3', 'analytics.population.badCount'],
      ['0', 'analytics.population.badCount'],
      ['', 'analytics.population.badCount'],
      ['99999999999999999999', 'analytics.population.badCount'],
      ['1000000001', 'analytics.population.tooLarge'],
    ]) {
      const r = await post(province, { agencyCode: 'DEMO-AL-SNV', period: '2026-Q3', count: count! })
      expect([count, r.status, r.data.error, r.data.field]).toEqual([count, 400, error, 'count'])
    }
    for (const period of ['soon', '2026-Q5', '2026-13', '', 'Q3'.repeat(30)]) {
      const r = await post(province, { agencyCode: 'DEMO-AL-SNV', period, count: '5' })
      expect([period, r.status, r.data.error, r.data.field]).toEqual([period, 400, 'analytics.errors.period', 'period'])
    }
    // A form without the field at all gets the same message, not the validator's English.
    expect((await post(province, { agencyCode: 'DEMO-AL-SNV', count: '5' })).data.error).toBe('analytics.errors.period')
    expect((await post(province, { period: '2026', count: '5' })).data.error).toBe('analytics.errors.agency')
    expect([await counts(), await pending()]).toEqual(before)
  })

  it('store each period under its canonical text: "2026-h1" and "H1/2026" are one row', async () => {
    await post(province, { agencyCode: 'DEMO-AL-SXD', period: '2026-h1', count: '70' })
    await post(province, { agencyCode: 'DEMO-AL-SXD', period: 'H1/2026', count: '75' })
    await post(province, { agencyCode: 'DEMO-AL-SXD', period: 'tháng 9/2026', count: '12' })
    expect((await counts()).filter((c) => c.startsWith('DEMO-AL-SXD'))).toEqual([
      'DEMO-AL-SXD 2026-09 12',
      'DEMO-AL-SXD 2026-H1 75',
      'DEMO-AL-SXD 2026-Q2 50',
    ])
  })

  it('audit every entry, applied or pending', async () => {
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('action', 'like', 'population.%')
      .orderBy('id')
      .execute()
    expect(audit.map((a) => `${a.action} ${a.actor}`)).toEqual([
      'population.set cli',
      'population.set cli',
      'population.propose analyst@snv.vn',
      'population.set analyst@anlac.vn',
      'population.propose analyst@snv.vn',
      'population.set analyst@anlac.vn',
      'population.set analyst@anlac.vn',
      'population.set analyst@anlac.vn',
      'population.set analyst@anlac.vn',
    ])
  })

  it('list only the counts of the analyst’s subtree', async () => {
    const request = new Request('http://localhost/analytics/population', { headers: { Cookie: department } })
    const data = (await loader({ request, params: {}, context })) as {
      counts: Array<{ code: string }>
      pending: Array<{ code: string; canDecide: boolean }>
    }
    expect(data.counts.map((c) => c.code)).toEqual([])
    expect(data.pending.map((p) => [p.code, p.canDecide])).toEqual([
      ['DEMO-AL-SNV', false],
      ['DEMO-AL-SNV', false],
    ])
  })
})
