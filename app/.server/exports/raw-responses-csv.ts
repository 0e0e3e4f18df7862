/**
 * The raw responses of the analyst's agencies as CSV, streamed: everything is read from `reader` (the
 * analytics' read-only connection or replica, ADR 0056), rows in batches written as they come, so a
 * million responses take constant memory and no writer waits behind the export; `db`, the primary, only
 * takes the audit entry. Submission times are given as the day (in
 * Vietnam) only: with the agency, procedure and channel, a to-the-millisecond time could single out one
 * citizen at a counter. The entry channel filter (`?channel=`) keeps the scores' choice of responses. The download is audited once it ends, with the rows it carried.
 */
import type { Kysely } from 'kysely'
import { dialectOf } from '#db/dialect.ts'
import type { Database } from '#db/schema.ts'
import { monthRange } from '#app/domain/period.ts'
import type { AnalyticsQuery } from '../analytics/query.ts'
import { resolveRoot, SCORES_ERROR_STATUS } from '../analytics/scores-for-user.ts'
import type { Scope } from '../auth/scope.ts'
import { auditExport } from '../services/export-audit.ts'
import { findQuestionnaireByCode, itemCodesOfQuestionnaire, itemIdsOfQuestionnaire } from '../repos/questionnaires.ts'
import {
  type RawExportRow,
  type RawExportWindow,
  type RawResponseFilter,
  rawExportWindow,
} from '../repos/raw-responses.ts'
import { agencyIdsCountingFor } from '../services/scores.ts'
import { csvCell, csvLine, UTF8_BOM } from './csv.ts'

/** The fixed columns, before one column per item code; their names are the file's public format. */
const FIXED = [
  'response_id',
  'submitted_at',
  'period_month',
  'agency_code',
  'procedure_code',
  'channel',
  'version_id',
  'version_number',
  'weight',
  'stratum',
  'source',
  'entry_channel',
]

/**
 * Response ids per window read: big enough that a query's fixed cost vanishes, small enough that little
 * survives V8's young-generation collections (which the server lets grow to 64 MiB semi-spaces when much
 * does): 5,000 cost 40 MiB more at the peak than 2,000, for no measurable speed.
 */
const WINDOW = 2000

export type RawExport =
  | { ok: true; filename: string; body: ReadableStream<Uint8Array> }
  | { ok: false; status: number; error: 'forbidden' | 'unknownAgency' | 'unknownQuestionnaire' }

/** Who downloads, and what they asked for (the query string), for the audit entry. */
export interface RawExportRequester extends Scope {
  id: number
  email: string
  filters: string
}

export async function exportRawResponses(
  db: Kysely<Database>,
  reader: Kysely<Database>,
  scope: RawExportRequester,
  query: AnalyticsQuery,
  /** Response ids per window read; tests make it small so that many windows end inside the data. */
  options: { window?: number } = {},
): Promise<RawExport> {
  const root = await resolveRoot(reader, scope, query.agency)
  if (!root.ok) return { ok: false, status: SCORES_ERROR_STATUS[root.error], error: root.error }
  const questionnaire = await findQuestionnaireByCode(reader, query.q)
  if (!questionnaire) return { ok: false, status: 404, error: 'unknownQuestionnaire' }
  const scopes = [scope, { scopePath: root.agency?.path ?? null }]
  const agencyIds = await agencyIdsCountingFor(reader, scopes, query.boundaries)
  const itemCodes = await itemCodesOfQuestionnaire(reader, questionnaire.id)
  const items = await itemIdsOfQuestionnaire(reader, questionnaire.id)
  const { from, to } = monthRange(query.period)
  const filter = {
    questionnaireId: questionnaire.id,
    agencyIds,
    fromMonth: from,
    toMonth: to,
    channels: query.channels,
  }
  return {
    ok: true,
    filename: `hailong-responses-${query.q}-${from}-${to}${query.channels ? `-${query.channels.join('-')}` : ''}.csv`,
    body: csvStream(reader, filter, itemCodes, items, options.window ?? WINDOW, (rows, complete) =>
      auditExport(db, {
        userId: scope.id,
        actor: scope.email,
        kind: 'responses',
        format: 'csv',
        filters: scope.filters,
        rows,
        complete,
      }),
    ),
  }
}

/** The day of an instant in Vietnam (UTC+7, no daylight saving), as yyyy-MM-dd. */
export function vietnamDay(instant: string): string {
  return new Date(new Date(instant).getTime() + 7 * 3600 * 1000).toISOString().slice(0, 10)
}

function csvStream(
  reader: Kysely<Database>,
  filter: RawResponseFilter,
  itemCodes: string[],
  items: Array<{ id: number; code: string }>,
  windowSize: number,
  audit: (rows: number, complete: boolean) => Promise<void>,
) {
  const encoder = new TextEncoder()
  const line = rawLineWriter(itemCodes, items)
  let afterId = 0
  let header = true
  let rows = 0
  let audited = false
  const auditOnce = async (complete: boolean) => {
    if (audited) return
    audited = true
    await audit(rows, complete)
  }
  const read = (after: number) => rawExportWindow(reader, filter, after, windowSize)
  // PostgreSQL is another process: it reads the next window while this one becomes CSV, so its work and
  // the server's overlap instead of taking turns (one window ahead at most). SQLite runs in this thread,
  // where reading ahead would only hold two windows in memory.
  const readAhead = dialectOf(reader) === 'postgres'
  let next: Promise<RawExportWindow> | null = null
  // Pull-based: the next window is read only when the client has taken the previous one (backpressure,
  // which the server passes on from the socket: scripts/server/remix-handler.ts).
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        let chunk = header ? UTF8_BOM + csvLine([...FIXED, ...itemCodes]) : ''
        header = false
        // Windows without a matching response are skipped until there is something to send or the end.
        let window = await (next ?? read(afterId))
        next = null
        while (!window.done && !window.rows.length) {
          afterId = window.lastId
          window = await read(afterId)
        }
        if (window.done) {
          // Audited before the last bytes go: a download that was not logged never completes.
          await auditOnce(true)
          if (chunk) controller.enqueue(encoder.encode(chunk))
          controller.close()
          return
        }
        afterId = window.lastId
        if (readAhead) {
          next = read(afterId)
          // Awaited by the next pull, which reports its error; a cancelled download never awaits it.
          next.catch(() => {})
        }
        for (const r of window.rows) chunk += line(r)
        rows += window.rows.length
        controller.enqueue(encoder.encode(chunk))
      } catch (error) {
        controller.error(error)
      }
    },
    async cancel() {
      await auditOnce(false)
    },
  })
}

/**
 * The CSV line of a response, the same bytes as `csvLine` of its cells (csv.ts): the fixed columns, then
 * one per item code, each cell formatted as `csvCell` would. Written for speed, since it runs a million
 * times: the answers come as the two strings of `RawExportRow`, parsed in one pass into a reused array.
 * Most cells repeat (a handful of agencies, months, channels; answers of 1 to 5), so a cell's text is
 * formatted once and then looked up: a map look-up costs less than `csvCell`'s two regular expressions
 * on a text, or than `Number` and `String` on an answer, and allocates nothing.
 */
export function rawLineWriter(itemCodes: string[], items: Array<{ id: number; code: string }>) {
  const position = new Map(itemCodes.map((code, i) => [code, i]))
  const columnOf = new Map<number, number>()
  for (const item of items) {
    const column = position.get(item.code)
    if (column !== undefined) columnOf.set(Number(item.id), column)
  }
  const cells: string[] = new Array(itemCodes.length).fill('')
  const day = vietnamDayOfHour()
  const text = remembered((value: string) => csvCell(value))
  // Keyed by the database's text of the number: the cell is `csvCell` of the number it reads as.
  const number = remembered((value: string) => csvCell(Number(value)))
  const weights = new Map<number, string>()
  const weight = (micro: number) => {
    let found = weights.get(micro)
    if (found === undefined) {
      found = csvCell(micro / 1e6)
      if (weights.size >= CACHE_LIMIT) weights.clear()
      weights.set(micro, found)
    }
    return found
  }
  const cell = (value: string | null) => (value === null ? '' : text(value))
  return (r: RawExportRow): string => {
    cells.fill('')
    const numbers = r.numbers
    if (numbers) {
      const end = numbers.length
      let from = 0
      while (from < end) {
        // The item id, read digit by digit: no string is cut for it.
        let id = 0
        let at = from
        for (let c = numbers.charCodeAt(at); c !== 58 /* : */ && at < end; c = numbers.charCodeAt(++at))
          id = id * 10 + c - 48
        let comma = numbers.indexOf(',', at)
        if (comma < 0) comma = end
        const column = columnOf.get(id)
        if (column !== undefined) cells[column] = number(numbers.slice(at + 1, comma))
        from = comma + 1
      }
    }
    if (r.texts && r.texts !== '[]') {
      for (const [id, value] of JSON.parse(r.texts) as Array<[number, string]>) {
        const column = columnOf.get(Number(id))
        if (column !== undefined) cells[column] = csvCell(value)
      }
    }
    return `${Number(r.id)},${text(day(r.submitted_at))},${text(r.period_month)},${text(r.agency_code)},${cell(r.procedure_code)},${text(r.channel)},${Number(r.version_id)},${csvCell(r.version_number)},${weight(r.weight_micro)},${cell(r.stratum)},${text(r.source)},${text(r.entry_channel)}${cells.length ? ',' : ''}${cells.join(',')}\r\n`
  }
}

/** Entries a remembered formatter keeps before it starts over: bounds its memory on odd data. */
const CACHE_LIMIT = 10_000

/** `format`, remembered per value; cleared when full, so a column of distinct values costs no memory. */
function remembered(format: (value: string) => string) {
  const known = new Map<string, string>()
  return (value: string): string => {
    let found = known.get(value)
    if (found === undefined) {
      found = format(value)
      if (known.size >= CACHE_LIMIT) known.clear()
      known.set(value, found)
    }
    return found
  }
}

/** An ISO instant to the millisecond in UTC. The day in Vietnam depends on its date and hour only. */
const CANONICAL_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:[0-5]\d:[0-5]\d\.\d{3}Z$/

/** `vietnamDay`, remembered per hour for instants in the app's canonical form (the same answer, faster). */
function vietnamDayOfHour() {
  const days = new Map<string, string>()
  return (instant: string): string => {
    if (!CANONICAL_INSTANT.test(instant)) return vietnamDay(instant)
    const hour = instant.slice(0, 13)
    let found = days.get(hour)
    if (found === undefined) {
      found = vietnamDay(instant)
      // A year has 8,760 hours; the bound only keeps an odd export's memory flat.
      if (days.size >= 20_000) days.clear()
      days.set(hour, found)
    }
    return found
  }
}
