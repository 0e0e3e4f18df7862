import type { Command } from '../command.ts'
import { parseCommandArgs, positiveInteger } from '../args.ts'
import { withDatabase } from '../database.ts'
import { seedAll, seedDemoResponses } from '#app/.server/services/seed.ts'

export const seedCommand: Command = {
  name: 'seed',
  summary: 'Seed templates and the demo province',
  usage: `Usage: hailong seed [--demo-responses N] [--seed S]

Seeds what is missing: the built-in questionnaire templates (SIPAS 2017, the
per-dossier rating) and, when the database has no agency, the demo province.
  --demo-responses N   also add N synthetic SIPAS responses over the last 12 months
  --seed S             seed of the random generator (default: fixed, so runs repeat)`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { 'demo-responses': { type: 'string' }, seed: { type: 'string' } })
    if (values.help) {
      io.stdout(this.usage)
      return 0
    }
    const responses = positiveInteger('demo-responses', values['demo-responses'])
    const seed = positiveInteger('seed', values.seed)
    return withDatabase(io, async (db) => {
      const report = await seedAll(db)
      io.stdout(
        report.templates.length ? `Templates seeded: ${report.templates.join(', ')}` : 'Templates already present.',
      )
      io.stdout(report.demoProvince ? 'Demo province seeded.' : 'Agencies already present: demo province not seeded.')
      if (responses) {
        const started = Date.now()
        let done = 0
        const step = Math.max(1, Math.ceil(responses / 10))
        while (done < responses) {
          const batch = Math.min(step, responses - done)
          await seedDemoResponses(db, batch, { seed: (seed ?? 20261128) + done })
          done += batch
          if (responses >= 1000) io.stderr(`  ${done}/${responses} responses…`)
        }
        io.stdout(`Added ${responses} synthetic responses in ${((Date.now() - started) / 1000).toFixed(1)} s.`)
      }
      return 0
    })
  },
}
