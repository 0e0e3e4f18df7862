/**
 * The agency tree as administrators keep it: add, edit names, move under another parent, deactivate
 * (never delete: responses and history point at agencies), and import a whole file all-or-nothing.
 */
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '#db/schema.ts'
import { foldVietnamese } from '#app/domain/text.ts'
import type { SessionUser } from '../auth/session.ts'
import { insertAgency } from '../repos/agencies.ts'
import { insertAudit } from '../repos/users.ts'
import type { TableRows } from '../imports/read-table.ts'

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

export type RowError = { row: number; messages: Array<{ key: string; values?: Record<string, string> }> }
const who = (user: SessionUser) => ({ userId: user.id, actor: user.email })

export async function agencyTree(db: Kysely<Database>) {
  const agencies = await db.selectFrom('agency').selectAll().orderBy('path').execute()
  const counts = await db
    .selectFrom('response')
    .select((eb) => ['agency_id', eb.fn.countAll<number>().as('n')])
    .groupBy('agency_id')
    .execute()
  const n = new Map(counts.map((c) => [c.agency_id, Number(c.n)]))
  return agencies.map((a) => ({
    ...a,
    depth: a.path.split('/').filter(Boolean).length - 1,
    responses: n.get(a.id) ?? 0,
  }))
}

/** Validates rows (from a form or a file) against the database and each other; applies nothing. */
export async function checkAgencyRows(db: Kysely<Database>, rows: TableRows) {
  const errors: RowError[] = []
  const valid: Array<z.output<typeof agencyInputSchema>> = []
  const existing = new Set((await db.selectFrom('agency').select('code').execute()).map((a) => a.code))
  const inFile = new Set<string>()
  rows.forEach((raw, index) => {
    const parsed = agencyInputSchema.safeParse({
      code: raw.code,
      nameVi: raw.name_vi,
      nameEn: raw.name_en,
      level: raw.level,
      parentCode: raw.parent_code ?? '',
      validFrom: raw.valid_from,
    })
    const messages: RowError['messages'] = []
    if (!parsed.success)
      messages.push(...parsed.error.issues.map((i) => ({ key: i.message, values: { column: String(i.path[0]) } })))
    else {
      if (existing.has(parsed.data.code) || inFile.has(parsed.data.code)) messages.push({ key: 'agencies.codeTaken' })
      if (parsed.data.parentCode && !existing.has(parsed.data.parentCode) && !inFile.has(parsed.data.parentCode))
        messages.push({ key: 'agencies.unknownParent' })
      inFile.add(parsed.data.code)
    }
    if (messages.length) errors.push({ row: index + 2, messages })
    else if (parsed.success) valid.push(parsed.data)
  })
  return { errors, valid }
}

/** All rows or none: one transaction, parents before children as the file orders them. */
export async function applyAgencyRows(
  db: Kysely<Database>,
  rows: Array<z.output<typeof agencyInputSchema>>,
  user: SessionUser,
) {
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    for (const row of rows) {
      const parent = row.parentCode
        ? await trx.selectFrom('agency').select('id').where('code', '=', row.parentCode).executeTakeFirstOrThrow()
        : null
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

export async function updateAgency(
  db: Kysely<Database>,
  user: SessionUser,
  id: number,
  input: { nameVi: string; nameEn: string; parentCode: string | null },
) {
  const agency = await db.selectFrom('agency').selectAll().where('id', '=', id).executeTakeFirst()
  if (!agency) return { ok: false as const, status: 404, error: 'common.notFound' }
  const parent = input.parentCode
    ? await db.selectFrom('agency').select(['id', 'path']).where('code', '=', input.parentCode).executeTakeFirst()
    : null
  if (input.parentCode && !parent) return { ok: false as const, status: 400, error: 'agencies.unknownParent' }
  if (parent?.path.startsWith(agency.path)) return { ok: false as const, status: 400, error: 'agencies.cycle' }
  const newPath = `${parent?.path ?? '/'}${agency.id}/`
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('agency')
      .set({ name_vi: input.nameVi, name_en: input.nameEn, parent_id: parent?.id ?? null })
      .where('id', '=', id)
      .execute()
    if (newPath !== agency.path) {
      // Moving a unit moves its whole subtree: rewrite the path prefix of every descendant.
      const subtree = await trx
        .selectFrom('agency')
        .select(['id', 'path'])
        .where('path', 'like', `${agency.path}%`)
        .execute()
      for (const a of subtree)
        await trx
          .updateTable('agency')
          .set({ path: newPath + a.path.slice(agency.path.length) })
          .where('id', '=', a.id)
          .execute()
    }
    await insertAudit(
      trx,
      {
        ...who(user),
        action: 'agency.update',
        entity: 'agency',
        entityId: String(id),
        details: { ...input, from: { nameVi: agency.name_vi, nameEn: agency.name_en, parentId: agency.parent_id } },
      },
      now,
    )
  })
  return { ok: true as const }
}

export async function deactivateAgency(db: Kysely<Database>, user: SessionUser, id: number, validTo: string) {
  const agency = await db.selectFrom('agency').select(['id', 'valid_to']).where('id', '=', id).executeTakeFirst()
  if (!agency) return { ok: false as const, status: 404, error: 'common.notFound' }
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('agency').set({ active: 0, valid_to: validTo }).where('id', '=', id).execute()
    await trx.updateTable('survey_link').set({ active: 0 }).where('agency_id', '=', id).execute()
    await insertAudit(
      trx,
      { ...who(user), action: 'agency.deactivate', entity: 'agency', entityId: String(id), details: { validTo } },
      now,
    )
  })
  return { ok: true as const }
}

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

export async function checkProcedureRows(db: Kysely<Database>, rows: TableRows) {
  const errors: RowError[] = []
  const valid: Array<z.output<typeof procedureInputSchema>> = []
  const existing = new Set((await db.selectFrom('procedure').select('code').execute()).map((p) => p.code))
  rows.forEach((raw, index) => {
    const parsed = procedureInputSchema.safeParse({
      code: raw.code,
      nameVi: raw.name_vi,
      nameEn: raw.name_en,
      level: raw.level,
      fieldVi: raw.field_vi,
      fieldEn: raw.field_en,
    })
    const messages: RowError['messages'] = parsed.success
      ? []
      : parsed.error.issues.map((i) => ({ key: i.message, values: { column: String(i.path[0]) } }))
    if (parsed.success && existing.has(parsed.data.code)) messages.push({ key: 'agencies.codeTaken' })
    if (parsed.success) existing.add(parsed.data.code)
    if (messages.length) errors.push({ row: index + 2, messages })
    else if (parsed.success) valid.push(parsed.data)
  })
  return { errors, valid }
}

export async function applyProcedureRows(
  db: Kysely<Database>,
  rows: Array<z.output<typeof procedureInputSchema>>,
  user: SessionUser,
) {
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 200) {
      await trx
        .insertInto('procedure')
        .values(
          rows.slice(i, i + 200).map((p) => ({
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
    await insertAudit(
      trx,
      {
        ...who(user),
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
