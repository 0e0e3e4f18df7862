/**
 * Dossier counts per agency and month (issue #17, docs/dossiers.md): entered one at a time on
 * /admin/dossiers, imported from a CSV or XLSX file, or pushed by the one-stop-shop system through
 * `PUT /api/v1/dossier-counts`. Every way writes through `writeDossierCounts`: checked first, all rows or
 * none, within the writer's scope, audited. Writing a month again replaces it.
 */
import { DOSSIER_FILE_COLUMNS } from '#app/domain/dossier-file.ts'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '#db/schema.ts'
import { canonicalPeriod } from '#app/domain/period.ts'
import type { ImportOutcome } from '#app/domain/import-outcome.ts'
import { agencyOptions } from '../analytics/filter-options.ts'
import { canSee, type Scope } from '../auth/scope.ts'
import type { TableRows } from '../imports/read-table.ts'
import { insertAudit } from '../repos/audit.ts'
import {
  type DossierCountInput,
  type DossierWriter,
  listDossierCounts,
  upsertDossierCount,
} from '../repos/dossier-counts.ts'

type RowError = ImportOutcome['errors'][number]

/** More than any one-stop shop settles in a month; a typo with extra digits is refused, not stored. */
export const MAX_DOSSIERS_PER_MONTH = 10_000_000
/** Rows one file or one push may carry: 34 provinces' communes for a year fit. */
export const MAX_DOSSIER_ROWS = 50_000

// Digits only: "1.200" is 1 200 in Vietnamese and 1.2 in English, "1e3" and "-3" are no one's count.
const count = (required: boolean) =>
  z
    .union([z.string(), z.number(), z.null(), z.undefined()])
    .transform((value) => (value === null || value === undefined ? '' : String(value).trim()))
    .pipe(
      z
        .string()
        .refine((text) => (required ? /^\d{1,9}$/.test(text) : /^(\d{1,9})?$/.test(text)), 'dossiers.errors.count')
        .transform((text) => (text === '' ? null : Number(text)))
        .refine((n) => n === null || n <= MAX_DOSSIERS_PER_MONTH, 'dossiers.errors.tooLarge'),
    )

export const dossierRowSchema = z
  .object({
    agencyCode: z
      .string({ error: 'dossiers.errors.agency' })
      .trim()
      .min(1, 'dossiers.errors.agency')
      .max(60, 'dossiers.errors.agency'),
    // A calendar month, as people write it: "2026-09", "09/2026", "T9/2026", "tháng 9/2026".
    month: z.union([z.string(), z.number()], { error: 'dossiers.errors.month' }).transform((value, ctx) => {
      const canonical = canonicalPeriod(String(value).slice(0, 40))
      if (canonical === null || !/^\d{4}-\d{2}$/.test(canonical)) {
        ctx.addIssue({ code: 'custom', message: 'dossiers.errors.month' })
        return z.NEVER
      }
      return canonical
    }),
    received: count(true),
    settled: count(true),
    settledLate: count(true),
    complained: count(true),
    // Absent, null or empty: the one-stop-shop system does not know its own ratings.
    ratedDissatisfied: count(false).optional(),
  })
  .superRefine((row, ctx) => {
    if (row.settledLate! > row.settled!)
      ctx.addIssue({ code: 'custom', path: ['settledLate'], message: 'dossiers.errors.lateAboveSettled' })
    if (row.ratedDissatisfied != null && row.ratedDissatisfied > row.settled!)
      ctx.addIssue({ code: 'custom', path: ['ratedDissatisfied'], message: 'dossiers.errors.ratedAboveSettled' })
  })
  .transform((row) => ({
    agencyCode: row.agencyCode,
    month: row.month,
    received: row.received!,
    settled: row.settled!,
    settledLate: row.settledLate!,
    complained: row.complained!,
    ratedDissatisfied: row.ratedDissatisfied ?? null,
  }))

export type DossierRow = z.output<typeof dossierRowSchema>

export { DOSSIER_FILE_COLUMNS }

const FIELD_OF_COLUMN: Record<(typeof DOSSIER_FILE_COLUMNS)[number], keyof DossierRow> = {
  agency_code: 'agencyCode',
  month: 'month',
  received: 'received',
  settled: 'settled',
  settled_late: 'settledLate',
  complained: 'complained',
  rated_dissatisfied: 'ratedDissatisfied',
}
const COLUMN_OF_FIELD = Object.fromEntries(Object.entries(FIELD_OF_COLUMN).map(([c, f]) => [f, c]))

export interface CheckedDossierRows {
  errors: RowError[]
  valid: Array<DossierCountInput & { agencyCode: string }>
}

/**
 * Checks candidate rows (already keyed by field name): each against the schema, its agency known and in
 * the writer's scope, and no agency and month twice. `rowNumber` says how a row is named in errors (the
 * spreadsheet's row, or the position in a pushed list); `column` names a field as the source does.
 */
export async function checkDossierRows(
  db: Kysely<Database>,
  scope: Scope,
  candidates: Array<Record<string, unknown>>,
  rowNumber: (index: number) => number,
  column: (field: string) => string = (field) => field,
): Promise<CheckedDossierRows> {
  const agencies = new Map(
    (await db.selectFrom('agency').select(['id', 'code', 'path']).execute()).map((a) => [a.code, a]),
  )
  const errors: RowError[] = []
  const valid: CheckedDossierRows['valid'] = []
  const seen = new Set<string>()
  candidates.forEach((candidate, index) => {
    const parsed = dossierRowSchema.safeParse(candidate)
    const messages: RowError['messages'] = []
    if (!parsed.success)
      for (const issue of parsed.error.issues)
        messages.push({ key: issue.message, values: { column: column(String(issue.path[0] ?? '')) } })
    else {
      const agency = agencies.get(parsed.data.agencyCode)
      if (!agency) messages.push({ key: 'dossiers.errors.unknownAgency', values: { code: parsed.data.agencyCode } })
      else if (!canSee(scope, agency))
        messages.push({ key: 'dossiers.errors.outOfScope', values: { code: parsed.data.agencyCode } })
      const key = `${parsed.data.agencyCode} ${parsed.data.month}`
      if (seen.has(key)) messages.push({ key: 'dossiers.errors.repeated', values: { month: parsed.data.month } })
      seen.add(key)
      if (agency && !messages.length) valid.push({ ...parsed.data, agencyId: agency.id })
    }
    if (messages.length) errors.push({ row: rowNumber(index), messages })
  })
  return { errors, valid }
}

/** Who writes, and how: the audit names them, the row keeps the source. */
export interface DossierAuthor extends DossierWriter {
  userId: number | null
}

/** Stores checked rows in one transaction with one audit entry: all of them, or none. */
export async function writeDossierCounts(
  db: Kysely<Database>,
  rows: CheckedDossierRows['valid'],
  by: DossierAuthor,
): Promise<{ created: number; updated: number }> {
  const now = new Date().toISOString()
  return db.transaction().execute(async (trx) => {
    let created = 0
    for (const row of rows) if ((await upsertDossierCount(trx, row, by, now)) === 'created') created++
    const single = rows.length === 1 ? rows[0]! : null
    await insertAudit(
      trx,
      {
        userId: by.userId,
        actor: by.actor,
        action: `dossier_count.${by.source === 'form' ? 'set' : by.source === 'import' ? 'import' : 'push'}`,
        entity: 'dossier_count',
        entityId: single ? `${single.agencyCode}:${single.month}` : null,
        details: single
          ? { ...single, agencyId: undefined }
          : { rows: rows.length, months: [...new Set(rows.map((r) => r.month))].sort() },
      },
      now,
    )
    return { created, updated: rows.length - created }
  })
}

/** A file's rows, keyed by field; the columns it lacks are reported once, as row 1. */
export async function checkDossierFile(
  db: Kysely<Database>,
  scope: Scope,
  rows: TableRows,
): Promise<CheckedDossierRows & { duplicates?: number }> {
  const header = new Set(Object.keys(rows[0] ?? {}))
  const missing = DOSSIER_FILE_COLUMNS.filter((c) => c !== 'rated_dissatisfied' && !header.has(c))
  if (missing.length)
    return {
      errors: [{ row: 1, messages: missing.map((column) => ({ key: 'import.missingColumn', values: { column } })) }],
      valid: [],
    }
  if (rows.length > MAX_DOSSIER_ROWS)
    return { errors: [{ row: 1, messages: [{ key: 'dossiers.errors.tooManyRows' }] }], valid: [] }
  const candidates = rows.map((raw) =>
    Object.fromEntries(DOSSIER_FILE_COLUMNS.map((c) => [FIELD_OF_COLUMN[c], raw[c] ?? ''])),
  )
  return checkDossierRows(
    db,
    scope,
    candidates,
    (index) => index + 2,
    (field) => COLUMN_OF_FIELD[field] ?? field,
  )
}

/** One entry from the form: its errors as row 1 (400), or stored. */
export async function setDossierCount(
  db: Kysely<Database>,
  who: Scope & { userId: number; email: string },
  fields: Record<string, unknown>,
): Promise<{ ok: true; count: number } | { ok: false; errors: RowError[] }> {
  const checked = await checkDossierRows(db, who, [fields], () => 1)
  if (checked.errors.length) return { ok: false, errors: checked.errors }
  await writeDossierCounts(db, checked.valid, { source: 'form', actor: who.email, userId: who.userId })
  return { ok: true, count: 1 }
}

/** The body of `PUT /api/v1/dossier-counts`. */
export const dossierPushSchema = z.object({
  counts: z.array(z.record(z.string(), z.unknown())).min(1).max(MAX_DOSSIER_ROWS),
})

export type DossierPushResult =
  | { ok: true; created: number; updated: number }
  | { ok: false; errors: Array<{ index: number; field: string | null; key: string; values?: Record<string, string> }> }

/**
 * What the one-stop-shop system pushes: a list of months per agency in the token's scope. Idempotent:
 * the same body again changes nothing but the time of the last write. One bad entry refuses the whole
 * push, naming each entry by its position (from 0) in `counts`.
 */
export async function pushDossierCounts(
  db: Kysely<Database>,
  token: Scope & { tokenId: number },
  counts: Array<Record<string, unknown>>,
): Promise<DossierPushResult> {
  const checked = await checkDossierRows(db, token, counts, (index) => index)
  if (checked.errors.length)
    return {
      ok: false,
      errors: checked.errors.flatMap((e) =>
        e.messages.map((m) => ({
          index: e.row,
          field: m.values?.column || null,
          key: m.key,
          ...(m.values && Object.keys(m.values).some((k) => k !== 'column') ? { values: m.values } : {}),
        })),
      ),
    }
  const written = await writeDossierCounts(db, checked.valid, {
    source: 'api',
    actor: `api-token:${token.tokenId}`,
    userId: null,
  })
  return { ok: true, ...written }
}

/** The page: the agencies this user may enter counts for and the newest counts of their scope. */
export async function dossiersPage(db: Kysely<Database>, who: Scope) {
  const [agencies, counts] = await Promise.all([agencyOptions(db, who), listDossierCounts(db, who)])
  return { agencies, counts }
}
