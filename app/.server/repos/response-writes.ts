/**
 * A group commit's writes on PostgreSQL in one statement: the responses, their submission keys, their
 * answers and the aggregate upserts, as data-modifying WITH clauses (ADR 0060). Each statement is a round
 * trip to another process; on SQLite, in process, the same writes stay separate statements (insertRows).
 * The rows travel as one JSON parameter per table, read back with the tables' own row types, so the
 * statement's text is the same for every group and PostgreSQL does not parse thousands of placeholders.
 */
import { CompiledQuery, type Insertable } from 'kysely'
import type { Database } from '#db/schema.ts'
import {
  aggregateStampRows,
  COMPOSITE_AGGREGATE_KEY,
  COMPOSITE_SUMS,
  type compositeAggregateRows,
  ITEM_AGGREGATE_KEY,
  ITEM_AGGREGATE_SUMS,
  type itemAggregateRows,
} from './aggregates.ts'
import type { Executor } from './questionnaires.ts'

/** An answer of the group, tied to its response by submission id (the response's id is not known yet). */
export interface AnswerByClientId {
  client_submission_id: string
  item_id: number
  value_number: number | null
  value_text: string | null
}

export interface GroupWrites {
  /** Every row with the same columns, distinct submission ids. */
  responses: Insertable<Database['response']>[]
  answers: AnswerByClientId[]
  /** In key order: rows are upserted, and so locked, in the order given. */
  itemAggregates: ReturnType<typeof itemAggregateRows>
  compositeAggregates: ReturnType<typeof compositeAggregateRows>
}

const quote = (name: string) => `"${name}"`
const list = (names: readonly string[]) => names.map(quote).join(', ')

/** `c = table.c + excluded.c` for each added column: the aggregates' additive upsert. */
const additions = (table: string, columns: readonly string[]) =>
  columns.map((c) => `${quote(c)} = ${quote(table)}.${quote(c)} + excluded.${quote(c)}`).join(', ')

const ITEM_COLUMNS = [...ITEM_AGGREGATE_KEY, ...ITEM_AGGREGATE_SUMS]
const COMPOSITE_COLUMNS = [...COMPOSITE_AGGREGATE_KEY, ...COMPOSITE_SUMS]

// Built once per response column list (the same for every web submission).
const statements = new Map<string, string>()

function statementFor(responseColumns: string[]): string {
  const cacheKey = responseColumns.join(',')
  let text = statements.get(cacheKey)
  if (text) return text
  const columns = list(responseColumns)
  // A function scan feeds each insert in its array's order, so the upserts lock their rows in key order
  // (ADR 0028). Every WITH clause runs whether or not the final SELECT reads it.
  text = `with r as (
  insert into "response" (${columns})
  select ${columns} from json_populate_recordset(null::"response", $1::json)
  returning "id", "client_submission_id", "agency_id", "period_month"
), k as (
  insert into "submission_key" ("client_submission_id", "response_id") select "client_submission_id", "id" from r
), a as (
  insert into "answer" ("response_id", "item_id", "value_number", "value_text", "agency_id", "period_month")
  select r."id", x."item_id", x."value_number", x."value_text", r."agency_id", r."period_month"
  from json_to_recordset($2::json)
    as x("client_submission_id" text, "item_id" integer, "value_number" double precision, "value_text" text)
  join r on r."client_submission_id" = x."client_submission_id"
), i as (
  insert into "item_aggregate" (${list(ITEM_COLUMNS)})
  select ${list(ITEM_COLUMNS)} from json_populate_recordset(null::"item_aggregate", $3::json)
  on conflict (${list(ITEM_AGGREGATE_KEY)}) do update set ${additions('item_aggregate', ITEM_AGGREGATE_SUMS)}
), c as (
  insert into "composite_aggregate" (${list(COMPOSITE_COLUMNS)})
  select ${list(COMPOSITE_COLUMNS)} from json_populate_recordset(null::"composite_aggregate", $4::json)
  on conflict (${list(COMPOSITE_AGGREGATE_KEY)}) do update set ${additions('composite_aggregate', COMPOSITE_SUMS)}
), s as (
  insert into "aggregate_stamp" ("agency_id", "period_month", "version")
  select "agency_id", "period_month", "version" from json_populate_recordset(null::"aggregate_stamp", $5::json)
  on conflict ("agency_id", "period_month") do update set ${additions('aggregate_stamp', ['version'])}
)
select "id", "client_submission_id" from r`
  statements.set(cacheKey, text)
  return text
}

/** Writes a group on PostgreSQL; returns each stored response's id by submission id (in no promised order). */
export async function writeGroupPostgres(
  db: Executor,
  writes: GroupWrites,
): Promise<Array<{ id: number; client_submission_id: string }>> {
  if (!writes.responses.length) return []
  const text = statementFor(Object.keys(writes.responses[0]!))
  const parameters = [
    JSON.stringify(writes.responses),
    JSON.stringify(writes.answers),
    JSON.stringify(writes.itemAggregates),
    JSON.stringify(writes.compositeAggregates),
    // The scores memo's version moves with every aggregate change (ADR 0057).
    JSON.stringify(aggregateStampRows([...writes.itemAggregates, ...writes.compositeAggregates])),
  ]
  const result = await db.executeQuery<{ id: number; client_submission_id: string }>(
    CompiledQuery.raw(text, parameters),
  )
  return result.rows
}
