import type { Command } from '../command.ts'
import { UsageError } from '../command.ts'
import { parseCommandArgs } from '../args.ts'
import { withDatabase } from '../database.ts'
import { createUser, newUserSchema } from '#app/.server/services/users.ts'

const MESSAGES: Record<string, string> = {
  'errors.email': 'the e-mail address is not valid',
  'errors.role': 'the role must be admin, manager or analyst',
  'errors.agencyRequired': 'managers and analysts need --agency CODE (the root of the subtree they may see)',
  'errors.passwordTooShort': 'the password (read from standard input) must have at least 10 characters',
  'errors.passwordTooLong': 'the password is too long',
  'errors.passwordCommon': 'the password is one people often choose (easy to guess): choose another',
  'errors.passwordContainsEmail': 'the password must not contain the e-mail address or its name part',
  'errors.emailTaken': 'a user with this e-mail address exists already',
  'errors.unknownAgency': 'no agency has this code',
}

export const userCommand: Command = {
  name: 'user',
  summary: 'Manage user accounts',
  usage: `Usage: hailong user create --email E --role admin|manager|analyst [--agency CODE]

Creates an account. The password is read from standard input (one line), so it
never appears in the shell history or the process list:
  printf '%s\\n' "$PASSWORD" | hailong user create --email a@example.org --role admin`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      { email: { type: 'string' }, role: { type: 'string' }, agency: { type: 'string' } },
      true,
    )
    if (values.help) {
      io.stdout(this.usage)
      return 0
    }
    if (positionals[0] !== 'create' || positionals.length !== 1)
      throw new UsageError('expected the subcommand "create"')
    if (!values.email) throw new UsageError('--email is required')
    if (!values.role) throw new UsageError('--role is required')
    const password = (await io.readStdin()).replace(/\r?\n$/, '')
    const parsed = newUserSchema.safeParse({
      email: values.email,
      role: values.role,
      agencyCode: values.agency ?? null,
      password,
    })
    if (!parsed.success)
      throw new UsageError(parsed.error.issues.map((i) => MESSAGES[i.message] ?? i.message).join('; '))
    return withDatabase(io, async (db) => {
      const result = await createUser(db, parsed.data, 'cli')
      if (!result.ok) throw new UsageError(MESSAGES[result.error])
      io.stdout(`Created ${parsed.data.role} ${parsed.data.email} (id ${result.userId}).`)
      return 0
    })
  },
}
