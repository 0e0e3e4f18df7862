/**
 * The one validation of a citizen's answers, built from the questionnaire version itself and shared by
 * the browser (react-hook-form's resolver) and the server (the no-JS form post and the retried fetch).
 * Error messages are translation keys under `survey.errors`, rendered in the visitor's language.
 */
import { z } from 'zod'
import { type ItemDefinition, isScale } from '../questionnaire/definition.ts'

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

function valueSchema(item: ItemDefinition): z.ZodType<AnswerValue | undefined> {
  const allowed = (item.options ?? []).map((o) => o.value)
  if (isScale(item.type) || item.type === 'single') {
    const one = z
      .string({ error: 'survey.errors.invalid' })
      .refine((v) => allowed.includes(v), { message: 'survey.errors.outOfScale' })
    return isScale(item.type) ? one.transform((v) => (v === UNKNOWN_ANSWER ? undefined : Number(v))) : one
  }
  if (item.type === 'multiple') {
    return z
      .union([z.string(), z.array(z.string())], { error: 'survey.errors.invalid' })
      .transform((v) => (Array.isArray(v) ? v : [v]))
      .refine((vs) => vs.every((v) => allowed.includes(v)), { message: 'survey.errors.outOfScale' })
      .transform((vs) => [...new Set(vs)])
  }
  if (item.type === 'number') {
    return z.coerce.number({ error: 'survey.errors.notANumber' }).finite({ message: 'survey.errors.notANumber' })
  }
  return z
    .string({ error: 'survey.errors.invalid' })
    .transform((s) => s.trim())
    .refine((s) => s.length <= (item.maxLength ?? DEFAULT_TEXT_LIMIT), { message: 'survey.errors.tooLong' })
}

/** Zod schema over form values keyed by `fieldName(item.code)`; output keyed by item code. */
export function buildAnswersSchema(items: ItemDefinition[]) {
  const shape: Record<string, z.ZodType> = {}
  for (const item of items) {
    const inner = valueSchema(item)
    // Blank answers arrive as null (see below), so "required" is checked here and not skipped by zod.
    shape[fieldName(item.code)] = z.unknown().transform((value, ctx) => {
      if (isBlank(value)) {
        if (item.required) ctx.addIssue({ code: 'custom', message: 'survey.errors.required' })
        return undefined
      }
      const parsed = inner.safeParse(value)
      if (!parsed.success) {
        ctx.addIssue({ code: 'custom', message: parsed.error.issues[0]?.message ?? 'survey.errors.invalid' })
        return undefined
      }
      return parsed.data
    })
  }
  // Field names computed once: this schema parses every submission of its version.
  const fields = items.map((item) => ({ code: item.code, field: fieldName(item.code) }))
  // Every item's key is made present (null when absent): zod skips absent optional keys entirely.
  const complete = (raw: unknown) => {
    const values = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>
    const present: Record<string, unknown> = {}
    for (const { field } of fields) present[field] = values[field] ?? null
    return present
  }
  return z.preprocess(complete, z.object(shape)).transform((values) => {
    const answers: Record<string, AnswerValue> = {}
    for (const { code, field } of fields) {
      const v = values[field] as AnswerValue | undefined
      if (v !== undefined && !(typeof v === 'string' && v === '')) answers[code] = v
    }
    return answers
  })
}

export type FieldErrors = Record<string, string>

// A published version's items never change, so its schema is built once (building costs more than parsing).
const schemas = new WeakMap<ItemDefinition[], ReturnType<typeof buildAnswersSchema>>()

function schemaFor(items: ItemDefinition[]) {
  let schema = schemas.get(items)
  if (!schema) {
    schema = buildAnswersSchema(items)
    schemas.set(items, schema)
  }
  return schema
}

/** Validates form values; returns answers by item code, or error keys by item code. */
export function validateAnswers(
  items: ItemDefinition[],
  values: Record<string, unknown>,
): { ok: true; answers: Record<string, AnswerValue> } | { ok: false; errors: FieldErrors } {
  const result = schemaFor(items).safeParse(values)
  if (result.success) return { ok: true, answers: result.data }
  const errors: FieldErrors = {}
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '')
    const code = itemCodeOf(field) ?? field
    errors[code] ??= issue.message.startsWith('survey.errors.') ? issue.message : 'survey.errors.invalid'
  }
  return { ok: false, errors }
}
