/** Procedure (TTHC) look-ups for the survey's "which procedure did you use?" question. */
import type { Executor } from './questionnaires.ts'
import { foldVietnamese } from '#app/domain/text.ts'
import { containsPattern } from '#db/dialect.ts'
import type { ProcedureLevel } from '#db/schema.ts'

export interface ProcedureOption {
  code: string
  nameVi: string
  nameEn: string
}

/**
 * Finds procedures by words typed with or without diacritics: every word must occur in the folded name.
 * The folded text is stored, so this is the same LIKE on SQLite and PostgreSQL (db/dialect.ts).
 */
export async function searchProcedures(db: Executor, query: string, limit = 15): Promise<ProcedureOption[]> {
  const words = foldVietnamese(query).split(' ').filter(Boolean).slice(0, 6)
  let q = db.selectFrom('procedure').select(['code', 'name_vi', 'name_en']).where('active', '=', 1)
  for (const word of words) q = q.where('search_text', 'like', containsPattern(word))
  const rows = await q.orderBy('name_vi').limit(limit).execute()
  return rows.map((r) => ({ code: r.code, nameVi: r.name_vi, nameEn: r.name_en }))
}

export async function findProcedureByCode(db: Executor, code: string) {
  return db
    .selectFrom('procedure')
    .select(['id', 'code'])
    .where('code', '=', code)
    .where('active', '=', 1)
    .executeTakeFirst()
}

/** The procedure's id whether or not it is still offered: an invitation may name a withdrawn one. */
export async function findProcedureIdByCode(db: Executor, code: string): Promise<number | undefined> {
  const row = await db.selectFrom('procedure').select('id').where('code', '=', code).executeTakeFirst()
  return row?.id
}

export async function procedureExists(db: Executor, id: number): Promise<boolean> {
  return (await db.selectFrom('procedure').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
}

/** Offered procedures by name, for pickers; the cap keeps a province's thousands out of one <select>. */
export async function listProcedureChoices(
  db: Executor,
  limit: number,
): Promise<Array<ProcedureOption & { id: number }>> {
  const rows = await db
    .selectFrom('procedure')
    .select(['id', 'code', 'name_vi', 'name_en'])
    .where('active', '=', 1)
    .orderBy('name_vi')
    .limit(limit)
    .execute()
  return rows.map((r) => ({ id: r.id, code: r.code, nameVi: r.name_vi, nameEn: r.name_en }))
}

export async function countProcedures(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('procedure')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function listProcedureCodes(db: Executor): Promise<string[]> {
  return (await db.selectFrom('procedure').select('code').execute()).map((p) => p.code)
}

export interface NewProcedure {
  code: string
  nameVi: string
  nameEn: string
  level: ProcedureLevel
  fieldVi: string
  fieldEn: string
}

/** Inserts in batches of 200 rows, well under every driver's limit on bound parameters. */
export async function insertProcedures(db: Executor, procedures: NewProcedure[]): Promise<void> {
  for (let i = 0; i < procedures.length; i += 200) {
    await db
      .insertInto('procedure')
      .values(
        procedures.slice(i, i + 200).map((p) => ({
          code: p.code,
          name_vi: p.nameVi,
          name_en: p.nameEn,
          level: p.level,
          field_vi: p.fieldVi,
          field_en: p.fieldEn,
          search_text: foldVietnamese(`${p.nameVi} ${p.code}`),
          active: 1,
        })),
      )
      .execute()
  }
}
