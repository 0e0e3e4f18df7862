/**
 * The agency tree as administrators keep it: add, edit names, move under another parent, deactivate
 * (never delete: responses and history point at agencies), and import a whole file all-or-nothing.
 */
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '#db/schema.ts'
import { canSee } from '../auth/scope.ts'
import type { SessionUser } from '../auth/session.ts'
import type { TableRows } from '../imports/read-table.ts'
import {
  countResponsesByAgency,
  endAgency,
  findAgencyByCode,
  findAgencyById,
  insertAgency,
  listAgencyCodes,
  moveSubtree,
  updateAgencyNames,
} from '../repos/agencies.ts'
import { listAllAgencies } from '../repos/agency-tree.ts'
import { insertAudit } from '../repos/audit.ts'
import { deactivateLinksOfAgency } from '../repos/links.ts'
import { addOneRow, checkCatalogueRows } from './catalogue-rows.ts'

const DATE = /^\d{4}-\d{2}-\d{2}$/

export const agencyInputSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,60}$/, 'designer.errors.code'),
  nameVi: z.string().trim().min(1, 'designer.errors.labelRequired').max(300),
  nameEn: z.string().trim().min(1, 'designer.errors.labelRequired').max(300),
  level: z.enum(['province', 'department', 'district', 'commune'], { message: 'common.invalid' }),
  parentCode: z
    .string()
    .trim()
    .max(60)
    .transform((v) => v || null),
  validFrom: z.string().trim().regex(DATE, 'import.badDate'),
})
export type AgencyInput = z.output<typeof agencyInputSchema>

export const agencyUpdateSchema = z.object({
  // An id that is not a number finds no agency (404), like an unknown one.
  id: z.coerce.number().int().catch(0),
  nameVi: z.string().trim().min(1, 'designer.errors.labelRequired'),
  nameEn: z.string().trim().min(1, 'designer.errors.labelRequired'),
  parentCode: z
    .string()
    .catch('')
    .transform((v) => v.trim() || null),
})

export const agencyEndSchema = z.object({
  id: z.coerce.number().int().catch(0),
  validTo: z.string().regex(DATE, 'import.badDate'),
})

export type { RowError } from './catalogue-rows.ts'
export type AgencyResult = { ok: true } | { ok: false; status: 400 | 404; error: string }
const who = (user: SessionUser) => ({ userId: user.id, actor: user.email })

/**
 * Every agency in tree order with its depth, its number of responses and its subtree (its own id and
 * those of every unit under it: none of them can become its parent).
 */
export async function agencyTree(db: Kysely<Database>) {
  const agencies = await listAllAgencies(db)
  const responses = await countResponsesByAgency(db)
  return agencies.map((a) => ({
    ...a,
    depth: a.path.split('/').filter(Boolean).length - 1,
    responses: responses.get(a.id) ?? 0,
    subtree: agencies.filter((b) => canSee({ scopePath: a.path }, b)).map((b) => b.id),
  }))
}

/** One row of an agency import file, by the column names its header uses. */
function fromFileRow(raw: Record<string, string>): Record<string, unknown> {
  return {
    code: raw.code,
    nameVi: raw.name_vi,
    nameEn: raw.name_en,
    level: raw.level,
    parentCode: raw.parent_code,
    validFrom: raw.valid_from,
  }
}

/**
 * Validates candidates against the database and each other; applies nothing. Rows are numbered as a
 * spreadsheet shows them, after the header.
 */
async function checkAgencies(db: Kysely<Database>, candidates: Array<Record<string, unknown>>) {
  return checkCatalogueRows(
    candidates.map((candidate) => ({ ...candidate, parentCode: candidate.parentCode ?? '' })),
    agencyInputSchema,
    await listAgencyCodes(db),
    (row, known) => (row.parentCode && !known(row.parentCode) ? [{ key: 'agencies.unknownParent' }] : []),
  )
}

/** Checks the rows of an uploaded file (header: code, name_vi, name_en, level, parent_code, valid_from). */
export function checkAgencyRows(db: Kysely<Database>, rows: TableRows) {
  return checkAgencies(db, rows.map(fromFileRow))
}

/** All rows or none: one transaction, parents before children as the file orders them. */
export async function applyAgencyRows(db: Kysely<Database>, rows: AgencyInput[], user: SessionUser) {
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    for (const row of rows) {
      const parent = row.parentCode ? await findAgencyByCode(trx, row.parentCode) : undefined
      if (row.parentCode && !parent) throw new Error(`parent ${row.parentCode} vanished after the check`)
      await insertAgency(
        trx,
        {
          code: row.code,
          nameVi: row.nameVi,
          nameEn: row.nameEn,
          level: row.level,
          parentId: parent?.id ?? null,
          validFrom: row.validFrom,
          validTo: null,
        },
        now,
      )
    }
    await insertAudit(
      trx,
      {
        ...who(user),
        action: 'agency.import',
        entity: 'agency',
        entityId: null,
        details: { count: rows.length, codes: rows.map((r) => r.code) },
      },
      now,
    )
  })
  return rows.length
}

/** One agency from the form. */
export async function addAgency(db: Kysely<Database>, user: SessionUser, candidate: Record<string, unknown>) {
  return addOneRow(await checkAgencies(db, [candidate]), (rows) => applyAgencyRows(db, rows, user))
}

export async function updateAgency(
  db: Kysely<Database>,
  user: SessionUser,
  id: number,
  input: { nameVi: string; nameEn: string; parentCode: string | null },
): Promise<AgencyResult> {
  const agency = await findAgencyById(db, id)
  if (!agency) return { ok: false, status: 404, error: 'common.notFound' }
  const parent = input.parentCode ? await findAgencyByCode(db, input.parentCode) : undefined
  if (input.parentCode && !parent) return { ok: false, status: 400, error: 'agencies.unknownParent' }
  // A unit cannot move under itself or anything in its own subtree.
  if (parent && canSee({ scopePath: agency.path }, parent)) return { ok: false, status: 400, error: 'agencies.cycle' }
  const newPath = `${parent?.path ?? '/'}${agency.id}/`
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    await updateAgencyNames(trx, id, { nameVi: input.nameVi, nameEn: input.nameEn, parentId: parent?.id ?? null })
    if (newPath !== agency.path) await moveSubtree(trx, agency.path, newPath)
    await insertAudit(
      trx,
      {
        ...who(user),
        action: 'agency.update',
        entity: 'agency',
        entityId: String(id),
        details: { ...input, from: { nameVi: agency.nameVi, nameEn: agency.nameEn, parentId: agency.parentId } },
      },
      now,
    )
  })
  return { ok: true }
}

export async function deactivateAgency(
  db: Kysely<Database>,
  user: SessionUser,
  id: number,
  validTo: string,
): Promise<AgencyResult> {
  const agency = await findAgencyById(db, id)
  if (!agency) return { ok: false, status: 404, error: 'common.notFound' }
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    await endAgency(trx, id, validTo)
    await deactivateLinksOfAgency(trx, id)
    await insertAudit(
      trx,
      { ...who(user), action: 'agency.deactivate', entity: 'agency', entityId: String(id), details: { validTo } },
      now,
    )
  })
  return { ok: true }
}
