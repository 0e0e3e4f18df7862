/**
 * The administrator's view of quarantined responses: grouped by link, reason and hour, counted, newest
 * first, within the user's scope. Hours are UTC hours here ("2026-11-29T01"); Vietnam is a whole seven
 * hours ahead, so each one is exactly one Vietnam hour and the page shifts it for display.
 */
import { type Kysely, sql, type Transaction } from 'kysely'
import type { Database } from '#db/schema.ts'
import { type Scope, whereInScope } from '../auth/scope.ts'
import type { QuarantineFilter } from './quarantine.ts'

type Executor = Kysely<Database> | Transaction<Database>

export interface QuarantineGroup {
  linkId: number | null
  linkCode: string | null
  agencyCode: string
  agencyNameVi: string
  agencyNameEn: string
  reason: string
  /** The UTC hour, "YYYY-MM-DDTHH". */
  hourUtc: string
  count: number
}

export interface QuarantineSummary {
  groups: QuarantineGroup[]
  /** Groups and responses the filter selects in all, beyond the page shown. */
  totalGroups: number
  totalResponses: number
}

export interface LinkInScope {
  id: number
  code: string
  agencyPath: string
}

function matching(db: Executor, scope: Scope, filter: QuarantineFilter, quarantined: boolean) {
  let qb = db
    .selectFrom('response as r')
    .innerJoin('agency as a', 'a.id', 'r.agency_id')
    .where('r.quarantine_reason', quarantined ? 'is not' : 'is', null)
  if (filter.linkId !== undefined) qb = qb.where('r.link_id', '=', filter.linkId)
  if (quarantined && filter.reason) qb = qb.where('r.quarantine_reason', '=', filter.reason)
  if (filter.from) qb = qb.where('r.submitted_at', '>=', filter.from)
  if (filter.to) qb = qb.where('r.submitted_at', '<', filter.to)
  return whereInScope(qb, 'a.path', scope)
}

/** One page of groups, newest hour first, with the totals over every group. */
export async function summarizeQuarantined(
  db: Executor,
  scope: Scope,
  filter: QuarantineFilter,
  limit: number,
  offset = 0,
): Promise<QuarantineSummary> {
  const hour = sql<string>`substr(r.submitted_at, 1, 13)`
  const grouped = matching(db, scope, filter, true)
    .leftJoin('survey_link as l', 'l.id', 'r.link_id')
    .select((eb) => [
      'r.link_id',
      'l.code as link_code',
      'a.code as agency_code',
      'a.name_vi',
      'a.name_en',
      'r.quarantine_reason',
      hour.as('hour_utc'),
      eb.fn.countAll<number | string>().as('n'),
    ])
    .groupBy(['r.link_id', 'l.code', 'a.code', 'a.name_vi', 'a.name_en', 'r.quarantine_reason', hour])
  const rows = await grouped
    .orderBy('hour_utc', 'desc')
    .orderBy('n', 'desc')
    .orderBy('l.code')
    .orderBy('r.quarantine_reason')
    .limit(limit)
    .offset(offset)
    .execute()
  const totals = await db
    .selectFrom(grouped.as('g'))
    .select((eb) => [eb.fn.countAll<number | string>().as('groups'), eb.fn.sum<number | string>('g.n').as('responses')])
    .executeTakeFirstOrThrow()
  return {
    groups: rows.map((r) => ({
      linkId: r.link_id,
      linkCode: r.link_code,
      agencyCode: r.agency_code,
      agencyNameVi: r.name_vi,
      agencyNameEn: r.name_en,
      reason: r.quarantine_reason!,
      hourUtc: r.hour_utc,
      count: Number(r.n),
    })),
    totalGroups: Number(totals.groups),
    totalResponses: Number(totals.responses ?? 0),
  }
}

/** How many responses a release (quarantined ones) or a re-quarantine (counted ones) of the filter would move. */
export async function countResponsesToMove(
  db: Executor,
  scope: Scope,
  filter: QuarantineFilter,
  quarantined: boolean,
): Promise<number> {
  const row = await matching(db, scope, filter, quarantined)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The distinct reasons of the quarantined responses in scope, for the filter's list. */
export async function quarantineReasonsInScope(db: Executor, scope: Scope): Promise<string[]> {
  const rows = await matching(db, scope, {}, true)
    .select('r.quarantine_reason')
    .distinct()
    .orderBy('r.quarantine_reason')
    .execute()
  return rows.map((r) => r.quarantine_reason!)
}

/**
 * A link by its code, active or not, with its agency's path for the scope check; a number that is no
 * link's code is read as a link id (the admin home's flags link here by id).
 */
export async function findLinkByCode(db: Executor, code: string): Promise<LinkInScope | undefined> {
  const query = db
    .selectFrom('survey_link as l')
    .innerJoin('agency as a', 'a.id', 'l.agency_id')
    .select(['l.id', 'l.code', 'a.path'])
  const row =
    (await query.where('l.code', '=', code).executeTakeFirst()) ??
    (/^\d{1,15}$/.test(code) ? await query.where('l.id', '=', Number(code)).executeTakeFirst() : undefined)
  return row && { id: row.id, code: row.code, agencyPath: row.path }
}
