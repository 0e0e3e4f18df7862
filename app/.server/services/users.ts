/** Creating accounts, from the CLI or the first-administrator setup page. */
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Database, Role } from '#db/schema.ts'
import { hashPassword, MIN_PASSWORD_LENGTH } from '../auth/password.ts'
import { findAgencyByCode } from '../repos/agencies.ts'
import { findUserByEmail, insertAudit, insertUser } from '../repos/users.ts'

export const newUserSchema = z
  .object({
    email: z.string().trim().toLowerCase().email({ message: 'errors.email' }),
    role: z.enum(['admin', 'manager', 'analyst'], { message: 'errors.role' }),
    agencyCode: z.string().trim().min(1).nullable(),
    password: z
      .string()
      .min(MIN_PASSWORD_LENGTH, { message: 'errors.passwordTooShort' })
      .max(200, { message: 'errors.passwordTooLong' }),
  })
  .refine((u) => u.role === 'admin' || u.agencyCode !== null, {
    message: 'errors.agencyRequired',
    path: ['agencyCode'],
  })

export type NewUser = z.input<typeof newUserSchema>

export type CreateUserResult =
  | { ok: true; userId: number }
  | { ok: false; error: 'errors.emailTaken' | 'errors.unknownAgency' }

export async function createUser(
  db: Kysely<Database>,
  input: z.output<typeof newUserSchema>,
  actor: string,
): Promise<CreateUserResult> {
  if (await findUserByEmail(db, input.email)) return { ok: false, error: 'errors.emailTaken' }
  let agencyId: number | null = null
  if (input.agencyCode) {
    const agency = await findAgencyByCode(db, input.agencyCode)
    if (!agency) return { ok: false, error: 'errors.unknownAgency' }
    agencyId = agency.id
  }
  const passwordHash = await hashPassword(input.password)
  const now = new Date().toISOString()
  const userId = await db.transaction().execute(async (trx) => {
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
  return { ok: true, userId }
}
