/**
 * Reads the additive aggregates for a questionnaire and a month range, grouped by agency and stratum
 * (the variance is stratified; '' is the stratum of responses without one); `channels` keeps only the
 * responses of those entry channels (null: every channel).
 */
import type { MomentSums } from '#app/domain/statistics/cell-sums.ts'
import type { EntryChannel } from '#db/schema.ts'
import type { Executor } from './questionnaires.ts'

/** Null or empty: every channel. */
export type ChannelFilter = readonly EntryChannel[] | null

/** The weighted moment sums of one agency's composite, plus the unweighted Σx and Σx². */
export interface CompositeRow extends MomentSums {
  agencyId: number
  stratum: string
  composite: string
  sx: number
  sx2: number
}

export async function compositeSums(
  db: Executor,
  questionnaireId: number,
  fromMonth: string,
  toMonth: string,
  channels: ChannelFilter = null,
): Promise<CompositeRow[]> {
  let query = db
    .selectFrom('composite_aggregate as c')
    .innerJoin('questionnaire_version as v', 'v.id', 'c.version_id')
    .select((eb) => [
      'c.agency_id',
      'c.stratum',
      'c.composite',
      eb.fn.sum<number>('c.n').as('n'),
      eb.fn.sum<number>('c.sum_w_micro').as('sw_micro'),
      eb.fn.sum<number>('c.sum_w2').as('sw2'),
      eb.fn.sum<number>('c.sum_wx').as('swx'),
      eb.fn.sum<number>('c.sum_wx2').as('swx2'),
      eb.fn.sum<number>('c.sum_w2x').as('sw2x'),
      eb.fn.sum<number>('c.sum_w2x2').as('sw2x2'),
      eb.fn.sum<number>('c.sum_x').as('sx'),
      eb.fn.sum<number>('c.sum_x2').as('sx2'),
    ])
    .where('v.questionnaire_id', '=', questionnaireId)
    .where('c.period_month', '>=', fromMonth)
    .where('c.period_month', '<=', toMonth)
    .groupBy(['c.agency_id', 'c.stratum', 'c.composite'])
  if (channels?.length) query = query.where('c.entry_channel', 'in', channels)
  const rows = await query.execute()
  return rows.map((r) => ({
    agencyId: r.agency_id,
    stratum: r.stratum ?? '',
    composite: r.composite,
    n: Number(r.n),
    sw: Number(r.sw_micro) / 1e6,
    sw2: Number(r.sw2),
    swx: Number(r.swx),
    swx2: Number(r.swx2),
    sw2x: Number(r.sw2x),
    sw2x2: Number(r.sw2x2),
    sx: Number(r.sx),
    sx2: Number(r.sx2),
  }))
}

export interface ItemAnswerRow {
  agencyId: number
  stratum: string
  itemCode: string
  answerValue: number
  n: number
  sw: number
  sw2: number
}

export async function itemAnswerSums(
  db: Executor,
  questionnaireId: number,
  fromMonth: string,
  toMonth: string,
  channels: ChannelFilter = null,
): Promise<ItemAnswerRow[]> {
  // Item ids of every version of the questionnaire; grouping on the integer id (no join) and naming
  // the rows afterwards keeps this the cheapest query of a score page.
  const items = await db
    .selectFrom('questionnaire_item as i')
    .innerJoin('questionnaire_version as v', 'v.id', 'i.version_id')
    .select(['i.id', 'i.code'])
    .where('v.questionnaire_id', '=', questionnaireId)
    .execute()
  if (!items.length) return []
  const codeOf = new Map(items.map((i) => [i.id, i.code]))
  let query = db
    .selectFrom('item_aggregate as a')
    .select((eb) => [
      'a.agency_id',
      'a.stratum',
      'a.item_id',
      'a.answer_value',
      eb.fn.sum<number>('a.n').as('n'),
      eb.fn.sum<number>('a.sum_w_micro').as('sw_micro'),
      eb.fn.sum<number>('a.sum_w2').as('sw2'),
    ])
    .where('a.period_month', '>=', fromMonth)
    .where('a.period_month', '<=', toMonth)
    .where('a.item_id', 'in', [...codeOf.keys()])
    .groupBy(['a.agency_id', 'a.stratum', 'a.item_id', 'a.answer_value'])
  if (channels?.length) query = query.where('a.entry_channel', 'in', channels)
  const rows = await query.execute()
  return rows.map((r) => ({
    agencyId: r.agency_id,
    stratum: r.stratum ?? '',
    itemCode: codeOf.get(r.item_id)!,
    answerValue: r.answer_value,
    n: Number(r.n),
    sw: Number(r.sw_micro) / 1e6,
    sw2: Number(r.sw2),
  }))
}

export interface ChannelCount {
  agencyId: number
  entryChannel: EntryChannel
  /** Respondents with an overall index (the n of the score table). */
  n: number
}

/** Respondents per agency and entry channel: the "overall" composite's n, every channel. */
export async function channelCounts(
  db: Executor,
  questionnaireId: number,
  fromMonth: string,
  toMonth: string,
): Promise<ChannelCount[]> {
  const rows = await db
    .selectFrom('composite_aggregate as c')
    .innerJoin('questionnaire_version as v', 'v.id', 'c.version_id')
    .select((eb) => ['c.agency_id', 'c.entry_channel', eb.fn.sum<number>('c.n').as('n')])
    .where('v.questionnaire_id', '=', questionnaireId)
    .where('c.composite', '=', 'overall')
    .where('c.period_month', '>=', fromMonth)
    .where('c.period_month', '<=', toMonth)
    .groupBy(['c.agency_id', 'c.entry_channel'])
    .execute()
  return rows.map((r) => ({ agencyId: r.agency_id, entryChannel: r.entry_channel, n: Number(r.n) }))
}
