/**
 * A score no one can rig (docs/decisions, "quarantine, never lockout"; docs/anti-rigging.md):
 *
 * - `response.quarantine_reason`: null means counted; any other value ("missing token", "network cap", …)
 *   keeps the stored response out of every aggregate, count and export total until an administrator
 *   releases it.
 * - `response.entry_channel`: how the response reached us (invitation, open link, kiosk, import), so
 *   figures can be split by it and invitation responses published alone. Existing rows are classified
 *   from what they already say (an invitation id, an import source, a kiosk link).
 * - `response.network_hash`: a keyed hash of the client network (IPv4 /32, IPv6 /64), never the address.
 * - `network_counter`: tokens issued and responses counted per (link, network, kind, window), in the
 *   database so several app servers share one cap.
 * - `form_token_use`: the nonce of every form token spent; its primary key makes a token single-use.
 * - `kiosk_device`: tablets enrolled for a kiosk link (only the hash of their device token is kept).
 */
import { type Kysely, PostgresAdapter, sql } from 'kysely'

type AnyDb = Kysely<any>

const isPostgres = (db: AnyDb) => db.getExecutor().adapter instanceof PostgresAdapter

export async function up(db: AnyDb): Promise<void> {
  if (isPostgres(db)) await migrate(db, true)
  else await db.transaction().execute((trx) => migrate(trx, false))
}

async function migrate(db: AnyDb, postgres: boolean): Promise<void> {
  await db.schema.alterTable('response').addColumn('quarantine_reason', 'text').execute()
  await db.schema.alterTable('response').addColumn('network_hash', 'text').execute()
  await db.schema
    .alterTable('response')
    .addColumn('entry_channel', 'text', (c) => c.notNull().defaultTo('open_link'))
    .execute()
  await sql`update response set entry_channel = 'invitation' where invitation_id is not null`.execute(db)
  await sql`update response set entry_channel = 'import' where source = 'import'`.execute(db)
  await sql`update response set entry_channel = 'kiosk'
    where link_id in (select id from survey_link where kind = 'kiosk') and invitation_id is null and source <> 'import'`.execute(
    db,
  )
  // Quarantined responses are few and read by link and time: a partial index keeps counted writes cheap.
  await sql`create index response_quarantined on response (link_id, submitted_at) where quarantine_reason is not null`.execute(
    db,
  )

  await db.schema
    .createTable('network_counter')
    .addColumn('link_id', 'integer', (c) => c.notNull())
    .addColumn('network_hash', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('window_start', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('network_counter_pk', ['link_id', 'network_hash', 'kind', 'window_start'])
    .execute()

  await db.schema
    .createTable('form_token_use')
    .addColumn('nonce', 'text', (c) => c.primaryKey())
    .addColumn('used_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('kiosk_device')
    .addColumn('id', postgres ? 'serial' : 'integer', (c) =>
      postgres ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('link_id', 'integer', (c) => c.notNull().references('survey_link.id'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('enrolled_at', 'text', (c) => c.notNull())
    .addColumn('enrolled_by', 'integer')
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by', 'integer')
    .execute()
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('kiosk_device').execute()
  await db.schema.dropTable('form_token_use').execute()
  await db.schema.dropTable('network_counter').execute()
  await sql`drop index response_quarantined`.execute(db)
  await db.schema.alterTable('response').dropColumn('entry_channel').execute()
  await db.schema.alterTable('response').dropColumn('network_hash').execute()
  await db.schema.alterTable('response').dropColumn('quarantine_reason').execute()
}
