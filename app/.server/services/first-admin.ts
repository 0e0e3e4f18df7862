/**
 * The first administrator. With no user in the database, each start issues a one-time set-up link
 * (valid 24 hours) instead of a default password. Only the newest link works: issuing one closes the
 * others, and a link is claimed and its administrator created in one transaction, so two uses at once
 * (of one link or of two) create one administrator. Every link dies once an administrator exists.
 */
import type { Kysely } from 'kysely'
import { constraintViolation } from '#db/dialect.ts'
import type { Database } from '#db/schema.ts'
import { hashPassword } from '../auth/password.ts'
import { type PasswordProblem, passwordProblem } from '../auth/password-policy.ts'
import { hashToken, randomToken } from '../codes.ts'
import { insertAudit } from '../repos/audit.ts'
import { claimSetupToken, closeOpenSetupTokens, findSetupToken, insertSetupToken } from '../repos/setup-tokens.ts'
import { countUsers, insertUser } from '../repos/users.ts'

const SETUP_VALIDITY_MS = 24 * 60 * 60 * 1000
/** Two servers starting on one empty database may issue at the same moment: the later one tries again. */
const ISSUE_ATTEMPTS = 3

/** Returns a fresh set-up token when there is no user yet (the older links stop working), else null. */
export async function issueSetupToken(db: Kysely<Database>, now = new Date()): Promise<string | null> {
  const at = now.toISOString()
  for (let attempt = 1; ; attempt++) {
    const token = randomToken()
    try {
      const issued = await db.transaction().execute(async (trx) => {
        if ((await countUsers(trx)) > 0) return false
        await closeOpenSetupTokens(trx, at)
        const expiresAt = new Date(now.getTime() + SETUP_VALIDITY_MS).toISOString()
        await insertSetupToken(trx, { tokenHash: hashToken(token), expiresAt }, at)
        return true
      })
      return issued ? token : null
    } catch (error) {
      if (attempt < ISSUE_ATTEMPTS && constraintViolation(error)?.kind === 'unique') continue
      throw error
    }
  }
}

export async function isSetupTokenValid(db: Kysely<Database>, token: string, now = new Date()): Promise<boolean> {
  const row = await findSetupToken(db, hashToken(token))
  return !!row && row.usedAt === null && row.expiresAt > now.toISOString() && (await countUsers(db)) === 0
}

export type FirstAdminResult = { ok: true } | { ok: false; error: 'invalidLink' | PasswordProblem }

/** Thrown inside the transaction to roll the claim back when an administrator exists already. */
class LinkSpent extends Error {}

export async function createFirstAdmin(
  db: Kysely<Database>,
  token: string,
  email: string,
  password: string,
  now = new Date(),
): Promise<FirstAdminResult> {
  const problem = passwordProblem(password, email)
  if (problem) return { ok: false, error: problem }
  // A dead link costs no scrypt; the transaction below decides for real.
  if (!(await isSetupTokenValid(db, token, now))) return { ok: false, error: 'invalidLink' }
  const passwordHash = await hashPassword(password)
  const at = now.toISOString()
  try {
    await db.transaction().execute(async (trx) => {
      // Claiming first: a second use of the link waits on this row and then finds it used.
      if (!(await claimSetupToken(trx, hashToken(token), at))) throw new LinkSpent()
      if ((await countUsers(trx)) > 0) throw new LinkSpent()
      const id = await insertUser(trx, { email, passwordHash, role: 'admin', agencyId: null }, at)
      await insertAudit(
        trx,
        {
          userId: null,
          actor: 'setup-link',
          action: 'user.create',
          entity: 'user',
          entityId: String(id),
          details: { email: email.toLowerCase(), role: 'admin', agencyCode: null },
        },
        at,
      )
    })
  } catch (error) {
    if (error instanceof LinkSpent) return { ok: false, error: 'invalidLink' }
    throw error
  }
  return { ok: true }
}
