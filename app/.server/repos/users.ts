/** Queries on user accounts and the one-time setup token for the first administrator. */
import type { Executor } from './questionnaires.ts'
import type { Role } from '#db/schema.ts'

export async function countUsers(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('user')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function findUserByEmail(db: Executor, email: string) {
  return db.selectFrom('user').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst()
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

// Audit entries have their own repo now; callers that still import them from here keep working.
export { insertAudit } from './audit.ts'
