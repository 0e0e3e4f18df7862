/**
 * Failed sign-ins per subject (an account, a client network, a known device), in the database so every
 * server behind a balancer sees the same counts. Each write is one statement that reads and changes the
 * row together, so two servers recording failures at once both count.
 */
import type { Executor } from './questionnaires.ts'

export interface ThrottleState {
  subject: string
  failures: number
  lastFailureAt: string
  blockedUntil: string
  /** True once an attempt was refused since the last failure (that refusal was audited). */
  refused: boolean
}

export async function findThrottles(db: Executor, subjects: string[]): Promise<ThrottleState[]> {
  if (!subjects.length) return []
  const rows = await db
    .selectFrom('sign_in_throttle')
    .select(['subject', 'failures', 'last_failure_at', 'blocked_until', 'refused'])
    .where('subject', 'in', subjects)
    .execute()
  return rows.map((r) => ({
    subject: r.subject,
    failures: r.failures,
    lastFailureAt: r.last_failure_at,
    blockedUntil: r.blocked_until,
    refused: r.refused !== 0,
  }))
}

/**
 * One more failure for the subject; failures older than `forgetBefore` are forgotten first. Returns the
 * count including this one; the caller decides the delay and sets it with `blockUntil`.
 */
export async function addFailure(db: Executor, subject: string, now: string, forgetBefore: string): Promise<number> {
  const row = await db
    .insertInto('sign_in_throttle')
    .values({ subject, failures: 1, last_failure_at: now, blocked_until: now, refused: 0 })
    .onConflict((oc) =>
      oc.column('subject').doUpdateSet((eb) => ({
        failures: eb
          .case()
          .when('sign_in_throttle.last_failure_at', '<', forgetBefore)
          .then(1)
          .else(eb('sign_in_throttle.failures', '+', 1))
          .end(),
        last_failure_at: now,
        refused: 0,
      })),
    )
    .returning('failures')
    .executeTakeFirstOrThrow()
  return row.failures
}

/** Never shortens a delay another server has just set. */
export async function blockUntil(db: Executor, subject: string, until: string): Promise<void> {
  await db
    .updateTable('sign_in_throttle')
    .set({ blocked_until: until })
    .where('subject', '=', subject)
    .where('blocked_until', '<', until)
    .execute()
}

/** Marks the subject's first refused attempt since its last failure; true when this call was that first. */
export async function markRefused(db: Executor, subject: string): Promise<boolean> {
  const result = await db
    .updateTable('sign_in_throttle')
    .set({ refused: 1 })
    .where('subject', '=', subject)
    .where('refused', '=', 0)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function clearThrottles(db: Executor, subjects: string[]): Promise<void> {
  if (subjects.length) await db.deleteFrom('sign_in_throttle').where('subject', 'in', subjects).execute()
}

/** Rows whose failures are forgotten and whose delay has passed carry nothing: dropped. */
export async function purgeStaleThrottles(db: Executor, forgetBefore: string, now: string): Promise<void> {
  await db
    .deleteFrom('sign_in_throttle')
    .where('last_failure_at', '<', forgetBefore)
    .where('blocked_until', '<', now)
    .execute()
}
