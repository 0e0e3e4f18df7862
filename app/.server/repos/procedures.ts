/** Procedure (TTHC) look-ups for the survey's "which procedure did you use?" question. */
import type { Executor } from './questionnaires.ts'
import { foldVietnamese } from '#app/domain/text.ts'
import { containsPattern } from '#db/dialect.ts'

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
