/**
 * What one response adds to the aggregates: per-respondent composites (share of an element's index
 * criteria answered satisfied; overall = element-weighted mean over the elements answered) and one
 * contribution row per scale answer / chosen option. Every expected number is worked out by hand.
 */
import { describe, expect, it } from 'vitest'
import type { ItemDefinition } from '#app/domain/questionnaire/definition.ts'
import { itemContributions, respondentComposites, type ScoringElement } from '#app/domain/scoring/contributions.ts'
import { scaleItem } from './support.ts'

const scale = scaleItem
const choice = (code: string, type: 'single' | 'multiple', values: string[]): ItemDefinition => ({
  code,
  type,
  role: 'expectation',
  labelVi: code,
  labelEn: code,
  required: false,
  countsInIndex: false,
  satisfiedThreshold: null,
  options: values.map((v) => ({ value: v, labelVi: v, labelEn: v })),
  maxLength: null,
})

// Element A (weight 2): three criteria plus an element-level question that does not count in the index.
// Element B (weight 1): two criteria.
const A: ScoringElement = {
  code: 'A',
  weight: 2,
  items: [
    scale('A1'),
    scale('A2'),
    scale('A3'),
    scale('A.overall', { role: 'element_overall', countsInIndex: false, satisfiedThreshold: null, required: false }),
  ],
}
const B: ScoringElement = { code: 'B', weight: 1, items: [scale('B1'), scale('B2')] }

describe('respondentComposites', () => {
  it('is the share satisfied among the criteria the respondent answered, and the element-weighted overall', () => {
    // A: A1=5 satisfied, A2=3 not, A3 skipped → 1/2. B: B1=4 satisfied, B2 skipped → 1/1.
    // Overall: (2·0.5 + 1·1) / (2 + 1) = 2/3.
    const c = respondentComposites([A, B], { A1: 5, A2: 3, B1: 4, 'A.overall': 1 })
    expect(c.A).toBe(0.5)
    expect(c.B).toBe(1)
    expect(c.overall).toBeCloseTo(2 / 3, 15)
  })

  it('uses the threshold: 4 and 5 are satisfied, 1–3 are not', () => {
    // A: 4, 5, 3 → 2/3; B: 1, 2 → 0. Overall (2·2/3 + 0)/3 = 4/9.
    const c = respondentComposites([A, B], { A1: 4, A2: 5, A3: 3, B1: 1, B2: 2 })
    expect(c.A).toBeCloseTo(2 / 3, 15)
    expect(c.B).toBe(0)
    expect(c.overall).toBeCloseTo(4 / 9, 15)
  })

  it('leaves out an element nobody answered: the overall is over the answered elements only', () => {
    // Only B answered: B = 1/2 and overall = B (the weight of A does not enter).
    const c = respondentComposites([A, B], { B1: 5, B2: 3 })
    expect(c).toEqual({ A: null, B: 0.5, overall: 0.5 })
  })

  it('is null everywhere for a respondent with no index answer (the element question alone does not count)', () => {
    expect(respondentComposites([A, B], { 'A.overall': 5 })).toEqual({ A: null, B: null, overall: null })
    expect(respondentComposites([A, B], {})).toEqual({ A: null, B: null, overall: null })
  })

  it('ignores non-numeric values for scale criteria', () => {
    // A1 = '5' (a string) is not an answer; A2 = 5 is: A = 1/1.
    const c = respondentComposites([A], { A1: '5', A2: 5 })
    expect(c).toEqual({ A: 1, overall: 1 })
  })
})

describe('itemContributions', () => {
  const single = choice('S', 'single', ['a', 'b', 'c'])
  const multiple = choice('M', 'multiple', ['x', 'y', 'z'])
  const text: ItemDefinition = { ...choice('T', 'single', []), type: 'text', options: null }
  const items = [scale('A1'), scale('A2'), single, multiple, text]

  it('adds one row per scale answer with the value itself', () => {
    expect(itemContributions(items, { A1: 5, A2: 1 })).toEqual([
      { itemCode: 'A1', answerValue: 5 },
      { itemCode: 'A2', answerValue: 1 },
    ])
  })

  it('adds 0 ("answered") plus the 1-based position of each chosen option for choice items', () => {
    expect(itemContributions(items, { S: 'b', M: ['x', 'z'] })).toEqual([
      { itemCode: 'S', answerValue: 0 },
      { itemCode: 'S', answerValue: 2 },
      { itemCode: 'M', answerValue: 0 },
      { itemCode: 'M', answerValue: 1 },
      { itemCode: 'M', answerValue: 3 },
    ])
  })

  it('counts an unknown option as answered only, and adds nothing for text or skipped items', () => {
    expect(itemContributions(items, { S: 'nope', T: 'free text' })).toEqual([{ itemCode: 'S', answerValue: 0 }])
    expect(itemContributions(items, {})).toEqual([])
  })
})
