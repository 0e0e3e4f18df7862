/**
 * The one validation of a citizen's answers, built from the questionnaire version itself and shared by
 * the browser (react-hook-form's resolver) and the server (the no-JS form post and the retried fetch).
 * Plain code, no validation library: the browser's copy is part of the survey page's budget.
 * Error messages are translation keys under `survey.errors`, rendered in the visitor's language.
 */
import type { ItemDefinition } from '../questionnaire/definition.ts'
import { isScale } from '../questionnaire/items.ts'

/** Form field name of an item. Item codes may contain dots, which react-hook-form reads as nesting. */
export function fieldName(itemCode: string): string {
  return `q:${itemCode.replaceAll('.', ':')}`
}

export function itemCodeOf(field: string): string | null {
  return field.startsWith('q:') ? field.slice(2).replaceAll(':', '.') : null
}

export const DEFAULT_TEXT_LIMIT = 1000

export type AnswerValue = number | string | string[]

/**
 * The option value of "Không rõ" on a scale item (the per-dossier form): the citizen does not know. It
 * satisfies a required question and is stored as no answer, so it never counts for or against the agency.
 */
export const UNKNOWN_ANSWER = 'unknown'

// Spaces alone are no answer: a required suggestion of "   " must not pass as answered.
const isBlank = (v: unknown) =>
  v === undefined ||
  v === null ||
  v === false ||
  (typeof v === 'string' && v.trim() === '') ||
  (Array.isArray(v) && v.length === 0)

type Checked = { ok: true; value: AnswerValue | undefined } | { ok: false; message: string }
const pass = (value: AnswerValue | undefined): Checked => ({ ok: true, value })
const fail = (message: string): Checked => ({ ok: false, message })

/** One item's rule over a non-blank value: the answer to store (undefined: none), or an error key. */
function checkValue(item: ItemDefinition, value: unknown): Checked {
  const allowed = item.options?.map((o) => o.value) ?? []
  if (isScale(item.type) || item.type === 'single') {
    if (typeof value !== 'string') return fail('survey.errors.invalid')
    if (!allowed.includes(value)) return fail('survey.errors.outOfScale')
    if (!isScale(item.type)) return pass(value)
    return pass(value === UNKNOWN_ANSWER ? undefined : Number(value))
  }
  if (item.type === 'multiple') {
    const values = Array.isArray(value) ? value : [value]
    if (!values.every((v) => typeof v === 'string')) return fail('survey.errors.invalid')
    if (!values.every((v) => allowed.includes(v))) return fail('survey.errors.outOfScale')
    return pass([...new Set(values as string[])])
  }
  if (item.type === 'number') {
    // As JavaScript reads a number ("3", " 3 ", "3e2"); NaN and the infinities are no number.
    const n = Number(value)
    return typeof value !== 'symbol' && Number.isFinite(n) ? pass(n) : fail('survey.errors.notANumber')
  }
  if (typeof value !== 'string') return fail('survey.errors.invalid')
  const text = value.trim()
  return text.length <= (item.maxLength ?? DEFAULT_TEXT_LIMIT) ? pass(text) : fail('survey.errors.tooLong')
}

export type FieldErrors = Record<string, string>

export type AnswersResult = { ok: true; answers: Record<string, AnswerValue> } | { ok: false; errors: FieldErrors }

/**
 * The answer rules, written out by hand rather than as a schema so the browser carries a few hundred
 * bytes instead of a validation library (docs/decisions/0055). Values are keyed by `fieldName(code)`;
 * anything that is not an object is an empty form, and keys that are not items are ignored.
 */
export function checkAnswers(items: ItemDefinition[], raw: unknown): AnswersResult {
  const values = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>
  const answers: Record<string, AnswerValue> = {}
  const errors: FieldErrors = {}
  let failed = false
  for (const item of items) {
    const value = values[fieldName(item.code)]
    if (isBlank(value)) {
      if (item.required) {
        errors[item.code] = 'survey.errors.required'
        failed = true
      }
      continue
    }
    const checked = checkValue(item, value)
    if (!checked.ok) {
      errors[item.code] = checked.message
      failed = true
    } else if (checked.value !== undefined && checked.value !== '') answers[item.code] = checked.value
  }
  return failed ? { ok: false, errors } : { ok: true, answers }
}

/** Validates form values; returns answers by item code, or error keys by item code. */
export function validateAnswers(items: ItemDefinition[], values: Record<string, unknown>): AnswersResult {
  return checkAnswers(items, values)
}
