/**
 * exceljs, loaded on first use: it takes about 300 ms to load, which every server start and every test
 * process that imports an export or import module would otherwise pay, for a download few requests ask for.
 */
export async function loadExcelJs() {
  return (await import('exceljs')).default
}
