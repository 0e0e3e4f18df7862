import type { Command } from '../command.ts'
import { parseCommandArgs } from '../args.ts'
import { withDatabase } from '../database.ts'
import { loadConfig } from '#app/.server/env.ts'
import { rootAgencies } from '#app/.server/repos/digest-webhooks.ts'
import { deliverAllDigests } from '#app/.server/services/digest-webhook.ts'
import { feedbackDigest } from '#app/.server/services/feedback-digest.ts'

export const digestCommand: Command = {
  name: 'digest',
  summary: 'Count or send the feedback digest of each province',
  usage: `Usage: hailong digest [--send]

Without options, prints each province's unhandled low ratings and suggestions of the
last 30 days (docs/insight.md, "Closing the loop").
  --send   POST the digest to every enabled webhook an administrator configured
           (Administration → Feedback), signed with its secret. Run it from cron,
           e.g. "0 7 * * * hailong digest --send" (ADR 0052). Each delivery is
           recorded on the webhook and in the audit log; the exit status is 1 if
           any delivery failed.`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { send: { type: 'boolean' } })
    if (values.help) {
      io.stdout(this.usage)
      return 0
    }
    const config = loadConfig(io.env, io.cwd)
    return withDatabase(io, async (db) => {
      if (values.send !== true) {
        for (const root of await rootAgencies(db)) {
          const d = await feedbackDigest(db, { scopePath: root.path }, { status: 'unhandled', limit: 0 })
          io.stdout(
            `${root.code}: ${d.unhandled} unhandled (${d.unhandledLowRatings} low ratings, ${d.unhandledSuggestions} suggestions), ${d.handled} handled`,
          )
        }
        return 0
      }
      const outcomes = await deliverAllDigests(db, { ...config.webhooks, publicUrl: config.publicUrl })
      if (!outcomes.length) io.stdout('No enabled webhook: nothing sent.')
      for (const o of outcomes)
        (o.ok ? io.stdout : io.stderr)(
          `agency ${o.agencyId}: ${o.ok ? 'sent' : 'failed'} (${o.detail}), ${o.items} items`,
        )
      return outcomes.every((o) => o.ok) ? 0 : 1
    })
  },
}
