/** The procedure (TTHC) catalogue as administrators keep it: one at a time, or a whole file all-or-nothing. */
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '#db/schema.ts'
import type { SessionUser } from '../auth/session.ts'
import type { TableRows } from '../imports/read-table.ts'
import { insertAudit } from '../repos/audit.ts'
import { countProcedures, insertProcedures, listProcedureCodes, searchProcedures } from '../repos/procedures.ts'
import { addOneRow, checkCatalogueRows } from './catalogue-rows.ts'

export const procedureInputSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,60}$/, 'designer.errors.code'),
  nameVi: z.string().trim().min(1, 'designer.errors.labelRequired').max(500),
  nameEn: z.string().trim().min(1, 'designer.errors.labelRequired').max(500),
  level: z.enum(['central', 'province', 'district', 'commune'], { message: 'common.invalid' }),
  fieldVi: z.string().trim().min(1, 'designer.errors.labelRequired').max(200),
  fieldEn: z.string().trim().min(1, 'designer.errors.labelRequired').max(200),
})
export type ProcedureInput = z.output<typeof procedureInputSchema>

/** The page: up to 100 procedures matching the search words, and how many there are in all. */
export async function proceduresPage(db: Kysely<Database>, query: string) {
  return { procedures: await searchProcedures(db, query, 100), total: await countProcedures(db) }
}

/** One row of a procedure import file, by the column names its header uses. */
function fromFileRow(raw: Record<string, string>): Record<string, unknown> {
  return {
    code: raw.code,
    nameVi: raw.name_vi,
    nameEn: raw.name_en,
    level: raw.level,
    fieldVi: raw.field_vi,
    fieldEn: raw.field_en,
  }
}

async function checkProcedures(db: Kysely<Database>, candidates: Array<Record<string, unknown>>) {
  return checkCatalogueRows(candidates, procedureInputSchema, await listProcedureCodes(db))
}

/** Checks the rows of an uploaded file (header: code, name_vi, name_en, level, field_vi, field_en). */
export function checkProcedureRows(db: Kysely<Database>, rows: TableRows) {
  return checkProcedures(db, rows.map(fromFileRow))
}

export async function applyProcedureRows(db: Kysely<Database>, rows: ProcedureInput[], user: SessionUser) {
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    await insertProcedures(trx, rows)
    await insertAudit(
      trx,
      {
        userId: user.id,
        actor: user.email,
        action: 'procedure.import',
        entity: 'procedure',
        entityId: null,
        details: { count: rows.length },
      },
      now,
    )
  })
  return rows.length
}

/** One procedure from the form. */
export async function addProcedure(db: Kysely<Database>, user: SessionUser, candidate: Record<string, unknown>) {
  return addOneRow(await checkProcedures(db, [candidate]), (rows) => applyProcedureRows(db, rows, user))
}
