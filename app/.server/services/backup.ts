/**
 * Online backups of the SQLite database (SQLite's backup API copies a consistent snapshot while the app
 * keeps writing) and checked restores: a backup is only put in place after it passes integrity_check
 * and holds every table the app needs.
 */
import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'

export async function backupDatabase(
  sourceFile: string,
  targetFile: string,
): Promise<{ bytes: number; pages: number }> {
  fs.mkdirSync(path.dirname(path.resolve(targetFile)), { recursive: true })
  const source = new SQLite(sourceFile, { readonly: true, fileMustExist: true })
  source.pragma('busy_timeout = 5000')
  try {
    createPrivateFile(targetFile)
    try {
      const { totalPages } = await source.backup(targetFile)
      return { bytes: fs.statSync(targetFile).size, pages: totalPages }
    } catch (error) {
      fs.rmSync(targetFile, { force: true })
      throw error
    }
  } finally {
    source.close()
  }
}

/** Created exclusively and private (0600) like the database itself; SQLite would make the copy 0644. */
function createPrivateFile(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, 'wx', 0o600))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new Error(`${file} exists already: choose a new file name`)
    throw error
  }
}

export interface BackupCheck {
  ok: boolean
  integrity: string
  migrations: string[]
  responses: number | null
  problem?: string
}

export function checkBackup(file: string): BackupCheck {
  if (!fs.existsSync(file))
    return { ok: false, integrity: 'missing', migrations: [], responses: null, problem: `${file} does not exist` }
  let db: SQLite.Database | null = null
  try {
    db = new SQLite(file, { readonly: true, fileMustExist: true })
    const integrity = (db.pragma('integrity_check', { simple: true }) as string) ?? 'unknown'
    const tables = new Set(
      (db.prepare("select name from sqlite_master where type = 'table'").all() as Array<{ name: string }>).map(
        (t) => t.name,
      ),
    )
    if (!tables.has('kysely_migration') || !tables.has('response'))
      return { ok: false, integrity, migrations: [], responses: null, problem: 'not a Hài Lòng database' }
    const migrations = (
      db.prepare('select name from kysely_migration order by name').all() as Array<{ name: string }>
    ).map((m) => m.name)
    const responses = (db.prepare('select count(*) as n from response').get() as { n: number }).n
    return {
      ok: integrity === 'ok',
      integrity,
      migrations,
      responses,
      problem: integrity === 'ok' ? undefined : 'integrity_check failed',
    }
  } catch (error) {
    return {
      ok: false,
      integrity: 'unreadable',
      migrations: [],
      responses: null,
      problem: error instanceof Error ? error.message : String(error),
    }
  } finally {
    db?.close()
  }
}

/** Copies a checked backup over the database file (the server must be stopped). The old file is kept aside. */
export function restoreDatabase(backupFile: string, targetFile: string): { keptAside: string | null } {
  let keptAside: string | null = null
  if (fs.existsSync(targetFile)) {
    keptAside = `${targetFile}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`
    fs.renameSync(targetFile, keptAside)
  }
  for (const suffix of ['-wal', '-shm'])
    if (fs.existsSync(targetFile + suffix)) fs.renameSync(targetFile + suffix, (keptAside ?? targetFile) + suffix)
  fs.copyFileSync(backupFile, targetFile)
  return { keptAside }
}
