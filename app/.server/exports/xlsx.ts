/** XLSX written with exceljs: one sheet per table and an "About" sheet stating method and filters. */
import ExcelJS from 'exceljs'
import type { ColumnKind, Report } from '#app/domain/export/report.ts'
import type { ScoreSheet } from '#app/domain/export/score-sheet.ts'

export async function scoreWorkbook(sheet: ScoreSheet, title: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'Hài Lòng'
  workbook.created = new Date()
  const scores = workbook.addWorksheet('Scores')
  scores.addRow(sheet.columns).font = { bold: true }
  // Values go in as typed cells (numbers stay numbers), never as formulas.
  for (const row of sheet.rows) scores.addRow(row.map((v) => (v === null ? null : v)))
  scores.views = [{ state: 'frozen', ySplit: 1 }]
  for (const [i, column] of scores.columns.entries()) column.width = i === 1 ? 48 : 16
  const about = workbook.addWorksheet('About')
  about.addRow(['title', title]).font = { bold: true }
  // Key, value, and the statement in the user's language (method, interval rule, suppression, versions).
  for (const entry of sheet.about) about.addRow([...entry])
  about.getColumn(1).width = 28
  about.getColumn(2).width = 48
  about.getColumn(3).width = 100
  about.getColumn(3).alignment = { wrapText: true, vertical: 'top' }
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

/** Excel number formats per column kind: percentages are numbers shown as "90,29%", never text. */
const NUMBER_FORMATS: Record<ColumnKind, string | undefined> = {
  text: undefined,
  integer: '#,##0',
  percent: '0.00%',
  points: '+0.00;-0.00;0.00',
  decimal: '#,##0.0',
}

/**
 * The report-ready workbook (docs/publication.md, "Downloads"): one sheet per table of the report, in the
 * reader's language, each with its title on the first line, the headers on the third, and typed cells.
 * A percentage is stored as a share (0.9029) with a percent format, so Excel computes with it and shows
 * "90,29%" in Vietnamese.
 */
export async function reportWorkbook(report: Report): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'Hài Lòng'
  workbook.title = report.title
  workbook.created = new Date()
  for (const table of report.tables) {
    const sheet = workbook.addWorksheet(table.name, {
      pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    })
    sheet.addRow([table.title]).font = { bold: true, size: 13 }
    sheet.addRow([])
    const header = sheet.addRow(table.columns.map((c) => c.header))
    header.font = { bold: true }
    header.alignment = { wrapText: true, vertical: 'top' }
    for (const values of table.rows)
      sheet.addRow(
        values.map((v, i) =>
          table.columns[i]?.kind === 'percent' && typeof v === 'number' ? Math.round(v * 100) / 10_000 : v,
        ),
      )
    sheet.views = [{ state: 'frozen', ySplit: 3 }]
    for (const [i, column] of table.columns.entries()) {
      const excel = sheet.getColumn(i + 1)
      const format = NUMBER_FORMATS[column.kind]
      if (format) excel.numFmt = format
      excel.width = column.kind === 'text' ? (table.key === 'method' && i === 1 ? 100 : 36) : 14
      if (column.kind === 'text') excel.alignment = { wrapText: true, vertical: 'top' }
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer())
}
