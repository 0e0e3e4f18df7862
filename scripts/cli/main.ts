/** `hailong` — the command line of Hài Lòng. Dispatches to one module per command. */
import type { CliIO, Command } from './command.ts'
import { UsageError } from './command.ts'

// Loaded lazily so `hailong --help` and each command start fast and one broken command cannot break the others.
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  migrate: {
    summary: 'Apply pending database migrations',
    load: async () => (await import('./commands/migrate.ts')).migrateCommand,
  },
  seed: {
    summary: 'Seed templates and the demo province; --demo-responses N adds synthetic responses',
    load: async () => (await import('./commands/seed.ts')).seedCommand,
  },
  user: {
    summary: 'Manage user accounts (user create …)',
    load: async () => (await import('./commands/user.ts')).userCommand,
  },
  links: {
    summary: 'List every survey link with its absolute URL',
    load: async () => (await import('./commands/links.ts')).linksCommand,
  },
  analyze: {
    summary: 'Estimate a weighted mean or proportion from a CSV of microdata',
    load: async () => (await import('./commands/analyze.ts')).analyzeCommand,
  },
  token: {
    summary: 'Create API tokens (token create --agency CODE)',
    load: async () => (await import('./commands/token.ts')).tokenCommand,
  },
  invite: {
    summary: 'Create a single-use survey invitation for one dossier',
    load: async () => (await import('./commands/invite.ts')).inviteCommand,
  },
  population: {
    summary: 'Set population counts per agency and period (population set …)',
    load: async () => (await import('./commands/population.ts')).populationCommand,
  },
  backup: {
    summary: 'Online backup of the SQLite database to a file',
    load: async () => (await import('./commands/backup.ts')).backupCommand,
  },
  restore: {
    summary: 'Check a backup and put it in place of the database',
    load: async () => (await import('./commands/restore.ts')).restoreCommand,
  },
  aggregates: {
    summary: 'Rebuild the score aggregates from raw responses (aggregates rebuild)',
    load: async () => (await import('./commands/aggregates.ts')).aggregatesCommand,
  },
  purge: {
    summary: 'Delete free text and profile answers older than RETENTION_MONTHS (purge [--dry-run])',
    load: async () => (await import('./commands/purge.ts')).purgeCommand,
  },
  digest: {
    summary: 'Count the feedback digest, or send it to the webhooks (digest [--send]; cron)',
    load: async () => (await import('./commands/digest.ts')).digestCommand,
  },
  release: {
    summary: 'Prepare, approve and publish official releases (release create …)',
    load: async () => (await import('./commands/release.ts')).releaseCommand,
  },
  'migrate-data': {
    summary: 'Copy a SQLite database into an empty PostgreSQL database and check the copy',
    load: async () => (await import('./commands/migrate-data.ts')).migrateDataCommand,
  },
}

// Two spaces at least between the longest name and its summary.
const NAME_WIDTH = Math.max(...Object.keys(COMMANDS).map((name) => name.length)) + 2

export const USAGE = `Usage: hailong <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(NAME_WIDTH)}${c.summary}`)
  .join('\n')}

Run "hailong <command> --help" for the options of a command.`

export function processIO(): CliIO {
  return {
    stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    readStdin: async () => {
      if (process.stdin.isTTY) return ''
      const chunks: Buffer[] = []
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
      return Buffer.concat(chunks).toString('utf8')
    },
    env: process.env,
    cwd: process.cwd(),
  }
}

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(USAGE)
    return name ? 0 : 2
  }
  const entry = COMMANDS[name]
  if (!entry) {
    io.stderr(`hailong: unknown command "${name}".\n\n${USAGE}`)
    return 2
  }
  try {
    const command = await entry.load()
    return await command.run(rest, io)
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`hailong ${name}: ${error.message}\nRun "hailong ${name} --help" for usage.`)
      return 2
    }
    io.stderr(`hailong ${name}: ${error instanceof Error ? error.message : String(error)}`)
    return 1
  }
}
