/** The two-step import every catalogue shares: check the uploaded file, and apply it only when all rows are valid. */
import { data } from '@remix-run/node'
import type { ImportOutcome } from '#app/domain/import-outcome.ts'
import { constraintViolation } from '#db/dialect.ts'
import { readTable, type TableRows } from '../imports/read-table.ts'

export async function runImport<T>(
  form: FormData,
  apply: boolean,
  check: (rows: TableRows) => Promise<{ errors: ImportOutcome['errors']; valid: T[]; duplicates?: number }>,
  write: (rows: T[]) => Promise<number>,
) {
  const file = form.get('file')
  if (!(file instanceof File) || file.size === 0)
    return data<ImportOutcome>({ status: 'unreadable', count: 0, errors: [] }, { status: 400 })
  const rows = await readTable(file)
  if (rows === 'unreadable' || rows === 'tooLarge')
    return data<ImportOutcome>({ status: rows, count: 0, errors: [] }, { status: rows === 'tooLarge' ? 413 : 400 })
  const checked = await check(rows)
  if (checked.errors.length)
    return data<ImportOutcome>({ status: 'errors', count: 0, errors: checked.errors }, { status: 422 })
  if (!apply)
    return data<ImportOutcome>({
      status: 'ready',
      count: checked.valid.length,
      duplicates: checked.duplicates,
      errors: [],
    })
  let count: number
  try {
    count = await write(checked.valid)
  } catch (error) {
    // Checked, then beaten to it: another import or edit stored one of these keys in between. The write
    // is one transaction, so nothing of the file was stored; checking again shows what changed.
    if (constraintViolation(error)?.kind === 'unique')
      return data<ImportOutcome>({ status: 'conflict', count: 0, errors: [] }, { status: 409 })
    throw error
  }
  return data<ImportOutcome>({ status: 'applied', count, duplicates: checked.duplicates, errors: [] })
}

/** A catalogue's one-entry form answers as a one-row file would: its errors (400), or the entry applied. */
export function addOutcome(result: { ok: true; count: number } | { ok: false; errors: ImportOutcome['errors'] }) {
  if (!result.ok) return data<ImportOutcome>({ status: 'errors', count: 0, errors: result.errors }, { status: 400 })
  return data<ImportOutcome>({ status: 'applied', count: result.count, errors: [] })
}
