/**
 * Kiosk tablets (issue 14): an administrator or manager whose scope covers a kiosk link enrols the tablet
 * in front of them; from then on that browser's responses through the link are exempt from the network
 * caps and stored with entry channel `kiosk`. Revoking a device takes effect at its next page or
 * submission: the device is looked up on every request, nothing is cached.
 */
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '#db/schema.ts'
import type { AppConfig } from '../env.ts'
import { kioskTokenHash, newKioskCookie, readKioskToken } from '../anti-rigging/kiosk-device.ts'
import { canSee } from '../auth/scope.ts'
import type { SessionUser } from '../auth/session.ts'
import { insertAudit } from '../repos/audit.ts'
import {
  findActiveKioskDevice,
  findKioskDevice,
  insertKioskDevice,
  listKioskDevices,
  revokeKioskDevice,
} from '../repos/kiosk-devices.ts'
import { findLinkPlacement, type LinkPlacement } from '../repos/links.ts'

type Config = Pick<AppConfig, 'secret' | 'publicUrl'>

/**
 * Whether the request comes from a tablet enrolled, and not revoked, for this very link. Only requests
 * that carry the kiosk cookie cost a query.
 */
export async function isEnrolledKiosk(
  db: Kysely<Database>,
  config: Config,
  cookieHeader: string | null,
  linkId: number,
): Promise<boolean> {
  const token = await readKioskToken(config, cookieHeader)
  if (!token) return false
  const device = await findActiveKioskDevice(db, kioskTokenHash(config.secret, token))
  return device?.linkId === linkId
}

export const enrolSchema = z.object({ label: z.string().trim().min(1).max(60) })
export const revokeSchema = z.object({ deviceId: z.coerce.number().int().catch(0) })

type Failure =
  | { ok: false; status: 403; error: 'common.forbidden' }
  | { ok: false; status: 404; error: 'common.notFound' }
  | { ok: false; status: 400; error: 'kiosk.notKiosk' }

const notFound = { ok: false, status: 404, error: 'common.notFound' } as const
const forbidden = { ok: false, status: 403, error: 'common.forbidden' } as const
const notKiosk = { ok: false, status: 400, error: 'kiosk.notKiosk' } as const

/** An active kiosk link the user's scope covers. */
async function kioskLinkFor(
  db: Kysely<Database>,
  user: SessionUser,
  linkId: number,
): Promise<{ ok: true; link: LinkPlacement } | Failure> {
  const link = await findLinkPlacement(db, linkId)
  if (!link?.active) return notFound
  if (!canSee(user, { path: link.agencyPath })) return forbidden
  if (link.kind !== 'kiosk') return notKiosk
  return { ok: true, link }
}

/** The kiosk page of a link: what it is, and its devices (revoked ones as history). */
export async function kioskPage(db: Kysely<Database>, user: SessionUser, linkId: number) {
  const found = await kioskLinkFor(db, user, linkId)
  if (!found.ok) return found
  const { link } = found
  return {
    ok: true as const,
    link: {
      id: link.id,
      code: link.code,
      counterLabel: link.counterLabel,
      agencyNameVi: link.agencyNameVi,
      agencyNameEn: link.agencyNameEn,
    },
    devices: await listKioskDevices(db, link.id),
  }
}

export type EnrolResult = { ok: true; deviceId: number; setCookie: string; surveyPath: string } | Failure

/**
 * Enrols the browser making the request. A browser holds one device token: if it already held one that
 * the user may manage, that device is revoked in the same transaction (its token is gone anyway).
 */
export async function enrolKiosk(
  db: Kysely<Database>,
  config: Config,
  user: SessionUser,
  linkId: number,
  input: z.output<typeof enrolSchema>,
  cookieHeader: string | null,
): Promise<EnrolResult> {
  const found = await kioskLinkFor(db, user, linkId)
  if (!found.ok) return found
  const { link } = found
  const previousToken = await readKioskToken(config, cookieHeader)
  const previous = previousToken ? await findActiveKioskDevice(db, kioskTokenHash(config.secret, previousToken)) : null
  const previousLink = previous ? await findLinkPlacement(db, previous.linkId) : undefined
  const replaced = previous && previousLink && canSee(user, { path: previousLink.agencyPath }) ? previous : null
  const { token, setCookie } = await newKioskCookie(config)
  const now = new Date().toISOString()
  const deviceId = await db.transaction().execute(async (trx) => {
    if (replaced && (await revokeKioskDevice(trx, replaced.id, user.id, now)))
      await insertAudit(
        trx,
        {
          userId: user.id,
          actor: user.email,
          action: 'kiosk.revoke',
          entity: 'kiosk_device',
          entityId: String(replaced.id),
          details: { linkId: replaced.linkId, reason: 're-enrolled' },
        },
        now,
      )
    const id = await insertKioskDevice(
      trx,
      { tokenHash: kioskTokenHash(config.secret, token), linkId: link.id, label: input.label, enrolledBy: user.id },
      now,
    )
    await insertAudit(
      trx,
      {
        userId: user.id,
        actor: user.email,
        action: 'kiosk.enrol',
        entity: 'kiosk_device',
        entityId: String(id),
        details: { linkId: link.id, label: input.label },
      },
      now,
    )
    return id
  })
  return { ok: true, deviceId, setCookie, surveyPath: `/s/${encodeURIComponent(link.code)}` }
}

/** Revokes one of the link's devices; at once, since every request looks its device up. */
export async function revokeKiosk(
  db: Kysely<Database>,
  user: SessionUser,
  linkId: number,
  deviceId: number,
): Promise<{ ok: true } | Failure> {
  const found = await kioskLinkFor(db, user, linkId)
  if (!found.ok) return found
  const device = await findKioskDevice(db, deviceId)
  if (!device || device.linkId !== linkId) return notFound
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    if (!(await revokeKioskDevice(trx, device.id, user.id, now))) return
    await insertAudit(
      trx,
      {
        userId: user.id,
        actor: user.email,
        action: 'kiosk.revoke',
        entity: 'kiosk_device',
        entityId: String(device.id),
        details: { linkId, label: device.label },
      },
      now,
    )
  })
  return { ok: true }
}
