/**
 * The designer edits a questionnaire as form values; this converts between those and the definition
 * the server validates. Answer options are edited as text ("value | Vietnamese | English" per line).
 */
import type { ItemDefinition, QuestionnaireDefinition } from '#app/domain/questionnaire/definition.ts'

export type ItemForm = Omit<ItemDefinition, 'options'> & { optionsText: string }
export interface ElementForm {
  code: string
  weight: number
  titleVi: string
  titleEn: string
  items: ItemForm[]
}
export interface DesignerValues {
  code: string
  nameVi: string
  nameEn: string
  indexMethod: QuestionnaireDefinition['indexMethod']
  elements: ElementForm[]
  extraItems: ItemForm[]
}

export function optionsToText(options: ItemDefinition['options']): string {
  return (options ?? []).map((o) => [o.value, o.labelVi, ...(o.labelEn ? [o.labelEn] : [])].join(' | ')).join('\n')
}

export function textToOptions(text: string): ItemDefinition['options'] | 'invalid' {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
  if (!lines.length) return null
  const options = lines.map((line) => line.split('|').map((p) => p.trim()))
  // English is optional: "value | Vietnamese" or "value | Vietnamese | English".
  if (options.some((parts) => parts.length < 2 || parts.length > 3 || !parts[0] || !parts[1])) return 'invalid'
  return options.map(([value, labelVi, labelEn]) => ({ value: value!, labelVi: labelVi!, labelEn: labelEn ?? '' }))
}

const itemToForm = ({ options, ...item }: ItemDefinition): ItemForm => ({
  ...item,
  optionsText: optionsToText(options),
})

export function toDesignerValues(def: QuestionnaireDefinition): DesignerValues {
  return {
    code: def.code,
    nameVi: def.nameVi,
    nameEn: def.nameEn,
    indexMethod: def.indexMethod,
    elements: def.elements.map((e) => ({
      code: e.code,
      weight: e.weight,
      titleVi: e.titleVi,
      titleEn: e.titleEn,
      items: e.items.map(itemToForm),
    })),
    extraItems: def.extraItems.map(itemToForm),
  }
}

function formToItem({ optionsText, ...item }: ItemForm, problems: string[]): ItemDefinition {
  const options = textToOptions(optionsText ?? '')
  if (options === 'invalid') problems.push(`${item.code}: designer.errors.badOptions`)
  const num = (v: unknown) => (v === '' || v === null || v === undefined || Number.isNaN(Number(v)) ? null : Number(v))
  return {
    ...item,
    required: Boolean(item.required),
    countsInIndex: Boolean(item.countsInIndex),
    satisfiedThreshold: num(item.satisfiedThreshold),
    maxLength: num(item.maxLength),
    options: options === 'invalid' ? null : options,
  }
}

export function fromDesignerValues(values: DesignerValues): {
  definition: QuestionnaireDefinition
  problems: string[]
} {
  const problems: string[] = []
  const definition: QuestionnaireDefinition = {
    code: values.code,
    nameVi: values.nameVi,
    nameEn: values.nameEn,
    indexMethod: values.indexMethod,
    elements: values.elements.map((e) => ({
      code: e.code,
      weight: Number(e.weight),
      titleVi: e.titleVi,
      titleEn: e.titleEn,
      items: e.items.map((i) => formToItem(i, problems)),
    })),
    extraItems: values.extraItems.map((i) => formToItem(i, problems)),
  }
  return { definition, problems }
}

export function newItem(code: string): ItemForm {
  return {
    code,
    type: 'scale5',
    role: 'criterion',
    labelVi: '',
    labelEn: '',
    required: true,
    sameMeaning: false,
    countsInIndex: true,
    satisfiedThreshold: 4,
    maxLength: null,
    optionsText:
      '1 | Rất không hài lòng | Very dissatisfied\n2 | Không hài lòng | Dissatisfied\n3 | Bình thường | Neutral\n4 | Hài lòng | Satisfied\n5 | Rất hài lòng | Very satisfied',
  }
}

/**
 * Stable React keys for a preview list whose codes may repeat while the designer types them: the code,
 * then "#2", "#3" for later occurrences. The preview renders watched values, which carry no field ids.
 */
export function keyedByCode<T extends { code: string }>(list: T[]): Array<{ key: string; value: T }> {
  const seen = new Map<string, number>()
  return list.map((value) => {
    const occurrence = (seen.get(value.code) ?? 0) + 1
    seen.set(value.code, occurrence)
    return { key: occurrence === 1 ? value.code : `${value.code}#${occurrence}`, value }
  })
}

/**
 * Where "Thêm câu hỏi" puts a new question by default: before the first overall question of the list (an
 * element's "Đánh giá chung về yếu tố", or the questionnaire's overall rating), so a new criterion never
 * lands after it by accident; at the end when the list has none.
 */
export function defaultInsertIndex(items: ReadonlyArray<Pick<ItemDefinition, 'role'>>): number {
  const overall = items.findIndex((i) => i.role === 'element_overall' || i.role === 'overall')
  return overall === -1 ? items.length : overall
}

/** A code not used anywhere in the questionnaire yet: prefix + the first free number. */
export function freeCode(prefix: string, values: Pick<DesignerValues, 'elements' | 'extraItems'>): string {
  const used = new Set([...values.elements.flatMap((e) => e.items), ...values.extraItems].map((i) => i.code))
  let n = 1
  while (used.has(`${prefix}${n}`)) n++
  return `${prefix}${n}`
}
