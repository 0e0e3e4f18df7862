/**
 * The first administrator. With no user in the database, each start issues a one-time set-up link
 * (valid 24 hours) instead of a default password; the link dies once an administrator exists.
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { hashToken, randomToken } from '../codes.ts'
import { countUsers } from '../repos/users.ts'
import { createUser } from './users.ts'

const SETUP_VALIDITY_MS = 24 * 60 * 60 * 1000

/** Returns a fresh set-up token when there is no user yet, else null. */
export async function issueSetupToken(db: Kysely<Database>, now = new Date()): Promise<string | null> {
  if ((await countUsers(db)) > 0) return null
  const token = randomToken()
  await db
    .insertInto('setup_token')
    .values({
      token_hash: hashToken(token),
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SETUP_VALIDITY_MS).toISOString(),
      used_at: null,
    })
    .execute()
  return token
}

export async function isSetupTokenValid(db: Kysely<Database>, token: string, now = new Date()): Promise<boolean> {
  const row = await db
    .selectFrom('setup_token')
    .selectAll()
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst()
  return !!row && row.used_at === null && row.expires_at > now.toISOString() && (await countUsers(db)) === 0
}

export type FirstAdminResult =
  | { ok: true }
  | { ok: false; error: 'invalidLink' | 'errors.emailTaken' | 'errors.unknownAgency' }

export async function createFirstAdmin(
  db: Kysely<Database>,
  token: string,
  email: string,
  password: string,
): Promise<FirstAdminResult> {
  if (!(await isSetupTokenValid(db, token))) return { ok: false, error: 'invalidLink' }
  const now = new Date().toISOString()
  const claimed = await db
    .updateTable('setup_token')
    .set({ used_at: now })
    .where('token_hash', '=', hashToken(token))
    .where('used_at', 'is', null)
    .executeTakeFirst()
  if (Number(claimed.numUpdatedRows) !== 1) return { ok: false, error: 'invalidLink' }
  const result = await createUser(db, { email, password, role: 'admin', agencyCode: null }, 'setup-link')
  return result.ok ? { ok: true } : result
}
