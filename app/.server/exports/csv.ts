/**
 * CSV that Excel opens correctly in Vietnamese: UTF-8 with a byte-order mark, CRLF line ends, and cells
 * that a spreadsheet would run as formulas (= + - @, tab, CR) defused with a leading apostrophe. Numbers
 * are written as numbers; negative ones are numbers too, never defused (only text is).
 */
export const UTF8_BOM = '\uFEFF'

/**
 * How cells are separated and decimals written. `rfc4180` (the default): commas and a decimal point, for
 * programs and English spreadsheets. `vi`: semicolons and a decimal comma, which Excel set to Vietnamese
 * (where the comma is the decimal mark) opens into columns and numbers without an import wizard.
 */
export type CsvDialect = 'rfc4180' | 'vi'

/** `?csv=vi` picks the Vietnamese dialect; absent or empty is the default; anything else is null (a 400). */
export function csvDialectOf(params: URLSearchParams): CsvDialect | null {
  const value = params.get('csv')
  if (value === null || value === '') return 'rfc4180'
  return value === 'vi' ? 'vi' : null
}

export function csvCell(value: string | number | null | undefined, dialect: CsvDialect = 'rfc4180'): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return ''
    return dialect === 'vi' ? String(value).replace('.', ',') : String(value)
  }
  let text = value
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  const special = dialect === 'vi' ? /[";\r\n]/ : /[",\r\n]/
  return special.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function csvLine(cells: Array<string | number | null | undefined>, dialect: CsvDialect = 'rfc4180'): string {
  return `${cells.map((c) => csvCell(c, dialect)).join(dialect === 'vi' ? ';' : ',')}\r\n`
}

export function csvDocument(
  columns: string[],
  rows: Array<Array<string | number | null>>,
  dialect: CsvDialect = 'rfc4180',
): string {
  return UTF8_BOM + csvLine(columns, dialect) + rows.map((r) => csvLine(r, dialect)).join('')
}

/** `Content-Disposition` with an RFC 5987 name, so Vietnamese file names survive. */
export function attachment(filename: string): string {
  const ascii = filename
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`
}
