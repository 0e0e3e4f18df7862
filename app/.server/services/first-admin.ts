/**
 * The first administrator. With no user in the database, each start issues a one-time set-up link
 * (valid 24 hours) instead of a default password; the link dies once an administrator exists.
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { hashToken, randomToken } from '../codes.ts'
import { claimSetupToken, findSetupToken, insertSetupToken } from '../repos/setup-tokens.ts'
import { countUsers } from '../repos/users.ts'
import { type CreateUserResult, createUser } from './users.ts'

const SETUP_VALIDITY_MS = 24 * 60 * 60 * 1000

/** Returns a fresh set-up token when there is no user yet, else null. */
export async function issueSetupToken(db: Kysely<Database>, now = new Date()): Promise<string | null> {
  if ((await countUsers(db)) > 0) return null
  const token = randomToken()
  await insertSetupToken(
    db,
    { tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + SETUP_VALIDITY_MS).toISOString() },
    now.toISOString(),
  )
  return token
}

export async function isSetupTokenValid(db: Kysely<Database>, token: string, now = new Date()): Promise<boolean> {
  const row = await findSetupToken(db, hashToken(token))
  return !!row && row.usedAt === null && row.expiresAt > now.toISOString() && (await countUsers(db)) === 0
}

export type FirstAdminResult =
  | { ok: true }
  | { ok: false; error: 'invalidLink' | Exclude<CreateUserResult, { ok: true }>['error'] }

export async function createFirstAdmin(
  db: Kysely<Database>,
  token: string,
  email: string,
  password: string,
): Promise<FirstAdminResult> {
  if (!(await isSetupTokenValid(db, token))) return { ok: false, error: 'invalidLink' }
  const now = new Date().toISOString()
  if (!(await claimSetupToken(db, hashToken(token), now))) return { ok: false, error: 'invalidLink' }
  const result = await createUser(db, { email, password, role: 'admin', agencyCode: null }, 'setup-link')
  return result.ok ? { ok: true } : result
}
