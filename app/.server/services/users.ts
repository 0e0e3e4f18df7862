/**
 * Accounts: created from the CLI, the first-administrator setup page or the users page, where agency
 * managers create and lock accounts inside their own subtree only.
 */
import type { AppLoadContext } from '@remix-run/node'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import { constraintViolation } from '#db/dialect.ts'
import type { Database, Role } from '#db/schema.ts'
import type { KnownDevice } from '../auth/device.ts'
import { checkCurrentPassword } from '../auth/login.ts'
import { hashPassword } from '../auth/password.ts'
import { accountSubject, accountThrottles, forgetFailures } from '../auth/sign-in-throttle.ts'
import {
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  type PasswordProblem,
  passwordProblem,
} from '../auth/password-policy.ts'
import { canSee } from '../auth/scope.ts'
import type { SessionUser } from '../auth/session.ts'
import { findAgencyByCode } from '../repos/agencies.ts'
import { listCurrentAgencies } from '../repos/agency-tree.ts'
import { insertAudit } from '../repos/audit.ts'
import { deleteSessionsOfUser } from '../repos/sessions.ts'
import {
  deactivateUser,
  findUserByEmail,
  findUserPlacement,
  insertUser,
  listUsers,
  setPasswordHash,
} from '../repos/users.ts'

/** Length first (cheap, and zod reports it per field); the full policy runs where the e-mail is known. */
export const newPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, { message: 'errors.passwordTooShort' })
  .max(MAX_PASSWORD_LENGTH, { message: 'errors.passwordTooLong' })

/** For schemas holding a new password and the e-mail it belongs to: common passwords and the e-mail itself are refused. */
export function refusePasswordProblem(value: { password: string; email: string }, ctx: z.RefinementCtx) {
  const problem = passwordProblem(value.password, value.email)
  if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['password'] })
}

export const newUserSchema = z
  .object({
    email: z.string().trim().toLowerCase().email({ message: 'errors.email' }),
    role: z.enum(['admin', 'manager', 'analyst'], { message: 'errors.role' }),
    agencyCode: z.string().trim().min(1).nullable(),
    password: newPassword,
  })
  .refine((u) => u.role === 'admin' || u.agencyCode !== null, {
    message: 'errors.agencyRequired',
    path: ['agencyCode'],
  })
  .superRefine(refusePasswordProblem)

export type NewUser = z.input<typeof newUserSchema>

export type CreateUserResult =
  | { ok: true; userId: number }
  | { ok: false; error: 'errors.emailTaken' | 'errors.unknownAgency' | PasswordProblem }

export async function createUser(
  db: Kysely<Database>,
  input: z.output<typeof newUserSchema>,
  actor: string,
): Promise<CreateUserResult> {
  // Every path that sets a password comes through here or changePassword: the policy holds for all of them.
  const problem = passwordProblem(input.password, input.email)
  if (problem) return { ok: false, error: problem }
  let agencyId: number | null = null
  if (input.agencyCode) {
    const agency = await findAgencyByCode(db, input.agencyCode)
    if (!agency) return { ok: false, error: 'errors.unknownAgency' }
    agencyId = agency.id
  }
  // Hashed before the address is looked up: a taken address answers no sooner than a new one.
  const passwordHash = await hashPassword(input.password)
  if (await findUserByEmail(db, input.email)) return { ok: false, error: 'errors.emailTaken' }
  const now = new Date().toISOString()
  let userId: number
  try {
    userId = await db.transaction().execute(async (trx) => {
      const id = await insertUser(trx, { email: input.email, passwordHash, role: input.role as Role, agencyId }, now)
      await insertAudit(
        trx,
        {
          userId: null,
          actor,
          action: 'user.create',
          entity: 'user',
          entityId: String(id),
          details: { email: input.email, role: input.role, agencyCode: input.agencyCode },
        },
        now,
      )
      return id
    })
  } catch (error) {
    // The same address created by a concurrent request between the look-up and the insert.
    if (constraintViolation(error)?.kind === 'unique') return { ok: false, error: 'errors.emailTaken' }
    throw error
  }
  return { ok: true, userId }
}

export async function usersPage(db: Kysely<Database>, user: SessionUser, now = new Date()) {
  const users = await listUsers(db, user)
  const throttles = await accountThrottles(
    db,
    users.map((u) => u.id),
    now,
  )
  return {
    // Failed sign-ins not yet forgotten, so an administrator sees who is being guessed at and can unlock.
    users: users.map((u) => ({ ...u, signInFailures: throttles.get(u.id)?.failures ?? 0 })),
    agencies: await listCurrentAgencies(db, user),
    canCreateAdmins: user.role === 'admin',
    me: user.id,
  }
}

export type ManageUserResult = { ok: true } | { ok: false; status: 400 | 403 | 404 | 409; error: string }

/** createUser on behalf of a signed-in user: managers create analysts and managers inside their subtree only. */
export async function createUserAs(
  db: Kysely<Database>,
  user: SessionUser,
  input: z.output<typeof newUserSchema>,
): Promise<ManageUserResult> {
  if (user.role !== 'admin') {
    const agency = input.agencyCode ? await findAgencyByCode(db, input.agencyCode) : undefined
    if (input.role === 'admin' || !agency || !canSee(user, agency))
      return { ok: false, status: 403, error: 'users.roleNotAllowed' }
  }
  const result = await createUser(db, input, user.email)
  if (result.ok) return { ok: true }
  if (result.error === 'errors.emailTaken') {
    // Administrators list every account anyway. A manager gets the answer a new address gets, so the form
    // cannot probe which addresses have accounts elsewhere; the attempt is audited and the owner untouched.
    if (user.role === 'admin') return { ok: false, status: 409, error: result.error }
    await insertAudit(
      db,
      {
        userId: user.id,
        actor: user.email,
        action: 'user.create_existing',
        entity: 'user',
        entityId: null,
        details: { email: input.email, role: input.role, agencyCode: input.agencyCode },
      },
      new Date().toISOString(),
    )
    return { ok: true }
  }
  return { ok: false, status: result.error === 'errors.unknownAgency' ? 404 : 400, error: result.error }
}

type Target = NonNullable<Awaited<ReturnType<typeof findUserPlacement>>>

/** Who may lock or unlock whom: administrators anyone; managers non-administrators of their subtree. */
async function manageableTarget(
  db: Kysely<Database>,
  user: SessionUser,
  targetId: number,
): Promise<{ ok: true; target: Target } | { ok: false; status: 403 | 404; error: string }> {
  const target = await findUserPlacement(db, targetId)
  if (!target) return { ok: false, status: 404, error: 'common.notFound' }
  if (
    user.role !== 'admin' &&
    (target.role === 'admin' || !target.agencyPath || !canSee(user, { path: target.agencyPath }))
  )
    return { ok: false, status: 403, error: 'common.forbidden' }
  return { ok: true, target }
}

/** Locks an account; nobody locks their own, and managers lock only non-administrators of their subtree. */
export async function deactivateUserAs(
  db: Kysely<Database>,
  user: SessionUser,
  targetId: number,
): Promise<ManageUserResult> {
  if (targetId === user.id) return { ok: false, status: 400, error: 'common.invalid' }
  const found = await manageableTarget(db, user, targetId)
  if (!found.ok) return found
  const { target } = found
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    await deactivateUser(trx, target.id)
    // Locking an account signs it out everywhere at once: sessions live in the database for this.
    await deleteSessionsOfUser(trx, target.id)
    await insertAudit(
      trx,
      { userId: user.id, actor: user.email, action: 'user.deactivate', entity: 'user', entityId: String(target.id) },
      now,
    )
  })
  return { ok: true }
}

/**
 * Ends the sign-in wait of an account: its failed attempts are forgotten, so the owner signs in at once
 * from any device. The networks and devices the failures came from stay slowed.
 */
export async function unlockUserAs(
  db: Kysely<Database>,
  user: SessionUser,
  targetId: number,
): Promise<ManageUserResult> {
  const found = await manageableTarget(db, user, targetId)
  if (!found.ok) return found
  const { target } = found
  await db.transaction().execute(async (trx) => {
    await forgetFailures(trx, [accountSubject(target.id)])
    await insertAudit(
      trx,
      { userId: user.id, actor: user.email, action: 'user.unlock', entity: 'user', entityId: String(target.id) },
      new Date().toISOString(),
    )
  })
  return { ok: true }
}

export const passwordChangeSchema = z
  .object({
    current: z.string().min(1).max(MAX_PASSWORD_LENGTH),
    password: newPassword,
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { message: 'errors.passwordMismatch', path: ['confirm'] })

export type ChangePasswordResult =
  | { ok: true }
  | { ok: false; error: 'auth.wrongPassword' | PasswordProblem }
  | { ok: false; error: 'auth.throttled' | 'auth.busy'; retryAfter: number }

/**
 * A user changes their own password. The current password is checked like a sign-in (throttled, audited):
 * a stolen session must not become a way to guess it. Every session of theirs ends (a stolen cookie stops
 * working); the caller opens a fresh one for the current browser.
 */
export async function changePassword(
  context: AppLoadContext,
  user: SessionUser,
  input: z.output<typeof passwordChangeSchema>,
  device: KnownDevice | null,
): Promise<ChangePasswordResult> {
  const problem = passwordProblem(input.password, user.email)
  if (problem) return { ok: false, error: problem }
  const check = await checkCurrentPassword(context, user, input.current, device)
  if (!check.ok) {
    if (check.error === 'invalid') return { ok: false, error: 'auth.wrongPassword' }
    return { ok: false, error: `auth.${check.error}`, retryAfter: check.retryAfter }
  }
  const now = new Date().toISOString()
  const hash = await hashPassword(input.password)
  await context.db.transaction().execute(async (trx) => {
    await setPasswordHash(trx, user.id, hash)
    await deleteSessionsOfUser(trx, user.id)
    await insertAudit(
      trx,
      { userId: user.id, actor: user.email, action: 'user.change_password', entity: 'user', entityId: String(user.id) },
      now,
    )
  })
  return { ok: true }
}
