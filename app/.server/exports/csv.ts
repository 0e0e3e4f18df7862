/**
 * CSV that Excel opens correctly in Vietnamese: UTF-8 with a byte-order mark, CRLF line ends, and cells
 * that a spreadsheet would run as formulas (= + - @, tab, CR) defused with a leading apostrophe.
 */
export const UTF8_BOM = '\uFEFF'

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  let text = value
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function csvLine(cells: Array<string | number | null | undefined>): string {
  return `${cells.map(csvCell).join(',')}\r\n`
}

export function csvDocument(columns: string[], rows: Array<Array<string | number | null>>): string {
  return UTF8_BOM + csvLine(columns) + rows.map(csvLine).join('')
}

/** `Content-Disposition` with an RFC 5987 name, so Vietnamese file names survive. */
export function attachment(filename: string): string {
  const ascii = filename
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`
}
