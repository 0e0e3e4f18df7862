/**
 * The rows of the feedback digest (docs/insight.md, "Closing the loop"): the answers that can make a
 * response a digest item — low ratings and non-empty suggestions — of counted responses in scope since an
 * instant, with each response's handling mark. Which answers are low is the domain's rule
 * (app/domain/insight/digest.ts); the query asks only for those, so the read stays small.
 */
import { periodMonthOf } from '#app/domain/period.ts'
import { type DigestAnswerRow, LOW_RATING_MAX, RATED_ROLES } from '#app/domain/insight/digest.ts'
import { type Scope, subtreePattern, whereInScope } from '../auth/scope.ts'
import type { Executor } from './questionnaires.ts'

export interface DigestQuery {
  scope: Scope
  /** ISO instant: responses submitted at or after it. */
  since: string
  /** Only this agency's subtree (a path in the scope), or everything in scope. */
  agencyPath?: string | null
}

export async function digestAnswerRows(db: Executor, q: DigestQuery): Promise<DigestAnswerRow[]> {
  // The agencies first, then their responses by (agency, month): the index every score query uses, so the
  // read never scans the response table, and no index is added to the hottest table (ADR 0023).
  let agencies = whereInScope(db.selectFrom('agency as ag').select('ag.id'), 'ag.path', q.scope)
  if (q.agencyPath) agencies = agencies.where('ag.path', 'like', subtreePattern(q.agencyPath))
  const agencyIds = (await agencies.execute()).map((a) => a.id)
  if (!agencyIds.length) return []
  const query = db
    .selectFrom('response as r')
    .innerJoin('agency as ag', 'ag.id', 'r.agency_id')
    // Joined on the partition and shard keys too, so each partition (or shard) joins on its own.
    .innerJoin('answer as a', (join) =>
      join
        .onRef('a.response_id', '=', 'r.id')
        .onRef('a.agency_id', '=', 'r.agency_id')
        .onRef('a.period_month', '=', 'r.period_month'),
    )
    .innerJoin('questionnaire_item as i', 'i.id', 'a.item_id')
    .leftJoin('feedback_handling as h', 'h.response_id', 'r.id')
    .select([
      'r.id as responseId',
      'r.agency_id as agencyId',
      'ag.code as agencyCode',
      'ag.name_vi as agencyNameVi',
      'ag.name_en as agencyNameEn',
      'r.submitted_at as submittedAt',
      'i.code as itemCode',
      'i.label_vi as itemLabelVi',
      'i.label_en as itemLabelEn',
      'i.type as itemType',
      'i.role as itemRole',
      'a.value_number as valueNumber',
      'a.value_text as valueText',
      'h.handled as handled',
      'h.note as note',
      'h.updated_by as markedBy',
      'h.updated_at as markedAt',
    ])
    .where('r.agency_id', 'in', agencyIds)
    // Quarantined responses count nowhere (ADR 0040).
    .where('r.quarantine_reason', 'is', null)
    // The month bound lets the (agency, month) index and month partitions narrow the read.
    .where('r.period_month', '>=', periodMonthOf(new Date(q.since)))
    .where('r.submitted_at', '>=', q.since)
    .where((eb) =>
      eb.or([
        eb.and([eb('i.role', '=', 'suggestion'), eb('a.value_text', 'is not', null), eb('a.value_text', '<>', '')]),
        eb.and([
          eb('i.role', 'in', [...RATED_ROLES]),
          eb.or(
            Object.entries(LOW_RATING_MAX).map(([type, max]) =>
              eb.and([eb('i.type', '=', type as keyof typeof LOW_RATING_MAX), eb('a.value_number', '<=', max)]),
            ),
          ),
        ]),
      ]),
    )
  const rows = await query.execute()
  return rows.map((r) => ({
    responseId: r.responseId,
    agencyId: r.agencyId,
    agencyCode: r.agencyCode,
    agencyNameVi: r.agencyNameVi,
    agencyNameEn: r.agencyNameEn,
    submittedAt: r.submittedAt,
    itemCode: r.itemCode,
    itemLabelVi: r.itemLabelVi,
    itemLabelEn: r.itemLabelEn,
    itemType: r.itemType,
    itemRole: r.itemRole,
    valueNumber: r.valueNumber === null ? null : Number(r.valueNumber),
    valueText: r.valueText,
    handled:
      r.handled === null ? null : { handled: Number(r.handled) === 1, note: r.note, by: r.markedBy!, at: r.markedAt! },
  }))
}

/** Where a response lies, for the scope check before it is marked; undefined when there is no such response. */
export async function findResponsePlacement(
  db: Executor,
  responseId: number,
): Promise<{ id: number; agencyId: number; agencyPath: string; quarantined: boolean } | undefined> {
  const row = await db
    .selectFrom('response as r')
    .innerJoin('agency as ag', 'ag.id', 'r.agency_id')
    .select(['r.id', 'r.agency_id', 'ag.path', 'r.quarantine_reason'])
    .where('r.id', '=', responseId)
    .executeTakeFirst()
  return row
    ? { id: row.id, agencyId: row.agency_id, agencyPath: row.path, quarantined: row.quarantine_reason !== null }
    : undefined
}

export async function findHandling(db: Executor, responseId: number) {
  return db
    .selectFrom('feedback_handling')
    .select(['handled', 'note', 'updated_by', 'updated_at'])
    .where('response_id', '=', responseId)
    .executeTakeFirst()
}

/** Writes the response's current mark (a second mark replaces the first; the audit log keeps both). */
export async function saveHandling(
  db: Executor,
  mark: {
    responseId: number
    agencyId: number
    handled: boolean
    note: string | null
    userId: number | null
    by: string
  },
  now: string,
): Promise<void> {
  const values = {
    handled: mark.handled ? (1 as const) : (0 as const),
    note: mark.note,
    updated_by_user_id: mark.userId,
    updated_by: mark.by,
    updated_at: now,
  }
  await db
    .insertInto('feedback_handling')
    .values({ response_id: mark.responseId, agency_id: mark.agencyId, ...values })
    .onConflict((oc) => oc.column('response_id').doUpdateSet(values))
    .execute()
}
