import type { Command } from '../command.ts'
import { parseCommandArgs } from '../args.ts'
import { createDb } from '#db/client.ts'
import { databaseConfig } from '#db/config.ts'
import { migrateToLatest } from '#db/migrate.ts'
import { rebuildAggregatesIfMissing } from '#app/.server/services/rebuild-aggregates.ts'

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Apply pending database migrations',
  usage: `Usage: hailong migrate

Applies every pending migration to the database named by DATABASE_URL
(default: the SQLite file data/hailong.sqlite), then rebuilds the score
aggregates if a migration left them empty. Safe to run repeatedly.`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {})
    if (values.help) {
      io.stdout(this.usage)
      return 0
    }
    const db = createDb(databaseConfig(io.env, io.cwd))
    try {
      const applied = await migrateToLatest(db)
      io.stdout(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.')
      // A migration that re-keys the aggregates leaves them empty; they are rebuilt from the responses.
      const rebuilt = await rebuildAggregatesIfMissing(db)
      if (rebuilt) io.stdout(`Aggregates rebuilt from ${rebuilt.responses} responses.`)
      return 0
    } finally {
      await db.destroy()
    }
  },
}
