/** Queries on the agency tree. A subtree is found through the materialised path, portable to any SQL. */
import type { Executor } from './questionnaires.ts'
import type { AgencyLevel, SuccessionKind } from '#db/schema.ts'

export interface NewAgencyInput {
  code: string
  nameVi: string
  nameEn: string
  level: AgencyLevel
  parentId: number | null
  validFrom: string
  validTo: string | null
}

export async function insertAgency(db: Executor, input: NewAgencyInput, now: string): Promise<number> {
  const parent =
    input.parentId === null
      ? null
      : await db.selectFrom('agency').select('path').where('id', '=', input.parentId).executeTakeFirstOrThrow()
  const { id } = await db
    .insertInto('agency')
    .values({
      code: input.code,
      name_vi: input.nameVi,
      name_en: input.nameEn,
      level: input.level,
      parent_id: input.parentId,
      valid_from: input.validFrom,
      valid_to: input.validTo,
      active: input.validTo ? 0 : 1,
      created_at: now,
      path: '',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .updateTable('agency')
    .set({ path: `${parent?.path ?? '/'}${id}/` })
    .where('id', '=', id)
    .execute()
  return id
}

export async function recordSuccession(
  db: Executor,
  predecessorId: number,
  successorId: number,
  kind: SuccessionKind,
  effectiveDate: string,
) {
  await db
    .insertInto('agency_succession')
    .values({ predecessor_id: predecessorId, successor_id: successorId, kind, effective_date: effectiveDate })
    .execute()
}

export async function findAgencyByCode(db: Executor, code: string) {
  return db.selectFrom('agency').selectAll().where('code', '=', code).executeTakeFirst()
}

export async function countAgencies(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('agency')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Agencies valid today, ordered so that a parent comes before its children. */
export async function listCurrentAgencies(db: Executor) {
  return db.selectFrom('agency').selectAll().where('valid_to', 'is', null).orderBy('path').execute()
}
