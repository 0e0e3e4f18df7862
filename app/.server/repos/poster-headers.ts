/** An agency's poster letterhead (table poster_header, one row per agency). */
import type { Executor } from './questionnaires.ts'

export interface PosterHeader {
  unitName: string | null
  officeName: string | null
  hotline: string | null
}

export async function findPosterHeader(db: Executor, agencyId: number): Promise<PosterHeader | null> {
  const row = await db
    .selectFrom('poster_header')
    .select(['unit_name', 'office_name', 'hotline'])
    .where('agency_id', '=', agencyId)
    .executeTakeFirst()
  return row ? { unitName: row.unit_name, officeName: row.office_name, hotline: row.hotline } : null
}

/** Inserts or replaces the agency's header (a second save overwrites the first). */
export async function savePosterHeaderRow(
  db: Executor,
  agencyId: number,
  header: PosterHeader,
  by: string,
  now: string,
): Promise<void> {
  const values = { unit_name: header.unitName, office_name: header.officeName, hotline: header.hotline }
  await db
    .insertInto('poster_header')
    .values({ agency_id: agencyId, ...values, updated_by: by, updated_at: now })
    .onConflict((oc) => oc.column('agency_id').doUpdateSet({ ...values, updated_by: by, updated_at: now }))
    .execute()
}
