/** Reads an uploaded CSV (UTF-8, BOM optional) or XLSX file into rows keyed by the header row. */
import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024

export type TableRows = Array<Record<string, string>>

export async function readTable(file: File): Promise<TableRows | 'unreadable' | 'tooLarge'> {
  if (file.size > MAX_IMPORT_BYTES) return 'tooLarge'
  const bytes = Buffer.from(await file.arrayBuffer())
  try {
    if (file.name.toLowerCase().endsWith('.xlsx') || bytes.subarray(0, 2).toString('latin1') === 'PK')
      return await readXlsx(bytes)
    const records = parse(bytes.toString('utf8').replace(/^\uFEFF/, ''), {
      columns: (header: string[]) => header.map((h) => h.trim()),
      skip_empty_lines: true,
      trim: true,
      relax_column_count: false,
    }) as TableRows
    return records
  } catch {
    return 'unreadable'
  }
}

async function readXlsx(bytes: Buffer): Promise<TableRows> {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer)
  const sheet = workbook.worksheets[0]
  if (!sheet) return []
  const header: string[] = []
  sheet.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => (header[col] = String(cell.text ?? '').trim()))
  const rows: TableRows = []
  sheet.eachRow((row, index) => {
    if (index === 1) return
    const record: Record<string, string> = {}
    let any = false
    header.forEach((name, col) => {
      if (!name) return
      const cell = row.getCell(col)
      const value = cell.value instanceof Date ? cell.value.toISOString().slice(0, 10) : String(cell.text ?? '').trim()
      record[name] = value
      if (value) any = true
    })
    if (any) rows.push(record)
  })
  return rows
}
