/**
 * A version stamp of the additive aggregates, per agency and month (docs/decisions/0057-scores-memo-by-
 * aggregate-stamp.md): every write to `item_aggregate` or `composite_aggregate` adds 1 to the stamps of the
 * agency-months it touches, in the same transaction; a rebuild adds 1 to all of them. The stamps are never
 * lowered or deleted, so their sum (with their count) changes whenever any aggregate does: the scores read
 * path keys its memo on it and never writes anything (it runs on the read-only replica handle, ADR 0056).
 *
 * One row per agency-month, not one row for the database: on PostgreSQL a single counter row would make
 * every submission wait for the one before it to commit; two submissions to the same agency and month
 * already wait on the same aggregate rows, so the stamp adds no waiting that was not there.
 *
 * No rows are written here: a stamp sum of 0 is as good a starting version as any, since the memo lives in
 * the server's memory and starts empty. No foreign key: a rebuild stamps the pseudo-agency 0.
 */
import type { Kysely } from 'kysely'

type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('aggregate_stamp')
    .addColumn('agency_id', 'integer', (c) => c.notNull())
    .addColumn('period_month', 'text', (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('aggregate_stamp_pk', ['agency_id', 'period_month'])
    .execute()
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('aggregate_stamp').execute()
}
