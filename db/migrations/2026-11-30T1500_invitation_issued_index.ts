/**
 * An index for the "invitations issued" count of the response rate (issue #17, docs/dossiers.md): every
 * score table counts, per agency, the invitations of one questionnaire created in the period's months
 * (app/.server/repos/dossier-counts.ts `invitationsIssued`). Without an index that is a scan of every
 * invitation ever issued, on each score page, and the table grows by one row per dossier.
 *
 * Equality column first, then the range, then the grouped column: the planner finds the period's rows by
 * (questionnaire_id, created_at) and reads agency_id from the index itself (a covering index on SQLite, an
 * index-only or bitmap scan on PostgreSQL), never the rows. The same words on SQLite and PostgreSQL.
 */
import type { Kysely } from 'kysely'

type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex('invitation_issued_idx')
    .on('invitation')
    .columns(['questionnaire_id', 'created_at', 'agency_id'])
    .execute()
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('invitation_issued_idx').execute()
}
