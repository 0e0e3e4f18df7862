/** The one validation of a citizen's answers, shared by the browser and the server. */
import { describe, expect, it } from 'vitest'
import { allItems, type ItemDefinition } from '#app/domain/questionnaire/definition.ts'
import { SIPAS_2017 } from '#app/domain/questionnaire/templates/sipas2017.ts'
import {
  checkAnswers,
  DEFAULT_TEXT_LIMIT,
  fieldName,
  itemCodeOf,
  validateAnswers,
} from '#app/domain/survey/response-schema.ts'

const items = allItems(SIPAS_2017)
const criteria = items.filter((i) => i.role === 'criterion')

function allCriteria(value = '4'): Record<string, unknown> {
  return Object.fromEntries(criteria.map((i) => [fieldName(i.code), value]))
}

describe('field names', () => {
  it('replace dots with colons and back', () => {
    expect(fieldName('E1.1')).toBe('q:E1:1')
    expect(fieldName('S.suggestion')).toBe('q:S:suggestion')
    expect(itemCodeOf('q:E1:1')).toBe('E1.1')
    expect(itemCodeOf('_sid')).toBeNull()
    for (const item of items) expect(itemCodeOf(fieldName(item.code))).toBe(item.code)
  })
})

describe('validateAnswers on SIPAS 2017', () => {
  it('has 22 required criteria on the five-level scale', () => {
    expect(criteria).toHaveLength(22)
    for (const c of criteria) expect(c).toMatchObject({ required: true, type: 'scale5' })
  })

  it('accepts every criterion answered and returns numbers keyed by item code', () => {
    const result = validateAnswers(items, allCriteria('5'))
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(Object.keys(result.answers).sort()).toEqual(criteria.map((c) => c.code).sort())
    for (const v of Object.values(result.answers)) expect(v).toBe(5)
  })

  it.each(['1', '2', '3', '4', '5'])('accepts scale value %s', (v) => {
    const result = validateAnswers(items, { ...allCriteria(), [fieldName('E3.3')]: v })
    expect(result).toMatchObject({ ok: true, answers: { 'E3.3': Number(v) } })
  })

  it.each(['0', '6', '-1', '4.5', '04', ' 4', 'bốn', 'NaN'])('refuses %j as outside the scale', (v) => {
    expect(validateAnswers(items, { ...allCriteria(), [fieldName('E3.3')]: v })).toEqual({
      ok: false,
      errors: { 'E3.3': 'survey.errors.outOfScale' },
    })
  })

  it('reports every missing required item, and only those', () => {
    const values = allCriteria()
    delete values[fieldName('E1.1')]
    values[fieldName('E2.2')] = ''
    values[fieldName('E5.4')] = null
    values[fieldName('E4.3')] = []
    expect(validateAnswers(items, values)).toEqual({
      ok: false,
      errors: {
        'E1.1': 'survey.errors.required',
        'E2.2': 'survey.errors.required',
        'E4.3': 'survey.errors.required',
        'E5.4': 'survey.errors.required',
      },
    })
  })

  it('reports all 22 criteria on an empty form', () => {
    const result = validateAnswers(items, {})
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(Object.keys(result.errors).sort()).toEqual(criteria.map((c) => c.code).sort())
  })

  it('leaves blank optional items out of the answers', () => {
    const result = validateAnswers(items, {
      ...allCriteria(),
      [fieldName('O.overall')]: '',
      [fieldName('S.suggestion')]: '   ',
      [fieldName('X.expectations')]: [],
    })
    expect(result.ok).toBe(true)
    if (result.ok) expect(Object.keys(result.answers)).toHaveLength(22)
  })

  it('keeps multiple-choice answers as a de-duplicated list, one value or many', () => {
    const one = validateAnswers(items, { ...allCriteria(), [fieldName('X.expectations')]: 'time' })
    expect(one).toMatchObject({ ok: true, answers: { 'X.expectations': ['time'] } })
    const many = validateAnswers(items, { ...allCriteria(), [fieldName('X.expectations')]: ['time', 'online', 'time'] })
    expect(many).toMatchObject({ ok: true, answers: { 'X.expectations': ['time', 'online'] } })
    const wrong = validateAnswers(items, { ...allCriteria(), [fieldName('X.expectations')]: ['time', 'nope'] })
    expect(wrong).toEqual({ ok: false, errors: { 'X.expectations': 'survey.errors.outOfScale' } })
  })

  it('keeps single-choice answers as strings and refuses unknown options', () => {
    expect(validateAnswers(items, { ...allCriteria(), [fieldName('P.age')]: '60+' })).toMatchObject({
      ok: true,
      answers: { 'P.age': '60+' },
    })
    expect(validateAnswers(items, { ...allCriteria(), [fieldName('P.age')]: '99' })).toEqual({
      ok: false,
      errors: { 'P.age': 'survey.errors.outOfScale' },
    })
  })

  it('trims the suggestion and limits it to 1000 characters after trimming', () => {
    const ok = validateAnswers(items, { ...allCriteria(), [fieldName('S.suggestion')]: `  ${'a'.repeat(1000)}  ` })
    expect(ok).toMatchObject({ ok: true, answers: { 'S.suggestion': 'a'.repeat(1000) } })
    const long = validateAnswers(items, { ...allCriteria(), [fieldName('S.suggestion')]: 'a'.repeat(1001) })
    expect(long).toEqual({ ok: false, errors: { 'S.suggestion': 'survey.errors.tooLong' } })
  })

  it('ignores fields that are not items (the route refuses unknown items itself)', () => {
    const result = validateAnswers(items, { ...allCriteria(), _sid: 'x', 'q:Z:9': '1' })
    expect(result.ok).toBe(true)
    if (result.ok) expect(result.answers).not.toHaveProperty('Z.9')
  })

  it('refuses an array where one answer is expected', () => {
    expect(validateAnswers(items, { ...allCriteria(), [fieldName('E1.2')]: ['4', '5'] })).toMatchObject({
      ok: false,
      errors: { 'E1.2': expect.stringMatching(/^survey\.errors\./) },
    })
  })
})

describe('checkAnswers for other item types', () => {
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
  const shortText: ItemDefinition = { ...number, code: 'T.short', type: 'text', maxLength: 5, required: true }

  it('coerces numbers and refuses non-numbers', () => {
    expect(checkAnswers([number], { 'q:N:visits': '3' })).toEqual({ ok: true, answers: { 'N.visits': 3 } })
    expect(checkAnswers([number], { 'q:N:visits': 'ba' })).toEqual({
      ok: false,
      errors: { 'N.visits': 'survey.errors.notANumber' },
    })
    expect(checkAnswers([number], { 'q:N:visits': 'Infinity' }).ok).toBe(false)
    expect(checkAnswers([number], {})).toEqual({ ok: true, answers: {} })
  })

  it('uses the item maxLength, else DEFAULT_TEXT_LIMIT', () => {
    expect(DEFAULT_TEXT_LIMIT).toBe(1000)
    expect(validateAnswers([shortText], { 'q:T:short': 'abcde' })).toEqual({
      ok: true,
      answers: { 'T.short': 'abcde' },
    })
    expect(validateAnswers([shortText], { 'q:T:short': 'abcdef' })).toEqual({
      ok: false,
      errors: { 'T.short': 'survey.errors.tooLong' },
    })
    const unlimited = { ...shortText, maxLength: null }
    expect(validateAnswers([unlimited], { 'q:T:short': 'x'.repeat(1000) }).ok).toBe(true)
    expect(validateAnswers([unlimited], { 'q:T:short': 'x'.repeat(1001) }).ok).toBe(false)
  })

  it('refuses a required text answered with spaces only (it would be stored as no answer at all)', () => {
    expect(validateAnswers([shortText], { 'q:T:short': '  ' })).toEqual({
      ok: false,
      errors: { 'T.short': 'survey.errors.required' },
    })
  })

  it('treats non-object input as an empty form', () => {
    expect(checkAnswers(items, null).ok).toBe(false)
    expect(checkAnswers([number], undefined)).toEqual({ ok: true, answers: {} })
  })
})
