/**
 * Resolves how a citizen reached the survey — a poster/kiosk link or a single-use invitation — into the
 * agency, the questionnaire version in force there, and what the entry point fixes (procedure, channel).
 * Problems a citizen can meet are values with an HTTP status, rendered as translated pages.
 */
import type { Kysely } from 'kysely'
import type { Channel, Database, LinkKind } from '#db/schema.ts'
import { findAgencyById } from '../repos/agencies.ts'
import { findLinkTarget } from '../repos/links.ts'
import { currentVersionFor } from '../repos/questionnaires.ts'
import { type DossierView, dossierView } from '#app/domain/dossier/indicators.ts'
import { getVersionDefinition, type VersionDefinition } from './survey-definition.ts'

export type EntryKind = 's' | 'r'

export interface SurveyTarget {
  kind: EntryKind
  code: string
  agency: { id: number; code: string; nameVi: string; nameEn: string }
  version: VersionDefinition
  procedure: { id: number; code: string; nameVi: string; nameEn: string } | null
  channel: Channel
  linkId: number | null
  /** A link's kind: only a kiosk link has enrolled devices (null for an invitation). */
  linkKind: LinkKind | null
  invitationId: number | null
  /** Shown in kiosk mode (a kiosk link, or ?kiosk=1); whether it counts as a kiosk is the device's question. */
  kiosk: boolean
  /** An invitation's dossier code and data, shown read-only on the form; absent for links. */
  dossier?: DossierView | null
}

export type EntryProblem =
  | {
      status: 404
      message: 'survey.errors.linkNotFound' | 'survey.errors.invitationNotFound' | 'survey.errors.noQuestionnaire'
    }
  | { status: 410; message: 'survey.errors.invitationUsed' | 'survey.errors.invitationExpired' }

export type EntryResult = { ok: true; target: SurveyTarget } | { ok: false; problem: EntryProblem }

async function agencyAndVersion(db: Kysely<Database>, agencyId: number, questionnaireId: number) {
  const agency = await findAgencyById(db, agencyId)
  if (!agency || agency.validTo !== null) return null
  const versionRow = await currentVersionFor(db, agencyId, questionnaireId)
  if (!versionRow) return null
  return {
    agency: { id: agency.id, code: agency.code, nameVi: agency.nameVi, nameEn: agency.nameEn },
    version: await getVersionDefinition(db, versionRow.id, versionRow.status),
  }
}

async function procedureById(db: Kysely<Database>, id: number | null) {
  if (id === null) return null
  const p = await db
    .selectFrom('procedure')
    .select(['id', 'code', 'name_vi', 'name_en'])
    .where('id', '=', id)
    .executeTakeFirst()
  return p ? { id: p.id, code: p.code, nameVi: p.name_vi, nameEn: p.name_en } : null
}

export async function resolveLink(db: Kysely<Database>, code: string, kioskRequested: boolean): Promise<EntryResult> {
  const link = await findLinkTarget(db, code)
  if (!link) return { ok: false, problem: { status: 404, message: 'survey.errors.linkNotFound' } }
  // A unit that no longer exists, or a questionnaire without a published version, has no survey.
  if (link.valid_to !== null || link.version_id === null)
    return { ok: false, problem: { status: 404, message: 'survey.errors.noQuestionnaire' } }
  // PostgreSQL answers a boolean, SQLite 0/1.
  const versionId = link.has_rollout
    ? (await currentVersionFor(db, link.agency_id, link.questionnaire_id))?.id
    : link.version_id
  if (versionId === undefined) return { ok: false, problem: { status: 404, message: 'survey.errors.noQuestionnaire' } }
  const kiosk = kioskRequested || link.kind === 'kiosk'
  return {
    ok: true,
    target: {
      kind: 's',
      code,
      agency: { id: link.agency_id, code: link.agency_code, nameVi: link.name_vi, nameEn: link.name_en },
      // The version in force is published (the statement picks only published ones), so it is cached.
      version: await getVersionDefinition(db, versionId, 'published'),
      procedure: await procedureById(db, link.procedure_id),
      channel: kiosk ? 'kiosk' : 'counter',
      linkId: link.link_id,
      linkKind: link.kind,
      invitationId: null,
      kiosk,
    },
  }
}

export async function resolveInvitation(
  db: Kysely<Database>,
  code: string,
  kioskRequested: boolean,
  now = new Date(),
): Promise<EntryResult> {
  const invitation = await db.selectFrom('invitation').selectAll().where('code', '=', code).executeTakeFirst()
  if (!invitation) return { ok: false, problem: { status: 404, message: 'survey.errors.invitationNotFound' } }
  if (invitation.used_at !== null)
    return { ok: false, problem: { status: 410, message: 'survey.errors.invitationUsed' } }
  if (invitation.expires_at <= now.toISOString())
    return { ok: false, problem: { status: 410, message: 'survey.errors.invitationExpired' } }
  const resolved = await agencyAndVersion(db, invitation.agency_id, invitation.questionnaire_id)
  if (!resolved) return { ok: false, problem: { status: 404, message: 'survey.errors.noQuestionnaire' } }
  return {
    ok: true,
    target: {
      kind: 'r',
      code,
      ...resolved,
      procedure: await procedureById(db, invitation.procedure_id),
      channel: invitation.channel,
      linkId: null,
      linkKind: null,
      invitationId: invitation.id,
      kiosk: kioskRequested,
      // Columns of migration 2026-11-30T1100; undefined on an older database, as null.
      dossier: dossierView(invitation.dossier_code ?? null, invitation.dossier_json ?? null),
    },
  }
}

export function resolveEntry(
  db: Kysely<Database>,
  kind: EntryKind,
  code: string,
  kiosk: boolean,
): Promise<EntryResult> {
  return kind === 's' ? resolveLink(db, code, kiosk) : resolveInvitation(db, code, kiosk)
}
