/**
 * The letterhead an agency prints on its survey posters (issue 18): the unit's name as it wants it printed,
 * the office ("Bộ phận Một cửa") and a hotline. One row per agency, shared by all its poster links: a
 * province's one-stop shop prints the same header at every counter. Empty fields fall back to the agency's
 * name and "Bộ phận Một cửa" when the poster is drawn, so a row is only needed to change them.
 */
import { type Kysely, sql } from 'kysely'

type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('poster_header')
    .addColumn('agency_id', 'integer', (c) => c.primaryKey().references('agency.id'))
    .addColumn('unit_name', 'text', (c) => c.check(sql`length(unit_name) <= 160`))
    .addColumn('office_name', 'text', (c) => c.check(sql`length(office_name) <= 120`))
    .addColumn('hotline', 'text', (c) => c.check(sql`length(hotline) <= 40`))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('poster_header').execute()
}
