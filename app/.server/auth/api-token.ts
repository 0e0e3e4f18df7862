/**
 * API tokens for other systems (the province's one-stop-shop software, BI tools). A token belongs to an
 * agency and sees that agency's subtree; only its SHA-256 is stored, and the token is shown once. Every
 * token expires (a year unless chosen otherwise): a forgotten token in an old script stops working.
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { hashToken, randomToken } from '../codes.ts'
import { insertApiToken, findGrantByHash } from '../repos/api-tokens.ts'
import { insertAudit } from '../repos/audit.ts'

export interface TokenScope {
  tokenId: number
  agencyId: number
  agencyCode: string
  scopePath: string
}

export const DEFAULT_TOKEN_DAYS = 365
export const MAX_TOKEN_DAYS = 3 * 365

export async function createApiToken(
  db: Kysely<Database>,
  agencyId: number,
  label: string,
  actor: string,
  options: { days?: number; now?: Date } = {},
): Promise<string> {
  const token = `hl_${randomToken()}`
  const at = options.now ?? new Date()
  const now = at.toISOString()
  const days = options.days ?? DEFAULT_TOKEN_DAYS
  const expiresAt = new Date(at.getTime() + days * 86_400_000).toISOString()
  await db.transaction().execute(async (trx) => {
    const id = await insertApiToken(trx, { agencyId, tokenHash: hashToken(token), label, expiresAt }, now)
    await insertAudit(
      trx,
      {
        userId: null,
        actor,
        action: 'api_token.create',
        entity: 'api_token',
        entityId: String(id),
        details: { agencyId, label, expiresAt },
      },
      now,
    )
  })
  return token
}

/** The token's scope, or null when the header is missing, malformed, unknown, revoked or expired. */
export async function authenticateToken(
  db: Kysely<Database>,
  request: Request,
  now = new Date(),
): Promise<TokenScope | null> {
  const header = request.headers.get('Authorization') ?? ''
  const match = /^Bearer\s+(\S{10,200})$/i.exec(header.trim())
  if (!match) return null
  const grant = await findGrantByHash(db, hashToken(match[1]))
  if (!grant || grant.revokedAt !== null) return null
  if (grant.expiresAt === null || grant.expiresAt <= now.toISOString()) return null
  return { tokenId: grant.id, agencyId: grant.agencyId, agencyCode: grant.agencyCode, scopePath: grant.agencyPath }
}

/** For JSON APIs: 401 with a clear body when the token is missing or bad. */
export async function requireToken(db: Kysely<Database>, request: Request): Promise<TokenScope> {
  const scope = await authenticateToken(db, request)
  if (!scope) {
    throw Response.json(
      { error: 'unauthorized', message: 'A valid API token is required: send "Authorization: Bearer <token>".' },
      { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } },
    )
  }
  return scope
}
