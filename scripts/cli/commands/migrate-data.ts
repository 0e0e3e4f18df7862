import fs from 'node:fs'
import type { CliIO, Command } from '../command.ts'
import { UsageError } from '../command.ts'
import { parseCommandArgs } from '../args.ts'
import { createDb } from '#db/client.ts'
import { databaseConfig } from '#db/config.ts'
import { migrateData, type MigrateDataReport, type TableProgress } from '#app/.server/services/migrate-data.ts'

/** The migrations, then the copy: one transaction on one connection. */
const TARGET_POOL_SIZE = 1
/** A table of millions of rows reports at most this often, so the log stays readable. */
const PROGRESS_INTERVAL_MS = 2000

export const migrateDataCommand: Command = {
  name: 'migrate-data',
  summary: 'Copy a SQLite database into PostgreSQL and check the copy',
  usage: `Usage: hailong migrate-data --from sqlite:FILE --to postgres://USER@HOST:PORT/DB [--json]

Copies a province's SQLite database into an empty PostgreSQL database, keeping
every id, then checks that each table has as many rows on both sides and that
the scores (every questionnaire, every year with responses, whole province)
are the same. It all happens in one PostgreSQL transaction: if anything fails
or differs, the target is left as it was. Stop the server first: responses
submitted during the copy would not be in it.
  --from sqlite:FILE   the SQLite database to copy (also a plain path or a file: URL);
                       opened read-only
  --to postgres://…    the PostgreSQL database to fill: it is migrated first and
                       must hold no data (exit status 1 otherwise)
  --json               print the summary as JSON
Progress (table and rows copied) goes to standard error.`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      from: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean' },
    })
    if (values.help) {
      io.stdout(this.usage)
      return 0
    }
    const sourceFile = sqliteSourceFile(values.from, io)
    const targetUrl = postgresTargetUrl(values.to, io)
    const source = createDb({ dialect: 'sqlite', file: sourceFile }, { readonly: true })
    const target = createDb({ dialect: 'postgres', url: targetUrl, poolSize: TARGET_POOL_SIZE })
    try {
      const started = Date.now()
      const report = await migrateData(source, target, { onProgress: progressPrinter(io) })
      const seconds = Number(((Date.now() - started) / 1000).toFixed(1))
      const summary = { from: sourceFile, to: withoutPassword(targetUrl), seconds, ...report }
      if (values.json) io.stdout(JSON.stringify(summary, null, 2))
      else printSummary(io, summary)
      return 0
    } finally {
      await source.destroy()
      await target.destroy()
    }
  },
}

/** Both options take what DATABASE_URL takes, read the same way. */
function readAsDatabaseUrl(text: string, io: CliIO) {
  return databaseConfig({ ...io.env, DATABASE_URL: text }, io.cwd)
}

function sqliteSourceFile(from: string | undefined, io: CliIO): string {
  if (!from) throw new UsageError('--from is required: the SQLite database to copy (sqlite:FILE)')
  const config = readAsDatabaseUrl(from, io)
  if (config.dialect !== 'sqlite' || config.file === ':memory:')
    throw new UsageError(`--from must name a SQLite file (sqlite:FILE), got "${from}"`)
  if (!fs.statSync(config.file, { throwIfNoEntry: false })?.isFile())
    throw new UsageError(`--from: no SQLite file at ${config.file}`)
  return config.file
}

function postgresTargetUrl(to: string | undefined, io: CliIO): string {
  if (!to) throw new UsageError('--to is required: the PostgreSQL database to fill (postgres://…)')
  const config = readAsDatabaseUrl(to, io)
  if (config.dialect !== 'postgres') throw new UsageError(`--to must be a postgres:// URL, got "${to}"`)
  return config.url
}

/** The URL as it may be printed: without its password. */
function withoutPassword(url: string): string {
  const parsed = new URL(url)
  parsed.password = ''
  return parsed.toString()
}

/** Each table's progress on standard error: its end always, its batches every few seconds. */
function progressPrinter(io: CliIO): (progress: TableProgress) => void {
  let lastPrinted = 0
  return ({ table, copied, total }) => {
    const now = Date.now()
    if (copied < total && now - lastPrinted < PROGRESS_INTERVAL_MS) return
    lastPrinted = now
    io.stderr(`  ${table}: ${copied}/${total} rows`)
  }
}

function printSummary(io: CliIO, summary: MigrateDataReport & { from: string; to: string; seconds: number }): void {
  const width = Math.max(...summary.tables.map((t) => t.table.length))
  io.stdout(`Copied ${summary.from} into ${summary.to} in ${summary.seconds} s.`)
  io.stdout(`${'table'.padEnd(width)}  ${'sqlite'.padStart(10)}  ${'postgres'.padStart(10)}`)
  for (const t of summary.tables)
    io.stdout(`${t.table.padEnd(width)}  ${String(t.source).padStart(10)}  ${String(t.target).padStart(10)}`)
  const { questionnaires, years, boundaries, compared } = summary.scores
  io.stdout(
    `Row counts equal; scores equal in ${compared} score tables (${questionnaires.join(', ') || 'no questionnaire'}; years ${years.join(', ') || 'none'}; ${boundaries.join(' and ')} boundaries).`,
  )
}
