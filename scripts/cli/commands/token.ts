import type { Command } from '../command.ts'
import { UsageError } from '../command.ts'
import { parseCommandArgs } from '../args.ts'
import { withDatabase } from '../database.ts'
import { createApiToken, DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS } from '#app/.server/auth/api-token.ts'
import { findAgencyByCode } from '#app/.server/repos/agencies.ts'

export const tokenCommand: Command = {
  name: 'token',
  summary: 'Create API tokens',
  usage: `Usage: hailong token create --agency CODE [--label TEXT] [--days N]

Creates an API token for an agency (it sees that agency's subtree). The token is
printed once, alone on the last line; only its hash is stored. It stops working
after N days (default ${DEFAULT_TOKEN_DAYS}, at most ${MAX_TOKEN_DAYS}).`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      { agency: { type: 'string' }, label: { type: 'string' }, days: { type: 'string' } },
      true,
    )
    if (values.help) {
      io.stdout(this.usage)
      return 0
    }
    if (positionals[0] !== 'create' || positionals.length !== 1)
      throw new UsageError('expected the subcommand "create"')
    if (!values.agency) throw new UsageError('--agency is required')
    const days = values.days === undefined ? DEFAULT_TOKEN_DAYS : Number(values.days)
    if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS)
      throw new UsageError(`--days must be a whole number from 1 to ${MAX_TOKEN_DAYS}`)
    return withDatabase(io, async (db) => {
      const agency = await findAgencyByCode(db, values.agency!)
      if (!agency) throw new UsageError(`no agency has the code "${values.agency}"`)
      const token = await createApiToken(db, agency.id, values.label ?? 'cli', 'cli', { days })
      io.stderr(
        `API token for ${agency.code} (${agency.nameVi}), valid ${days} days. Store it now: it is not shown again.`,
      )
      io.stdout(token)
      return 0
    })
  },
}
