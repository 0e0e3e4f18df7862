/**
 * What the production and the development server do before they serve, and how they stop: read the
 * configuration, open the database once, migrate and seed it, print the first-administrator link, and on
 * SIGTERM/SIGINT finish in-flight requests before closing the database. Sharing it is what makes
 * `npm run dev` behave like `npm start`.
 */
import type http from 'node:http'
import { type AppConfig, loadConfig } from '#app/.server/env.ts'
import { UPLOAD_DEADLINE_MS } from '#app/.server/http/body-budget.ts'
import { pruneAntiRiggingState } from '#app/.server/services/anti-rigging-housekeeping.ts'
import { issueSetupToken } from '#app/.server/services/first-admin.ts'
import { rebuildAggregatesIfMissing } from '#app/.server/services/rebuild-aggregates.ts'
import { seedAll } from '#app/.server/services/seed.ts'
import { setupUrl } from '#app/.server/urls.ts'
import { sql } from 'kysely'
import { createDb, type DB } from '#db/client.ts'
import { migrateToLatest } from '#db/migrate.ts'
import { createLog, type Log } from './log.ts'

export interface PreparedServer {
  config: AppConfig
  db: DB
  /**
   * Where analytics read (docs/decisions/0056-analytics-read-from-a-replica.md): the streaming replica
   * DATABASE_READ_URL names, else a read-only pool (PostgreSQL) or connection (SQLite) on the primary; the
   * primary itself for an in-memory database, which no second connection can see.
   */
  readDb: DB
  log: Log
}

/** A start that cannot reach or prepare its database says so in one line and exits, instead of a stack trace. */
async function orExit<T>(what: string, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    console.error(`Hài Lòng cannot start: ${what}: ${error instanceof Error ? error.message : String(error)}`)
    process.exit(1)
  }
}

export async function prepareServer(): Promise<PreparedServer> {
  const { log, flush: flushLog } = createLog()
  process.on('exit', flushLog)
  const config = await orExit('configuration', () => loadConfig())
  const db = await orExit('opening the database (check DATABASE_URL)', () => createDb(config.database))
  const applied = await orExit('migrating the database (check DATABASE_URL)', () => migrateToLatest(db))
  if (applied.length) log('migrated', { applied })
  // A migration that re-keys the aggregates leaves them empty (docs/decisions/0042-channel-in-aggregate-keys.md).
  const rebuilt = await orExit('rebuilding the aggregates', () => rebuildAggregatesIfMissing(db))
  if (rebuilt) log('aggregates rebuilt', { ...rebuilt })
  const seeding = Date.now()
  const seeded = await orExit('seeding the database', () => seedAll(db, { demoResponses: config.demoResponses }))
  if (seeded.templates.length || seeded.demoProvince) log('seeded', { ...seeded, ms: Date.now() - seeding })
  const setupToken = await issueSetupToken(db)
  if (setupToken) {
    // Printed once, to the operator's console: the only way to create the first administrator.
    console.log(
      `\n  No administrator yet. Create one within 24 hours at:\n  ${setupUrl(config.publicUrl, setupToken)}\n`,
    )
  }
  const readDb = await orExit('opening the analytics connection (check DATABASE_READ_URL)', () =>
    openReadDb(config, db, log),
  )
  keepAntiRiggingTablesSmall(db, config, log)
  return { config, db, readDb, log }
}

/**
 * The analytics' database handle. Read-only in every case, so an analytics path that tried to write
 * would fail in tests on the primary as it would on a standby. A replica is asked once whether it answers
 * (a wrong DATABASE_READ_URL stops the start, not the first score page) and whether it is a standby.
 */
async function openReadDb(config: AppConfig, db: DB, log: Log): Promise<DB> {
  const database = config.database
  if (database.dialect === 'sqlite' && database.file === ':memory:') return db
  if (database.dialect === 'sqlite' || !database.readUrl) return createDb(database, { readonly: true })
  const replica = createDb({ ...database, url: database.readUrl }, { readonly: true })
  try {
    const { rows } = await sql<{ standby: boolean }>`select pg_is_in_recovery() as standby`.execute(replica)
    log('analytics read from a replica', { standby: rows[0]?.standby ?? false })
  } catch (error) {
    await replica.destroy()
    throw error
  }
  return replica
}

/** Hourly (and once at start), spent form tokens and finished counter windows are deleted; a failure is logged. */
function keepAntiRiggingTablesSmall(db: DB, config: AppConfig, log: Log) {
  const prune = () =>
    pruneAntiRiggingState(db, { tokenTtlSeconds: config.antiRigging.tokenTtlSeconds }).then(
      (pruned) => {
        if (pruned.counters || pruned.nonces) log('anti-rigging pruned', { ...pruned })
      },
      (error) => log('anti-rigging prune failed', { error: error instanceof Error ? error.message : String(error) }),
    )
  void prune()
  setInterval(prune, 60 * 60 * 1000).unref()
}

/**
 * Listens on the configured port and stops on SIGTERM/SIGINT: stop accepting, let in-flight requests
 * finish, then close the database so the SQLite WAL is checkpointed. `onStop` runs as soon as the stop
 * begins: the development server closes Vite there, whose HMR sockets would otherwise keep the server open.
 */
export function serve(server: http.Server, prepared: PreparedServer, onStop?: () => Promise<void>) {
  const { config, db, readDb, log } = prepared
  limitSlowClients(server)
  server.listen(config.port, config.host, () => log('listening', { url: config.publicUrl, port: config.port }))
  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    log('stopping', { signal })
    setTimeout(() => process.exit(1), 10_000).unref()
    const closed = new Promise((resolve) => server.close(resolve))
    server.closeIdleConnections?.()
    await Promise.all([closed, onStop?.()])
    if (readDb !== db) await readDb.destroy()
    await db.destroy()
    log('stopped')
    process.exit(0)
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}

/** Headers must arrive within this time (Node's default, a minute, let slow clients hold sockets). */
export const HEADERS_TIMEOUT_MS = 15_000

/**
 * Node's own limits on slow clients, beside the request gate's body deadlines (scripts/server/request-gate.ts):
 * the whole request must arrive within the largest body's deadline plus the headers' time, and Node
 * checks these every 5 s (its default, 30 s, let a slow request outlive its timeout by that much).
 */
export function limitSlowClients(server: http.Server) {
  server.headersTimeout = HEADERS_TIMEOUT_MS
  server.requestTimeout = UPLOAD_DEADLINE_MS + HEADERS_TIMEOUT_MS
  ;(server as http.Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = 5_000
}
