/**
 * API tokens for other systems (the province's one-stop-shop software, BI tools). A token belongs to an
 * agency and sees that agency's subtree; only its SHA-256 is stored, and the token is shown once.
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { hashToken, randomToken } from '../codes.ts'
import { insertAudit } from '../repos/users.ts'

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
    const { id } = await trx
      .insertInto('api_token')
      .values({ agency_id: agencyId, token_hash: hashToken(token), label, created_at: now, revoked_at: null })
      .returning('id')
      .executeTakeFirstOrThrow()
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
  const row = await db
    .selectFrom('api_token as t')
    .innerJoin('agency as a', 'a.id', 't.agency_id')
    .select(['t.id', 't.agency_id', 'a.code', 'a.path', 't.revoked_at'])
    .where('t.token_hash', '=', hashToken(match[1]))
    .executeTakeFirst()
  if (!row || row.revoked_at !== null) return null
  return { tokenId: row.id, agencyId: row.agency_id, agencyCode: row.code, scopePath: row.path }
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
