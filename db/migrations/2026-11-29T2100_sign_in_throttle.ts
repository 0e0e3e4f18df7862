/**
 * What signing in, sessions, set-up links and API tokens must keep in the database rather than in one
 * server's memory (see the decision record "sign-in is slowed, never locked" in docs/decisions):
 *
 * - `sign_in_throttle`: failed sign-ins per subject (an account, a client network, a known device), with
 *   the time before which the next attempt is refused. Several servers behind one balancer share it.
 * - `api_token.expires_at`: tokens now expire. Existing ones get a year from their creation, the default
 *   for new tokens.
 * - `session_expires_at`: expired sessions are purged by expiry, which wants an index.
 * - At most one set-up link is open (unused) at a time, enforced by a partial unique index. Links left
 *   open by earlier starts are closed first, all but the newest.
 *
 * Kysely runs SQLite migrations outside a transaction; this one opens its own there.
 */
import { type Kysely, PostgresAdapter, sql } from 'kysely'

type AnyDb = Kysely<any>

const isPostgres = (db: AnyDb) => db.getExecutor().adapter instanceof PostgresAdapter

const TOKEN_DAYS = 365

export async function up(db: AnyDb): Promise<void> {
  if (isPostgres(db)) await migrate(db)
  else await db.transaction().execute((trx) => migrate(trx))
}

async function migrate(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('sign_in_throttle')
    .addColumn('subject', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failure_at', 'text', (c) => c.notNull())
    .addColumn('blocked_until', 'text', (c) => c.notNull())
    .addColumn('refused', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()

  await db.schema.alterTable('api_token').addColumn('expires_at', 'text').execute()
  const tokens = await db.selectFrom('api_token').select(['id', 'created_at']).execute()
  for (const { id, created_at } of tokens) {
    const expiresAt = new Date(Date.parse(created_at) + TOKEN_DAYS * 86_400_000).toISOString()
    await db.updateTable('api_token').set({ expires_at: expiresAt }).where('id', '=', id).execute()
  }

  await db.schema.createIndex('session_expires_at').on('session').column('expires_at').execute()

  const newest = await db
    .selectFrom('setup_token')
    .select('token_hash')
    .where('used_at', 'is', null)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (newest) {
    await db
      .updateTable('setup_token')
      .set({ used_at: new Date().toISOString() })
      .where('used_at', 'is', null)
      .where('token_hash', '!=', newest.token_hash)
      .execute()
  }
  // Every open link has the same indexed value, so a second open one breaks the unique index.
  await sql`create unique index setup_token_one_open on setup_token ((used_at is null)) where used_at is null`.execute(
    db,
  )
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reverted: restore a backup instead.')
}
