/** Quarantined responses: listed, released and re-quarantined within the user's scope. */
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '#db/schema.ts'
import { type Scope, whereInScope } from '../auth/scope.ts'
import type { StoredAnswer, StoredResponse } from './raw-responses.ts'

type Executor = Kysely<Database> | Transaction<Database>

export interface QuarantineFilter {
  linkId?: number
  reason?: string
  /** ISO instants, from inclusive, to exclusive. */
  from?: string
  to?: string
}

export interface QuarantinedResponse {
  id: number
  submittedAt: string
  reason: string
  linkId: number | null
  agencyId: number
  entryChannel: string
}

function filtered(db: Executor, scope: Scope, filter: QuarantineFilter, quarantined: boolean) {
  let qb = db
    .selectFrom('response as r')
    .innerJoin('agency as a', 'a.id', 'r.agency_id')
    .where('r.quarantine_reason', quarantined ? 'is not' : 'is', null)
  if (filter.linkId !== undefined) qb = qb.where('r.link_id', '=', filter.linkId)
  if (filter.reason) qb = qb.where('r.quarantine_reason', '=', filter.reason)
  if (filter.from) qb = qb.where('r.submitted_at', '>=', filter.from)
  if (filter.to) qb = qb.where('r.submitted_at', '<', filter.to)
  return whereInScope(qb, 'a.path', scope)
}

export async function listQuarantined(
  db: Executor,
  scope: Scope,
  filter: QuarantineFilter,
  limit: number,
): Promise<QuarantinedResponse[]> {
  const rows = await filtered(db, scope, filter, true)
    .select(['r.id', 'r.submitted_at', 'r.quarantine_reason', 'r.link_id', 'r.agency_id', 'r.entry_channel'])
    .orderBy('r.submitted_at')
    .limit(limit)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    submittedAt: r.submitted_at,
    reason: r.quarantine_reason!,
    linkId: r.link_id,
    agencyId: r.agency_id,
    entryChannel: r.entry_channel,
  }))
}

/** The responses a release (quarantined ones) or a re-quarantine (counted ones) would move. */
export async function responsesToMove(
  db: Executor,
  scope: Scope,
  filter: QuarantineFilter,
  quarantined: boolean,
): Promise<StoredResponse[]> {
  const rows = await filtered(db, scope, filter, quarantined)
    .select(['r.id', 'r.version_id', 'r.agency_id', 'r.period_month', 'r.weight_micro', 'r.stratum', 'r.entry_channel'])
    .orderBy('r.id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    versionId: r.version_id,
    agencyId: r.agency_id,
    periodMonth: r.period_month,
    weightMicro: r.weight_micro,
    stratum: r.stratum,
    entryChannel: r.entry_channel,
  }))
}

export async function setQuarantineReason(db: Executor, ids: number[], reason: string | null): Promise<void> {
  for (let i = 0; i < ids.length; i += 500)
    await db
      .updateTable('response')
      .set({ quarantine_reason: reason })
      .where('id', 'in', ids.slice(i, i + 500))
      .execute()
}

export async function answersOfResponses(db: Executor, ids: number[]): Promise<StoredAnswer[]> {
  const out: StoredAnswer[] = []
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('answer')
      .select(['response_id', 'item_id', 'value_number', 'value_text'])
      .where('response_id', 'in', ids.slice(i, i + 500))
      .execute()
    for (const a of rows)
      out.push({ responseId: a.response_id, itemId: a.item_id, valueNumber: a.value_number, valueText: a.value_text })
  }
  return out
}
