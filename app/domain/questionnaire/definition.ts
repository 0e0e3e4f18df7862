/**
 * A questionnaire version as data: the one schema shared by the designer, the seed, the importer
 * and the survey renderer. zod is the source of truth; the database rows are its storage.
 */
import { z } from 'zod'
import { isScale } from './items.ts'

export const ITEM_TYPES = ['scale5', 'scale3', 'points210', 'single', 'multiple', 'text', 'number'] as const
export const ITEM_ROLES = [
  'criterion',
  'element_overall',
  'overall',
  'expectation',
  'profile',
  'suggestion',
  'other',
] as const
export const INDEX_METHODS = ['respondent-composite', 'mean-of-item-indices'] as const

export type ItemType = (typeof ITEM_TYPES)[number]
export type ItemRole = (typeof ITEM_ROLES)[number]
export type IndexMethod = (typeof INDEX_METHODS)[number]

const code = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.-]{1,40}$/, 'designer.errors.code')
const label = z.string().trim().min(1, 'designer.errors.labelRequired').max(500, 'designer.errors.labelTooLong')
/**
 * English is optional (issue #18): a province writes its questionnaire in Vietnamese, and an English screen
 * shows the Vietnamese where no English was written (`withEnglishFallback`). Stored as '' when missing.
 */
const englishLabel = z.string().trim().max(500, 'designer.errors.labelTooLong').default('')

export const optionSchema = z.object({
  value: z.string().trim().min(1, 'designer.errors.badOptions').max(40, 'designer.errors.badOptions'),
  labelVi: label,
  labelEn: englishLabel,
})
export type ItemOption = z.infer<typeof optionSchema>

export const itemSchema = z.object({
  code,
  type: z.enum(ITEM_TYPES),
  role: z.enum(ITEM_ROLES),
  labelVi: label,
  labelEn: englishLabel,
  required: z.boolean(),
  countsInIndex: z.boolean(),
  satisfiedThreshold: z.number().int().nullable(),
  options: z.array(optionSchema, { error: 'designer.errors.badOptions' }).nullable(),
  maxLength: z.number().int().positive().max(5000).nullable(),
  /**
   * The administrator's answer to "this code's wording changed since the previous published version: is it
   * still the same question?" (docs/questionnaires.md). Only meaningful in the version that changed it.
   */
  sameMeaning: z.boolean().optional(),
})
export type ItemDefinition = z.infer<typeof itemSchema>

export const elementSchema = z.object({
  code,
  weight: z
    .number({ error: 'designer.errors.weightPositive' })
    .positive('designer.errors.weightPositive')
    .max(100, 'designer.errors.weightTooLarge'),
  titleVi: label,
  titleEn: englishLabel,
  items: z.array(itemSchema),
})
export type ElementDefinition = z.infer<typeof elementSchema>

export const questionnaireDefinitionSchema = z
  .object({
    code,
    nameVi: label,
    nameEn: englishLabel,
    indexMethod: z.enum(INDEX_METHODS),
    elements: z.array(elementSchema).min(1, 'designer.errors.elementRequired'),
    /** Items outside any element: overall satisfaction, expectations, profile, suggestions. */
    extraItems: z.array(itemSchema),
  })
  .superRefine((q, ctx) => {
    const elementCodes = new Set<string>()
    for (const [index, element] of q.elements.entries()) {
      if (elementCodes.has(element.code))
        ctx.addIssue({
          code: 'custom',
          message: 'designer.errors.duplicateElementCode',
          path: ['elements', index, 'code'],
        })
      elementCodes.add(element.code)
    }
    const seen = new Set<string>()
    const items = [...q.elements.flatMap((e) => e.items), ...q.extraItems]
    for (const item of items) {
      if (seen.has(item.code))
        ctx.addIssue({ code: 'custom', message: 'designer.errors.duplicateItemCode', path: ['items', item.code] })
      seen.add(item.code)
      const needsOptions = item.type === 'single' || item.type === 'multiple' || isScale(item.type)
      if (needsOptions && !item.options?.length) {
        ctx.addIssue({ code: 'custom', message: 'designer.errors.optionsRequired', path: ['items', item.code] })
      }
      if (item.countsInIndex && item.satisfiedThreshold === null) {
        ctx.addIssue({ code: 'custom', message: 'designer.errors.thresholdRequired', path: ['items', item.code] })
      }
    }
  })
export type QuestionnaireDefinition = z.infer<typeof questionnaireDefinitionSchema>

// Plain helpers live apart from the schemas so the citizen's page uses them without zod (ADR 0055).
export { allItems, isScale } from './items.ts'

/** The text for a language: English where it was written, else the Vietnamese (English is optional). */
export function inLanguage(lng: string, vi: string, en: string | null | undefined): string {
  return lng === 'en' && en ? en : vi
}

/**
 * The definition as English screens read it: every missing English text replaced by the Vietnamese. Applied
 * where versions are loaded for display (survey, analytics, exports); the designer edits the stored texts.
 */
export function withEnglishFallback<
  T extends Pick<QuestionnaireDefinition, 'nameVi' | 'nameEn' | 'elements' | 'extraItems'> & {
    items?: ItemDefinition[]
  },
>(def: T): T {
  const item = <I extends ItemDefinition>(i: I): I => ({
    ...i,
    labelEn: i.labelEn || i.labelVi,
    options: i.options ? i.options.map((o) => ({ ...o, labelEn: o.labelEn || o.labelVi })) : null,
  })
  return {
    ...def,
    nameEn: def.nameEn || def.nameVi,
    elements: def.elements.map((e) => ({ ...e, titleEn: e.titleEn || e.titleVi, items: e.items.map(item) })),
    extraItems: def.extraItems.map(item),
    ...(def.items ? { items: def.items.map(item) } : {}),
  }
}
