/**
 * Raw microdata — one row per response with suggestions, profiles and days — is personal data under Decree
 * 13/2023, so downloading it is a permission of its own: administrators always have it; anyone else only
 * when an administrator grants it on the users page. Scores stay open to every analyst in scope.
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import type { SessionUser } from '../auth/session.ts'
import { insertAudit } from '../repos/audit.ts'
import { hasMicrodataFlag, listMicrodataHolders, setMicrodataFlag } from '../repos/microdata-permission.ts'

export async function canExportMicrodata(db: Kysely<Database>, user: Pick<SessionUser, 'id' | 'role'>) {
  return user.role === 'admin' || (await hasMicrodataFlag(db, user.id))
}

/** The users an administrator may grant the permission to; null for anyone else (they see no form). */
export async function microdataHolders(db: Kysely<Database>, actor: SessionUser) {
  return actor.role === 'admin' ? listMicrodataHolders(db) : null
}

export type SetMicrodataResult = { ok: true } | { ok: false; status: 403 | 404; error: string }

export async function setMicrodataPermission(
  db: Kysely<Database>,
  actor: SessionUser,
  userId: number,
  granted: boolean,
): Promise<SetMicrodataResult> {
  if (actor.role !== 'admin') return { ok: false, status: 403, error: 'common.forbidden' }
  return db.transaction().execute(async (trx) => {
    if (!(await setMicrodataFlag(trx, userId, granted))) return { ok: false, status: 404, error: 'common.notFound' }
    await insertAudit(
      trx,
      {
        userId: actor.id,
        actor: actor.email,
        action: granted ? 'user.microdata.grant' : 'user.microdata.revoke',
        entity: 'user',
        entityId: String(userId),
      },
      new Date().toISOString(),
    )
    return { ok: true } as const
  })
}
