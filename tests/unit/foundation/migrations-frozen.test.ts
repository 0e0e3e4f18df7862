/**
 * Migrations are frozen once on main (docs/decisions/0036-migrations-are-frozen-once-on-main.md): a
 * database that has run a migration never runs it again, so an edit to it reaches no deployed database and
 * leaves them different from a fresh one. db/migrations/frozen.json holds the SHA-256 of each migration on
 * main; this test fails when one of them changes, disappears or leaves the registry. A migration not yet in
 * the list is allowed (it is new work); when it lands on main, record it with
 *   FREEZE_MIGRATIONS=1 npx vitest run --config vitest.unit.config.ts tests/unit/foundation/migrations-frozen.test.ts
 * which adds missing entries and never rewrites an existing one.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { migrationProvider } from '#db/migrations/index.ts'
import { tempDir } from '#scripts/support/temp-dir.ts'

const MIGRATIONS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../db/migrations')
const FROZEN_FILE = path.join(MIGRATIONS, 'frozen.json')

interface FrozenList {
  about: string
  migrations: Record<string, string>
}

/** Migration files: every .ts module of the folder but the registry. */
function migrationFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.ts') && file !== 'index.ts')
    .sort()
}

/** SHA-256 of a file with CRLF read as LF, so a Windows checkout (core.autocrlf) hashes like Linux. */
function sha256(file: string): string {
  const text = fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n')
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex')
}

/** What breaks the freeze: a frozen migration edited or gone. Unlisted files are new and allowed. */
function frozenMigrationProblems(dir: string, frozen: Record<string, string>): string[] {
  const present = new Set(migrationFiles(dir))
  const problems: string[] = []
  for (const [file, hash] of Object.entries(frozen)) {
    if (!present.has(file)) problems.push(`${file} is frozen but no longer exists`)
    else if (sha256(path.join(dir, file)) !== hash) problems.push(`${file} changed after it reached main`)
  }
  return problems
}

function readFrozen(): FrozenList {
  return JSON.parse(fs.readFileSync(FROZEN_FILE, 'utf8')) as FrozenList
}

if (process.env.FREEZE_MIGRATIONS === '1') {
  const list = readFrozen()
  for (const file of migrationFiles(MIGRATIONS)) list.migrations[file] ??= sha256(path.join(MIGRATIONS, file))
  fs.writeFileSync(FROZEN_FILE, `${JSON.stringify(list, null, 2)}\n`)
}

describe('frozen migrations', () => {
  it('every migration already on main is byte-for-byte what it was', () => {
    expect(frozenMigrationProblems(MIGRATIONS, readFrozen().migrations)).toEqual([])
  })

  it('every frozen migration is still in the static registry, under its file name', async () => {
    const registered = Object.keys(await migrationProvider.getMigrations())
    const frozen = Object.keys(readFrozen().migrations).map((file) => file.replace(/\.ts$/, ''))
    expect(frozen.length).toBeGreaterThan(0)
    expect(registered).toEqual(expect.arrayContaining(frozen))
  })

  describe('on a copy of the folder', () => {
    const copy = tempDir('hailong-migrations-')
    afterAll(() => fs.rmSync(copy, { recursive: true, force: true }))
    const fresh = () => {
      fs.rmSync(copy, { recursive: true, force: true })
      fs.cpSync(MIGRATIONS, copy, { recursive: true })
      return readFrozen().migrations
    }

    it('reports a frozen migration that was edited', () => {
      const frozen = fresh()
      const [first] = Object.keys(frozen)
      fs.appendFileSync(path.join(copy, first!), '// one more line\n')
      expect(frozenMigrationProblems(copy, frozen)).toEqual([`${first} changed after it reached main`])
    })

    it('reports a frozen migration that was deleted', () => {
      const frozen = fresh()
      const [first] = Object.keys(frozen)
      fs.rmSync(path.join(copy, first!))
      expect(frozenMigrationProblems(copy, frozen)).toEqual([`${first} is frozen but no longer exists`])
    })

    it('allows a new migration that is not in the list yet', () => {
      const frozen = fresh()
      fs.writeFileSync(path.join(copy, '2099-01-01T0000_not_on_main_yet.ts'), 'export async function up() {}\n')
      expect(frozenMigrationProblems(copy, frozen)).toEqual([])
    })

    it('reads CRLF line endings as LF, so a Windows checkout passes', () => {
      const frozen = fresh()
      const [first] = Object.keys(frozen)
      const file = path.join(copy, first!)
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\n/g, '\r\n'))
      expect(frozenMigrationProblems(copy, frozen)).toEqual([])
    })
  })
})
