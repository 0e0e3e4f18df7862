/**
 * Reads of raw responses and their answers: exports of any size and the aggregate rebuild read them in
 * keyset-paginated batches (windows of response ids), so memory stays flat and no query holds the
 * connection for long; plus the agency page's suggestions and the import's duplicates.
 */
import { sql } from 'kysely'
import { dialectOf } from '#db/dialect.ts'
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
 * A response of a raw export as read, one row per response: its answers come aggregated in two strings
 * so that a million responses are a million rows, not twenty million (one per answer), which is what
 * made the export slow (docs/performance.md). `numbers` is "itemId:value" pairs joined by commas, the
 * value the database's own text form of the double (exact: both databases print the shortest text that
 * reads back as the same double), in no particular order; `texts` is a JSON array of [itemId, text] for
 * the answers with text and no number, or null or "[]" when there is none. An answer with a number is
 * the number, as it always was.
 */
export interface RawExportRow {
  id: number
  submitted_at: string
  period_month: string
  agency_code: string
  procedure_code: string | null
  channel: Channel
  version_id: number
  version_number: number
  weight_micro: number
  stratum: string | null
  source: 'web' | 'import' | 'synthetic'
  entry_channel: EntryChannel
  numbers: string | null
  texts: string | null
}

export interface RawExportWindow {
  rows: RawExportRow[]
  /** The last response id of the window read: the next window starts after it. */
  lastId: number
  done: boolean
}

/**
 * The next window of `limit` response ids of the export's months after `afterId`, and the exported
 * responses in it in id order. The window is cut on the primary key first (a range scan however large the
 * table), then filtered, so every window costs the same and the whole export is one pass over the table;
 * a window may hold no matching response (another agency's, a quarantined one), and `done` says when the
 * export's months have no more responses. On SQLite the response table is read by its
 * rowid range only (NOT INDEXED): given the agency list, the planner would otherwise pick the
 * (agency_id, period_month) index and scan a whole year of responses for every window, which made the
 * export quadratic. PostgreSQL joins each answer on its partition keys too, so partitions join alone.
 * Agencies and channels travel as one JSON array each, so the statement's text (and SQLite's prepared
 * statement) is the same for every window and any number of agencies.
 */
export async function rawExportWindow(
  db: Executor,
  filter: RawResponseFilter,
  afterId: number,
  limit: number,
): Promise<RawExportWindow> {
  const lastId = await rawExportWindowEnd(db, filter, afterId, limit)
  if (lastId === null) return { rows: [], lastId: afterId, done: true }
  return { rows: await rawExportRows(db, filter, afterId, lastId), lastId, done: false }
}

/**
 * Where the window after `afterId` ends: the last of the next `limit` response ids of the export's months,
 * or null when they have no more. The window holds only the export's months, so the ids of other months (a
 * year's export after last year's responses) make no empty windows: PostgreSQL's month partitions keep the
 * search to them, and elsewhere it is one pass over the response rows before them.
 */
export async function rawExportWindowEnd(
  db: Executor,
  filter: RawResponseFilter,
  afterId: number,
  limit: number,
): Promise<number | null> {
  const end = await sql<{ last: number | null }>`select max(id) as last
    from (select id from response where id > ${afterId}
      and period_month >= ${filter.fromMonth} and period_month <= ${filter.toMonth}
      order by id limit ${limit}) w`.execute(db)
  const last = end.rows[0]?.last
  return last === null || last === undefined ? null : Number(last)
}

/** The exported responses with ids after `afterId` up to `lastId`, in id order (see `rawExportWindow`). */
export async function rawExportRows(
  db: Executor,
  filter: RawResponseFilter,
  afterId: number,
  lastId: number,
): Promise<RawExportRow[]> {
  const agencies = JSON.stringify(filter.agencyIds)
  const channels = filter.channels?.length ? JSON.stringify(filter.channels) : null
  const query =
    dialectOf(db) === 'postgres'
      ? sql<RawExportRow>`with picked as materialized (
          select r.id, r.submitted_at, r.period_month, ag.code as agency_code, p.code as procedure_code,
            r.channel, r.version_id, v.version_number, r.weight_micro, r.stratum, r.source, r.entry_channel,
            r.agency_id
          from response r
          join questionnaire_version v on v.id = r.version_id
          join agency ag on ag.id = r.agency_id
          left join procedure p on p.id = r.procedure_id
          where r.id > ${afterId} and r.id <= ${lastId}
            and v.questionnaire_id = ${filter.questionnaireId}
            and r.period_month >= ${filter.fromMonth} and r.period_month <= ${filter.toMonth}
            and r.agency_id in (select cast(value as bigint) from json_array_elements_text(cast(${agencies} as json)))
            and (cast(${channels} as text) is null
              or r.entry_channel in (select value from json_array_elements_text(cast(${channels} as json))))
            -- Quarantined responses are in no export (docs/anti-rigging.md).
            and r.quarantine_reason is null),
        answers as (
          select a.response_id,
            string_agg(cast(a.item_id as text) || ':' || cast(a.value_number as text), ',')
              filter (where a.value_number is not null) as numbers,
            cast(json_agg(json_build_array(a.item_id, a.value_text))
              filter (where a.value_number is null and a.value_text is not null) as text) as texts
          from answer a
          -- The window's answers in one range scan of the primary key, already in response order; the
          -- months keep a month-partitioned table to its partitions.
          where a.response_id > ${afterId} and a.response_id <= ${lastId}
            and a.period_month >= ${filter.fromMonth} and a.period_month <= ${filter.toMonth}
          group by a.response_id)
        select k.id, k.submitted_at, k.period_month, k.agency_code, k.procedure_code, k.channel, k.version_id,
          k.version_number, k.weight_micro, k.stratum, k.source, k.entry_channel, x.numbers, x.texts
        from picked k
        left join answers x on x.response_id = k.id
        order by k.id`
      : // One pass over the window's answers (a left join grouped by response), not two correlated
        // subqueries that each searched a response's answers. Integral answers print as integers
        // (`4`, not `4.0`): SQLite prints an integer faster than a double, and it is the text `Number`
        // reads back as the same number; beyond 10^15 the double's own text is kept.
        sql<RawExportRow>`select r.id, r.submitted_at, r.period_month, ag.code as agency_code,
          p.code as procedure_code, r.channel, r.version_id, v.version_number, r.weight_micro, r.stratum,
          r.source, r.entry_channel,
          group_concat(cast(a.item_id as text) || ':' || case
              when a.value_number = cast(a.value_number as integer) and abs(a.value_number) < 1e15
                then cast(cast(a.value_number as integer) as text)
              else cast(a.value_number as text) end, ',')
            filter (where a.value_number is not null) as numbers,
          json_group_array(json_array(a.item_id, a.value_text))
            filter (where a.value_number is null and a.value_text is not null) as texts
        from response as r not indexed
        join questionnaire_version v on v.id = r.version_id
        join agency ag on ag.id = r.agency_id
        left join procedure p on p.id = r.procedure_id
        left join answer a on a.response_id = r.id
        where r.id > ${afterId} and r.id <= ${lastId}
          and v.questionnaire_id = ${filter.questionnaireId}
          and r.period_month >= ${filter.fromMonth} and r.period_month <= ${filter.toMonth}
          and r.agency_id in (select value from json_each(${agencies}))
          and (${channels} is null or r.entry_channel in (select value from json_each(${channels})))
          -- Quarantined responses are in no export (docs/anti-rigging.md).
          and r.quarantine_reason is null
        group by r.id
        order by r.id`
  const { rows } = await query.execute(db)
  return rows
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
