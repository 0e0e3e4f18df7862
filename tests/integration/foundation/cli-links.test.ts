/** `hailong links`: absolute survey URLs from PUBLIC_URL, or http://localhost:$PORT by default. */
import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '#tests/helpers/cli.ts'
import { tempDir } from '#tests/helpers/db.ts'

let dir: string
let file: string
let currentAgencies: string[]
let linkCodes: Map<string, string>

/** Environment without PUBLIC_URL/PORT inherited from the test runner (spawn drops undefined values). */
function env(extra: Record<string, string | undefined>): Record<string, string> {
  return { DATABASE_URL: file, PUBLIC_URL: undefined, PORT: undefined, ...extra } as unknown as Record<string, string>
}

beforeAll(() => {
  dir = tempDir('hailong-cli-links-')
  file = path.join(dir, 'links.sqlite')
  expect(runCli(['seed'], { env: { DATABASE_URL: file } }).status).toBe(0)
  const db = new SQLite(file, { readonly: true, fileMustExist: true })
  try {
    currentAgencies = (db.prepare(`select code from agency where valid_to is null order by code`).all() as Array<{ code: string }>).map((a) => a.code)
    linkCodes = new Map((db.prepare(`select a.code as agency, l.code from survey_link l join agency a on a.id = l.agency_id`).all() as Array<{ agency: string; code: string }>).map((r) => [r.agency, r.code]))
  } finally {
    db.close()
  }
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('hailong links', () => {
  it('--json prints one {agency, url} per current demo agency, under PUBLIC_URL', () => {
    const r = runCli(['links', '--json'], { env: env({ PUBLIC_URL: 'https://khaosat.example.vn' }) })
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

  it('drops a trailing slash of PUBLIC_URL', () => {
    const r = runCli(['links', '--json'], { env: env({ PUBLIC_URL: 'https://khaosat.example.vn/' }) })
    expect(r.status).toBe(0)
    for (const l of JSON.parse(r.stdout) as Array<{ url: string }>) expect(l.url).toMatch(/^https:\/\/khaosat\.example\.vn\/s\/[a-z0-9]+$/)
  })

  it('defaults to http://localhost:$PORT without PUBLIC_URL', () => {
    const r = runCli(['links', '--json'], { env: env({ PORT: '4321' }) })
    expect(r.status).toBe(0)
    const links = JSON.parse(r.stdout) as Array<{ url: string }>
    expect(links).toHaveLength(currentAgencies.length)
    for (const l of links) expect(l.url).toMatch(/^http:\/\/localhost:4321\/s\/[a-z0-9]+$/)
  })

  it('defaults to port 3000 without PUBLIC_URL and PORT', () => {
    const r = runCli(['links', '--json'], { env: env({}) })
    expect(r.status).toBe(0)
    for (const l of JSON.parse(r.stdout) as Array<{ url: string }>) expect(l.url).toMatch(/^http:\/\/localhost:3000\/s\/[a-z0-9]+$/)
  })

  it('prints a human-readable line per link without --json', () => {
    const r = runCli(['links'], { env: env({ PUBLIC_URL: 'https://khaosat.example.vn' }) })
    expect(r.status).toBe(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines).toHaveLength(currentAgencies.length)
    expect(r.stdout).toContain('Tỉnh An Lạc (mẫu)')
    for (const line of lines) expect(line).toMatch(/^DEMO-\S+\s+https:\/\/khaosat\.example\.vn\/s\/[a-z0-9]+ {2}\S/)
  })

  it('refuses an invalid PUBLIC_URL with a message', () => {
    const r = runCli(['links', '--json'], { env: env({ PUBLIC_URL: 'not a url' }) })
    expect(r.status).not.toBe(0)
    expect(r.stderr).toMatch(/PUBLIC_URL/)
    expect(r.stdout).toBe('')
  })
})
