import type { Command } from '../command.ts'
import { UsageError } from '../command.ts'
import { parseCommandArgs } from '../args.ts'
import { databaseConfig } from '#db/config.ts'
import { backupDatabase, checkBackup } from '#app/.server/services/backup.ts'

export const backupCommand: Command = {
  name: 'backup',
  summary: 'Online backup of the SQLite database',
  usage: `Usage: hailong backup FILE

Writes a consistent copy of the database to FILE while the app keeps running
(SQLite's online backup), then checks the copy with integrity_check.`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {}, true)
    if (values.help) {
      io.stdout(this.usage)
      return 0
    }
    if (positionals.length !== 1) throw new UsageError('expected one argument: the backup file to write')
    const config = databaseConfig(io.env, io.cwd)
    if (config.dialect !== 'sqlite' || config.file === ':memory:')
      throw new UsageError('backup works on a SQLite file; use pg_dump for PostgreSQL')
    let result: Awaited<ReturnType<typeof backupDatabase>>
    try {
      result = await backupDatabase(config.file, positionals[0])
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error))
    }
    const check = checkBackup(positionals[0])
    if (!check.ok) {
      io.stderr(`The backup did not pass its check: ${check.problem}`)
      return 1
    }
    io.stdout(
      `Backed up ${check.responses} responses (${result.bytes} bytes) to ${positionals[0]}; integrity_check ok.`,
    )
    return 0
  },
}
