/**
 * The raw export's CSV, window by window: what the export's thread (raw-export-thread.ts) or, failing one,
 * the server's own thread runs. It only reads and formats, so it imports no more than that: a worker
 * thread loads this module and its few imports, not the app.
 */
import type { Kysely } from 'kysely'
import { dialectOf } from '#db/dialect.ts'
import type { Database } from '#db/schema.ts'
import { type RawExportRow, type RawResponseFilter, rawExportRows, rawExportWindowEnd } from '../repos/raw-responses.ts'
import { csvCell, csvLine, UTF8_BOM } from './csv.ts'

/** The fixed columns, before one column per item code; their names are the file's public format. */
export const FIXED = [
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
 * Responses per window read: big enough that a query's fixed cost vanishes, small enough for the export
 * thread's small heap. 5,000 were slower on PostgreSQL (37,300 against 48,100 rows/s) and took the server
 * from 253 to 275 MiB on SQLite (docs/performance.md).
 */
export const WINDOW = 2000

/**
 * Windows PostgreSQL reads ahead of the one being awaited, side by side, each on a connection of its own
 * (the export thread's pool has one more than this): PostgreSQL, not the thread, bounded the export, and
 * on two cores two windows ahead gave 50,000 rows/s where one gave 43,000 (docs/performance.md).
 */
export const READ_AHEAD = 2

/** What the export's CSV is made of: the questionnaire's items, the responses chosen, the window size. */
export interface RawCsvJob {
  filter: RawResponseFilter
  itemCodes: string[]
  items: Array<{ id: number; code: string }>
  windowSize: number
}

/**
 * The file in pieces of UTF-8: the header (with the byte-order mark), then one piece per window that holds
 * exported responses, with how many rows it carries. A piece's bytes are fresh memory of their own, so a
 * worker thread can hand them over without a copy. A window is read only when the previous piece has
 * been taken, so a slow client holds the reading back; on PostgreSQL the next windows are read while this
 * one is formatted (below).
 */
export async function* rawCsvChunks(
  reader: Kysely<Database>,
  job: RawCsvJob,
): AsyncGenerator<{ bytes: Uint8Array; rows: number }> {
  const line = rawLineWriter(job.itemCodes, job.items)
  // Not `Buffer.from`: a short text's buffer would be a slice of Node's shared pool, which cannot be handed over.
  yield { bytes: new TextEncoder().encode(UTF8_BOM + csvLine([...FIXED, ...job.itemCodes])), rows: 0 }
  // PostgreSQL is another process: it reads the next windows while this one becomes CSV, on connections
  // of their own, so its work and ours overlap instead of taking turns. SQLite runs in this thread, where
  // reading ahead would only hold more windows in memory.
  const ahead = dialectOf(reader) === 'postgres' ? READ_AHEAD : 0
  const reading: Array<Promise<RawExportRow[]>> = []
  let afterId = 0
  let ended = false
  for (;;) {
    // Where each window ends is cheap to find and found in order; its rows are read side by side.
    while (!ended && reading.length <= ahead) {
      const lastId = await rawExportWindowEnd(reader, job.filter, afterId, job.windowSize)
      if (lastId === null) {
        ended = true
        break
      }
      const rows = rawExportRows(reader, job.filter, afterId, lastId)
      // Awaited in its turn, which reports its error; a download stopped half-way never awaits it.
      rows.catch(() => {})
      reading.push(rows)
      afterId = lastId
    }
    const next = reading.shift()
    if (!next) return
    const rows = await next
    // Windows without a matching response add nothing.
    if (!rows.length) continue
    yield { bytes: linesAsBytes(rows, line), rows: rows.length }
  }
}

/** Bytes a window's buffer starts with per row; it grows when a row's line needs more. */
const BYTES_PER_ROW = 256

/**
 * A window's lines, written as UTF-8 one by one into a buffer. Joining them into one text and encoding
 * that took several times the CPU (the text is built, flattened, then copied again) and left more garbage.
 * The buffer is never from Node's shared pool: it is handed whole to another thread.
 */
export function linesAsBytes<Row>(rows: readonly Row[], line: (row: Row) => string): Uint8Array {
  let buffer = Buffer.allocUnsafeSlow(Math.max(rows.length, 1) * BYTES_PER_ROW)
  let used = 0
  for (const row of rows) {
    const text = line(row)
    // A UTF-16 unit never takes more than 3 bytes of UTF-8.
    const most = text.length * 3
    if (buffer.length - used < most) {
      const larger = Buffer.allocUnsafeSlow(Math.max(buffer.length * 2, used + most))
      buffer.copy(larger, 0, 0, used)
      buffer = larger
    }
    used += buffer.write(text, used)
  }
  return buffer.subarray(0, used)
}

/** The day of an instant in Vietnam (UTC+7, no daylight saving), as yyyy-MM-dd. */
export function vietnamDay(instant: string): string {
  return new Date(new Date(instant).getTime() + 7 * 3600 * 1000).toISOString().slice(0, 10)
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
  // A whole number of up to nine digits is exactly its `Number`, so its cell is `csvCell` of it.
  const wholes = Array.from({ length: WHOLES_KEPT }, (_, value) => csvCell(value))
  const whole = (value: number) => (value < WHOLES_KEPT ? (wholes[value] as string) : csvCell(value))
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
        // The answer: most are small whole numbers, read here without cutting a string for each of the
        // million rows' twenty-odd answers; anything else (a sign, a point, an exponent) is cut and read.
        let value = 0
        let digits = 0
        let plain = true
        let comma = at + 1
        for (let c = numbers.charCodeAt(comma); comma < end && c !== 44 /* , */; c = numbers.charCodeAt(++comma)) {
          if (c >= 48 && c <= 57) value = value * 10 + c - 48
          else plain = false
          digits++
        }
        const column = columnOf.get(id)
        if (column !== undefined)
          cells[column] = plain && digits > 0 && digits <= 9 ? whole(value) : number(numbers.slice(at + 1, comma))
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

/** Whole answers below this have their cell made once, in an array indexed by the number. */
const WHOLES_KEPT = 1024

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
