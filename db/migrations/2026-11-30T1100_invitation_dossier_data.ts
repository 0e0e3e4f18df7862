/**
 * Dossier data with an invitation (issue #18 point 4): the one-stop-shop system sends the dossier's code,
 * its received, due and returned dates, the contacts needed and the agencies involved, so the per-dossier
 * form shows them and computes the objective indicators instead of asking the citizen.
 *
 * - `dossier_code`: shown on the form; cleared when the invitation is used (the keyed hash stays, so a
 *   second rating is still refused), so a stored response is not tied to a readable dossier code.
 * - `dossier_json`: the dates, contacts and agencies as JSON text written by the app, null when not sent.
 *
 * Plain nullable columns: the same words on SQLite and PostgreSQL, and existing invitations keep null.
 */
import type { Kysely } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its own time, not today's types
type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('invitation').addColumn('dossier_code', 'text').execute()
  await db.schema.alterTable('invitation').addColumn('dossier_json', 'text').execute()
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('invitation').dropColumn('dossier_json').execute()
  await db.schema.alterTable('invitation').dropColumn('dossier_code').execute()
}
