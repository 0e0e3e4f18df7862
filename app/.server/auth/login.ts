/**
 * Checking a password someone types: at sign-in, and as the current password on the account page. Cheap
 * refusals come first (a wait still running, a full queue at the scrypt gate), then one scrypt, for unknown
 * addresses too. Failures and the first refusal of each wait are audited; see sign-in-throttle.ts.
 */
import type { AppLoadContext } from '@remix-run/node'
import type { Role } from '#db/schema.ts'
import { insertAudit } from '../repos/audit.ts'
import { deleteExpiredSessions } from '../repos/sessions.ts'
import { markRefused } from '../repos/sign-in-throttle.ts'
import { findUserByEmail, setPasswordHash, type UserAccount } from '../repos/users.ts'
import type { KnownDevice } from './device.ts'
import { hashPassword, needsRehash, passwordGate, UNKNOWN_ACCOUNT_HASH, verifyHeld } from './password.ts'
import {
  accountSubject,
  deviceSubject,
  forgetFailures,
  networkSubject,
  recordFailure,
  runningWait,
  type Subject,
  sweepThrottles,
  unknownAccountSubject,
} from './sign-in-throttle.ts'

/** What a refused attempt tells the client: retry after this many seconds. */
export type PasswordRefusal =
  | { ok: false; error: 'invalid' }
  | { ok: false; error: 'throttled' | 'busy'; retryAfter: number }

export type LoginResult = { ok: true; userId: number; role: Role } | PasswordRefusal

/** How long a client told "busy" should wait: about what the queue in front of it takes to drain. */
const BUSY_RETRY_SECONDS = 5

type Purpose = 'sign_in' | 'current_password'

interface PasswordAttempt {
  purpose: Purpose
  /** The address as typed, trimmed and in lower case; its account if there is one. */
  email: string
  account: UserAccount | undefined
  password: string
  device: KnownDevice | null
}

/**
 * A device the account signed in from before answers for its own failures only; any other attempt counts
 * against the account (or the unknown address) and the client's network.
 */
function subjectsOf(context: AppLoadContext, attempt: PasswordAttempt): Subject[] {
  const { account, device } = attempt
  if (account && device?.userId === account.id) return [deviceSubject(device.nonce)]
  return [
    account ? accountSubject(account.id) : unknownAccountSubject(context.config.secret, attempt.email),
    networkSubject(context.config.secret, context.clientAddress),
  ]
}

function auditFields(context: AppLoadContext, attempt: PasswordAttempt) {
  return {
    userId: attempt.account?.id ?? null,
    // An address without an account is not written down: it is often a password typed in the wrong field.
    actor: attempt.account?.email ?? 'unknown account',
    entity: 'user',
    entityId: attempt.account ? String(attempt.account.id) : null,
    network: networkSubject(context.config.secret, context.clientAddress).key.slice('net:'.length, 'net:'.length + 12),
  }
}

async function refuseWhileWaiting(
  context: AppLoadContext,
  attempt: PasswordAttempt,
  subjects: Subject[],
  now: Date,
): Promise<PasswordRefusal | null> {
  const wait = await runningWait(context.db, subjects, now)
  if (!wait) return null
  // Only the first refusal of each wait is written: a flood of refused attempts costs no writes.
  const first = []
  for (const blocked of wait.blocked)
    if (!blocked.refused && (await markRefused(context.db, blocked.subject))) first.push(blocked.kind)
  if (first.length) {
    const { network, ...who } = auditFields(context, attempt)
    await insertAudit(
      context.db,
      {
        ...who,
        action: `auth.${attempt.purpose}_throttled`,
        details: { by: first, retryAfter: wait.retryAfter, network },
      },
      now.toISOString(),
    )
  }
  return { ok: false, error: 'throttled', retryAfter: wait.retryAfter }
}

async function checkPassword(
  context: AppLoadContext,
  attempt: PasswordAttempt,
  now: Date,
): Promise<{ ok: true; account: UserAccount } | PasswordRefusal> {
  const subjects = subjectsOf(context, attempt)
  const waiting = await refuseWhileWaiting(context, attempt, subjects, now)
  if (waiting) return waiting
  if (passwordGate.full()) return { ok: false, error: 'busy', retryAfter: BUSY_RETRY_SECONDS }
  // The turn at the gate covers the second look at the throttle, the scrypt and the recording of a
  // failure: the next attempt in the queue sees this one's outcome before it may run a scrypt of its own.
  return passwordGate.run(async () => {
    const refusal = await refuseWhileWaiting(context, attempt, subjects, now)
    if (refusal) return refusal
    const { account } = attempt
    const valid = await verifyHeld(attempt.password, account?.passwordHash ?? UNKNOWN_ACCOUNT_HASH)
    if (valid && account?.active) return { ok: true as const, account }
    // The wait runs from the failure, not from the request's start: a slow scrypt must not eat into it.
    const failedAt = new Date(Math.max(now.getTime(), Date.now()))
    const delay = await recordFailure(context.db, subjects, failedAt)
    const { network, ...who } = auditFields(context, attempt)
    await insertAudit(
      context.db,
      {
        ...who,
        action: `auth.${attempt.purpose}_failed`,
        details: { reason: !account ? 'unknown' : valid ? 'inactive' : 'password', delaySeconds: delay, network },
      },
      failedAt.toISOString(),
    )
    return { ok: false as const, error: 'invalid' as const }
  })
}

export async function authenticate(
  context: AppLoadContext,
  input: { email: string; password: string; device: KnownDevice | null },
  now = new Date(),
): Promise<LoginResult> {
  const email = input.email.trim().toLowerCase()
  const account = await findUserByEmail(context.db, email)
  const attempt = { purpose: 'sign_in' as const, email, account, password: input.password, device: input.device }
  const result = await checkPassword(context, attempt, now)
  if (!result.ok) return result
  const { id } = result.account
  // The owner got in: the account's count starts again. The network's does not (an attacker with an
  // account of their own could otherwise reset it).
  await forgetFailures(context.db, [accountSubject(id), ...(input.device ? [deviceSubject(input.device.nonce)] : [])])
  if (needsRehash(result.account.passwordHash))
    await setPasswordHash(context.db, id, await hashPassword(input.password))
  await deleteExpiredSessions(context.db, now.toISOString())
  await sweepThrottles(context.db, now)
  await insertAudit(
    context.db,
    { userId: id, actor: result.account.email, action: 'auth.sign_in', entity: 'user', entityId: String(id) },
    now.toISOString(),
  )
  return { ok: true, userId: id, role: result.account.role }
}

/** The account page's current-password check, throttled exactly like signing in. */
export async function checkCurrentPassword(
  context: AppLoadContext,
  user: { id: number; email: string },
  password: string,
  device: KnownDevice | null,
  now = new Date(),
): Promise<{ ok: true } | PasswordRefusal> {
  const account = await findUserByEmail(context.db, user.email)
  if (account?.id !== user.id) throw new Error(`signed-in user ${user.id} has no account row`)
  const result = await checkPassword(
    context,
    { purpose: 'current_password', email: account.email, account, password, device },
    now,
  )
  return result.ok ? { ok: true } : result
}
