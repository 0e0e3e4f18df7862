/** Opens the configured database for a command, migrated, and closes it afterwards. */
import type { CliIO } from './command.ts'
import { createDb, type DB } from '#db/client.ts'
import { databaseConfig } from '#db/config.ts'
import { migrateToLatest } from '#db/migrate.ts'
import { rebuildAggregatesIfMissing } from '#app/.server/services/rebuild-aggregates.ts'

export async function withDatabase<T>(io: CliIO, work: (db: DB) => Promise<T>): Promise<T> {
  const db = createDb(databaseConfig(io.env, io.cwd))
  try {
    await migrateToLatest(db)
    await rebuildAggregatesIfMissing(db)
    return await work(db)
  } finally {
    await db.destroy()
  }
}
