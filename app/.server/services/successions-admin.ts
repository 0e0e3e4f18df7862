/**
 * Successions as administrators record them (docs/mergers.md): one from an agency's page, or a whole
 * reorganisation from a file, all rows or none. A succession of kind merged_into or renamed whose date has
 * come ends the predecessor the day before (its links stop), as the seed's reorganisation does: a unit that
 * merged away no longer takes responses. Deleting a succession does not bring the predecessor back.
 */
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '#db/schema.ts'
import { closesCycle, dayBefore, isCalendarDate, type SuccessionEdge } from '#app/domain/successions.ts'
import { canSee, type Scope } from '../auth/scope.ts'
import type { SessionUser } from '../auth/session.ts'
import type { TableRows } from '../imports/read-table.ts'
import { endAgency, findAgencyByCode } from '../repos/agencies.ts'
import { type AgencyRecord, listAllAgencies } from '../repos/agency-tree.ts'
import { insertAudit } from '../repos/audit.ts'
import { deactivateLinksOfAgency } from '../repos/links.ts'
import {
  deleteSuccession as deleteSuccessionRow,
  findSuccession,
  insertSuccession,
  listSuccessions,
  updateSuccession as updateSuccessionRow,
} from '../repos/successions.ts'
import { addOneRow, type RowError } from './catalogue-rows.ts'

const kind = z.enum(['merged_into', 'split_from', 'renamed'], { message: 'successions.errors.kind' })
const date = z
  .string()
  .trim()
  .min(1, 'successions.errors.dateRequired')
  .refine((v) => v === '' || isCalendarDate(v), 'successions.errors.badDate')

export const successionInputSchema = z.object({
  predecessorCode: z.string().trim().min(1, 'successions.errors.agencyRequired'),
  successorCode: z.string().trim().min(1, 'successions.errors.agencyRequired'),
  kind,
  effectiveDate: date,
})
export type SuccessionInput = z.output<typeof successionInputSchema>

/**
 * The agency page's form says it from this unit's side: "this unit merged into / was renamed to / was split
 * from the other"; an edge always runs from the older unit to the newer one.
 */
export const relationFormSchema = z.object({
  relation: z.string().catch(''),
  other: z.string().catch(''),
  effectiveDate: z.string().catch(''),
})
export function edgeFromRelation(agencyCode: string, form: z.output<typeof relationFormSchema>) {
  const older = form.relation === 'split_from'
  return {
    predecessorCode: older ? form.other : agencyCode,
    successorCode: older ? agencyCode : form.other,
    kind: form.relation,
    effectiveDate: form.effectiveDate,
  }
}

export const successionUpdateSchema = z.object({
  id: z.coerce.number().int().catch(0),
  kind,
  effectiveDate: date,
})

export type SuccessionResult = { ok: true } | { ok: false; status: 400 | 404; error: string }
const who = (user: SessionUser) => ({ userId: user.id, actor: user.email })

/** A file row by its header: predecessor_code, successor_code, kind, effective_date. */
function fromFileRow(raw: Record<string, string>): Record<string, unknown> {
  return {
    predecessorCode: raw.predecessor_code ?? '',
    successorCode: raw.successor_code ?? '',
    kind: raw.kind ?? '',
    effectiveDate: raw.effective_date ?? '',
  }
}

/** A checked row: the input and both agencies found. */
export interface CheckedSuccession extends SuccessionInput {
  predecessorId: number
  successorId: number
}

/**
 * Checks candidate successions against the database and the earlier rows: both agencies exist and lie in
 * the administrator's scope, a unit does not succeed itself, the pair is not recorded twice, and no chain of
 * successions loops. Rows are numbered as a spreadsheet shows them, after the header.
 */
export async function checkSuccessions(
  db: Kysely<Database>,
  scope: Scope,
  candidates: Array<Record<string, unknown>>,
): Promise<{ errors: RowError[]; valid: CheckedSuccession[] }> {
  const agencies = new Map((await listAllAgencies(db)).map((a) => [a.code, a]))
  const edges: SuccessionEdge[] = await listSuccessions(db)
  const errors: RowError[] = []
  const valid: CheckedSuccession[] = []
  candidates.forEach((candidate, index) => {
    const messages: RowError['messages'] = []
    const parsed = successionInputSchema.safeParse(candidate)
    if (!parsed.success) {
      const columns: Record<string, string> = {
        predecessorCode: 'predecessor_code',
        successorCode: 'successor_code',
        kind: 'kind',
        effectiveDate: 'effective_date',
      }
      messages.push(
        ...parsed.error.issues.map((i) => ({
          key: i.message,
          values: { column: columns[String(i.path[0])] ?? String(i.path[0]) },
        })),
      )
    } else {
      const row = parsed.data
      const find = (code: string, column: string): AgencyRecord | undefined => {
        const a = agencies.get(code)
        if (!a) messages.push({ key: 'successions.errors.unknownAgency', values: { column, code } })
        else if (!canSee(scope, a)) messages.push({ key: 'successions.errors.outOfScope', values: { column, code } })
        return a
      }
      const p = find(row.predecessorCode, 'predecessor_code')
      const s = find(row.successorCode, 'successor_code')
      if (p && s && !messages.length) {
        if (p.id === s.id) messages.push({ key: 'successions.errors.self' })
        else if (edges.some((e) => e.predecessorId === p.id && e.successorId === s.id))
          messages.push({ key: 'successions.errors.duplicate' })
        else if (closesCycle(edges, p.id, s.id)) messages.push({ key: 'successions.errors.cycle' })
        else {
          const edge = { predecessorId: p.id, successorId: s.id, effectiveDate: row.effectiveDate }
          edges.push(edge)
          valid.push({ ...row, ...edge })
        }
      }
    }
    if (messages.length) errors.push({ row: index + 2, messages })
  })
  return { errors, valid }
}

export function checkSuccessionRows(db: Kysely<Database>, scope: Scope, rows: TableRows) {
  return checkSuccessions(db, scope, rows.map(fromFileRow))
}

/**
 * All rows or none, in one transaction and one audit entry. A predecessor that merged away or was renamed
 * on a date that has come is ended the day before, unless it already ended.
 */
export async function applySuccessionRows(
  db: Kysely<Database>,
  rows: CheckedSuccession[],
  user: SessionUser,
  action: 'succession.add' | 'succession.import' = 'succession.import',
) {
  const now = new Date().toISOString()
  const today = now.slice(0, 10)
  await db.transaction().execute(async (trx) => {
    const ended: string[] = []
    for (const row of rows) {
      await insertSuccession(trx, row)
      if (row.kind === 'split_from' || row.effectiveDate > today) continue
      const predecessor = await findAgencyByCode(trx, row.predecessorCode)
      if (predecessor && predecessor.validTo === null) {
        await endAgency(trx, predecessor.id, dayBefore(row.effectiveDate))
        await deactivateLinksOfAgency(trx, predecessor.id)
        ended.push(predecessor.code)
      }
    }
    await insertAudit(
      trx,
      {
        ...who(user),
        action,
        entity: 'agency_succession',
        entityId: null,
        details: {
          count: rows.length,
          successions: rows.map((r) => [r.predecessorCode, r.kind, r.successorCode, r.effectiveDate]),
          ended,
        },
      },
      now,
    )
  })
  return rows.length
}

export async function updateSuccession(
  db: Kysely<Database>,
  user: SessionUser,
  id: number,
  input: { kind: SuccessionInput['kind']; effectiveDate: string },
): Promise<SuccessionResult> {
  const before = await findSuccession(db, id)
  if (!before) return { ok: false, status: 404, error: 'common.notFound' }
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    await updateSuccessionRow(trx, id, input)
    await insertAudit(
      trx,
      {
        ...who(user),
        action: 'succession.update',
        entity: 'agency_succession',
        entityId: String(id),
        details: { ...input, from: { kind: before.kind, effectiveDate: before.effectiveDate } },
      },
      now,
    )
  })
  return { ok: true }
}

export async function deleteSuccession(db: Kysely<Database>, user: SessionUser, id: number): Promise<SuccessionResult> {
  const before = await findSuccession(db, id)
  if (!before) return { ok: false, status: 404, error: 'common.notFound' }
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    await deleteSuccessionRow(trx, id)
    await insertAudit(
      trx,
      { ...who(user), action: 'succession.delete', entity: 'agency_succession', entityId: String(id), details: before },
      now,
    )
  })
  return { ok: true }
}

/** One succession from an agency's page, checked like a one-row file (its errors are row 1). */
export async function addSuccession(db: Kysely<Database>, user: SessionUser, candidate: Record<string, unknown>) {
  const checked = await checkSuccessions(db, { scopePath: user.scopePath }, [candidate])
  return addOneRow(checked, (rows) => applySuccessionRows(db, rows, user, 'succession.add'))
}
