/**
 * The production server: migrates and seeds, then serves the Remix build with express. The database
 * and configuration are created here once and handed to every loader and action as load context.
 */
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { ServerBuild } from '@remix-run/node'
import { createApp } from './server/app.ts'
import { createLog } from './server/log.ts'
import { loadConfig } from '#app/.server/env.ts'
import { seedAll } from '#app/.server/services/seed.ts'
import { issueSetupToken } from '#app/.server/services/first-admin.ts'
import { setupUrl } from '#app/.server/urls.ts'
import { createDb } from '#db/client.ts'
import { migrateToLatest } from '#db/migrate.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const { log, flush: flushLog } = createLog()
process.on('exit', flushLog)

/** A start that cannot reach or prepare its database says so in one line and exits, instead of a stack trace. */
async function orExit<T>(what: string, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    console.error(`Hài Lòng cannot start: ${what}: ${error instanceof Error ? error.message : String(error)}`)
    process.exit(1)
  }
}

const config = await orExit('configuration', () => loadConfig())
const db = await orExit('opening the database (check DATABASE_URL)', () => createDb(config.database))
const applied = await orExit('migrating the database (check DATABASE_URL)', () => migrateToLatest(db))
if (applied.length) log('migrated', { applied })
const seeded = await orExit('seeding the database', () => seedAll(db))
if (seeded.templates.length || seeded.demoProvince) log('seeded', { ...seeded })
const setupToken = await issueSetupToken(db)
if (setupToken) {
  // Printed once, to the operator's console: the only way to create the first administrator.
  console.log(`\n  No administrator yet. Create one within 24 hours at:\n  ${setupUrl(config.publicUrl, setupToken)}\n`)
}

// Long reads (exports) get their own read-only connection (SQLite) or pool (PostgreSQL, where it may
// point at the same server: the separate pool keeps exports from taking every connection).
const inMemory = config.database.dialect === 'sqlite' && config.database.file === ':memory:'
const readDb = inMemory ? undefined : createDb(config.database, { readonly: true })
const build = (await import(pathToFileURL(path.join(root, 'build/server/index.js')).href)) as ServerBuild
const app = createApp({ build, db, readDb, config, clientDir: path.join(root, 'build/client'), log })
const server = app.listen(config.port, config.host, () =>
  log('listening', { url: config.publicUrl, port: config.port }),
)

let stopping = false
function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  log('stopping', { signal })
  // Stop accepting, let in-flight requests finish, then close the database so the WAL is checkpointed.
  server.close(async () => {
    await readDb?.destroy()
    await db.destroy()
    log('stopped')
    process.exit(0)
  })
  server.closeIdleConnections?.()
  setTimeout(() => process.exit(1), 10_000).unref()
}
process.on('SIGTERM', () => shutdown('SIGTERM'))
process.on('SIGINT', () => shutdown('SIGINT'))
