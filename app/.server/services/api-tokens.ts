/** API tokens as administrators and agency managers issue and revoke them, inside their subtree only. */
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '#db/schema.ts'
import { createApiToken, DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS } from '../auth/api-token.ts'
import { canSee } from '../auth/scope.ts'
import type { SessionUser } from '../auth/session.ts'
import { findAgencyById } from '../repos/agencies.ts'
import { listCurrentAgencies } from '../repos/agency-tree.ts'
import { findGrant, listApiTokens, revokeApiToken } from '../repos/api-tokens.ts'
import { insertAudit } from '../repos/audit.ts'

// An id that is not a number finds nothing (404), like an unknown one.
const id = z.coerce.number().int().catch(0)

export const newTokenSchema = z.object({
  agencyId: id,
  label: z
    .string()
    .catch('')
    .transform((v) => v.trim().slice(0, 100) || 'token'),
  /** Days until the token stops working: empty or unreadable means the default year; kept within 1 day to 3 years. */
  days: z.preprocess(
    (v) => (v === '' || v === undefined ? DEFAULT_TOKEN_DAYS : v),
    z.coerce
      .number()
      .int()
      .catch(DEFAULT_TOKEN_DAYS)
      .transform((d) => Math.min(Math.max(d, 1), MAX_TOKEN_DAYS)),
  ),
})

export const revokeTokenSchema = z.object({ tokenId: id })

export type TokenResult<T> = { ok: true; value: T } | { ok: false; status: 403 | 404; error: string }

const notFound = { ok: false, status: 404, error: 'common.notFound' } as const
const forbidden = { ok: false, status: 403, error: 'common.forbidden' } as const

export async function tokensPage(db: Kysely<Database>, user: SessionUser) {
  return { tokens: await listApiTokens(db, user), agencies: await listCurrentAgencies(db, user) }
}

/** The new token in clear text, to be shown once. */
export async function issueToken(
  db: Kysely<Database>,
  user: SessionUser,
  input: z.output<typeof newTokenSchema>,
): Promise<TokenResult<string>> {
  const agency = await findAgencyById(db, input.agencyId)
  if (!agency || agency.validTo !== null) return notFound
  if (!canSee(user, agency)) return forbidden
  return { ok: true, value: await createApiToken(db, agency.id, input.label, user.email, { days: input.days }) }
}

export async function revokeToken(
  db: Kysely<Database>,
  user: SessionUser,
  tokenId: number,
): Promise<TokenResult<null>> {
  const grant = await findGrant(db, tokenId)
  if (!grant) return notFound
  if (!canSee(user, { path: grant.agencyPath })) return forbidden
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    await revokeApiToken(trx, grant.id, now)
    await insertAudit(
      trx,
      {
        userId: user.id,
        actor: user.email,
        action: 'api_token.revoke',
        entity: 'api_token',
        entityId: String(grant.id),
      },
      now,
    )
  })
  return { ok: true, value: null }
}
