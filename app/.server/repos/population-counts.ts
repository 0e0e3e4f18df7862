/** Population counts per agency and period, the margins of post-stratified scores. */
import { type Scope, whereInScope } from '../auth/scope.ts'
import type { Executor } from './questionnaires.ts'

export interface PopulationCountInput {
  agencyId: number
  /** "2026", "2026-Q3" or "2026-09". */
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

/** Every agency's count for one period, as entered (merged units are not yet added to their successor). */
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
