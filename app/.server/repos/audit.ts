/** The audit log: who did what to which entity, written in the same transaction as the change itself. */
import type { Executor } from './questionnaires.ts'

export interface AuditInput {
  userId: number | null
  actor: string
  action: string
  entity: string
  entityId: string | null
  details?: unknown
}

export interface AuditEntry {
  id: number
  at: string
  actor: string
  action: string
  entity: string
  entityId: string | null
  /** The details as stored, JSON text; shown as is to administrators. */
  detailsJson: string | null
}

export async function insertAudit(db: Executor, entry: AuditInput, now: string) {
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

/** Newest first; `beforeId` pages back through older entries (ids only grow). */
export async function listAuditEntries(db: Executor, beforeId: number | null, limit: number): Promise<AuditEntry[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select(['id', 'at', 'actor', 'action', 'entity', 'entity_id', 'details_json'])
    .$if(beforeId !== null, (qb) => qb.where('id', '<', beforeId!))
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    detailsJson: r.details_json,
  }))
}
