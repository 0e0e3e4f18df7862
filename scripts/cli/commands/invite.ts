import type { Command } from '../command.ts'
import { UsageError } from '../command.ts'
import { parseCommandArgs } from '../args.ts'
import { withDatabase } from '../database.ts'
import { loadConfig } from '#app/.server/env.ts'
import { createInvitation, invitationRequestSchema } from '#app/.server/services/invitations.ts'

export const inviteCommand: Command = {
  name: 'invite',
  summary: 'Create a survey invitation',
  usage: `Usage: hailong invite --agency CODE [--procedure CODE] [--dossier CODE] [--questionnaire CODE] [--days N] --json

Creates a single-use survey invitation for one service interaction. The same
dossier code at the same agency returns the same invitation.
  --json   print { "code", "url" }`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      agency: { type: 'string' },
      procedure: { type: 'string' },
      dossier: { type: 'string' },
      questionnaire: { type: 'string' },
      days: { type: 'string' },
      json: { type: 'boolean' },
    })
    if (values.help) {
      io.stdout(this.usage)
      return 0
    }
    if (!values.agency) throw new UsageError('--agency is required')
    const parsed = invitationRequestSchema.safeParse({
      agencyCode: values.agency,
      procedureCode: values.procedure,
      dossierCode: values.dossier,
      questionnaireCode: values.questionnaire,
      expiresInDays: values.days === undefined ? undefined : Number(values.days),
    })
    if (!parsed.success)
      throw new UsageError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '))
    const config = loadConfig(io.env, io.cwd)
    return withDatabase(io, async (db) => {
      const result = await createInvitation(db, config, parsed.data, { scopePath: null, actor: 'cli' })
      if (!result.ok) throw new UsageError(`${result.error}: check the agency, procedure and questionnaire codes`)
      if (values.json) io.stdout(JSON.stringify({ code: result.invitation.code, url: result.invitation.url }))
      else io.stdout(`${result.invitation.url}  (expires ${result.invitation.expiresAt})`)
      return 0
    })
  },
}
