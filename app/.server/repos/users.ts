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

export async function insertAudit(
  db: Executor,
  entry: {
    userId: number | null
    actor: string
    action: string
    entity: string
    entityId: string | null
    details?: unknown
  },
  now: string,
) {
  await db
    .insertInto('audit_log')
    .values({
      at: now,
      user_id: entry.userId,
      actor: entry.actor,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId,
      details_json: entry.details === undefined ? null : JSON.stringify(entry.details),
    })
    .execute()
}
