/**
 * The hand-written answer rules (ADR 0055) answer exactly as the zod schema they replaced. The schema is
 * kept here, as it was, as the oracle: random form values for every item type of every template go
 * through both, and the answers and the error keys must be the same.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { allItems, type ItemDefinition, isScale } from '#app/domain/questionnaire/definition.ts'
import { DOSSIER_RATING } from '#app/domain/questionnaire/templates/dossier-rating.ts'
import { SIPAS_2017 } from '#app/domain/questionnaire/templates/sipas2017.ts'
import {
  type AnswerValue,
  checkAnswers,
  DEFAULT_TEXT_LIMIT,
  fieldName,
  itemCodeOf,
  UNKNOWN_ANSWER,
} from '#app/domain/survey/response-schema.ts'

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

function zodAnswers(items: ItemDefinition[]) {
  const shape: Record<string, z.ZodType> = {}
  for (const item of items) {
    const inner = valueSchema(item)
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
  const complete = (input: unknown) => {
    const values = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>
    return Object.fromEntries(items.map((i) => [fieldName(i.code), values[fieldName(i.code)] ?? null]))
  }
  const schema = z.preprocess(complete, z.object(shape)).transform((values) => {
    const answers: Record<string, AnswerValue> = {}
    for (const item of items) {
      const v = values[fieldName(item.code)] as AnswerValue | undefined
      if (v !== undefined && !(typeof v === 'string' && v === '')) answers[item.code] = v
    }
    return answers
  })
  return (raw: unknown) => {
    const result = schema.safeParse(raw)
    if (result.success) return { ok: true, answers: result.data }
    const errors: Record<string, string> = {}
    for (const issue of result.error.issues) {
      const code = itemCodeOf(String(issue.path[0] ?? '')) ?? String(issue.path[0] ?? '')
      errors[code] ??= issue.message.startsWith('survey.errors.') ? issue.message : 'survey.errors.invalid'
    }
    return { ok: false, errors }
  }
}

const number: ItemDefinition = {
  code: 'N.visits',
  type: 'number',
  role: 'other',
  labelVi: 'Số lần',
  labelEn: 'Visits',
  required: false,
  countsInIndex: false,
  satisfiedThreshold: null,
  options: null,
  maxLength: null,
}
const extra: ItemDefinition[] = [
  number,
  { ...number, code: 'N.required', required: true },
  { ...number, code: 'T.short', type: 'text', maxLength: 5, required: true },
  { ...number, code: 'T.long', type: 'text' },
]

describe('hand-written answer rules', () => {
  for (const [name, items] of [
    ['SIPAS 2017', allItems(SIPAS_2017)],
    ['dossier rating', allItems(DOSSIER_RATING)],
    ['numbers and texts', extra],
  ] as const) {
    it(`answer as the zod schema did (${name})`, () => {
      const options = [...new Set(items.flatMap((i) => (i.options ?? []).map((o) => o.value)))]
      const scalar = fc.oneof(
        fc.constantFrom(...options, UNKNOWN_ANSWER, '', '  ', '3', ' 4 ', '1e2', 'Infinity', 'x'.repeat(1001)),
        fc.string({ maxLength: 8 }),
        fc.constantFrom(null, undefined, false, true, 0, 7, Number.NaN),
      )
      const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }), fc.constant({}))
      // Mostly a valid answer per item, so that about half the forms pass and their answers are compared too.
      const valid = (item: ItemDefinition) => {
        const own = (item.options ?? []).map((o) => o.value)
        if (item.type === 'multiple') return fc.array(fc.constantFrom(...own), { minLength: 1, maxLength: 4 })
        if (own.length) return fc.constantFrom(...own)
        return item.type === 'number'
          ? fc.constantFrom('3', ' 4 ', '1e2', '0')
          : fc.constantFrom('ok', '  hi  ', 'abcde')
      }
      const fields = Object.fromEntries(
        items.map((i) => [
          fieldName(i.code),
          fc.oneof({ weight: 30, arbitrary: valid(i) }, { weight: 1, arbitrary: value }),
        ]),
      )
      const form = fc.record({ ...fields, _sid: value, 'q:Z:9': value }, { requiredKeys: [] })
      const oracle = zodAnswers(items)
      fc.assert(
        fc.property(form, (values) => {
          expect(checkAnswers(items, values)).toEqual(oracle(values))
        }),
        { numRuns: 2000 },
      )
    })
  }

  it('treat anything but an object as an empty form, as the schema did', () => {
    const oracle = zodAnswers(extra)
    for (const raw of [null, undefined, 'x', 3]) expect(checkAnswers(extra, raw)).toEqual(oracle(raw))
  })
})
