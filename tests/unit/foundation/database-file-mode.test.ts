/** openSqlite (db/client.ts): the database file and its WAL are readable by the server's user only. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openSqlite } from '#db/client.ts'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hailong-mode-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const modeOf = (file: string) => fs.statSync(file).mode & 0o777

describe('openSqlite file modes', () => {
  it('creates the database, its -wal and its -shm with mode 0600', () => {
    const file = path.join(dir, 'new', 'hailong.sqlite')
    const db = openSqlite(file)
    db.exec('create table t (x); insert into t values (1)')
    expect(modeOf(file)).toBe(0o600)
    expect(modeOf(`${file}-wal`)).toBe(0o600)
    expect(modeOf(`${file}-shm`)).toBe(0o600)
    db.close()
  })

  it('narrows an existing world-readable database to 0600', () => {
    const file = path.join(dir, 'old.sqlite')
    fs.writeFileSync(file, '')
    fs.chmodSync(file, 0o644)
    openSqlite(file).close()
    expect(modeOf(file)).toBe(0o600)
  })
})
