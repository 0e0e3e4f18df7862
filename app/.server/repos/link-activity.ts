/**
 * What the burst and shift flags read (issue 14): counted responses per survey link in a time range, and
 * the five-level scale answers they gave, for links whose agency is in the user's scope. Quarantined
 * responses are left out: they count nowhere, and a batch quarantined after a look stops being flagged.
 *
 * Cheap by construction: the first query keeps only links busy enough to be flagged; the others read just
 * those links. A response carries its link's agency and its Vietnam month, so `r.agency_id = l.agency_id`
 * and the month bounds let the database use `response (agency_id, period_month)` (and prune monthly
 * partitions on PostgreSQL): there is no index on `response (link_id, submitted_at)` for counted responses.
 */
import { type Kysely, sql, type Transaction } from 'kysely'
import { periodMonthOf } from '#app/domain/period.ts'
import type { Database, LinkKind } from '#db/schema.ts'
import { type Scope, whereInScope } from '../auth/scope.ts'

type Executor = Kysely<Database> | Transaction<Database>

/** A half-open range of instants [from, to). */
export interface InstantRange {
  from: Date
  to: Date
}

export interface ActiveLink {
  linkId: number
  code: string
  kind: LinkKind
  counterLabel: string | null
  agencyId: number
  agencyCode: string
  agencyNameVi: string
  agencyNameEn: string
  /** Counted responses in the range. */
  responses: number
}

/** Scale answers of one link in a range: counts of the values 1..5, and the responses that gave them. */
export interface ScaleAnswerCounts {
  counts: number[]
  responses: number
}

/** Counted responses of links in scope within the range, joined to the link and its agency. */
function countedResponses(db: Executor, scope: Scope, range: InstantRange) {
  const qb = db
    .selectFrom('response as r')
    .innerJoin('survey_link as l', 'l.id', 'r.link_id')
    .innerJoin('agency as a', 'a.id', 'l.agency_id')
    .whereRef('r.agency_id', '=', 'l.agency_id')
    .where('r.quarantine_reason', 'is', null)
    .where('r.period_month', '>=', periodMonthOf(range.from))
    .where('r.period_month', '<=', periodMonthOf(range.to))
    .where('r.submitted_at', '>=', range.from.toISOString())
    .where('r.submitted_at', '<', range.to.toISOString())
  return whereInScope(qb, 'a.path', scope)
}

/** Links in scope with at least `atLeast` counted responses in the range, busiest first. */
export async function linksWithResponses(
  db: Executor,
  scope: Scope,
  range: InstantRange,
  atLeast: number,
): Promise<ActiveLink[]> {
  const rows = await countedResponses(db, scope, range)
    .select((eb) => [
      'l.id',
      'l.code',
      'l.kind',
      'l.counter_label',
      'a.id as agency_id',
      'a.code as agency_code',
      'a.name_vi',
      'a.name_en',
      eb.fn.countAll<number | string>().as('n'),
    ])
    .groupBy(['l.id', 'l.code', 'l.kind', 'l.counter_label', 'a.id', 'a.code', 'a.name_vi', 'a.name_en'])
    .having((eb) => eb.fn.countAll(), '>=', atLeast)
    .execute()
  return rows
    .map((r) => ({
      linkId: r.id,
      code: r.code,
      kind: r.kind,
      counterLabel: r.counter_label,
      agencyId: r.agency_id,
      agencyCode: r.agency_code,
      agencyNameVi: r.name_vi,
      agencyNameEn: r.name_en,
      responses: Number(r.n),
    }))
    .sort((a, b) => b.responses - a.responses || a.linkId - b.linkId)
}

/** Clock times of a day as in an ISO instant ("HH:MM:SS.mmm", UTC), from inclusive, to exclusive. */
export interface TimeOfDay {
  from: string
  to: string
  /** The range crosses midnight: at or after `from`, or before `to`. */
  wraps: boolean
}

/**
 * Counted responses per link in the range, for the given links in scope (absent: none); with `timeOfDay`,
 * only those submitted at those clock times (instants are stored as ISO text, so the time is a substring).
 */
export async function responseCountsOfLinks(
  db: Executor,
  scope: Scope,
  linkIds: number[],
  range: InstantRange,
  timeOfDay?: TimeOfDay | null,
): Promise<Map<number, number>> {
  const out = new Map<number, number>()
  if (linkIds.length === 0) return out
  let qb = countedResponses(db, scope, range).where('l.id', 'in', linkIds)
  if (timeOfDay) {
    const clock = sql<string>`substr(${sql.ref('r.submitted_at')}, 12, 12)`
    qb = qb.where((eb) =>
      timeOfDay.wraps
        ? eb.or([eb(clock, '>=', timeOfDay.from), eb(clock, '<', timeOfDay.to)])
        : eb.and([eb(clock, '>=', timeOfDay.from), eb(clock, '<', timeOfDay.to)]),
    )
  }
  const rows = await qb
    .select((eb) => ['l.id', eb.fn.countAll<number | string>().as('n')])
    .groupBy('l.id')
    .execute()
  for (const r of rows) out.set(r.id, Number(r.n))
  return out
}

/**
 * Answers 1..5 to five-level scale items per link in the range, with the number of responses that gave
 * at least one (absent: none). Other item types and values outside 1..5 are left out.
 */
export async function scaleAnswerCountsOfLinks(
  db: Executor,
  scope: Scope,
  linkIds: number[],
  range: InstantRange,
): Promise<Map<number, ScaleAnswerCounts>> {
  const out = new Map<number, ScaleAnswerCounts>()
  if (linkIds.length === 0) return out
  const scaleAnswers = () =>
    countedResponses(db, scope, range)
      .where('l.id', 'in', linkIds)
      .innerJoin('answer as ans', 'ans.response_id', 'r.id')
      .innerJoin('questionnaire_item as qi', 'qi.id', 'ans.item_id')
      .where('qi.type', '=', 'scale5')
      .where('ans.value_number', '>=', 1)
      .where('ans.value_number', '<=', 5)
  const [values, responses] = await Promise.all([
    scaleAnswers()
      .select((eb) => ['l.id', 'ans.value_number', eb.fn.countAll<number | string>().as('n')])
      .groupBy(['l.id', 'ans.value_number'])
      .execute(),
    scaleAnswers()
      .select((eb) => ['l.id', eb.fn.count<number | string>('r.id').distinct().as('n')])
      .groupBy('l.id')
      .execute(),
  ])
  const entry = (linkId: number) => {
    let counts = out.get(linkId)
    if (!counts) {
      counts = { counts: [0, 0, 0, 0, 0], responses: 0 }
      out.set(linkId, counts)
    }
    return counts
  }
  for (const r of values) {
    const value = Number(r.value_number)
    if (Number.isInteger(value)) entry(r.id).counts[value - 1]! += Number(r.n)
  }
  for (const r of responses) entry(r.id).responses = Number(r.n)
  return out
}
