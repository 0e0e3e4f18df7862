import type { Command } from '../command.ts'
import { UsageError } from '../command.ts'
import { parseCommandArgs } from '../args.ts'
import { withDatabase } from '../database.ts'
import { rebuildAggregates } from '#app/.server/services/rebuild-aggregates.ts'

export const aggregatesCommand: Command = {
  name: 'aggregates',
  summary: 'Rebuild the score aggregates',
  usage: `Usage: hailong aggregates rebuild

Recomputes every aggregate row from the raw responses and answers, in one
transaction (the scores never show a half-built state).`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {}, true)
    if (values.help) {
      io.stdout(this.usage)
      return 0
    }
    if (positionals[0] !== 'rebuild' || positionals.length !== 1)
      throw new UsageError('expected the subcommand "rebuild"')
    return withDatabase(io, async (db) => {
      const started = Date.now()
      const report = await rebuildAggregates(db, (done, total) => io.stderr(`  ${done}/${total} responses…`))
      io.stdout(
        `Rebuilt aggregates from ${report.responses} responses (${report.itemRows} item rows, ${report.compositeRows} composite rows) in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
      )
      return 0
    })
  },
}
