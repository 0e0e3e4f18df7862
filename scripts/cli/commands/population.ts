import type { Command } from '../command.ts'
import { UsageError } from '../command.ts'
import { parseCommandArgs } from '../args.ts'
import { withDatabase } from '../database.ts'
import { i18nServer } from '#app/.server/i18n.ts'
import { populationActor, populationInputSchema, setPopulationCount } from '#app/.server/services/population.ts'

const OPERATOR = { scopePath: null, userId: null, actor: 'cli' }

export const populationCommand: Command = {
  name: 'population',
  summary: 'Set population counts for post-stratified scores',
  usage: `Usage: hailong population set --agency CODE --period PERIOD --count N [--source TEXT] [--as EMAIL]

Sets the number of interactions an agency served in a period (e.g. dossiers
received), used to post-stratify scores. PERIOD is a year, half, the first nine
months, a quarter or a month in any usual spelling (2026, 2026-H1, 2026-9M,
2026-Q3, Q3/2026, "Quý III/2026", 2026-09), stored as its canonical text. N is a whole number, at least the responses the agency
already received in the period and at most 100 times the previous period's count.

  --as EMAIL   enter the count as this user, within their scope: a count whose
               rollups reach beyond it waits for approval on /analytics/population.
               Without it the operator enters it, as an administrator would.`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        agency: { type: 'string' },
        period: { type: 'string' },
        count: { type: 'string' },
        source: { type: 'string' },
        as: { type: 'string' },
      },
      true,
    )
    if (values.help) {
      io.stdout(this.usage)
      return 0
    }
    if (positionals[0] !== 'set' || positionals.length !== 1) throw new UsageError('expected the subcommand "set"')
    // The web page's messages, in English: keys are written "analytics.population.…".
    const fixedT = await i18nServer.getFixedT('en', 'analytics')
    const t = (key: string, options?: Record<string, unknown>) => fixedT(key.replace(/^analytics\./, ''), options)
    const parsed = populationInputSchema.safeParse({
      agencyCode: values.agency ?? '',
      period: values.period ?? '',
      count: values.count ?? '',
      source: values.source,
    })
    if (!parsed.success)
      throw new UsageError(
        parsed.error.issues
          .map((i) => `--${i.path[0] === 'agencyCode' ? 'agency' : String(i.path[0])}: ${t(i.message)}`)
          .join('; '),
      )
    return withDatabase(io, async (db) => {
      const who = values.as === undefined ? OPERATOR : await populationActor(db, values.as)
      if (!who) throw new UsageError(`--as: no active user has the e-mail "${values.as}"`)
      const { agencyCode, period, count } = parsed.data
      const result = await setPopulationCount(db, parsed.data, who)
      if (!result.ok) throw new UsageError(`${agencyCode} ${period}: ${t(result.error, result.values)}`)
      io.stdout(
        result.outcome === 'applied'
          ? `Population of ${agencyCode} for ${period}: ${count}.`
          : `Population of ${agencyCode} for ${period}: ${count}, waiting for approval. ${t('population.pendingSaved')}`,
      )
      return 0
    })
  },
}
