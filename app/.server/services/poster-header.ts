/**
 * The poster's letterhead (issue 18): the unit's name, the office ("Bộ phận Một cửa") and a hotline, kept
 * per agency so every poster of a one-stop shop prints the same header. Administrators and the agency's
 * managers edit it from the poster page; the change is audited.
 */
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '#db/schema.ts'
import { canSee } from '../auth/scope.ts'
import type { SessionUser } from '../auth/session.ts'
import { insertAudit } from '../repos/audit.ts'
import { findLinkPlacement } from '../repos/links.ts'
import { type PosterHeader, savePosterHeaderRow } from '../repos/poster-headers.ts'

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => v || null)

export const posterHeaderSchema = z.object({
  unitName: optionalText(160),
  officeName: optionalText(120),
  // Digits with the separators people write in Vietnam ("0236 3 822 111", "1900.1234", "(0236) 3822-111").
  hotline: optionalText(40).refine((v) => v === null || /^[+()\d][\d .()-]*\d$/.test(v), { message: 'hotline' }),
})

export type PosterHeaderInput = z.infer<typeof posterHeaderSchema>

/** The header as printed: empty fields fall back to the agency's name and the one-stop-shop office. */
export function printedHeader(stored: PosterHeader | null, agencyNameVi: string, defaultOffice: string) {
  return {
    unitName: stored?.unitName ?? agencyNameVi,
    officeName: stored?.officeName ?? defaultOffice,
    hotline: stored?.hotline ?? null,
  }
}

export async function savePosterHeader(
  db: Kysely<Database>,
  user: SessionUser,
  linkId: number,
  input: PosterHeaderInput,
): Promise<{ ok: true } | { ok: false; status: 403 | 404; error: 'common.forbidden' | 'common.notFound' }> {
  const link = await findLinkPlacement(db, linkId)
  if (!link?.active) return { ok: false, status: 404, error: 'common.notFound' }
  if (!canSee(user, { path: link.agencyPath })) return { ok: false, status: 403, error: 'common.forbidden' }
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    await savePosterHeaderRow(trx, link.agencyId, input, user.email, now)
    await insertAudit(
      trx,
      {
        userId: user.id,
        actor: user.email,
        action: 'poster.header',
        entity: 'agency',
        entityId: String(link.agencyId),
        details: { ...input },
      },
      now,
    )
  })
  return { ok: true }
}
