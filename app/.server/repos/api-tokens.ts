/** API tokens: only their SHA-256 is stored; each belongs to an agency and sees that agency's subtree. */
import { type Scope, whereInScope } from '../auth/scope.ts'
import type { Executor } from './questionnaires.ts'

export interface ApiTokenListing {
  id: number
  label: string
  createdAt: string
  revokedAt: string | null
  expiresAt: string | null
  agencyCode: string
  agencyNameVi: string
  agencyNameEn: string
}

/** A token with what authorising its use needs: its agency and that agency's place in the tree. */
export interface ApiTokenGrant {
  id: number
  agencyId: number
  agencyCode: string
  agencyPath: string
  revokedAt: string | null
  /** Null only for a token the expiry migration did not reach: treated as expired. */
  expiresAt: string | null
}

export async function insertApiToken(
  db: Executor,
  input: { agencyId: number; tokenHash: string; label: string; expiresAt: string },
  now: string,
): Promise<number> {
  const { id } = await db
    .insertInto('api_token')
    .values({
      agency_id: input.agencyId,
      token_hash: input.tokenHash,
      label: input.label,
      created_at: now,
      revoked_at: null,
      expires_at: input.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

function grantQuery(db: Executor) {
  return db
    .selectFrom('api_token as t')
    .innerJoin('agency as a', 'a.id', 't.agency_id')
    .select(['t.id', 't.agency_id', 'a.code', 'a.path', 't.revoked_at', 't.expires_at'])
}

function toGrant(row: {
  id: number
  agency_id: number
  code: string
  path: string
  revoked_at: string | null
  expires_at: string | null
}) {
  return {
    id: row.id,
    agencyId: row.agency_id,
    agencyCode: row.code,
    agencyPath: row.path,
    revokedAt: row.revoked_at,
    expiresAt: row.expires_at,
  } satisfies ApiTokenGrant
}

export async function findGrantByHash(db: Executor, tokenHash: string): Promise<ApiTokenGrant | undefined> {
  const row = await grantQuery(db).where('t.token_hash', '=', tokenHash).executeTakeFirst()
  return row && toGrant(row)
}

export async function findGrant(db: Executor, id: number): Promise<ApiTokenGrant | undefined> {
  const row = await grantQuery(db).where('t.id', '=', id).executeTakeFirst()
  return row && toGrant(row)
}

/** The tokens of agencies in the scope, newest first, revoked ones included (the list is their history). */
export async function listApiTokens(db: Executor, scope: Scope): Promise<ApiTokenListing[]> {
  const rows = await whereInScope(
    db
      .selectFrom('api_token as t')
      .innerJoin('agency as a', 'a.id', 't.agency_id')
      .select(['t.id', 't.label', 't.created_at', 't.revoked_at', 't.expires_at', 'a.code', 'a.name_vi', 'a.name_en']),
    'a.path',
    scope,
  )
    .orderBy('t.id', 'desc')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    label: r.label,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    expiresAt: r.expires_at,
    agencyCode: r.code,
    agencyNameVi: r.name_vi,
    agencyNameEn: r.name_en,
  }))
}

/** Revoking twice keeps the first time. */
export async function revokeApiToken(db: Executor, id: number, now: string): Promise<void> {
  await db
    .updateTable('api_token')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute()
}
