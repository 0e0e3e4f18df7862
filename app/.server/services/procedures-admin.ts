/**
 * The procedure (TTHC) catalogue as administrators keep it: one at a time (add, edit), or a whole file
 * all-or-nothing. A procedure carries its national code (mã TTHC), field (lĩnh vực), level and the
 * agencies that handle it, written as agency codes separated by ";" in a file and in the form.
 */
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '#db/schema.ts'
import type { SessionUser } from '../auth/session.ts'
import type { TableRows } from '../imports/read-table.ts'
import { listAgencyCodes } from '../repos/agencies.ts'
import { insertAudit } from '../repos/audit.ts'
import {
  countProcedures,
  insertProcedures,
  listProcedureCodes,
  procedureDetails,
  searchProcedures,
  setProcedureAgencies,
  updateProcedure,
} from '../repos/procedures.ts'
import { addOneRow, checkCatalogueRows, type RowError } from './catalogue-rows.ts'

/** "1.001234", "2.000889": the national database's form of a procedure code. */
const NATIONAL_CODE = /^\d{1,2}\.\d{6}$/

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
  nationalCode: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || null)
    .refine((v) => v === null || NATIONAL_CODE.test(v), 'procedures.errors.nationalCode'),
  /** Agency codes separated by ";" (or ","), as a spreadsheet cell holds them. */
  agencyCodes: z
    .string()
    .optional()
    .transform((v) => [
      ...new Set(
        (v ?? '')
          .split(/[;,]/)
          .map((c) => c.trim())
          .filter(Boolean),
      ),
    ]),
})
export type ProcedureInput = z.output<typeof procedureInputSchema>

/**
 * The page: up to 100 procedures matching the search words (with diacritics or not, or a synonym), how
 * many there are in all, and the one being edited, if any.
 */
export async function proceduresPage(db: Kysely<Database>, query: string, editCode: string | null) {
  const found = await searchProcedures(db, query, 100)
  const procedures = await procedureDetails(
    db,
    found.map((p) => p.code),
  )
  const [editing] = editCode ? await procedureDetails(db, [editCode]) : []
  return { procedures, total: await countProcedures(db), editing: editing ?? null }
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
    nationalCode: raw.national_code,
    agencyCodes: raw.agencies,
  }
}

function unknownAgencies(agencyCodes: Set<string>) {
  return (row: ProcedureInput): RowError['messages'] =>
    row.agencyCodes
      .filter((c) => !agencyCodes.has(c))
      .map((code) => ({ key: 'procedures.errors.unknownAgency', values: { code } }))
}

async function checkProcedures(db: Kysely<Database>, candidates: Array<Record<string, unknown>>) {
  const agencies = new Set(await listAgencyCodes(db))
  return checkCatalogueRows(candidates, procedureInputSchema, await listProcedureCodes(db), unknownAgencies(agencies))
}

/**
 * Checks the rows of an uploaded file (header: code, name_vi, name_en, level, field_vi, field_en, and
 * optionally national_code and agencies).
 */
export function checkProcedureRows(db: Kysely<Database>, rows: TableRows) {
  return checkProcedures(db, rows.map(fromFileRow))
}

async function agencyIds(db: Kysely<Database>, codes: string[]): Promise<number[]> {
  if (!codes.length) return []
  return (await db.selectFrom('agency').select('id').where('code', 'in', codes).execute()).map((a) => a.id)
}

/** Stores checked rows and their agency links in one transaction: a file goes in whole or not at all. */
export async function applyProcedureRows(db: Kysely<Database>, rows: ProcedureInput[], user: SessionUser) {
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    const ids = await insertProcedures(trx, rows)
    for (const row of rows)
      if (row.agencyCodes.length)
        await setProcedureAgencies(trx, ids.get(row.code)!, await agencyIds(trx, row.agencyCodes))
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

/**
 * Rewrites an existing procedure (found by its code, which does not change) and the agencies that handle
 * it, audited; the errors come back as a one-row report, nothing stored.
 */
export async function editProcedure(
  db: Kysely<Database>,
  user: SessionUser,
  candidate: Record<string, unknown>,
): Promise<{ ok: true; count: number } | { ok: false; errors: RowError[] }> {
  const code = String(candidate.code ?? '').trim()
  const others = (await listProcedureCodes(db)).filter((c) => c !== code)
  const agencies = new Set(await listAgencyCodes(db))
  const checked = checkCatalogueRows([candidate], procedureInputSchema, others, unknownAgencies(agencies))
  if (!checked.errors.length && !(await listProcedureCodes(db)).includes(code))
    checked.errors.push({ row: 1, messages: [{ key: 'procedures.errors.notFound' }] })
  return addOneRow(checked, async ([row]) => {
    await db.transaction().execute(async (trx) => {
      const id = await updateProcedure(trx, row!)
      if (id === null) throw new Error(`procedure ${row!.code} vanished`)
      await setProcedureAgencies(trx, id, await agencyIds(trx, row!.agencyCodes))
      await insertAudit(
        trx,
        {
          userId: user.id,
          actor: user.email,
          action: 'procedure.update',
          entity: 'procedure',
          entityId: String(id),
          details: { code: row!.code, nationalCode: row!.nationalCode, agencies: row!.agencyCodes },
        },
        new Date().toISOString(),
      )
    })
    return 1
  })
}
