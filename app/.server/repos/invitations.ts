/** Single-use invitations: one per dossier and agency, found again by the dossier's keyed hash. */
import type { Channel } from '#db/schema.ts'
import type { Executor } from './questionnaires.ts'

export interface NewInvitation {
  code: string
  agencyId: number
  questionnaireId: number
  procedureId: number | null
  dossierHash: string | null
  /** Shown on the form until the invitation is used. */
  dossierCode?: string | null
  /** JSON of DossierData (app/domain/dossier/indicators.ts). */
  dossierJson?: string | null
  channel: Channel
  expiresAt: string
}

export async function insertInvitation(db: Executor, input: NewInvitation, now: string): Promise<void> {
  await db
    .insertInto('invitation')
    .values({
      code: input.code,
      agency_id: input.agencyId,
      questionnaire_id: input.questionnaireId,
      procedure_id: input.procedureId,
      dossier_hash: input.dossierHash,
      // Only when sent: a database at an older migration (upgrade tests) has no such columns.
      ...(input.dossierCode ? { dossier_code: input.dossierCode } : {}),
      ...(input.dossierJson ? { dossier_json: input.dossierJson } : {}),
      channel: input.channel,
      expires_at: input.expiresAt,
      used_at: null,
      created_at: now,
    })
    .execute()
}

export async function findInvitationForDossier(
  db: Executor,
  agencyId: number,
  dossierHash: string,
): Promise<{ code: string; expiresAt: string } | undefined> {
  const row = await db
    .selectFrom('invitation')
    .select(['code', 'expires_at'])
    .where('agency_id', '=', agencyId)
    .where('dossier_hash', '=', dossierHash)
    .executeTakeFirst()
  return row && { code: row.code, expiresAt: row.expires_at }
}

/** Whether an invitation with the code was ever issued, used or not. */
export async function invitationExists(db: Executor, code: string): Promise<boolean> {
  const row = await db.selectFrom('invitation').select('id').where('code', '=', code).executeTakeFirst()
  return row !== undefined
}

/** New dossier data for an invitation not used yet (the result returned since it was created). */
export async function updateDossierData(
  db: Executor,
  code: string,
  dossierCode: string | null,
  dossierJson: string,
): Promise<void> {
  await db
    .updateTable('invitation')
    .set({ dossier_code: dossierCode, dossier_json: dossierJson })
    .where('code', '=', code)
    .where('used_at', 'is', null)
    .execute()
}

/** The dossier code and data an invitation carries, for its form. */
export async function invitationDossier(
  db: Executor,
  invitationId: number,
): Promise<{ dossierCode: string | null; dossierJson: string | null } | undefined> {
  const row = await db
    .selectFrom('invitation')
    .select(['dossier_code', 'dossier_json'])
    .where('id', '=', invitationId)
    .executeTakeFirst()
  return row && { dossierCode: row.dossier_code, dossierJson: row.dossier_json }
}
