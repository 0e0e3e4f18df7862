/**
 * Questionnaire versions rolled out to chosen agencies from a date (issue #18, docs/questionnaires.md).
 *
 * - `version_rollout`: one row per agency (or agency subtree, `include_subtree = 1`) a published version
 *   applies to, from `effective_at` (the start of the chosen day in Vietnam, as an ISO instant, so it
 *   compares with `published_at` and `assigned_at`). The version in force for an agency is decided in
 *   app/domain/questionnaire/rollout.ts; a version published without rollout rows applies everywhere
 *   from its publication, as before this migration.
 * - `questionnaire_item.same_meaning`: the administrator's recorded answer that an item reworded under its
 *   old code still asks the same question (1), so its answers stay comparable across versions.
 *
 * Kysely runs SQLite migrations outside a transaction; this one opens its own there.
 */
import { type Kysely, PostgresAdapter } from 'kysely'

type AnyDb = Kysely<any>

const isPostgres = (db: AnyDb) => db.getExecutor().adapter instanceof PostgresAdapter

export async function up(db: AnyDb): Promise<void> {
  if (isPostgres(db)) await migrate(db, true)
  else await db.transaction().execute((trx) => migrate(trx, false))
}

async function migrate(db: AnyDb, postgres: boolean): Promise<void> {
  await db.schema
    .createTable('version_rollout')
    .addColumn('id', postgres ? 'serial' : 'integer', (c) =>
      postgres ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('version_id', 'integer', (c) => c.notNull().references('questionnaire_version.id'))
    .addColumn('agency_id', 'integer', (c) => c.notNull().references('agency.id'))
    .addColumn('include_subtree', 'integer', (c) => c.notNull().defaultTo(0))
    // The day as the administrator chose it (yyyy-MM-dd, Vietnam), and the instant it starts.
    .addColumn('effective_date', 'text', (c) => c.notNull())
    .addColumn('effective_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('user.id'))
    .execute()
  // The survey asks "which rollouts of this questionnaire reach this agency?": by version, then agency.
  await db.schema.createIndex('version_rollout_version_idx').on('version_rollout').column('version_id').execute()
  await db.schema.createIndex('version_rollout_agency_idx').on('version_rollout').column('agency_id').execute()
  await db.schema
    .alterTable('questionnaire_item')
    .addColumn('same_meaning', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('questionnaire_item').dropColumn('same_meaning').execute()
  await db.schema.dropTable('version_rollout').execute()
}
