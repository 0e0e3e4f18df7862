/**
 * Single-use invitations, one per dossier, created by the one-stop-shop software (API) or the CLI.
 * The dossier code is kept only as a keyed hash; the same dossier at the same agency gets the same
 * invitation back, so a retried API call never creates two.
 */
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '#db/schema.ts'
import type { AppConfig } from '../env.ts'
import { keyedHash, randomCode } from '../codes.ts'
import { canSee, type Scope } from '../auth/scope.ts'
import { findAgencyByCode } from '../repos/agencies.ts'
import { insertAudit } from '../repos/audit.ts'
import { findInvitationForDossier, insertInvitation } from '../repos/invitations.ts'
import { findProcedureIdByCode } from '../repos/procedures.ts'
import { findQuestionnaireByCode } from '../repos/questionnaires.ts'
import { invitationUrl } from '../urls.ts'

export const invitationRequestSchema = z.object({
  agencyCode: z.string().trim().min(1).max(60),
  procedureCode: z.string().trim().min(1).max(60).optional(),
  dossierCode: z.string().trim().min(1).max(100).optional(),
  channel: z.enum(['counter', 'online', 'post', 'phone', 'kiosk', 'paper']).default('counter'),
  expiresInDays: z.number().int().min(1).max(90).default(14),
  questionnaireCode: z.string().trim().min(1).max(40).default('SIPAS-2017'),
})
export type InvitationRequest = z.input<typeof invitationRequestSchema>

export interface InvitationView {
  code: string
  url: string
  qrSvgUrl: string
  expiresAt: string
}

export type CreateInvitationResult =
  | { ok: true; created: boolean; invitation: InvitationView }
  | { ok: false; status: 404 | 403; error: 'unknownAgency' | 'unknownProcedure' | 'unknownQuestionnaire' | 'forbidden' }

function view(config: AppConfig, code: string, expiresAt: string): InvitationView {
  const url = invitationUrl(config.publicUrl, code)
  return { code, url, qrSvgUrl: `${url}/qr.svg`, expiresAt }
}

export async function createInvitation(
  db: Kysely<Database>,
  config: AppConfig,
  input: z.output<typeof invitationRequestSchema>,
  scope: Scope & { actor: string },
  now = new Date(),
): Promise<CreateInvitationResult> {
  const agency = await findAgencyByCode(db, input.agencyCode)
  if (!agency || agency.validTo !== null) return { ok: false, status: 404, error: 'unknownAgency' }
  if (!canSee(scope, agency)) return { ok: false, status: 403, error: 'forbidden' }
  const questionnaire = await findQuestionnaireByCode(db, input.questionnaireCode)
  if (!questionnaire) return { ok: false, status: 404, error: 'unknownQuestionnaire' }
  let procedureId: number | null = null
  if (input.procedureCode) {
    procedureId = (await findProcedureIdByCode(db, input.procedureCode)) ?? null
    if (procedureId === null) return { ok: false, status: 404, error: 'unknownProcedure' }
  }
  const dossierHash = input.dossierCode ? keyedHash(config.secret, `dossier:${input.dossierCode}`) : null
  const existing = async () => (dossierHash ? findInvitationForDossier(db, agency.id, dossierHash) : undefined)
  const found = await existing()
  if (found) return { ok: true, created: false, invitation: view(config, found.code, found.expiresAt) }
  const code = randomCode(12)
  const expiresAt = new Date(now.getTime() + input.expiresInDays * 86_400_000).toISOString()
  try {
    await db.transaction().execute(async (trx) => {
      await insertInvitation(
        trx,
        {
          code,
          agencyId: agency.id,
          questionnaireId: questionnaire.id,
          procedureId,
          dossierHash,
          channel: input.channel,
          expiresAt,
        },
        now.toISOString(),
      )
      await insertAudit(
        trx,
        {
          userId: null,
          actor: scope.actor,
          action: 'invitation.create',
          entity: 'invitation',
          entityId: code,
          details: { agency: agency.code },
        },
        now.toISOString(),
      )
    })
  } catch (error) {
    // The same dossier raced in from two requests: the unique (agency, dossier hash) kept one.
    const raced = await existing()
    if (raced) return { ok: true, created: false, invitation: view(config, raced.code, raced.expiresAt) }
    throw error
  }
  return { ok: true, created: true, invitation: view(config, code, expiresAt) }
}
