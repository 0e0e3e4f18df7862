/**
 * API tokens for other systems (the province's one-stop-shop software, BI tools). A token belongs to an
 * agency and sees that agency's subtree; only its SHA-256 is stored, and the token is shown once.
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

export async function createApiToken(
  db: Kysely<Database>,
  agencyId: number,
  label: string,
  actor: string,
): Promise<string> {
  const token = `hl_${randomToken()}`
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    const id = await insertApiToken(trx, { agencyId, tokenHash: hashToken(token), label }, now)
    await insertAudit(
      trx,
      {
        userId: null,
        actor,
        action: 'api_token.create',
        entity: 'api_token',
        entityId: String(id),
        details: { agencyId, label },
      },
      now,
    )
  })
  return token
}

/** The token's scope, or null when the header is missing, malformed, unknown or revoked. */
export async function authenticateToken(db: Kysely<Database>, request: Request): Promise<TokenScope | null> {
  const header = request.headers.get('Authorization') ?? ''
  const match = /^Bearer\s+(\S{10,200})$/i.exec(header.trim())
  if (!match) return null
  const grant = await findGrantByHash(db, hashToken(match[1]))
  if (!grant || grant.revokedAt !== null) return null
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
