// "Không rõ" on a scale item (the per-dossier form v2): a valid answer to a required question, stored as none.
import { describe, expect, it } from 'vitest'
import { allItems } from '#app/domain/questionnaire/definition.ts'
import { DOSSIER_RATING } from '#app/domain/questionnaire/templates/dossier-rating.ts'
import { itemContributions, respondentComposites } from '#app/domain/scoring/contributions.ts'
import { fieldName, UNKNOWN_ANSWER, validateAnswers } from '#app/domain/survey/response-schema.ts'

const items = allItems(DOSSIER_RATING)
const form = (overrides: Record<string, string>) => ({
  [fieldName('D5')]: '2',
  [fieldName('D6')]: '1',
  [fieldName('D7')]: '2',
  [fieldName('D8')]: '2',
  [fieldName('D9')]: '0',
  [fieldName('R.convenience')]: '2',
  [fieldName('R.overall')]: '2',
  ...overrides,
})

describe('UNKNOWN_ANSWER', () => {
  it('answers a required question and is left out of the answers, the aggregates and the composites', () => {
    const result = validateAnswers(
      items,
      form({ [fieldName('D6')]: UNKNOWN_ANSWER, [fieldName('D9')]: UNKNOWN_ANSWER }),
    )
    expect(result.ok).toBe(true)
    const answers = result.ok ? result.answers : {}
    expect(answers).not.toHaveProperty('D6')
    expect(answers).not.toHaveProperty('D9')
    expect(answers).toMatchObject({ D5: 2, D7: 2, D8: 2 })
    expect(itemContributions(items, answers).map((c) => c.itemCode)).not.toContain('D6')
    // Three indicators answered, all at 2 points (≥ 1): the composite counts only them.
    expect(respondentComposites(DOSSIER_RATING.elements, answers)).toMatchObject({ D: 1, overall: 1 })
  })

  it('is refused where the question does not offer it', () => {
    const result = validateAnswers(items, form({ [fieldName('D7')]: UNKNOWN_ANSWER }))
    expect(result).toEqual({ ok: false, errors: { D7: 'survey.errors.outOfScale' } })
  })

  it('a required question left blank is still refused', () => {
    const result = validateAnswers(items, form({ [fieldName('D6')]: '' }))
    expect(result).toEqual({ ok: false, errors: { D6: 'survey.errors.required' } })
  })
})
