/** Survey links as administrators and agency managers manage them, always inside their subtree. */
import type { Kysely } from 'kysely'
import QRCode from 'qrcode'
import { z } from 'zod'
import type { Database } from '#db/schema.ts'
import { canSee } from '../auth/scope.ts'
import type { SessionUser } from '../auth/session.ts'
import { randomCode } from '../codes.ts'
import { findAgencyById } from '../repos/agencies.ts'
import { listCurrentAgencies } from '../repos/agency-tree.ts'
import { insertAudit } from '../repos/audit.ts'
import { deactivateLink as closeLink, findLinkPlacement, insertLink, listLinksInScope } from '../repos/links.ts'
import { findPosterHeader, type PosterHeader } from '../repos/poster-headers.ts'
import { listProcedureChoices, procedureExists } from '../repos/procedures.ts'
import { listQuestionnaireNames, questionnaireExists } from '../repos/questionnaires.ts'
import { surveyLinkUrl } from '../urls.ts'
import { isLocalAddress } from '#app/domain/public-url.ts'
import { SIPAS_SHORT_CODE } from '#app/domain/questionnaire/templates/sipas-short.ts'

export const newLinkSchema = z.object({
  agencyId: z.coerce.number().int().positive(),
  questionnaireId: z.coerce.number().int().positive(),
  procedureId: z.preprocess((v) => (v === '' || v === null ? null : v), z.coerce.number().int().positive().nullable()),
  counterLabel: z
    .string()
    .trim()
    .max(60)
    .transform((v) => v || null),
  kind: z.enum(['poster', 'kiosk']),
})

/** The page's links with their public address, and the choices its form offers. */
export async function linksPage(db: Kysely<Database>, user: SessionUser, publicUrl: string) {
  const links = await listLinksInScope(db, user)
  return {
    links: links.map((l) => ({ ...l, url: surveyLinkUrl(publicUrl, l.code) })),
    agencies: await listCurrentAgencies(db, user),
    // The short form first, so a new poster link gets it unless the administrator chooses otherwise.
    questionnaires: shortFormFirst(await listQuestionnaireNames(db)),
    procedures: await listProcedureChoices(db, 500),
  }
}

/** The questionnaire a new link defaults to: the short SIPAS form; the full form is for sampled rounds. */
export function shortFormFirst<Q extends { code: string }>(questionnaires: Q[]): Q[] {
  return [
    ...questionnaires.filter((q) => q.code === SIPAS_SHORT_CODE),
    ...questionnaires.filter((q) => q.code !== SIPAS_SHORT_CODE),
  ]
}

export type LinkResult =
  | { ok: true; id: number }
  | { ok: false; status: 403 | 404; error: 'common.forbidden' | 'common.notFound' }

const notFound = { ok: false, status: 404, error: 'common.notFound' } as const
const forbidden = { ok: false, status: 403, error: 'common.forbidden' } as const

export async function createLink(
  db: Kysely<Database>,
  user: SessionUser,
  input: z.output<typeof newLinkSchema>,
): Promise<LinkResult> {
  const agency = await findAgencyById(db, input.agencyId)
  if (!agency || agency.validTo !== null) return notFound
  if (!canSee(user, agency)) return forbidden
  const procedureFound = input.procedureId === null || (await procedureExists(db, input.procedureId))
  if (!(await questionnaireExists(db, input.questionnaireId)) || !procedureFound) return notFound
  const now = new Date().toISOString()
  return db.transaction().execute(async (trx) => {
    const id = await insertLink(trx, { code: randomCode(), ...input }, now)
    await insertAudit(
      trx,
      {
        userId: user.id,
        actor: user.email,
        action: 'link.create',
        entity: 'survey_link',
        entityId: String(id),
        details: input,
      },
      now,
    )
    return { ok: true as const, id }
  })
}

export async function deactivateLink(db: Kysely<Database>, user: SessionUser, linkId: number): Promise<LinkResult> {
  const link = await findLinkPlacement(db, linkId)
  if (!link) return notFound
  if (!canSee(user, { path: link.agencyPath })) return forbidden
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    await closeLink(trx, linkId)
    await insertAudit(
      trx,
      {
        userId: user.id,
        actor: user.email,
        action: 'link.deactivate',
        entity: 'survey_link',
        entityId: String(linkId),
      },
      now,
    )
  })
  return { ok: true, id: linkId }
}

export type PosterResult =
  | {
      ok: true
      poster: {
        url: string
        svg: string
        agency: string
        counter: string | null
        /** The agency's letterhead as stored (null fields: not set). */
        header: PosterHeader | null
        /** PUBLIC_URL only works on this machine or network: printed, it sends citizens nowhere. */
        localAddress: boolean
      }
    }
  | { ok: false; status: 403 | 404; error: 'common.forbidden' | 'common.notFound' }

/** What a printed poster shows: the agency's Vietnamese name, the counter, the address and its QR code. */
export async function posterFor(
  db: Kysely<Database>,
  user: SessionUser,
  linkId: number,
  publicUrl: string,
): Promise<PosterResult> {
  const link = await findLinkPlacement(db, linkId)
  if (!link?.active) return notFound
  if (!canSee(user, { path: link.agencyPath })) return forbidden
  const url = surveyLinkUrl(publicUrl, link.code)
  const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 })
  const header = await findPosterHeader(db, link.agencyId)
  return {
    ok: true,
    poster: {
      url,
      svg,
      agency: link.agencyNameVi,
      counter: link.counterLabel,
      header,
      localAddress: isLocalAddress(publicUrl),
    },
  }
}
