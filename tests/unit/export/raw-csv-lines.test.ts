/**
 * The raw export's fast line writer (app/.server/exports/raw-csv-lines.ts) against the plain definition it
 * must equal: `csvLine` of the row's cells, each answer read with `Number` and written by `csvCell`. The
 * answers are read digit by digit with a shortcut for whole numbers, and the lines are written into a
 * growing byte buffer, so both are checked on the awkward cases: signs, points, exponents, long numbers,
 * texts that need quoting or defusing, and Vietnamese text whose bytes outgrow the buffer's first guess.
 */
import { describe, expect, it } from 'vitest'
import { csvLine } from '#app/.server/exports/csv.ts'
import { linesAsBytes, rawLineWriter, vietnamDay } from '#app/.server/exports/raw-csv-lines.ts'
import type { RawExportRow } from '#app/.server/repos/raw-responses.ts'

const itemCodes = ['a1', 'a2', 'a3', 'c1']
// Item ids as the database has them; item 99 belongs to no exported column and is skipped.
const items = [
  { id: 11, code: 'a1' },
  { id: 12, code: 'a2' },
  { id: 13, code: 'a3' },
  { id: 14, code: 'c1' },
]

function row(numbers: string | null, texts: string | null = null, extra: Partial<RawExportRow> = {}): RawExportRow {
  return {
    id: 1001,
    submitted_at: '2026-05-31T18:30:00.000Z',
    period_month: '2026-06',
    agency_code: 'SO-TP',
    procedure_code: null,
    channel: 'counter',
    version_id: 3,
    version_number: 2,
    weight_micro: 1_250_000,
    stratum: null,
    source: 'web',
    entry_channel: 'open_link',
    numbers,
    texts,
    ...extra,
  }
}

/** The line by definition: every cell through `csvCell`, answers through `Number`. */
function expected(r: RawExportRow): string {
  const cells: Array<string | number | null> = new Array(itemCodes.length).fill(null)
  const column = new Map(items.map((item) => [item.id, itemCodes.indexOf(item.code)]))
  for (const pair of r.numbers ? r.numbers.split(',') : []) {
    const [id, value] = pair.split(':') as [string, string]
    const at = column.get(Number(id))
    if (at !== undefined) cells[at] = Number(value)
  }
  for (const [id, value] of r.texts ? (JSON.parse(r.texts) as Array<[number, string]>) : []) {
    const at = column.get(id)
    if (at !== undefined) cells[at] = value
  }
  return csvLine([
    r.id,
    vietnamDay(r.submitted_at),
    r.period_month,
    r.agency_code,
    r.procedure_code,
    r.channel,
    r.version_id,
    String(r.version_number),
    r.weight_micro / 1e6,
    r.stratum,
    r.source,
    r.entry_channel,
    ...cells,
  ])
}

describe('rawLineWriter', () => {
  const answers: Array<[string, string | null]> = [
    ['small whole numbers', '11:1,12:5,13:3'],
    ['zero and the largest kept whole', '11:0,12:1023,13:1024'],
    ['nine and ten digits', '11:123456789,12:1234567890,13:999999999'],
    ['a decimal and a negative', '11:4.5,12:-2,13:0.25'],
    ['an exponent and a minus zero', '11:1e+21,12:-0,13:1.5e-7'],
    ['a leading zero', '11:007,12:08'],
    ['an item outside the columns', '99:4,11:2,99:77.5'],
    ['answers out of column order', '13:2,11:4'],
    ['no answers', null],
  ]
  for (const [name, numbers] of answers) {
    it(`writes ${name} as csvCell of the number`, () => {
      const line = rawLineWriter(itemCodes, items)
      const r = row(numbers)
      expect(line(r)).toBe(expected(r))
    })
  }

  it('reuses no cell of the previous row', () => {
    const line = rawLineWriter(itemCodes, items)
    const first = row('11:1,12:2,13:3')
    const second = row('12:4')
    line(first)
    expect(line(second)).toBe(expected(second))
  })

  it('quotes and defuses texts, and keeps the empty cells of missing codes', () => {
    const line = rawLineWriter(itemCodes, items)
    const r = row(
      '11:5',
      JSON.stringify([
        [14, '=SUM(A1), "quoted"\r\nand a new line'],
        [99, 'not exported'],
      ]),
      { procedure_code: 'TT-01', stratum: '+urban' },
    )
    expect(line(r)).toBe(expected(r))
    expect(line(r)).toContain(`"'=SUM(A1), ""quoted""\r\nand a new line"`)
  })
  it('puts a late-evening instant on the next day in Vietnam', () => {
    expect(rawLineWriter(itemCodes, items)(row(null)).split(',')[1]).toBe('2026-06-01')
  })
})

describe('linesAsBytes', () => {
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes)

  it('writes each line as UTF-8, in order', () => {
    const lines = ['a,1\r\n', 'b,2\r\n', 'c,3\r\n']
    expect(decode(linesAsBytes(lines, (l) => l))).toBe(lines.join(''))
  })

  it('grows past its first guess for long Vietnamese text, without losing a byte', () => {
    const long = `${'Thủ tục rườm rà, chờ đợi lâu. '.repeat(200)}\r\n`
    const lines = ['1,ngắn\r\n', long, '3,ổn\r\n', long]
    const bytes = linesAsBytes(lines, (l) => l)
    expect(bytes.length).toBe(Buffer.byteLength(lines.join('')))
    expect(decode(bytes)).toBe(lines.join(''))
  })

  it('gives each window fresh memory of its own, which can be handed to another thread', () => {
    const bytes = linesAsBytes(['x\r\n'], (l) => l)
    // A slice of Node's shared pool would span other buffers' bytes too.
    expect(bytes.byteOffset).toBe(0)
    const { port1, port2 } = new MessageChannel()
    port1.postMessage(bytes, [bytes.buffer as ArrayBuffer])
    expect(bytes.byteLength).toBe(0)
    port1.close()
    port2.close()
  })

  it('writes nothing for no rows', () => {
    expect(linesAsBytes([], (l: string) => l).length).toBe(0)
  })
})
