/**
 * Population counts per agency and period, the margins of post-stratified scores: the approved counts
 * (`population_count`, the only ones weighting reads) and the proposals that wait for approval.
 */
import type { PopulationCountProposalStatus } from '#db/schema.ts'
import { type Scope, whereInScope } from '../auth/scope.ts'
import type { Executor } from './questionnaires.ts'

export interface PopulationCountInput {
  agencyId: number
  /** Canonical: "2026", "2026-H1", "2026-Q3" or "2026-09". */
  period: string
  count: number
  source: string | null
}

/** Sets an agency's count for a period, replacing the one entered before. */
export async function upsertPopulationCount(db: Executor, input: PopulationCountInput, now: string): Promise<void> {
  await db
    .insertInto('population_count')
    .values({
      agency_id: input.agencyId,
      period: input.period,
      count: input.count,
      source: input.source,
      created_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['agency_id', 'period']).doUpdateSet({ count: input.count, source: input.source, created_at: now }),
    )
    .execute()
}

/** The approved count of an agency for a period, or null. */
export async function findPopulationCount(db: Executor, agencyId: number, period: string): Promise<number | null> {
  const row = await db
    .selectFrom('population_count')
    .select('count')
    .where('agency_id', '=', agencyId)
    .where('period', '=', period)
    .executeTakeFirst()
  return row ? row.count : null
}

/** Responses an agency itself received in the months from–to ("YYYY-MM", inclusive), any questionnaire. */
export async function countResponsesReceived(
  db: Executor,
  agencyId: number,
  fromMonth: string,
  toMonth: string,
): Promise<number> {
  const row = await db
    .selectFrom('response')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('agency_id', '=', agencyId)
    .where('period_month', '>=', fromMonth)
    .where('period_month', '<=', toMonth)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export interface PopulationCountListing {
  code: string
  nameVi: string
  nameEn: string
  period: string
  count: number
  source: string | null
}

/** The newest counts of the agencies in scope, at most 500, optionally of one period. */
export async function listPopulationCounts(
  db: Executor,
  scope: Scope,
  period: string | null,
): Promise<PopulationCountListing[]> {
  const rows = await whereInScope(
    db
      .selectFrom('population_count as p')
      .innerJoin('agency as a', 'a.id', 'p.agency_id')
      .select(['a.code', 'a.name_vi', 'a.name_en', 'p.period', 'p.count', 'p.source']),
    'a.path',
    scope,
  )
    .$if(period !== null, (qb) => qb.where('p.period', '=', period!))
    .orderBy('p.period', 'desc')
    .orderBy('a.path')
    .limit(500)
    .execute()
  return rows.map((r) => ({
    code: r.code,
    nameVi: r.name_vi,
    nameEn: r.name_en,
    period: r.period,
    count: r.count,
    source: r.source,
  }))
}

/** Every agency's approved count for one period (merged units are not yet added to their successor). */
export async function populationCountsOf(
  db: Executor,
  period: string,
): Promise<Array<{ agencyId: number; count: number }>> {
  const rows = await db
    .selectFrom('population_count')
    .select(['agency_id', 'count'])
    .where('period', '=', period)
    .execute()
  return rows.map((r) => ({ agencyId: r.agency_id, count: r.count }))
}

/** Who did something to a count: a signed-in user, or the command line (userId null). */
export interface CountActor {
  userId: number | null
  actor: string
}

/** Records a count that waits for approval; the one pending before it must have been superseded. */
export async function insertPendingCount(
  db: Executor,
  input: PopulationCountInput,
  by: CountActor,
  now: string,
): Promise<number> {
  const row = await db
    .insertInto('population_count_proposal')
    .values({
      agency_id: input.agencyId,
      period: input.period,
      count: input.count,
      source: input.source,
      status: 'pending',
      entered_by_user_id: by.userId,
      entered_by: by.actor,
      entered_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Marks the count pending for an agency and period (if any) as replaced by a newer entry; its id. */
export async function supersedePendingCount(
  db: Executor,
  agencyId: number,
  period: string,
  by: CountActor,
  now: string,
): Promise<number | null> {
  const row = await db
    .updateTable('population_count_proposal')
    .set({ status: 'superseded', decided_by_user_id: by.userId, decided_by: by.actor, decided_at: now })
    .where('agency_id', '=', agencyId)
    .where('period', '=', period)
    .where('status', '=', 'pending')
    .returning('id')
    .executeTakeFirst()
  return row ? row.id : null
}

export interface PendingCount {
  id: number
  agencyId: number
  code: string
  nameVi: string
  nameEn: string
  /** Materialised path of the agency: who may approve depends on it. */
  path: string
  period: string
  count: number
  source: string | null
  enteredByUserId: number | null
  enteredBy: string
  enteredAt: string
}

function pendingQuery(db: Executor) {
  return db
    .selectFrom('population_count_proposal as p')
    .innerJoin('agency as a', 'a.id', 'p.agency_id')
    .select([
      'p.id',
      'p.agency_id',
      'a.code',
      'a.name_vi',
      'a.name_en',
      'a.path',
      'p.period',
      'p.count',
      'p.source',
      'p.entered_by_user_id',
      'p.entered_by',
      'p.entered_at',
    ])
    .where('p.status', '=', 'pending')
}

function toPending(r: Awaited<ReturnType<ReturnType<typeof pendingQuery>['executeTakeFirstOrThrow']>>): PendingCount {
  return {
    id: r.id,
    agencyId: r.agency_id,
    code: r.code,
    nameVi: r.name_vi,
    nameEn: r.name_en,
    path: r.path,
    period: r.period,
    count: r.count,
    source: r.source,
    enteredByUserId: r.entered_by_user_id,
    enteredBy: r.entered_by,
    enteredAt: r.entered_at,
  }
}

/** The pending counts of the agencies in scope, oldest first, at most 500. */
export async function listPendingCounts(db: Executor, scope: Scope): Promise<PendingCount[]> {
  const rows = await whereInScope(pendingQuery(db), 'a.path', scope).orderBy('p.id').limit(500).execute()
  return rows.map(toPending)
}

export async function findPendingCount(db: Executor, id: number): Promise<PendingCount | undefined> {
  const row = await pendingQuery(db).where('p.id', '=', id).executeTakeFirst()
  return row && toPending(row)
}

/**
 * Approves or rejects a pending count. False when it is no longer pending (someone decided first): the
 * condition on the status makes two decisions at once count only once.
 */
export async function decidePendingCount(
  db: Executor,
  id: number,
  status: Extract<PopulationCountProposalStatus, 'approved' | 'rejected'>,
  by: CountActor,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('population_count_proposal')
    .set({ status, decided_by_user_id: by.userId, decided_by: by.actor, decided_at: now })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}
