/**
 * Reads of raw responses and their answers: exports of any size and the aggregate rebuild read them in
 * keyset-paginated batches (responses by id, then their answers by an id range), so memory stays flat and
 * no query holds the connection for long; plus the agency page's suggestions and the import's duplicates.
 */
import type { Channel, EntryChannel } from '#db/schema.ts'
import type { Executor } from './questionnaires.ts'

export interface RawResponseFilter {
  questionnaireId: number
  /** The agencies whose responses are exported (already resolved for scope, root and boundaries). */
  agencyIds: number[]
  fromMonth: string
  toMonth: string
  /** Only responses of these entry channels; null or empty: every channel. */
  channels?: readonly EntryChannel[] | null
}

/**
 * The next window of responses after `afterId`: the window is cut on the primary key first (a range
 * scan however large the table), then filtered, so every batch costs the same and the whole export is
 * one pass over the table. A window may hold no matching response; `done` says when the table ends.
 */
export interface RawResponse {
  id: number
  submittedAt: string
  periodMonth: string
  agencyCode: string
  procedureCode: string | null
  channel: Channel
  versionId: number
  versionNumber: number
  weight: number
  stratum: string | null
  source: 'web' | 'import' | 'synthetic'
  entryChannel: EntryChannel
}

export interface RawAnswer {
  responseId: number
  itemCode: string
  value: number | string | null
}

export interface RawResponseBatch {
  responses: RawResponse[]
  answers: RawAnswer[]
  /** The last response id of the window read: the next batch starts after it. */
  lastId: number
  done: boolean
}

export async function rawResponseBatch(
  db: Executor,
  filter: RawResponseFilter,
  afterId: number,
  limit: number,
): Promise<RawResponseBatch> {
  const window = await db
    .selectFrom('response')
    .select('id')
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute()
  if (!window.length) return { responses: [], answers: [], lastId: afterId, done: true }
  const lastId = window[window.length - 1].id
  let query = db
    .selectFrom('response as r')
    .innerJoin('questionnaire_version as v', 'v.id', 'r.version_id')
    .innerJoin('agency as ag', 'ag.id', 'r.agency_id')
    .leftJoin('procedure as p', 'p.id', 'r.procedure_id')
    .select([
      'r.id',
      'r.submitted_at',
      'r.period_month',
      'ag.code as agency_code',
      'p.code as procedure_code',
      'r.channel',
      'r.version_id',
      'v.version_number',
      'r.weight_micro',
      'r.stratum',
      'r.source',
      'r.entry_channel',
    ])
    .where('r.id', '>', afterId)
    .where('r.id', '<=', lastId)
    .where('v.questionnaire_id', '=', filter.questionnaireId)
    .where('r.period_month', '>=', filter.fromMonth)
    .where('r.period_month', '<=', filter.toMonth)
    .where('r.agency_id', 'in', filter.agencyIds.length ? filter.agencyIds : [-1])
    // Quarantined responses are in no export (docs/anti-rigging.md).
    .where('r.quarantine_reason', 'is', null)
    .orderBy('r.id')
  if (filter.channels?.length) query = query.where('r.entry_channel', 'in', filter.channels)
  const rows = await query.execute()
  if (!rows.length) return { responses: [], answers: [], lastId, done: false }
  const answers = await db
    .selectFrom('answer as a')
    .innerJoin('questionnaire_item as i', 'i.id', 'a.item_id')
    .select(['a.response_id', 'i.code', 'a.value_number', 'a.value_text'])
    .where('a.response_id', '>=', rows[0].id)
    .where('a.response_id', '<=', rows[rows.length - 1].id)
    .execute()
  return {
    responses: rows.map((r) => ({
      id: r.id,
      submittedAt: r.submitted_at,
      periodMonth: r.period_month,
      agencyCode: r.agency_code,
      procedureCode: r.procedure_code,
      channel: r.channel,
      versionId: r.version_id,
      versionNumber: r.version_number,
      weight: r.weight_micro / 1e6,
      stratum: r.stratum,
      source: r.source,
      entryChannel: r.entry_channel,
    })),
    answers: answers.map((a) => ({
      responseId: a.response_id,
      itemCode: a.code,
      value: a.value_number ?? a.value_text,
    })),
    lastId,
    done: false,
  }
}

/** The newest free-text suggestions of a questionnaire's respondents at some agencies, newest first. */
export async function latestSuggestions(
  db: Executor,
  filter: {
    questionnaireCode: string
    agencyIds: number[]
    fromMonth: string
    toMonth: string
    channels?: readonly EntryChannel[] | null
  },
  limit: number,
): Promise<Array<{ responseId: number; text: string; at: string }>> {
  let query = db
    .selectFrom('answer as a')
    .innerJoin('questionnaire_item as i', 'i.id', 'a.item_id')
    // Joined on the partition and shard keys too, so each partition (or shard) joins on its own.
    .innerJoin('response as r', (join) =>
      join
        .onRef('r.id', '=', 'a.response_id')
        .onRef('r.agency_id', '=', 'a.agency_id')
        .onRef('r.period_month', '=', 'a.period_month'),
    )
    .innerJoin('questionnaire_version as v', 'v.id', 'r.version_id')
    .innerJoin('questionnaire as q', 'q.id', 'v.questionnaire_id')
    .select(['r.id', 'a.value_text', 'r.submitted_at'])
    .where('i.role', '=', 'suggestion')
    .where('q.code', '=', filter.questionnaireCode)
    .where('r.agency_id', 'in', filter.agencyIds.length ? filter.agencyIds : [-1])
    .where('r.period_month', '>=', filter.fromMonth)
    .where('r.period_month', '<=', filter.toMonth)
    .where('a.value_text', 'is not', null)
    .where('r.quarantine_reason', 'is', null)
    .orderBy('r.submitted_at', 'desc')
    .limit(limit)
  if (filter.channels?.length) query = query.where('r.entry_channel', 'in', filter.channels)
  const rows = await query.execute()
  return rows.map((r) => ({ responseId: r.id, text: r.value_text!, at: r.submitted_at }))
}

/** Responses counted in the aggregates: quarantined ones are stored but count nowhere. */
export async function countResponses(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('response')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('quarantine_reason', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** A response as stored, with what the aggregates are keyed and weighted by. */
export interface StoredResponse {
  id: number
  versionId: number
  agencyId: number
  periodMonth: string
  weightMicro: number
  stratum: string | null
  entryChannel: EntryChannel
}

/** An answer as stored: a number, or text (JSON for multiple choice). */
export interface StoredAnswer {
  responseId: number
  itemId: number
  valueNumber: number | null
  valueText: string | null
}

/** The next `limit` counted responses after `afterId` in id order, with their answers; empty at the end. */
export async function storedResponseBatch(
  db: Executor,
  afterId: number,
  limit: number,
): Promise<{ responses: StoredResponse[]; answers: StoredAnswer[] }> {
  const responses = await db
    .selectFrom('response')
    .select(['id', 'version_id', 'agency_id', 'period_month', 'weight_micro', 'stratum', 'entry_channel'])
    .where('id', '>', afterId)
    .where('quarantine_reason', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute()
  if (!responses.length) return { responses: [], answers: [] }
  const answers = await db
    .selectFrom('answer')
    .select(['response_id', 'item_id', 'value_number', 'value_text'])
    .where('response_id', '>=', responses[0].id)
    .where('response_id', '<=', responses[responses.length - 1].id)
    .execute()
  return {
    responses: responses.map((r) => ({
      id: r.id,
      versionId: r.version_id,
      agencyId: r.agency_id,
      periodMonth: r.period_month,
      weightMicro: r.weight_micro,
      stratum: r.stratum,
      entryChannel: r.entry_channel,
    })),
    answers: answers.map((a) => ({
      responseId: a.response_id,
      itemId: a.item_id,
      valueNumber: a.value_number,
      valueText: a.value_text,
    })),
  }
}

/** Of the given external ids (of imported rows), those already stored. */
export async function storedExternalIds(db: Executor, externalIds: string[]): Promise<Set<string>> {
  const known = new Set<string>()
  // Chunks keep each statement under the databases' limits on bound parameters.
  for (let i = 0; i < externalIds.length; i += 500) {
    const rows = await db
      .selectFrom('response')
      .select('external_id')
      .where('external_id', 'in', externalIds.slice(i, i + 500))
      .execute()
    for (const r of rows) if (r.external_id !== null) known.add(r.external_id)
  }
  return known
}
