/**
 * Closing the loop (issue #19, point 5): the digest of low ratings and suggestions of a user's units, and
 * marking its items handled or reopened with a note, audited (docs/insight.md, "Closing the loop"). Who sees
 * which response is the one scope rule (ADR 0035).
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import {
  buildDigest,
  checkNote,
  DIGEST_WINDOW_DAYS,
  type Digest,
  type NoteError,
  windowStart,
} from '#app/domain/insight/digest.ts'
import { canSee, type Scope } from '../auth/scope.ts'
import type { SessionUser } from '../auth/session.ts'
import { insertAudit } from '../repos/audit.ts'
import { digestAnswerRows, findResponsePlacement, saveHandling } from '../repos/feedback.ts'

export type DigestStatus = 'unhandled' | 'handled' | 'all'
export const DIGEST_STATUSES: readonly DigestStatus[] = ['unhandled', 'handled', 'all']

export interface DigestWindow {
  from: string
  to: string
  days: number
}

/** The digest of the scope (or one agency's subtree in it) over the last DIGEST_WINDOW_DAYS days. */
export async function feedbackDigest(
  db: Kysely<Database>,
  scope: Scope,
  options: { now?: Date; agencyPath?: string | null; status?: DigestStatus; limit?: number } = {},
): Promise<Digest & { window: DigestWindow }> {
  const now = options.now ?? new Date()
  const since = windowStart(now)
  const rows = await digestAnswerRows(db, { scope, since, agencyPath: options.agencyPath ?? null })
  const digest = buildDigest(rows, { status: options.status ?? 'all', limit: options.limit })
  return { ...digest, window: { from: since, to: now.toISOString(), days: DIGEST_WINDOW_DAYS } }
}

/** The agencies of the scope a list can be filtered by: those with at least one item in the window. */
export function agenciesOf(digest: Digest) {
  const seen = new Map<string, Digest['items'][number]['agency']>()
  for (const item of digest.items) seen.set(item.agency.code, item.agency)
  return [...seen.values()].sort((a, b) => a.code.localeCompare(b.code))
}

export type MarkError =
  | { status: 400; error: `feedback.errors.${NoteError}` | 'common.invalid' }
  | { status: 403; error: 'common.forbidden' }
  | { status: 404; error: 'feedback.errors.unknownResponse' }

/**
 * Marks a response handled (a note is required) or reopens it (a note is optional). A response outside the
 * user's scope is refused (403) before anything else is said about it; one that does not exist or is
 * quarantined is not a digest item (404). The mark and its audit entry are written in one transaction.
 */
export async function markFeedback(
  db: Kysely<Database>,
  user: Pick<SessionUser, 'id' | 'email' | 'scopePath'>,
  intent: 'handle' | 'reopen',
  fields: { responseId?: unknown; note?: unknown },
  now = new Date(),
): Promise<{ ok: true; responseId: number } | ({ ok: false } & MarkError)> {
  const raw = typeof fields.responseId === 'string' ? fields.responseId.trim() : ''
  if (!/^\d{1,15}$/.test(raw)) return { ok: false, status: 400, error: 'common.invalid' }
  const responseId = Number(raw)
  const placement = await findResponsePlacement(db, responseId)
  if (placement && !canSee(user, { path: placement.agencyPath }))
    return { ok: false, status: 403, error: 'common.forbidden' }
  if (!placement || placement.quarantined) return { ok: false, status: 404, error: 'feedback.errors.unknownResponse' }
  const note = checkNote(fields.note, intent === 'handle')
  if (!note.ok) return { ok: false, status: 400, error: `feedback.errors.${note.error}` }
  const at = now.toISOString()
  await db.transaction().execute(async (trx) => {
    await saveHandling(
      trx,
      {
        responseId,
        agencyId: placement.agencyId,
        handled: intent === 'handle',
        note: note.note,
        userId: user.id,
        by: user.email,
      },
      at,
    )
    await insertAudit(
      trx,
      {
        userId: user.id,
        actor: user.email,
        action: intent === 'handle' ? 'feedback.handle' : 'feedback.reopen',
        entity: 'response',
        entityId: String(responseId),
        details: { agencyId: placement.agencyId, note: note.note },
      },
      at,
    )
  })
  return { ok: true, responseId }
}

/** The agency a list is filtered to, if it is in the scope; undefined when the code is unknown or outside. */
export async function agencyInScope(db: Kysely<Database>, scope: Scope, code: string) {
  const agency = await db
    .selectFrom('agency')
    .select(['id', 'code', 'path'])
    .where('code', '=', code)
    .executeTakeFirst()
  if (!agency || !canSee(scope, agency)) return undefined
  return agency
}

/** Items listed on one page of /admin/feedback. */
export const FEEDBACK_PAGE_ITEMS = 100

/**
 * The feedback page: the window's items in the user's scope, filtered by status (unhandled by default) and
 * agency (its subtree). The agency list offers the agencies that have items. Unknown filter values are a
 * 400, an agency outside the scope a 403.
 */
export async function feedbackPage(
  db: Kysely<Database>,
  user: Pick<SessionUser, 'scopePath'>,
  params: URLSearchParams,
  now = new Date(),
) {
  const status = (params.get('status') || 'unhandled') as DigestStatus
  if (!DIGEST_STATUSES.includes(status)) return { ok: false as const, status: 400, error: 'common.invalid' }
  const agencyCode = params.get('agency') || ''
  let agencyPath: string | null = null
  if (agencyCode) {
    const agency = await agencyInScope(db, user, agencyCode)
    if (!agency) return { ok: false as const, status: 403, error: 'common.forbidden' }
    agencyPath = agency.path
  }
  const everything = await feedbackDigest(db, user, { now })
  const digest = agencyPath
    ? await feedbackDigest(db, user, { now, agencyPath, status, limit: FEEDBACK_PAGE_ITEMS })
    : { ...buildDigestView(everything, status), window: everything.window }
  return {
    ok: true as const,
    values: { status, agency: agencyCode },
    agencies: agenciesOf(everything),
    digest,
  }
}

function buildDigestView(d: Digest, status: DigestStatus): Digest {
  const listed = status === 'all' ? d.items : d.items.filter((i) => i.handled === (status === 'handled'))
  return { ...d, items: listed.slice(0, FEEDBACK_PAGE_ITEMS), total: listed.length }
}
