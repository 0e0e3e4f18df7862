/**
 * Dossier counts per agency and month (the one-stop shop's numbers), and the survey's counts the QĐ 766
 * and response rates set beside them: invitations issued, invitation responses, and invitation responses
 * rated below the satisfaction threshold on the overall question. docs/dossiers.md states the rules.
 */
import type { DossierCountTable } from '#db/schema.ts'
import { type Scope, whereInScope } from '../auth/scope.ts'
import type { Executor } from './questionnaires.ts'

export interface DossierCountInput {
  agencyId: number
  /** "2026-09". */
  month: string
  received: number
  settled: number
  settledLate: number
  complained: number
  ratedDissatisfied: number | null
}

export interface DossierWriter {
  source: DossierCountTable['source']
  actor: string
}

/**
 * Sets an agency's counts for a month, replacing what was there: sending the same month twice stores it
 * once (the one-stop-shop system may push again after a correction or a retry).
 */
export async function upsertDossierCount(
  db: Executor,
  input: DossierCountInput,
  by: DossierWriter,
  now: string,
): Promise<'created' | 'updated'> {
  const existing = await db
    .selectFrom('dossier_count')
    .select('id')
    .where('agency_id', '=', input.agencyId)
    .where('month', '=', input.month)
    .executeTakeFirst()
  const values = {
    received: input.received,
    settled: input.settled,
    settled_late: input.settledLate,
    complained: input.complained,
    rated_dissatisfied: input.ratedDissatisfied,
    source: by.source,
    updated_by: by.actor,
    updated_at: now,
  }
  await db
    .insertInto('dossier_count')
    .values({ agency_id: input.agencyId, month: input.month, ...values })
    .onConflict((oc) => oc.columns(['agency_id', 'month']).doUpdateSet(values))
    .execute()
  return existing ? 'updated' : 'created'
}

export interface DossierCountListing {
  code: string
  nameVi: string
  nameEn: string
  month: string
  received: number
  settled: number
  settledLate: number
  complained: number
  ratedDissatisfied: number | null
  source: DossierCountTable['source']
  updatedBy: string
  updatedAt: string
}

/** The newest counts of the agencies in scope, at most 500, optionally of the months from–to. */
export async function listDossierCounts(
  db: Executor,
  scope: Scope,
  months: { from: string; to: string } | null = null,
): Promise<DossierCountListing[]> {
  const rows = await whereInScope(
    db
      .selectFrom('dossier_count as d')
      .innerJoin('agency as a', 'a.id', 'd.agency_id')
      .select([
        'a.code',
        'a.name_vi',
        'a.name_en',
        'd.month',
        'd.received',
        'd.settled',
        'd.settled_late',
        'd.complained',
        'd.rated_dissatisfied',
        'd.source',
        'd.updated_by',
        'd.updated_at',
      ]),
    'a.path',
    scope,
  )
    .$if(months !== null, (qb) => qb.where('d.month', '>=', months!.from).where('d.month', '<=', months!.to))
    .orderBy('d.month', 'desc')
    .orderBy('a.path')
    .limit(500)
    .execute()
  return rows.map((r) => ({
    code: r.code,
    nameVi: r.name_vi,
    nameEn: r.name_en,
    month: r.month,
    received: r.received,
    settled: r.settled,
    settledLate: r.settled_late,
    complained: r.complained,
    ratedDissatisfied: r.rated_dissatisfied,
    source: r.source,
    updatedBy: r.updated_by,
    updatedAt: r.updated_at,
  }))
}

export interface DossierMonthTotals {
  agencyId: number
  /** Months of the range with a row. */
  months: number
  received: number
  settled: number
  settledLate: number
  complained: number
  /** Months of the range whose row carries the one-stop shop's own dissatisfied count. */
  ratedMonths: number
  ratedDissatisfied: number
}

/** Every agency's own counts summed over the months from–to (inclusive). */
export async function dossierTotals(db: Executor, fromMonth: string, toMonth: string): Promise<DossierMonthTotals[]> {
  const rows = await db
    .selectFrom('dossier_count')
    .select((eb) => [
      'agency_id',
      eb.fn.countAll<number | string>().as('months'),
      eb.fn.sum<number | string>('received').as('received'),
      eb.fn.sum<number | string>('settled').as('settled'),
      eb.fn.sum<number | string>('settled_late').as('settled_late'),
      eb.fn.sum<number | string>('complained').as('complained'),
      eb.fn.count<number | string>('rated_dissatisfied').as('rated_months'),
      eb.fn.sum<number | string | null>('rated_dissatisfied').as('rated_dissatisfied'),
    ])
    .where('month', '>=', fromMonth)
    .where('month', '<=', toMonth)
    .groupBy('agency_id')
    .execute()
  return rows.map((r) => ({
    agencyId: r.agency_id,
    months: Number(r.months),
    received: Number(r.received),
    settled: Number(r.settled),
    settledLate: Number(r.settled_late),
    complained: Number(r.complained),
    ratedMonths: Number(r.rated_months),
    ratedDissatisfied: Number(r.rated_dissatisfied ?? 0),
  }))
}

/**
 * Invitations of a questionnaire issued per agency between two instants (ISO, `from` inclusive, `to`
 * exclusive): the months of a period in Vietnam time, turned into UTC by the caller.
 */
export async function invitationsIssued(
  db: Executor,
  questionnaireId: number,
  fromIso: string,
  toIso: string,
): Promise<Array<{ agencyId: number; n: number }>> {
  const rows = await db
    .selectFrom('invitation')
    .select((eb) => ['agency_id', eb.fn.countAll<number | string>().as('n')])
    .where('questionnaire_id', '=', questionnaireId)
    .where('created_at', '>=', fromIso)
    .where('created_at', '<', toIso)
    .groupBy('agency_id')
    .execute()
  return rows.map((r) => ({ agencyId: r.agency_id, n: Number(r.n) }))
}

/**
 * Counted responses through an invitation per agency in the months from–to, from the aggregates: those
 * with an overall composite, the same responses the scores' n counts.
 */
export async function invitationResponses(
  db: Executor,
  questionnaireId: number,
  fromMonth: string,
  toMonth: string,
): Promise<Array<{ agencyId: number; n: number }>> {
  const rows = await db
    .selectFrom('composite_aggregate as c')
    .innerJoin('questionnaire_version as v', 'v.id', 'c.version_id')
    .select((eb) => ['c.agency_id', eb.fn.sum<number | string>('c.n').as('n')])
    .where('v.questionnaire_id', '=', questionnaireId)
    .where('c.composite', '=', 'overall')
    .where('c.entry_channel', '=', 'invitation')
    .where('c.period_month', '>=', fromMonth)
    .where('c.period_month', '<=', toMonth)
    .groupBy('c.agency_id')
    .execute()
  return rows.map((r) => ({ agencyId: r.agency_id, n: Number(r.n) }))
}

/**
 * Counted invitation responses per agency in the months from–to whose answer to the overall question
 * (role `overall`, of any version of the questionnaire) is below that item's satisfaction threshold. One
 * invitation per dossier and one response per invitation, so each is one dossier rated dissatisfied.
 */
export async function invitationResponsesDissatisfied(
  db: Executor,
  questionnaireId: number,
  fromMonth: string,
  toMonth: string,
): Promise<Array<{ agencyId: number; n: number }>> {
  const rows = await db
    .selectFrom('item_aggregate as a')
    .innerJoin('questionnaire_item as i', 'i.id', 'a.item_id')
    .innerJoin('questionnaire_version as v', 'v.id', 'i.version_id')
    .select((eb) => ['a.agency_id', eb.fn.sum<number | string>('a.n').as('n')])
    .where('v.questionnaire_id', '=', questionnaireId)
    .where('i.role', '=', 'overall')
    .where('i.satisfied_threshold', 'is not', null)
    .whereRef('a.answer_value', '<', 'i.satisfied_threshold')
    .where('a.entry_channel', '=', 'invitation')
    .where('a.period_month', '>=', fromMonth)
    .where('a.period_month', '<=', toMonth)
    .groupBy('a.agency_id')
    .execute()
  return rows.map((r) => ({ agencyId: r.agency_id, n: Number(r.n) }))
}
