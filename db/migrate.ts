/** Applies every pending migration; safe to run at each start and from several processes. */
import { Migrator } from 'kysely'
import type { DB } from './client.ts'
import { migrationProvider } from './migrations/index.ts'

export async function migrateToLatest(db: DB): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider })
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw error instanceof Error ? error : new Error(String(error))
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

export async function pendingMigrations(db: DB): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider })
  const all = await migrator.getMigrations()
  return all.filter((m) => !m.executedAt).map((m) => m.name)
}
