/** Queries on user accounts. */
import type { Role } from '#db/schema.ts'
import { type Scope, whereInScope } from '../auth/scope.ts'
import type { Executor } from './questionnaires.ts'

/** An account as signing in needs it. */
export interface UserAccount {
  id: number
  email: string
  role: Role
  agencyId: number | null
  active: boolean
  passwordHash: string
}

export interface UserListing {
  id: number
  email: string
  role: Role
  active: boolean
  agencyCode: string | null
}

/** A user with the place of their agency in the tree: who may manage them depends on it. */
export interface UserPlacement {
  id: number
  role: Role
  agencyPath: string | null
}

export async function countUsers(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('user')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function findUserByEmail(db: Executor, email: string): Promise<UserAccount | undefined> {
  const row = await db
    .selectFrom('user')
    .select(['id', 'email', 'role', 'agency_id', 'active', 'password_hash'])
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst()
  return (
    row && {
      id: row.id,
      email: row.email,
      role: row.role,
      agencyId: row.agency_id,
      active: row.active === 1,
      passwordHash: row.password_hash,
    }
  )
}

export async function insertUser(
  db: Executor,
  input: { email: string; passwordHash: string; role: Role; agencyId: number | null },
  now: string,
) {
  const { id } = await db
    .insertInto('user')
    .values({
      email: input.email.toLowerCase(),
      password_hash: input.passwordHash,
      role: input.role,
      agency_id: input.agencyId,
      active: 1,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

/**
 * The users of agencies in the scope, by email. Users without an agency (administrators) have no place
 * in the tree, so only a scope that sees everything lists them.
 */
export async function listUsers(db: Executor, scope: Scope): Promise<UserListing[]> {
  const rows = await whereInScope(
    db
      .selectFrom('user as u')
      .leftJoin('agency as a', 'a.id', 'u.agency_id')
      .select(['u.id', 'u.email', 'u.role', 'u.active', 'a.code']),
    'a.path',
    scope,
  )
    .orderBy('u.email')
    .execute()
  return rows.map((r) => ({ id: r.id, email: r.email, role: r.role, active: r.active === 1, agencyCode: r.code }))
}

export async function findUserPlacement(db: Executor, id: number): Promise<UserPlacement | undefined> {
  const row = await db
    .selectFrom('user as u')
    .leftJoin('agency as a', 'a.id', 'u.agency_id')
    .select(['u.id', 'u.role', 'a.path'])
    .where('u.id', '=', id)
    .executeTakeFirst()
  return row && { id: row.id, role: row.role, agencyPath: row.path }
}

export async function deactivateUser(db: Executor, id: number): Promise<void> {
  await db.updateTable('user').set({ active: 0 }).where('id', '=', id).execute()
}

export async function findPasswordHash(db: Executor, id: number): Promise<string | undefined> {
  const row = await db.selectFrom('user').select('password_hash').where('id', '=', id).executeTakeFirst()
  return row?.password_hash
}

export async function setPasswordHash(db: Executor, id: number, passwordHash: string): Promise<void> {
  await db.updateTable('user').set({ password_hash: passwordHash }).where('id', '=', id).execute()
}
