/** One-time links that let the first administrator create their account; only their hash is stored. */
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

export async function findSetupToken(db: Executor, tokenHash: string): Promise<SetupToken | undefined> {
  const row = await db
    .selectFrom('setup_token')
    .select(['expires_at', 'used_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst()
  return row && { expiresAt: row.expires_at, usedAt: row.used_at }
}

/** Marks the token used unless it already was; true when this call claimed it (two racing submits: one wins). */
export async function claimSetupToken(db: Executor, tokenHash: string, now: string): Promise<boolean> {
  const claimed = await db
    .updateTable('setup_token')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .executeTakeFirst()
  return Number(claimed.numUpdatedRows) === 1
}
