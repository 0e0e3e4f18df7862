// hailong backup / restore as an operator runs them: an online copy while the database is open and
// being written, a checked restore, and clear refusals for a bad file.
import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemoResponses } from '#app/.server/services/seed.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { runCli } from '#scripts/support/cli.ts'

let t: TestDatabase
beforeAll(async () => {
  t = await createTestDatabase()
  await seedDemoResponses(t.db, 25)
})
afterAll(() => t.cleanup())

const count = (file: string) => {
  const db = new SQLite(file, { readonly: true })
  const n = (db.prepare('select count(*) as n from response').get() as { n: number }).n
  db.close()
  return n
}

describe('hailong backup and restore', () => {
  it('backs up an open database that is being written, and the copy passes integrity_check', async () => {
    const target = path.join(t.dir, 'backup.sqlite')
    // A write lands while the backup runs in another process: the copy is a consistent snapshot either way.
    const writing = seedDemoResponses(t.db, 5, { seed: 7 })
    const result = await runCli(['backup', target], { env: { DATABASE_URL: t.file } })
    await writing
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/integrity_check ok/)
    const copied = count(target)
    expect([25, 30]).toContain(copied)
  })

  it('refuses to overwrite an existing file and needs exactly one argument', async () => {
    const target = path.join(t.dir, 'exists.sqlite')
    fs.writeFileSync(target, 'x')
    const exists = await runCli(['backup', target], { env: { DATABASE_URL: t.file } })
    expect(exists.status).toBe(2)
    expect(exists.stderr).toMatch(/exists already/)
    expect(fs.readFileSync(target, 'utf8')).toBe('x')
    expect((await runCli(['backup'], { env: { DATABASE_URL: t.file } })).status).toBe(2)
  })

  it('restores a checked backup and keeps the replaced database aside', async () => {
    const backup = path.join(t.dir, 'for-restore.sqlite')
    expect((await runCli(['backup', backup], { env: { DATABASE_URL: t.file } })).status).toBe(0)
    const target = path.join(t.dir, 'restored.sqlite')
    fs.writeFileSync(target, 'an older database')
    const check = await runCli(['restore', backup, '--check-only'], { env: { DATABASE_URL: target } })
    expect(check.status).toBe(0)
    expect(fs.readFileSync(target, 'utf8')).toBe('an older database')
    const restored = await runCli(['restore', backup], { env: { DATABASE_URL: target } })
    expect(restored.status, restored.stderr).toBe(0)
    expect(count(target)).toBe(count(backup))
    const aside = fs.readdirSync(t.dir).filter((f) => f.startsWith('restored.sqlite.before-restore-'))
    expect(aside).toHaveLength(1)
    expect(fs.readFileSync(path.join(t.dir, aside[0]), 'utf8')).toBe('an older database')
  })

  it('refuses a file that is not a Hài Lòng database, and a missing one, without touching the target', async () => {
    const junk = path.join(t.dir, 'junk.sqlite')
    fs.writeFileSync(junk, 'not sqlite at all')
    const target = path.join(t.dir, 'untouched.sqlite')
    fs.writeFileSync(target, 'keep me')
    const bad = await runCli(['restore', junk], { env: { DATABASE_URL: target } })
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/not usable/)
    const other = new SQLite(path.join(t.dir, 'other.sqlite'))
    other.exec('create table x (a)')
    other.close()
    const foreign = await runCli(['restore', path.join(t.dir, 'other.sqlite')], { env: { DATABASE_URL: target } })
    expect(foreign.status).toBe(2)
    expect(foreign.stderr).toMatch(/not a Hài Lòng database/)
    expect(
      (await runCli(['restore', path.join(t.dir, 'missing.sqlite')], { env: { DATABASE_URL: target } })).status,
    ).toBe(2)
    expect(fs.readFileSync(target, 'utf8')).toBe('keep me')
  })
})
