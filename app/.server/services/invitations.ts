/**
 * Single-use invitations, one per dossier, created by the one-stop-shop software (API, one by one or as a
 * CSV file) or the CLI. The same dossier at the same agency (found by the keyed hash of its code) gets the
 * same invitation back, so a retried API call never creates two. Dossier data sent with it (dates,
 * contacts, agencies involved) is stored with the invitation and shown on the per-dossier form, where the
 * objective indicators are computed from it (app/domain/dossier/indicators.ts), not asked.
 */
import type { Kysely, Transaction } from 'kysely'
import { parse } from 'csv-parse/sync'
import { z } from 'zod'
import { type DossierData, isCalendarDate } from '#app/domain/dossier/indicators.ts'
import type { Database } from '#db/schema.ts'
import type { AppConfig } from '../env.ts'
import { keyedHash, randomCode } from '../codes.ts'
import { canSee, type Scope } from '../auth/scope.ts'
import { findAgencyByCode } from '../repos/agencies.ts'
import { insertAudit } from '../repos/audit.ts'
import { findInvitationForDossier, insertInvitation, updateDossierData } from '../repos/invitations.ts'
import { findProcedureIdByCode } from '../repos/procedures.ts'
import { findQuestionnaireByCode } from '../repos/questionnaires.ts'
import { invitationUrl } from '../urls.ts'

const calendarDate = z.string().trim().refine(isCalendarDate, { message: 'must be a date written YYYY-MM-DD' })

/** What the one-stop-shop system knows of the dossier; dates are its calendar dates. */
export const dossierSchema = z
  .object({
    receivedAt: calendarDate,
    dueAt: calendarDate,
    returnedAt: calendarDate.optional(),
    /** Times the citizen had to come back or be contacted to complete the dossier. */
    contacts: z.number().int().min(0).max(99).optional(),
    /** Names of the agencies that handled the dossier. */
    agencies: z.array(z.string().trim().min(1).max(200)).max(20).optional(),
  })
  .refine((d) => d.dueAt >= d.receivedAt, { path: ['dueAt'], message: 'must not be before receivedAt' })
  .refine((d) => d.returnedAt === undefined || d.returnedAt >= d.receivedAt, {
    path: ['returnedAt'],
    message: 'must not be before receivedAt',
  })

export const invitationRequestSchema = z
  .object({
    agencyCode: z.string().trim().min(1).max(60),
    procedureCode: z.string().trim().min(1).max(60).optional(),
    dossierCode: z.string().trim().min(1).max(100).optional(),
    channel: z.enum(['counter', 'online', 'post', 'phone', 'kiosk', 'paper']).default('counter'),
    expiresInDays: z.number().int().min(1).max(90).default(14),
    /** Default: the per-dossier rating when dossier data comes with it, else SIPAS. */
    questionnaireCode: z.string().trim().min(1).max(40).optional(),
    dossier: dossierSchema.optional(),
  })
  .refine((r) => r.dossier === undefined || r.dossierCode !== undefined, {
    path: ['dossierCode'],
    message: 'is required with dossier data',
  })
export type InvitationRequest = z.input<typeof invitationRequestSchema>
type ParsedRequest = z.output<typeof invitationRequestSchema>

export interface InvitationView {
  code: string
  url: string
  qrSvgUrl: string
  expiresAt: string
}

type LookupError = 'unknownAgency' | 'unknownProcedure' | 'unknownQuestionnaire' | 'forbidden'

export type CreateInvitationResult =
  | { ok: true; created: boolean; invitation: InvitationView }
  | { ok: false; status: 404 | 403; error: LookupError }

function view(config: AppConfig, code: string, expiresAt: string): InvitationView {
  const url = invitationUrl(config.publicUrl, code)
  return { code, url, qrSvgUrl: `${url}/qr.svg`, expiresAt }
}

function dossierData(input: ParsedRequest['dossier']): DossierData | null {
  if (!input) return null
  return {
    receivedOn: input.receivedAt,
    dueOn: input.dueAt,
    returnedOn: input.returnedAt ?? null,
    contacts: input.contacts ?? null,
    agencies: input.agencies ?? [],
  }
}

/** An invitation request checked against the database: what to write, or why not. */
type Prepared =
  | { ok: false; status: 404 | 403; error: LookupError }
  | {
      ok: true
      agency: { id: number; code: string }
      questionnaireId: number
      procedureId: number | null
      dossierHash: string | null
      dossierJson: string | null
      input: ParsedRequest
    }

async function prepare(db: Kysely<Database>, config: AppConfig, input: ParsedRequest, scope: Scope): Promise<Prepared> {
  const agency = await findAgencyByCode(db, input.agencyCode)
  if (!agency || agency.validTo !== null) return { ok: false, status: 404, error: 'unknownAgency' }
  if (!canSee(scope, agency)) return { ok: false, status: 403, error: 'forbidden' }
  const questionnaireCode = input.questionnaireCode ?? (input.dossier ? 'ND61-DOSSIER' : 'SIPAS-2017')
  const questionnaire = await findQuestionnaireByCode(db, questionnaireCode)
  if (!questionnaire) return { ok: false, status: 404, error: 'unknownQuestionnaire' }
  let procedureId: number | null = null
  if (input.procedureCode) {
    procedureId = (await findProcedureIdByCode(db, input.procedureCode)) ?? null
    if (procedureId === null) return { ok: false, status: 404, error: 'unknownProcedure' }
  }
  const dossierHash = input.dossierCode ? keyedHash(config.secret, `dossier:${input.dossierCode}`) : null
  const data = dossierData(input.dossier)
  return {
    ok: true,
    agency: { id: agency.id, code: agency.code },
    questionnaireId: questionnaire.id,
    procedureId,
    dossierHash,
    dossierJson: data && JSON.stringify(data),
    input,
  }
}

/**
 * Writes one prepared invitation in the caller's transaction, or finds the dossier's invitation already
 * there; dossier data sent again (the result returned since) replaces the stored data while unused.
 */
async function write(
  trx: Transaction<Database>,
  p: Extract<Prepared, { ok: true }>,
  actor: string,
  now: Date,
): Promise<{ created: boolean; code: string; expiresAt: string }> {
  const found = p.dossierHash ? await findInvitationForDossier(trx, p.agency.id, p.dossierHash) : undefined
  if (found) {
    if (p.dossierJson) await updateDossierData(trx, found.code, p.input.dossierCode ?? null, p.dossierJson)
    return { created: false, code: found.code, expiresAt: found.expiresAt }
  }
  const code = randomCode(12)
  const expiresAt = new Date(now.getTime() + p.input.expiresInDays * 86_400_000).toISOString()
  await insertInvitation(
    trx,
    {
      code,
      agencyId: p.agency.id,
      questionnaireId: p.questionnaireId,
      procedureId: p.procedureId,
      dossierHash: p.dossierHash,
      // In clear only with dossier data (the Decree 61 form shows it), and only until the invitation is used.
      dossierCode: p.dossierJson ? (p.input.dossierCode ?? null) : null,
      dossierJson: p.dossierJson,
      channel: p.input.channel,
      expiresAt,
    },
    now.toISOString(),
  )
  await insertAudit(
    trx,
    {
      userId: null,
      actor,
      action: 'invitation.create',
      entity: 'invitation',
      entityId: code,
      details: { agency: p.agency.code },
    },
    now.toISOString(),
  )
  return { created: true, code, expiresAt }
}

export async function createInvitation(
  db: Kysely<Database>,
  config: AppConfig,
  input: ParsedRequest,
  scope: Scope & { actor: string },
  now = new Date(),
): Promise<CreateInvitationResult> {
  const prepared = await prepare(db, config, input, scope)
  if (!prepared.ok) return prepared
  const attempt = () => db.transaction().execute((trx) => write(trx, prepared, scope.actor, now))
  let written: Awaited<ReturnType<typeof write>>
  try {
    written = await attempt()
  } catch (error) {
    // The same dossier raced in from two requests: the unique (agency, dossier hash) kept one; find it.
    if (!prepared.dossierHash) throw error
    written = await attempt()
  }
  return { ok: true, created: written.created, invitation: view(config, written.code, written.expiresAt) }
}

/** The most rows one CSV upload may hold (the API's body budget allows about 64 KiB anyway). */
export const MAX_CSV_ROWS = 1000

/** The CSV columns, named as the JSON fields; `agencies` holds names separated by ";". */
export const CSV_COLUMNS = [
  'agencyCode',
  'procedureCode',
  'dossierCode',
  'channel',
  'expiresInDays',
  'questionnaireCode',
  'receivedAt',
  'dueAt',
  'returnedAt',
  'contacts',
  'agencies',
] as const

export interface CsvRowError {
  /** The line in the file (the header is line 1). */
  row: number
  field: string
  /** A message already in the caller's language, or the validator's English for a field format. */
  message: string
}

export type ImportInvitationsResult =
  | { ok: true; invitations: Array<InvitationView & { row: number; dossierCode: string | null; created: boolean }> }
  | { ok: false; error: 'invalidCsv' | 'tooManyRows'; rowErrors: CsvRowError[] }

/** A CSV row as the JSON request would say it: empty cells absent, numbers as numbers, agencies as a list. */
function rowRequest(row: Record<string, string>): Record<string, unknown> {
  const value = (name: string) => (row[name]?.trim() ? row[name].trim() : undefined)
  const number = (name: string) => {
    const v = value(name)
    return v === undefined ? undefined : /^-?\d+$/.test(v) ? Number(v) : v
  }
  const receivedAt = value('receivedAt')
  const dueAt = value('dueAt')
  const dossierGiven = [receivedAt, dueAt, value('returnedAt'), value('contacts'), value('agencies')].some(
    (v) => v !== undefined,
  )
  return {
    agencyCode: value('agencyCode'),
    procedureCode: value('procedureCode'),
    dossierCode: value('dossierCode'),
    channel: value('channel'),
    expiresInDays: number('expiresInDays'),
    questionnaireCode: value('questionnaireCode'),
    dossier: dossierGiven
      ? {
          receivedAt,
          dueAt,
          returnedAt: value('returnedAt'),
          contacts: number('contacts'),
          agencies: value('agencies')
            ?.split(';')
            .map((a) => a.trim())
            .filter(Boolean),
        }
      : undefined,
  }
}

/**
 * Many invitations from one CSV file (header row with the CSV_COLUMNS names; UTF-8). All or nothing: every
 * row is checked first, and any error refuses the whole file with each row's errors; then all are written
 * in one transaction. `translate` words lookup errors in the caller's language.
 */
export async function importInvitationsCsv(
  db: Kysely<Database>,
  config: AppConfig,
  text: string,
  scope: Scope & { actor: string },
  translate: (key: LookupError) => string,
  now = new Date(),
): Promise<ImportInvitationsResult> {
  let rows: Array<Record<string, string>>
  try {
    rows = parse(text.replace(/^\uFEFF/, ''), {
      columns: (header: string[]) => header.map((h) => h.trim()),
      skip_empty_lines: true,
      relax_column_count: false,
    })
  } catch (error) {
    return {
      ok: false,
      error: 'invalidCsv',
      rowErrors: [{ row: 1, field: '_', message: error instanceof Error ? error.message : String(error) }],
    }
  }
  if (rows.length > MAX_CSV_ROWS)
    return { ok: false, error: 'tooManyRows', rowErrors: [{ row: 1, field: '_', message: `at most ${MAX_CSV_ROWS}` }] }
  const rowErrors: CsvRowError[] = []
  const prepared: Array<Extract<Prepared, { ok: true }> & { row: number }> = []
  const seen = new Set<string>()
  for (const [i, row] of rows.entries()) {
    const line = i + 2
    const parsed = invitationRequestSchema.safeParse(rowRequest(row))
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        rowErrors.push({ row: line, field: issue.path.at(-1)?.toString() ?? '_', message: issue.message })
      continue
    }
    const p = await prepare(db, config, parsed.data, scope)
    if (!p.ok) {
      rowErrors.push({
        row: line,
        field: p.error === 'unknownProcedure' ? 'procedureCode' : 'agencyCode',
        message: translate(p.error),
      })
      continue
    }
    // The same dossier twice in one file is a mistake in the export, not a retry.
    const key = p.dossierHash && `${p.agency.id}:${p.dossierHash}`
    if (key && seen.has(key)) {
      rowErrors.push({ row: line, field: 'dossierCode', message: 'appears twice in the file' })
      continue
    }
    if (key) seen.add(key)
    prepared.push({ ...p, row: line })
  }
  if (rowErrors.length || !rows.length)
    return {
      ok: false,
      error: 'invalidCsv',
      rowErrors: rowErrors.length ? rowErrors : [{ row: 1, field: '_', message: 'no rows' }],
    }
  const written = await db.transaction().execute(async (trx) => {
    const out = []
    for (const p of prepared) out.push({ p, ...(await write(trx, p, scope.actor, now)) })
    return out
  })
  return {
    ok: true,
    invitations: written.map(({ p, created, code, expiresAt }) => ({
      row: p.row,
      // In clear only with dossier data (the Decree 61 form shows it), and only until the invitation is used.
      dossierCode: p.dossierJson ? (p.input.dossierCode ?? null) : null,
      created,
      ...view(config, code, expiresAt),
    })),
  }
}
