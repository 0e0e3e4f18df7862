/**
 * Raw microdata (one row per response, with suggestions and profiles) is downloaded only by those given it:
 * administrators always, other users when an administrator sets `user.can_export_microdata`. Scores stay
 * open to every analyst of the agency. Existing users start without it (Decree 13/2023: least access).
 */
import type { Kysely } from 'kysely'

type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('user')
    .addColumn('can_export_microdata', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('user').dropColumn('can_export_microdata').execute()
}
