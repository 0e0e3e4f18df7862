/** A real SQLite file per test (or per file), migrated and seeded like production. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createDb, type DB } from '#db/client.ts'
import { migrateToLatest } from '#db/migrate.ts'
import { seedDemoProvince, seedTemplates } from '#app/.server/services/seed.ts'

export interface TestDatabase {
  db: DB
  file: string
  dir: string
  cleanup(): Promise<void>
}

export function tempDir(prefix = 'hailong-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}

export async function createTestDatabase(options: { seed?: 'none' | 'templates' | 'demo' } = {}): Promise<TestDatabase> {
  const dir = tempDir()
  const file = path.join(dir, 'test.sqlite')
  const db = createDb({ dialect: 'sqlite', file })
  await migrateToLatest(db)
  const seed = options.seed ?? 'demo'
  if (seed !== 'none') await seedTemplates(db)
  if (seed === 'demo') await seedDemoProvince(db)
  return {
    db,
    file,
    dir,
    async cleanup() {
      await db.destroy()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}
