/** XLSX written with exceljs: one sheet per table and an "About" sheet stating method and filters. */
import ExcelJS from 'exceljs'
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
