/**
 * Closing the loop (issue #19, point 5; ADR 0052). `feedback_handling` holds the current mark of a digest
 * item — one row per response, handled or reopened, with the note and who wrote it; the audit log keeps
 * every change. No foreign key to `response`: responses are partition-ready (ADR 0031), where a key on the
 * id alone is not unique. `digest_webhook` is the province's webhook: one row per root agency, its URL, the
 * secret that signs each delivery (never shown back) and how the last delivery went.
 */
import { type Kysely, sql } from 'kysely'

type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('feedback_handling')
    .addColumn('response_id', 'integer', (c) => c.primaryKey())
    .addColumn('agency_id', 'integer', (c) => c.notNull().references('agency.id'))
    .addColumn('handled', 'integer', (c) => c.notNull().check(sql`handled in (0, 1)`))
    .addColumn('note', 'text', (c) => c.check(sql`length(note) <= 2000`))
    .addColumn('updated_by_user_id', 'integer', (c) => c.references('user.id'))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('digest_webhook')
    .addColumn('agency_id', 'integer', (c) => c.primaryKey().references('agency.id'))
    .addColumn('url', 'text', (c) => c.notNull().check(sql`length(url) <= 2000`))
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().check(sql`enabled in (0, 1)`))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('last_attempt_at', 'text')
    .addColumn('last_success_at', 'text')
    // 'ok' or 'failed'; null before the first delivery.
    .addColumn('last_status', 'text', (c) => c.check(sql`last_status in ('ok', 'failed')`))
    // The receiver's HTTP status or the network error's code ("ECONNREFUSED", "timeout"), never its body.
    .addColumn('last_detail', 'text', (c) => c.check(sql`length(last_detail) <= 200`))
    .execute()
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('digest_webhook').execute()
  await db.schema.dropTable('feedback_handling').execute()
}
