/** Tablets enrolled for a kiosk link: only the keyed hash of each device token is kept. */
import type { Executor } from './questionnaires.ts'

export interface KioskDevice {
  id: number
  linkId: number
  label: string
  enrolledAt: string
  /** The e-mail of the user who enrolled it (null if that account is gone). */
  enrolledBy: string | null
  revokedAt: string | null
  revokedBy: string | null
}

export async function insertKioskDevice(
  db: Executor,
  input: { tokenHash: string; linkId: number; label: string; enrolledBy: number },
  now: string,
): Promise<number> {
  const { id } = await db
    .insertInto('kiosk_device')
    .values({
      token_hash: input.tokenHash,
      link_id: input.linkId,
      label: input.label,
      enrolled_at: now,
      enrolled_by: input.enrolledBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

/** The unrevoked device holding this token hash, with the link it was enrolled for. */
export async function findActiveKioskDevice(
  db: Executor,
  tokenHash: string,
): Promise<{ id: number; linkId: number } | undefined> {
  const row = await db
    .selectFrom('kiosk_device')
    .select(['id', 'link_id'])
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return row && { id: row.id, linkId: row.link_id }
}

export async function findKioskDevice(
  db: Executor,
  id: number,
): Promise<{ id: number; linkId: number; label: string; revokedAt: string | null } | undefined> {
  const row = await db
    .selectFrom('kiosk_device')
    .select(['id', 'link_id', 'label', 'revoked_at'])
    .where('id', '=', id)
    .executeTakeFirst()
  return row && { id: row.id, linkId: row.link_id, label: row.label, revokedAt: row.revoked_at }
}

/** A link's devices, the newest enrolment first, revoked ones included (they are history). */
export async function listKioskDevices(db: Executor, linkId: number): Promise<KioskDevice[]> {
  const rows = await db
    .selectFrom('kiosk_device as d')
    .leftJoin('user as e', 'e.id', 'd.enrolled_by')
    .leftJoin('user as r', 'r.id', 'd.revoked_by')
    .select([
      'd.id',
      'd.link_id',
      'd.label',
      'd.enrolled_at',
      'd.revoked_at',
      'e.email as enrolled_email',
      'r.email as revoked_email',
    ])
    .where('d.link_id', '=', linkId)
    .orderBy('d.id', 'desc')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    linkId: r.link_id,
    label: r.label,
    enrolledAt: r.enrolled_at,
    enrolledBy: r.enrolled_email,
    revokedAt: r.revoked_at,
    revokedBy: r.revoked_email,
  }))
}

/** Revokes an unrevoked device; false when it was already revoked. */
export async function revokeKioskDevice(db: Executor, id: number, userId: number, now: string): Promise<boolean> {
  const result = await db
    .updateTable('kiosk_device')
    .set({ revoked_at: now, revoked_by: userId })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}
