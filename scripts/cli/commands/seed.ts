import type { Command } from '../command.ts'
import { parseCommandArgs, positiveInteger } from '../args.ts'
import { withDatabase } from '../database.ts'
import { ConfigError, demoResponsesSetting } from '#app/.server/env.ts'
import { seedAll, seedDemoResponses } from '#app/.server/services/seed.ts'

export const seedCommand: Command = {
  name: 'seed',
  summary: 'Seed templates and the demo province',
  usage: `Usage: hailong seed [--demo-responses N] [--seed S]

Seeds what is missing: the built-in questionnaire templates (SIPAS 2017, the
per-dossier rating) and, when the database has no agency, the demo province with
HAILONG_DEMO_RESPONSES synthetic responses since January 2024 (default 15000;
0 for none), as the server does on its first start.
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
    let demoResponses: number
    try {
      demoResponses = demoResponsesSetting(io.env)
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error
      io.stderr(error.message)
      return 2
    }
    return withDatabase(io, async (db) => {
      const seeding = Date.now()
      const report = await seedAll(db, { demoResponses })
      io.stdout(
        report.templates.length ? `Templates seeded: ${report.templates.join(', ')}` : 'Templates already present.',
      )
      io.stdout(
        !report.demoProvince
          ? 'Agencies already present: demo province not seeded.'
          : report.demoResponses
            ? `Demo province seeded with ${report.demoResponses} synthetic responses since January 2024 in ${((Date.now() - seeding) / 1000).toFixed(1)} s.`
            : 'Demo province seeded.',
      )
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
