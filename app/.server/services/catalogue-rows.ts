/**
 * What the agency and procedure catalogues share when they take rows, from a file or from the one-entry
 * form: each row checked against its schema and against the codes already known (the database's and the
 * earlier rows'), errors numbered as a spreadsheet shows the rows, after the header.
 */
import type { z } from 'zod'
import type { ImportOutcome } from '#app/domain/import-outcome.ts'

export type RowError = ImportOutcome['errors'][number]
export type CheckedRows<T> = { errors: RowError[]; valid: T[] }

/**
 * `more` adds a catalogue's own checks on a row that fits the schema; `known` answers for the database
 * and the rows before this one.
 */
export function checkCatalogueRows<T extends { code: string }>(
  candidates: Array<Record<string, unknown>>,
  schema: z.ZodType<T>,
  existingCodes: Iterable<string>,
  more: (row: T, known: (code: string) => boolean) => RowError['messages'] = () => [],
): CheckedRows<T> {
  const errors: RowError[] = []
  const valid: T[] = []
  const known = new Set(existingCodes)
  candidates.forEach((candidate, index) => {
    const parsed = schema.safeParse(candidate)
    const messages: RowError['messages'] = []
    if (!parsed.success)
      messages.push(...parsed.error.issues.map((i) => ({ key: i.message, values: { column: String(i.path[0]) } })))
    else {
      if (known.has(parsed.data.code)) messages.push({ key: 'agencies.codeTaken' })
      messages.push(...more(parsed.data, (code) => known.has(code)))
      known.add(parsed.data.code)
    }
    if (messages.length) errors.push({ row: index + 2, messages })
    else if (parsed.success) valid.push(parsed.data)
  })
  return { errors, valid }
}

/** One entry from the form, checked like a one-row file: its errors are reported as row 1. */
export async function addOneRow<T>(
  checked: CheckedRows<T>,
  apply: (rows: T[]) => Promise<number>,
): Promise<{ ok: true; count: number } | { ok: false; errors: RowError[] }> {
  if (checked.errors.length) return { ok: false, errors: checked.errors.map((e) => ({ ...e, row: 1 })) }
  return { ok: true, count: await apply(checked.valid) }
}
