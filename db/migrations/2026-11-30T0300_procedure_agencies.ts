/**
 * Procedures that belong to agencies (issue #18): the national procedure code (mã TTHC, "1.001234") on
 * each procedure, and which agencies handle it, many to many, so the survey offers an agency its own
 * procedures first. Field (lĩnh vực) and level exist since the initial migration.
 *
 * Kysely runs SQLite migrations outside a transaction; this one opens its own there.
 */
import { type Kysely, PostgresAdapter } from 'kysely'

type AnyDb = Kysely<any>

const isPostgres = (db: AnyDb) => db.getExecutor().adapter instanceof PostgresAdapter

export async function up(db: AnyDb): Promise<void> {
  if (isPostgres(db)) await migrate(db)
  else await db.transaction().execute((trx) => migrate(trx))
}

async function migrate(db: AnyDb): Promise<void> {
  // Null until the administrator records it: a local catalogue may have procedures without one yet.
  await db.schema.alterTable('procedure').addColumn('national_code', 'text').execute()
  await db.schema.createIndex('procedure_national_code_idx').on('procedure').column('national_code').execute()
  await db.schema
    .createTable('procedure_agency')
    .addColumn('procedure_id', 'integer', (c) => c.notNull().references('procedure.id').onDelete('cascade'))
    .addColumn('agency_id', 'integer', (c) => c.notNull().references('agency.id'))
    .addPrimaryKeyConstraint('procedure_agency_pk', ['procedure_id', 'agency_id'])
    .execute()
  // The survey asks "which procedures does this agency handle?": by agency.
  await db.schema.createIndex('procedure_agency_agency_idx').on('procedure_agency').column('agency_id').execute()
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('procedure_agency').execute()
  await db.schema.dropIndex('procedure_national_code_idx').execute()
  await db.schema.alterTable('procedure').dropColumn('national_code').execute()
}
