/**
 * Responses collected on paper or by another tool, imported from a table: every row is validated with
 * the same schema as the web form; the file is stored whole or not at all; rows whose external id is
 * already in the database are skipped and reported (so a re-import is harmless).
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { allItems } from '#app/domain/questionnaire/definition.ts'
import { type AnswerValue, fieldName, validateAnswers } from '#app/domain/survey/response-schema.ts'
import type { SessionUser } from '../auth/session.ts'
import type { TableRows } from '../imports/read-table.ts'
import { listAllAgencies } from '../repos/agency-tree.ts'
import { currentVersionFor, findQuestionnaireByCode, latestPublishedVersion } from '../repos/questionnaires.ts'
import { storedExternalIds } from '../repos/raw-responses.ts'
import { insertAudit } from '../repos/audit.ts'
import type { RowError } from './agencies-admin.ts'
import { storeResponse } from './submit-response.ts'
import { getVersionDefinition, type VersionDefinition } from './survey-definition.ts'

const REQUIRED_COLUMNS = ['external_id', 'agency_code', 'submitted_at'] as const

export interface ImportRow {
  version: VersionDefinition
  externalId: string
  agencyId: number
  procedureId: number | null
  submittedAt: Date
  weightMicro: number
  stratum: string | null
  answers: Record<string, AnswerValue>
}

function parseDate(text: string): Date | null {
  const t = text.trim()
  // A bare date is a day in Vietnam: noon there keeps it in the same month whatever the server's zone.
  const date = /^\d{4}-\d{2}-\d{2}$/.test(t) ? new Date(`${t}T12:00:00+07:00`) : new Date(t)
  return Number.isNaN(date.getTime()) ? null : date
}

export async function checkResponseRows(db: Kysely<Database>, questionnaireCode: string, rows: TableRows) {
  const questionnaire = await findQuestionnaireByCode(db, questionnaireCode)
  const versionRow = questionnaire && (await latestPublishedVersion(db, questionnaire.id))
  if (!questionnaire || !versionRow)
    return {
      errors: [{ row: 1, messages: [{ key: 'designer.errors.unknownVersion' }] }],
      valid: [] as ImportRow[],
      duplicates: 0,
    }
  // Each row is checked against the version its agency uses (its assignment, else the newest published).
  const versions = new Map<number, VersionDefinition>()
  const versionFor = async (agencyId: number) => {
    let version = versions.get(agencyId)
    if (!version) {
      const row = (await currentVersionFor(db, agencyId, questionnaire.id)) ?? versionRow
      version = await getVersionDefinition(db, row.id, row.status)
      versions.set(agencyId, version)
    }
    return version
  }
  const header = rows[0] ? Object.keys(rows[0]) : []
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c))
  if (missing.length)
    return {
      errors: [{ row: 1, messages: missing.map((column) => ({ key: 'import.missingColumn', values: { column } })) }],
      valid: [],
      duplicates: 0,
    }
  const agencies = new Map((await listAllAgencies(db)).map((a) => [a.code, a.id]))
  const procedures = new Map(
    (await db.selectFrom('procedure').select(['id', 'code']).execute()).map((p) => [p.code, p.id]),
  )
  const known = await storedExternalIds(db, rows.map((r) => r.external_id?.trim() ?? '').filter(Boolean))
  const errors: RowError[] = []
  const valid: ImportRow[] = []
  const seen = new Set<string>()
  let duplicates = 0
  for (const [index, raw] of rows.entries()) {
    const messages: RowError['messages'] = []
    const externalId = raw.external_id?.trim() ?? ''
    if (!externalId) messages.push({ key: 'import.missingColumn', values: { column: 'external_id' } })
    else if (seen.has(externalId)) messages.push({ key: 'import.duplicateInFile' })
    seen.add(externalId)
    const agencyId = agencies.get(raw.agency_code?.trim() ?? '')
    if (!agencyId) messages.push({ key: 'import.unknownAgency', values: { code: raw.agency_code ?? '' } })
    const submittedAt = parseDate(raw.submitted_at ?? '')
    if (!submittedAt) messages.push({ key: 'import.badDate' })
    const procedureCode = raw.procedure_code?.trim()
    const procedureId = procedureCode ? (procedures.get(procedureCode) ?? null) : null
    if (procedureCode && procedureId === null)
      messages.push({ key: 'import.unknownProcedure', values: { code: procedureCode } })
    const weight = raw.weight?.trim() ? Number(raw.weight.replace(',', '.')) : 1
    if (!(Number.isFinite(weight) && weight > 0)) messages.push({ key: 'import.badWeight' })
    const version = agencyId ? await versionFor(agencyId) : null
    const items = version ? allItems(version) : []
    // Multiple-choice cells hold their values separated by ";".
    const values = Object.fromEntries(
      items
        .filter((i) => raw[i.code] !== undefined)
        .map((i) => [
          fieldName(i.code),
          i.type === 'multiple'
            ? raw[i.code]
                .split(';')
                .map((v) => v.trim())
                .filter(Boolean)
            : raw[i.code],
        ]),
    )
    const validated = validateAnswers(items, values)
    if (!validated.ok)
      for (const [code, message] of Object.entries(validated.errors))
        messages.push({ key: 'import.badAnswer', values: { code, message } })
    if (messages.length) {
      errors.push({ row: index + 2, messages })
      continue
    }
    if (known.has(externalId)) {
      duplicates++
      continue
    }
    if (validated.ok && version)
      valid.push({
        version,
        externalId,
        agencyId: agencyId!,
        procedureId,
        submittedAt: submittedAt!,
        weightMicro: Math.round(weight * 1e6),
        stratum: raw.stratum?.trim() || null,
        answers: validated.answers,
      })
  }
  return { errors, valid, duplicates }
}

export async function applyResponseRows(db: Kysely<Database>, rows: ImportRow[], user: SessionUser) {
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    for (const row of rows) {
      await storeResponse(trx, {
        // Derived from the external id, so a row imported twice (two imports at once) meets the unique
        // submission key and the whole import is refused, not stored twice.
        clientSubmissionId: `import:${row.externalId}`,
        version: row.version,
        context: {
          agencyId: row.agencyId,
          procedureId: row.procedureId,
          channel: 'paper',
          linkId: null,
          invitationId: null,
        },
        answers: row.answers,
        submittedAt: row.submittedAt,
        weightMicro: row.weightMicro,
        stratum: row.stratum,
        externalId: row.externalId,
        source: 'import',
        // Keys its aggregate rows too: imported figures can be left out or shown alone.
        entryChannel: 'import',
      })
    }
    await insertAudit(
      trx,
      {
        userId: user.id,
        actor: user.email,
        action: 'response.import',
        entity: 'response',
        entityId: null,
        details: { count: rows.length, versionIds: [...new Set(rows.map((r) => r.version.versionId))] },
      },
      now,
    )
  })
  return rows.length
}
