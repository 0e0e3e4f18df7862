/** Password sign-in with throttling of failed attempts per account and per client. */
import type { AppLoadContext } from '@remix-run/node'
import { keyedHash } from '../codes.ts'
import { insertAudit } from '../repos/audit.ts'
import { findUserByEmail, setPasswordHash } from '../repos/users.ts'
import { hashPassword, needsRehash, UNKNOWN_ACCOUNT_HASH, verifyPassword } from './password.ts'

const WINDOW_MS = 15 * 60 * 1000
export const MAX_FAILURES_PER_ACCOUNT = 5
const MAX_FAILURES_PER_CLIENT = 30

/** Failed attempts in the current window, per keyed hash. Process-wide on purpose. */
const failures = new Map<string, { start: number; count: number }>()

function failureCount(key: string, now: number): number {
  const entry = failures.get(key)
  if (!entry || now - entry.start >= WINDOW_MS) return 0
  return entry.count
}

function recordFailure(key: string, now: number) {
  // Bounded memory under a flood of made-up accounts: expired windows are dropped first.
  if (failures.size > 50_000) for (const [k, e] of failures) if (now - e.start >= WINDOW_MS) failures.delete(k)
  const entry = failures.get(key)
  if (!entry || now - entry.start >= WINDOW_MS) failures.set(key, { start: now, count: 1 })
  else entry.count++
}

export type LoginResult = { ok: true; userId: number } | { ok: false; error: 'invalid' | 'throttled' }

export async function authenticate(
  context: AppLoadContext,
  email: string,
  password: string,
  now = Date.now(),
): Promise<LoginResult> {
  const account = keyedHash(context.config.secret, `login:${email.trim().toLowerCase()}`)
  const client = keyedHash(context.config.secret, `login-client:${context.clientAddress}`)
  // A locked account stays locked for the window, even for the right password.
  if (failureCount(account, now) >= MAX_FAILURES_PER_ACCOUNT || failureCount(client, now) >= MAX_FAILURES_PER_CLIENT) {
    return { ok: false, error: 'throttled' }
  }
  const user = await findUserByEmail(context.db, email.trim())
  const valid = await verifyPassword(password, user?.passwordHash ?? UNKNOWN_ACCOUNT_HASH)
  if (!user || !valid || !user.active) {
    recordFailure(account, now)
    recordFailure(client, now)
    return { ok: false, error: 'invalid' }
  }
  if (needsRehash(user.passwordHash)) await setPasswordHash(context.db, user.id, await hashPassword(password))
  await insertAudit(
    context.db,
    { userId: user.id, actor: user.email, action: 'auth.sign_in', entity: 'user', entityId: String(user.id) },
    new Date(now).toISOString(),
  )
  return { ok: true, userId: user.id }
}
