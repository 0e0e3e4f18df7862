/**
 * `hailong links`: absolute survey URLs from PUBLIC_URL, or http://localhost:$PORT by default. Runs on
 * the suite's database (SQLite, or PostgreSQL in the postgres project), seeded by `hailong seed`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '#scripts/support/cli.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'

let t: TestDatabase
let currentAgencies: string[]
let linkCodes: Map<string, string>

/** Environment without PUBLIC_URL/PORT inherited from the test runner (undefined unsets a variable). */
function env(extra: Record<string, string | undefined>) {
  return { DATABASE_URL: t.url, PUBLIC_URL: undefined, PORT: undefined, ...extra }
}

beforeAll(async () => {
  t = await createTestDatabase({ seed: 'none' })
  expect((await runCli(['seed'], { env: { DATABASE_URL: t.url } })).status).toBe(0)
  currentAgencies = (
    await t.db.selectFrom('agency').select('code').where('valid_to', 'is', null).orderBy('code').execute()
  ).map((a) => a.code)
  const links = await t.db
    .selectFrom('survey_link as l')
    .innerJoin('agency as a', 'a.id', 'l.agency_id')
    .select(['a.code as agency', 'l.code'])
    .execute()
  linkCodes = new Map(links.map((r) => [r.agency, r.code]))
})
afterAll(async () => t?.cleanup())

describe('hailong links', () => {
  it('--json prints one {agency, url} per current demo agency, under PUBLIC_URL', async () => {
    const r = await runCli(['links', '--json'], { env: env({ PUBLIC_URL: 'https://khaosat.example.vn' }) })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    const links = JSON.parse(r.stdout) as Array<{ agency: string; url: string; kind: string }>
    expect(Array.isArray(links)).toBe(true)
    expect(currentAgencies.length).toBeGreaterThanOrEqual(5)
    expect(links.map((l) => l.agency).sort()).toEqual(currentAgencies)
    for (const l of links) {
      expect(typeof l.agency).toBe('string')
      expect(l.url.startsWith('https://khaosat.example.vn/s/')).toBe(true)
      expect(l.url).toMatch(/\/s\/[a-z0-9]+$/)
      expect(l.url).toBe(`https://khaosat.example.vn/s/${linkCodes.get(l.agency)}`)
      expect(l.kind).toBe('poster')
    }
  })

  it('drops a trailing slash of PUBLIC_URL', async () => {
    const r = await runCli(['links', '--json'], { env: env({ PUBLIC_URL: 'https://khaosat.example.vn/' }) })
    expect(r.status).toBe(0)
    for (const l of JSON.parse(r.stdout) as Array<{ url: string }>)
      expect(l.url).toMatch(/^https:\/\/khaosat\.example\.vn\/s\/[a-z0-9]+$/)
  })

  it('defaults to http://localhost:$PORT without PUBLIC_URL', async () => {
    const r = await runCli(['links', '--json'], { env: env({ PORT: '4321' }) })
    expect(r.status).toBe(0)
    const links = JSON.parse(r.stdout) as Array<{ url: string }>
    expect(links).toHaveLength(currentAgencies.length)
    for (const l of links) expect(l.url).toMatch(/^http:\/\/localhost:4321\/s\/[a-z0-9]+$/)
  })

  it('defaults to port 3000 without PUBLIC_URL and PORT', async () => {
    const r = await runCli(['links', '--json'], { env: env({}) })
    expect(r.status).toBe(0)
    for (const l of JSON.parse(r.stdout) as Array<{ url: string }>)
      expect(l.url).toMatch(/^http:\/\/localhost:3000\/s\/[a-z0-9]+$/)
  })

  it('prints a human-readable line per link without --json', async () => {
    const r = await runCli(['links'], { env: env({ PUBLIC_URL: 'https://khaosat.example.vn' }) })
    expect(r.status).toBe(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines).toHaveLength(currentAgencies.length)
    expect(r.stdout).toContain('Tỉnh An Lạc (mẫu)')
    for (const line of lines) expect(line).toMatch(/^DEMO-\S+\s+https:\/\/khaosat\.example\.vn\/s\/[a-z0-9]+ {2}\S/)
  })

  it('refuses an invalid PUBLIC_URL with a message', async () => {
    const r = await runCli(['links', '--json'], { env: env({ PUBLIC_URL: 'not a url' }) })
    expect(r.status).not.toBe(0)
    expect(r.stderr).toMatch(/PUBLIC_URL/)
    expect(r.stdout).toBe('')
  })
})
