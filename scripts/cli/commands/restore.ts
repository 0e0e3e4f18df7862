import type { Command } from '../command.ts'
import { UsageError } from '../command.ts'
import { parseCommandArgs } from '../args.ts'
import { databaseConfig } from '#db/config.ts'
import { checkBackup, restoreDatabase } from '#app/.server/services/backup.ts'

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'Check a backup and restore it',
  usage: `Usage: hailong restore FILE [--check-only]

Checks FILE (integrity_check, the app's tables and migrations) and, unless
--check-only, puts it in place of the database named by DATABASE_URL. Stop the
server first; the current database file is kept aside, never deleted.`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { 'check-only': { type: 'boolean' } }, true)
    if (values.help) {
      io.stdout(this.usage)
      return 0
    }
    if (positionals.length !== 1) throw new UsageError('expected one argument: the backup file')
    const check = checkBackup(positionals[0])
    if (!check.ok) throw new UsageError(`the backup is not usable: ${check.problem}`)
    io.stdout(
      `Backup ok: integrity_check ${check.integrity}, ${check.responses} responses, migrations ${check.migrations.join(', ')}.`,
    )
    if (values['check-only']) return 0
    const config = databaseConfig(io.env, io.cwd)
    if (config.dialect !== 'sqlite' || config.file === ':memory:')
      throw new UsageError('restore works on a SQLite file')
    const { keptAside } = restoreDatabase(positionals[0], config.file)
    io.stdout(`Restored into ${config.file}.${keptAside ? ` The previous file is kept as ${keptAside}.` : ''}`)
    return 0
  },
}
