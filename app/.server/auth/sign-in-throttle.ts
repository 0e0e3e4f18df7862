/**
 * Sign-in is slowed, never locked (see the decision record in docs/decisions). Failures are counted per
 * subject: the account, the client network (IPv4 /32, IPv6 /64) and, for a browser the account signed in
 * from before, that device. After a few free failures each further one doubles the wait before the next
 * attempt, up to five minutes; a day without failures forgets them. Nothing here ever refuses the right
 * password for longer than the current wait, and a known device is not slowed by failures from elsewhere.
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { networkOf } from '../anti-rigging/client-network.ts'
import { hashToken, keyedHash } from '../codes.ts'
import {
  addFailure,
  blockUntil,
  clearThrottles,
  findThrottles,
  purgeStaleThrottles,
  type ThrottleState,
} from '../repos/sign-in-throttle.ts'

export type SubjectKind = 'account' | 'network' | 'device'

export interface Subject {
  kind: SubjectKind
  /** The row's key: never an address or an e-mail in clear. */
  key: string
}

/**
 * Failures allowed before any wait. An account gets few (it is the target of guessing); a network more,
 * since offices and mobile carriers put many people behind one address; a known device in between.
 */
const FREE_FAILURES: Record<SubjectKind, number> = { account: 3, network: 10, device: 5 }
export const MAX_DELAY_SECONDS = 300
export const FORGET_AFTER_MS = 24 * 60 * 60 * 1000

/** The wait after the `failures`-th failure: 0 while free, then 1 s, 2 s, 4 s … up to five minutes. */
export function delaySeconds(kind: SubjectKind, failures: number): number {
  const beyond = failures - FREE_FAILURES[kind]
  return beyond <= 0 ? 0 : Math.min(2 ** (beyond - 1), MAX_DELAY_SECONDS)
}

export const accountSubject = (userId: number): Subject => ({ kind: 'account', key: `user:${userId}` })

/** Addresses without an account are slowed too, or trying them would say which ones exist. */
export function unknownAccountSubject(secret: string, email: string): Subject {
  return { kind: 'account', key: `email:${keyedHash(secret, `sign-in-email:${email}`).slice(0, 32)}` }
}

const NETWORK = { prefixV4: 32, prefixV6: 64 }

export function networkSubject(secret: string, address: string): Subject {
  return {
    kind: 'network',
    key: `net:${keyedHash(secret, `sign-in-network:${networkOf(address, NETWORK)}`).slice(0, 32)}`,
  }
}

export function deviceSubject(nonce: string): Subject {
  return { kind: 'device', key: `device:${hashToken(nonce).slice(0, 32)}` }
}

const forgetBefore = (now: Date) => new Date(now.getTime() - FORGET_AFTER_MS).toISOString()

export interface Wait {
  /** Whole seconds until the longest running delay ends (for Retry-After). */
  retryAfter: number
  /** The subjects whose delay is running. */
  blocked: Array<ThrottleState & { kind: SubjectKind }>
}

/** The delays running for any of the subjects, or null when an attempt may go ahead now. */
export async function runningWait(db: Kysely<Database>, subjects: Subject[], now: Date): Promise<Wait | null> {
  const states = await findThrottles(
    db,
    subjects.map((s) => s.key),
  )
  const at = now.toISOString()
  const kindOf = new Map(subjects.map((s) => [s.key, s.kind]))
  const blocked = states.filter((s) => s.blockedUntil > at).map((s) => ({ ...s, kind: kindOf.get(s.subject)! }))
  if (!blocked.length) return null
  const until = Math.max(...blocked.map((s) => Date.parse(s.blockedUntil)))
  return { retryAfter: Math.max(1, Math.ceil((until - now.getTime()) / 1000)), blocked }
}

/** Counts a failure for every subject and starts their waits; returns the longest wait started, in seconds. */
export async function recordFailure(db: Kysely<Database>, subjects: Subject[], now: Date): Promise<number> {
  let longest = 0
  for (const subject of subjects) {
    const failures = await addFailure(db, subject.key, now.toISOString(), forgetBefore(now))
    const delay = delaySeconds(subject.kind, failures)
    if (delay > 0) await blockUntil(db, subject.key, new Date(now.getTime() + delay * 1000).toISOString())
    longest = Math.max(longest, delay)
  }
  return longest
}

export async function forgetFailures(db: Kysely<Database>, subjects: Subject[]): Promise<void> {
  await clearThrottles(
    db,
    subjects.map((s) => s.key),
  )
}

/** Drops rows with nothing left to say (failures forgotten, wait over). */
export async function sweepThrottles(db: Kysely<Database>, now: Date): Promise<void> {
  await purgeStaleThrottles(db, forgetBefore(now), now.toISOString())
}

/** An account's state for the users page: failures not yet forgotten and the wait, if any. */
export async function accountThrottles(
  db: Kysely<Database>,
  userIds: number[],
  now: Date,
): Promise<Map<number, { failures: number; blockedUntil: string | null }>> {
  const states = await findThrottles(
    db,
    userIds.map((id) => accountSubject(id).key),
  )
  const at = now.toISOString()
  return new Map(
    states
      .filter((s) => s.lastFailureAt >= forgetBefore(now))
      .map((s) => [
        Number(s.subject.slice('user:'.length)),
        { failures: s.failures, blockedUntil: s.blockedUntil > at ? s.blockedUntil : null },
      ]),
  )
}
