/**
 * The raw responses of the analyst's agencies as CSV, streamed: everything is read from `reader` (the
 * analytics' read-only connection or replica, ADR 0056), rows in batches written as they come, so a
 * million responses take constant memory and no writer waits behind the export; `db`, the primary, only
 * takes the audit entry. Submission times are given as the day (in
 * Vietnam) only: with the agency, procedure and channel, a to-the-millisecond time could single out one
 * citizen at a counter. The entry channel filter (`?channel=`) keeps the scores' choice of responses. The download is audited once it ends, with the rows it carried.
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { monthRange } from '#app/domain/period.ts'
import type { AnalyticsQuery } from '../analytics/query.ts'
import { resolveRoot, SCORES_ERROR_STATUS } from '../analytics/scores-for-user.ts'
import type { Scope } from '../auth/scope.ts'
import { auditExport } from '../services/export-audit.ts'
import { findQuestionnaireByCode, itemCodesOfQuestionnaire, itemIdsOfQuestionnaire } from '../repos/questionnaires.ts'
import { type RawExportRow, type RawResponseFilter, rawExportWindow } from '../repos/raw-responses.ts'
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
  // Pull-based: the next window is read only when the client has taken the previous one (backpressure,
  // which the server passes on from the socket: scripts/server/remix-handler.ts).
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        let chunk = header ? UTF8_BOM + csvLine([...FIXED, ...itemCodes]) : ''
        header = false
        // Windows without a matching response are skipped until there is something to send or the end.
        let window = await rawExportWindow(reader, filter, afterId, windowSize)
        while (!window.done && !window.rows.length) {
          afterId = window.lastId
          window = await rawExportWindow(reader, filter, afterId, windowSize)
        }
        if (window.done) {
          // Audited before the last bytes go: a download that was not logged never completes.
          await auditOnce(true)
          if (chunk) controller.enqueue(encoder.encode(chunk))
          controller.close()
          return
        }
        for (const r of window.rows) chunk += line(r)
        rows += window.rows.length
        afterId = window.lastId
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
  return (r: RawExportRow): string => {
    cells.fill('')
    const numbers = r.numbers
    if (numbers) {
      let from = 0
      while (from < numbers.length) {
        const colon = numbers.indexOf(':', from)
        let comma = numbers.indexOf(',', colon)
        if (comma < 0) comma = numbers.length
        const column = columnOf.get(Number(numbers.slice(from, colon)))
        if (column !== undefined) cells[column] = csvCell(Number(numbers.slice(colon + 1, comma)))
        from = comma + 1
      }
    }
    if (r.texts && r.texts !== '[]') {
      for (const [id, text] of JSON.parse(r.texts) as Array<[number, string]>) {
        const column = columnOf.get(Number(id))
        if (column !== undefined) cells[column] = csvCell(text)
      }
    }
    return `${Number(r.id)},${csvCell(day(r.submitted_at))},${csvCell(r.period_month)},${csvCell(r.agency_code)},${csvCell(r.procedure_code)},${csvCell(r.channel)},${Number(r.version_id)},${csvCell(r.version_number)},${csvCell(r.weight_micro / 1e6)},${csvCell(r.stratum)},${csvCell(r.source)},${csvCell(r.entry_channel)}${cells.length ? ',' : ''}${cells.join(',')}\r\n`
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
