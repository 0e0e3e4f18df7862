/**
 * Preparing test databases, shared by the per-test helper and the PostgreSQL global set-up (which runs
 * outside the test workers and so must not import vitest).
 */
import type { DB } from '#db/client.ts'
import { migrateToLatest } from '#db/migrate.ts'
import { seedDemoProvince, seedTemplates } from '#app/.server/services/seed.ts'

export type SeedLevel = 'none' | 'templates' | 'demo'

/** Migrates and seeds a database to the given level; the PostgreSQL global set-up uses it for templates. */
export async function prepareDatabase(db: DB, seed: SeedLevel): Promise<void> {
  await migrateToLatest(db)
  if (seed !== 'none') await seedTemplates(db)
  if (seed === 'demo') await seedDemoProvince(db)
}

export function postgresTemplateName(prefix: string, seed: SeedLevel): string {
  return `${prefix}_${seed}`
}

/** A database URL on the same server as `adminUrl`, naming another database. */
export function postgresUrlFor(adminUrl: string, database: string): string {
  const url = new URL(adminUrl)
  url.pathname = `/${database}`
  return url.toString()
}
