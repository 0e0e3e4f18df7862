/** `hailong migrate` and `hailong seed` on a temporary SQLite file, checked in the file afterwards. */
import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '#scripts/support/cli.ts'
import { tempDir } from '#tests/helpers/db.ts'

let dir: string
let file: string
const env = () => ({ DATABASE_URL: file })

function query<T>(text: string): T[] {
  const db = new SQLite(file, { readonly: true, fileMustExist: true })
  try {
    return db.prepare(text).all() as T[]
  } finally {
    db.close()
  }
}
const count = (table: string) => query<{ n: number }>(`select count(*) as n from "${table}"`)[0]!.n

beforeAll(() => {
  dir = tempDir('hailong-cli-seed-')
  file = path.join(dir, 'cli.sqlite')
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('hailong migrate', () => {
  it('creates and migrates a fresh file', async () => {
    expect(fs.existsSync(file)).toBe(false)
    const r = await runCli(['migrate'], { env: env() })
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('Applied: 2026-11-28T0300_initial')
    expect(fs.existsSync(file)).toBe(true)
    const tables = query<{ name: string }>(`select name from sqlite_master where type = 'table'`).map((t) => t.name)
    for (const t of ['agency', 'response', 'item_aggregate', 'user', 'setup_token']) expect(tables).toContain(t)
    expect(count('agency')).toBe(0)
  })

  it('a second run reports the database up to date', async () => {
    const r = await runCli(['migrate'], { env: env() })
    expect(r.status).toBe(0)
    expect(r.stdout.trim()).toBe('The database is up to date.')
  })

  it('accepts a file: URL', async () => {
    const other = path.join(dir, 'url.sqlite')
    const r = await runCli(['migrate'], { env: { DATABASE_URL: `file://${other}` } })
    expect(r.status).toBe(0)
    expect(fs.existsSync(other)).toBe(true)
  })
})

describe('hailong seed', () => {
  it('seeds templates and the demo province, without responses', async () => {
    const r = await runCli(['seed'], { env: env() })
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('Templates seeded: SIPAS-2017, SIPAS-SHORT, ND61-DOSSIER')
    expect(r.stdout).toContain('Demo province seeded.')
    expect(query<{ name_vi: string }>(`select name_vi from agency where code = 'DEMO-AL'`)).toEqual([
      { name_vi: 'Tỉnh An Lạc (mẫu)' },
    ])
    expect(count('questionnaire')).toBe(3)
    expect(count('response')).toBe(0)
  })

  it('a second seed adds nothing', async () => {
    const before = ['agency', 'procedure', 'survey_link', 'questionnaire_item'].map(count)
    const r = await runCli(['seed'], { env: env() })
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('Templates already present.')
    expect(r.stdout).toContain('demo province not seeded')
    expect(['agency', 'procedure', 'survey_link', 'questionnaire_item'].map(count)).toEqual(before)
  })

  it('--demo-responses 20 adds 20 responses with aggregates', async () => {
    const r = await runCli(['seed', '--demo-responses', '20'], { env: env() })
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/Added 20 synthetic responses/)
    expect(count('response')).toBe(20)
    expect(query<{ n: number }>(`select sum(n) as n from composite_aggregate where composite = 'overall'`)[0]!.n).toBe(
      20,
    )
  })

  it('--demo-responses 3 --seed 9 adds 3 more', async () => {
    const r = await runCli(['seed', '--demo-responses', '3', '--seed', '9'], { env: env() })
    expect(r.status).toBe(0)
    expect(count('response')).toBe(23)
  })

  it.each([['abc'], ['0'], ['-5'], ['2.5'], ['']])('--demo-responses %j exits 2 and adds nothing', async (value) => {
    const r = await runCli(['seed', `--demo-responses=${value}`], { env: env() })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain(`--demo-responses must be a positive whole number, got "${value}"`)
    expect(count('response')).toBe(23)
  })

  it('--seed abc exits 2', async () => {
    const r = await runCli(['seed', '--seed', 'abc'], { env: env() })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('--seed must be a positive whole number')
  })
})

describe('hailong seed with HAILONG_DEMO_RESPONSES', () => {
  it('seeds the demo province with that many synthetic responses since January 2024', async () => {
    const other = path.join(dir, 'history.sqlite')
    const r = await runCli(['seed'], { env: { DATABASE_URL: other, HAILONG_DEMO_RESPONSES: '200' } })
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/Demo province seeded with 200 synthetic responses since January 2024/)
    const db = new SQLite(other, { readonly: true })
    try {
      const row = db.prepare('select count(*) as n, min(period_month) as first from response').get()
      expect(row).toEqual({ n: 200, first: '2024-01' })
    } finally {
      db.close()
    }
  })

  it.each([['abc'], ['-1'], ['1.5']])('HAILONG_DEMO_RESPONSES=%j exits 2 and creates nothing', async (value) => {
    const other = path.join(dir, `bad-${value}.sqlite`)
    const r = await runCli(['seed'], { env: { DATABASE_URL: other, HAILONG_DEMO_RESPONSES: value } })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('HAILONG_DEMO_RESPONSES')
    expect(fs.existsSync(other)).toBe(false)
  })
})

describe('hailong aggregates rebuild', () => {
  it('rebuilds identical aggregates from the seeded responses', async () => {
    const snapshot = () => [
      query(`select * from item_aggregate order by agency_id, period_month, item_id, answer_value, stratum`),
      query(`select * from composite_aggregate order by agency_id, period_month, version_id, composite, stratum`),
    ]
    const before = snapshot()
    const r = await runCli(['aggregates', 'rebuild'], { env: env() })
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/Rebuilt aggregates from 23 responses/)
    expect(snapshot()).toEqual(before)
  })
})
