/** Sign-in sessions, kept in the database so that an administrator can end them. */
import type { Role } from '#db/schema.ts'
import type { Executor } from './questionnaires.ts'

/** The signed-in user a session belongs to, with what deciding whether it still counts needs. */
export interface SessionHolder {
  id: number
  email: string
  role: Role
  agencyId: number | null
  agencyPath: string | null
  active: boolean
  expiresAt: string
}

export async function insertSession(
  db: Executor,
  input: { id: string; userId: number; expiresAt: string },
  now: string,
): Promise<void> {
  await db
    .insertInto('session')
    .values({ id: input.id, user_id: input.userId, created_at: now, expires_at: input.expiresAt })
    .execute()
}

export async function findSessionHolder(db: Executor, sessionId: string): Promise<SessionHolder | undefined> {
  const row = await db
    .selectFrom('session as s')
    .innerJoin('user as u', 'u.id', 's.user_id')
    .leftJoin('agency as a', 'a.id', 'u.agency_id')
    .select(['u.id', 'u.email', 'u.role', 'u.agency_id', 'u.active', 's.expires_at', 'a.path'])
    .where('s.id', '=', sessionId)
    .executeTakeFirst()
  return (
    row && {
      id: row.id,
      email: row.email,
      role: row.role,
      agencyId: row.agency_id,
      agencyPath: row.path,
      active: row.active === 1,
      expiresAt: row.expires_at,
    }
  )
}

export async function deleteSession(db: Executor, sessionId: string): Promise<void> {
  await db.deleteFrom('session').where('id', '=', sessionId).execute()
}

/** Signs the user out everywhere. */
export async function deleteSessionsOfUser(db: Executor, userId: number): Promise<void> {
  await db.deleteFrom('session').where('user_id', '=', userId).execute()
}

/** Sessions past their expiry sign nobody in; they are dropped rather than kept forever. */
export async function deleteExpiredSessions(db: Executor, now: string): Promise<number> {
  const result = await db.deleteFrom('session').where('expires_at', '<=', now).executeTakeFirst()
  return Number(result.numDeletedRows)
}
