/**
 * What one response adds to the additive aggregates: a row per scale or choice answer, and a row per
 * per-respondent composite (each element and the overall index). Pure, so the live path (one response
 * at a time) and the rebuild (all responses) compute exactly the same numbers.
 */
import { type ItemDefinition, isScale } from '../questionnaire/definition.ts'
import type { AnswerValue } from '../survey/response-schema.ts'

export interface ScoringElement {
  code: string
  weight: number
  items: ItemDefinition[]
}

/**
 * The respondent's composite per element: the share of that element's index criteria they answered
 * satisfied; overall: the element-weighted mean over elements they answered. Null where nothing was
 * answered, so the respondent does not count in that composite's n.
 */
export function respondentComposites(
  elements: ScoringElement[],
  answers: Record<string, AnswerValue>,
): Record<string, number | null> {
  const out: Record<string, number | null> = {}
  let weighted = 0
  let weightSum = 0
  for (const element of elements) {
    let answered = 0
    let satisfied = 0
    for (const item of element.items) {
      if (!item.countsInIndex || item.satisfiedThreshold === null) continue
      const value = answers[item.code]
      if (typeof value !== 'number') continue
      answered++
      if (value >= item.satisfiedThreshold) satisfied++
    }
    const x = answered ? satisfied / answered : null
    out[element.code] = x
    if (x !== null) {
      weighted += element.weight * x
      weightSum += element.weight
    }
  }
  out.overall = weightSum ? weighted / weightSum : null
  return out
}

export interface ItemContribution {
  itemCode: string
  /** The scale value; for choice items the 1-based option position, and 0 for "answered the item". */
  answerValue: number
}

export function itemContributions(items: ItemDefinition[], answers: Record<string, AnswerValue>): ItemContribution[] {
  const out: ItemContribution[] = []
  for (const item of items) {
    const value = answers[item.code]
    if (value === undefined) continue
    if (isScale(item.type) && typeof value === 'number') out.push({ itemCode: item.code, answerValue: value })
    else if (item.type === 'single' || item.type === 'multiple') {
      const chosen = Array.isArray(value) ? value : [String(value)]
      const positions = (item.options ?? []).map((o) => o.value)
      out.push({ itemCode: item.code, answerValue: 0 })
      for (const v of chosen) {
        const position = positions.indexOf(v)
        if (position >= 0) out.push({ itemCode: item.code, answerValue: position + 1 })
      }
    }
  }
  return out
}
