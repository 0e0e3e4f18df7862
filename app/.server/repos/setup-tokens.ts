/**
 * One-time links that let the first administrator create their account; only their hash is stored. At
 * most one is open (unused) at a time: a partial unique index says so, and issuing closes the others.
 */
import type { Executor } from './questionnaires.ts'

export interface SetupToken {
  expiresAt: string
  usedAt: string | null
}

export async function insertSetupToken(
  db: Executor,
  input: { tokenHash: string; expiresAt: string },
  now: string,
): Promise<void> {
  await db
    .insertInto('setup_token')
    .values({ token_hash: input.tokenHash, created_at: now, expires_at: input.expiresAt, used_at: null })
    .execute()
}

/** Closes every open link (marks it used now): issuing a new one invalidates the old ones. */
export async function closeOpenSetupTokens(db: Executor, now: string): Promise<void> {
  await db.updateTable('setup_token').set({ used_at: now }).where('used_at', 'is', null).execute()
}

export async function findSetupToken(db: Executor, tokenHash: string): Promise<SetupToken | undefined> {
  const row = await db
    .selectFrom('setup_token')
    .select(['expires_at', 'used_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst()
  return row && { expiresAt: row.expires_at, usedAt: row.used_at }
}

/**
 * Marks the link used if it is open and unexpired; true when this call claimed it. The update locks the
 * row, so of two transactions claiming the same link the second waits and then finds it used.
 */
export async function claimSetupToken(db: Executor, tokenHash: string, now: string): Promise<boolean> {
  const claimed = await db
    .updateTable('setup_token')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst()
  return Number(claimed.numUpdatedRows) === 1
}
