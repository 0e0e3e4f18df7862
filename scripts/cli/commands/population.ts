import type { Command } from '../command.ts'
import { UsageError } from '../command.ts'
import { parseCommandArgs } from '../args.ts'
import { withDatabase } from '../database.ts'
import { populationInputSchema, setPopulationCount } from '#app/.server/services/population.ts'

export const populationCommand: Command = {
  name: 'population',
  summary: 'Set population counts for post-stratified scores',
  usage: `Usage: hailong population set --agency CODE --period PERIOD --count N [--source TEXT]

Sets the number of interactions an agency served in a period (e.g. dossiers
received), used to post-stratify scores. PERIOD is 2026, 2026-Q3 or 2026-09 and
must be the period the analysts will ask for.`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      { agency: { type: 'string' }, period: { type: 'string' }, count: { type: 'string' }, source: { type: 'string' } },
      true,
    )
    if (values.help) {
      io.stdout(this.usage)
      return 0
    }
    if (positionals[0] !== 'set' || positionals.length !== 1) throw new UsageError('expected the subcommand "set"')
    const parsed = populationInputSchema.safeParse({
      agencyCode: values.agency ?? '',
      period: values.period ?? '',
      count: values.count,
      source: values.source,
    })
    if (!parsed.success)
      throw new UsageError(
        parsed.error.issues
          .map((i) => `--${i.path[0] === 'agencyCode' ? 'agency' : String(i.path[0])} is missing or not valid`)
          .join('; '),
      )
    return withDatabase(io, async (db) => {
      const result = await setPopulationCount(db, parsed.data, { scopePath: null, userId: null, actor: 'cli' })
      if (!result.ok) throw new UsageError(`no agency has the code "${parsed.data.agencyCode}"`)
      io.stdout(`Population of ${parsed.data.agencyCode} for ${parsed.data.period}: ${parsed.data.count}.`)
      return 0
    })
  },
}
