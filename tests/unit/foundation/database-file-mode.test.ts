/** openSqlite (db/client.ts): the database file and its WAL are readable by the server's user only. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { backupDatabase } from '#app/.server/services/backup.ts'
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

  it('writes a backup with mode 0600, and leaves no file behind when the source is missing', async () => {
    const source = path.join(dir, 'source.sqlite')
    openSqlite(source).close()
    const target = path.join(dir, 'backups', 'copy.sqlite')
    await backupDatabase(source, target)
    expect(modeOf(target)).toBe(0o600)
    await expect(backupDatabase(source, target)).rejects.toThrow(/exists already/)
    const orphan = path.join(dir, 'backups', 'orphan.sqlite')
    await expect(backupDatabase(path.join(dir, 'missing.sqlite'), orphan)).rejects.toThrow()
    expect(fs.existsSync(orphan)).toBe(false)
  })
})
