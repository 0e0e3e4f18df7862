/**
 * Procedures that belong to agencies (issue #18): the national procedure code (mã TTHC, "1.001234") on
 * each procedure, and which agencies handle it, many to many, so the survey offers an agency its own
 * procedures first. Field (lĩnh vực) and level exist since the initial migration.
 *
 * The stored search text of every procedure is rewritten to hold its field too, normalised as the app
 * does (app/domain/procedures/search-terms.ts, copied here: a migration never changes), so "dat dai"
 * finds the land procedures of a catalogue imported before this migration.
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
  const procedures = await db.selectFrom('procedure').select(['id', 'code', 'name_vi', 'field_vi']).execute()
  for (const p of procedures)
    await db
      .updateTable('procedure')
      .set({ search_text: normalise(`${p.name_vi} ${p.code} ${p.field_vi}`) })
      .where('id', '=', p.id)
      .execute()
}

/** Lower case, no diacritics, đ → d, punctuation as spaces (dots inside a code kept), single spaces. */
function normalise(text: string): string {
  return text
    .normalize('NFC')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, ' ')
    .replace(/(^|\s)\.+|\.+(?=\s|$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('procedure_agency').execute()
  await db.schema.dropIndex('procedure_national_code_idx').execute()
  await db.schema.alterTable('procedure').dropColumn('national_code').execute()
}
