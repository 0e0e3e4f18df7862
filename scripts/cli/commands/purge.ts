import type { Command } from '../command.ts'
import { parseCommandArgs, positiveInteger } from '../args.ts'
import { withDatabase } from '../database.ts'
import { loadConfig } from '#app/.server/env.ts'
import { purgePersonalData } from '#app/.server/services/purge-personal-data.ts'

export const purgeCommand: Command = {
  name: 'purge',
  summary: 'Delete free text and profile answers older than the retention period',
  usage: `Usage: hailong purge [--dry-run] [--months N]

Deletes the free-text answers (suggestions) and the respondent profile answers of
responses submitted more than RETENTION_MONTHS months ago (default 24), as the
privacy notice promises (Decree 13/2023). Scored answers and the aggregates stay,
so published indices do not move. The purge is written to the audit log.
  --dry-run   count what would be deleted, delete nothing
  --months N  use N months instead of RETENTION_MONTHS`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { 'dry-run': { type: 'boolean' }, months: { type: 'string' } })
    if (values.help) {
      io.stdout(this.usage)
      return 0
    }
    const retentionMonths =
      positiveInteger('months', values.months) ?? loadConfig(io.env, io.cwd).privacy.retentionMonths
    const dryRun = values['dry-run'] === true
    return withDatabase(io, async (db) => {
      const r = await purgePersonalData(db, { retentionMonths, dryRun, actor: 'cli' })
      const before = `responses submitted before ${r.cutoff} (retention ${r.retentionMonths} months)`
      io.stdout(
        dryRun
          ? `Dry run: would delete ${r.answers} free-text and profile answers and ${r.profiles} profiles of ${r.responses} ${before}. Nothing was deleted.`
          : `Deleted ${r.answers} free-text and profile answers and ${r.profiles} profiles of ${r.responses} ${before}. Scores are unchanged.`,
      )
      return 0
    })
  },
}
