/**
 * The successions between agencies (agency_succession): read whole for the rules (cycles, inherited
 * history) and written one by one by administration. Rows are never referenced by other tables, so a
 * mistaken succession can be deleted outright; the audit log keeps what it was.
 */
import type { SuccessionKind } from '#db/schema.ts'
import type { SuccessionEdge } from '#app/domain/successions.ts'
import type { Executor } from './questionnaires.ts'

export interface SuccessionRecord extends SuccessionEdge {
  id: number
  kind: SuccessionKind
}

/** A succession with both agencies' codes and names, as administration lists it. */
export interface SuccessionListed extends SuccessionRecord {
  predecessor: { code: string; nameVi: string; nameEn: string; validTo: string | null }
  successor: { code: string; nameVi: string; nameEn: string; validTo: string | null }
}

export async function listSuccessions(db: Executor): Promise<SuccessionRecord[]> {
  const rows = await db
    .selectFrom('agency_succession')
    .select(['id', 'predecessor_id', 'successor_id', 'kind', 'effective_date'])
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    predecessorId: r.predecessor_id,
    successorId: r.successor_id,
    kind: r.kind,
    effectiveDate: r.effective_date,
  }))
}

/** The successions an agency takes part in, as predecessor or successor (every one without it), oldest first. */
export async function listSuccessionsOf(db: Executor, agencyId: number | null): Promise<SuccessionListed[]> {
  let query = db
    .selectFrom('agency_succession as s')
    .innerJoin('agency as p', 'p.id', 's.predecessor_id')
    .innerJoin('agency as n', 'n.id', 's.successor_id')
    .select([
      's.id',
      's.predecessor_id',
      's.successor_id',
      's.kind',
      's.effective_date',
      'p.code as p_code',
      'p.name_vi as p_name_vi',
      'p.name_en as p_name_en',
      'p.valid_to as p_valid_to',
      'n.code as n_code',
      'n.name_vi as n_name_vi',
      'n.name_en as n_name_en',
      'n.valid_to as n_valid_to',
    ])
    .orderBy('s.effective_date')
    .orderBy('s.id')
  if (agencyId !== null)
    query = query.where((eb) => eb.or([eb('s.predecessor_id', '=', agencyId), eb('s.successor_id', '=', agencyId)]))
  const rows = await query.execute()
  return rows.map((r) => ({
    id: r.id,
    predecessorId: r.predecessor_id,
    successorId: r.successor_id,
    kind: r.kind,
    effectiveDate: r.effective_date,
    predecessor: { code: r.p_code, nameVi: r.p_name_vi, nameEn: r.p_name_en, validTo: r.p_valid_to },
    successor: { code: r.n_code, nameVi: r.n_name_vi, nameEn: r.n_name_en, validTo: r.n_valid_to },
  }))
}

export async function findSuccession(db: Executor, id: number): Promise<SuccessionRecord | undefined> {
  return (await listSuccessions(db)).find((s) => s.id === id)
}

export async function insertSuccession(
  db: Executor,
  input: { predecessorId: number; successorId: number; kind: SuccessionKind; effectiveDate: string },
): Promise<number> {
  const { id } = await db
    .insertInto('agency_succession')
    .values({
      predecessor_id: input.predecessorId,
      successor_id: input.successorId,
      kind: input.kind,
      effective_date: input.effectiveDate,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

export async function updateSuccession(
  db: Executor,
  id: number,
  input: { kind: SuccessionKind; effectiveDate: string },
): Promise<void> {
  await db
    .updateTable('agency_succession')
    .set({ kind: input.kind, effective_date: input.effectiveDate })
    .where('id', '=', id)
    .execute()
}

export async function deleteSuccession(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('agency_succession').where('id', '=', id).execute()
}
