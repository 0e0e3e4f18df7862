/**
 * The pure rules behind the designer and versions (issue #18): which version is in force for an agency,
 * what counts as a rewording, the English fallback, and where "Thêm câu hỏi" inserts.
 */
import { describe, expect, it } from 'vitest'
import { defaultInsertIndex, freeCode, optionsToText, textToOptions } from '#app/components/admin/designer-form.ts'
import { inLanguage, type QuestionnaireDefinition, withEnglishFallback } from '#app/domain/questionnaire/definition.ts'
import { rewordings } from '#app/domain/questionnaire/diff.ts'
import { wordingInPeriod } from '#app/domain/questionnaire/period-wording.ts'
import { rolloutReaches, startOfVietnamDay, versionInForce, vietnamToday } from '#app/domain/questionnaire/rollout.ts'
import { SIPAS_2017 } from '#app/domain/questionnaire/templates/sipas2017.ts'

const ev = (versionId: number, at: string) => ({ versionId, versionNumber: versionId, at })

describe('versionInForce', () => {
  const now = '2026-12-01T00:00:00.000Z'
  it('without rollouts or pins: the newest general publication that has happened', () => {
    expect(
      versionInForce({
        now,
        generalPublications: [ev(1, '2026-01-01T00:00:00Z'), ev(2, '2026-06-01T00:00:00Z')],
        rollouts: [],
        assignment: null,
      }),
    ).toBe(2)
  })
  it('a rollout counts from its instant, and beats an older version published later the same day', () => {
    const input = {
      generalPublications: [ev(1, '2026-11-30T20:00:00Z')],
      rollouts: [ev(2, '2026-11-30T17:00:00Z')],
      assignment: null,
    }
    expect(versionInForce({ ...input, now })).toBe(2)
    expect(versionInForce({ ...input, now: '2026-11-30T16:59:59Z' })).toBe(null)
    expect(versionInForce({ ...input, now: '2026-11-30T21:00:00Z' })).toBe(2)
  })
  it('a future rollout leaves the agency on its version until the day', () => {
    const input = { generalPublications: [ev(1, '2026-01-01T00:00:00Z')], rollouts: [ev(2, '2027-01-01T00:00:00Z')] }
    expect(versionInForce({ ...input, assignment: null, now })).toBe(1)
    expect(versionInForce({ ...input, assignment: null, now: '2027-01-01T00:00:00Z' })).toBe(2)
  })
  it('a pin ignores general publications, not rollouts of a newer version', () => {
    const pinned = ev(1, '2026-03-01T00:00:00Z')
    expect(
      versionInForce({ now, generalPublications: [ev(2, '2026-06-01T00:00:00Z')], rollouts: [], assignment: pinned }),
    ).toBe(1)
    expect(
      versionInForce({ now, generalPublications: [], rollouts: [ev(3, '2026-07-01T00:00:00Z')], assignment: pinned }),
    ).toBe(3)
  })
  it('a newer general publication reaches agencies an older rollout reached', () => {
    expect(
      versionInForce({
        now,
        generalPublications: [ev(3, '2026-10-01T00:00:00Z')],
        rollouts: [ev(2, '2026-09-01T00:00:00Z')],
        assignment: null,
      }),
    ).toBe(3)
  })
})

describe('rolloutReaches', () => {
  const province = { agencyId: 1, path: '/1/', includeSubtree: false }
  it('the agency itself; its subtree only when asked', () => {
    expect(rolloutReaches(province, { id: 1, path: '/1/' })).toBe(true)
    expect(rolloutReaches(province, { id: 5, path: '/1/5/' })).toBe(false)
    expect(rolloutReaches({ ...province, includeSubtree: true }, { id: 5, path: '/1/5/' })).toBe(true)
    // "/1/" is not a prefix of "/11/": paths end with a slash.
    expect(rolloutReaches({ ...province, includeSubtree: true }, { id: 11, path: '/11/' })).toBe(false)
  })
})

describe('startOfVietnamDay', () => {
  it('midnight in Vietnam (UTC+7) as an ISO instant', () => {
    expect(startOfVietnamDay('2026-12-01')).toBe('2026-11-30T17:00:00.000Z')
  })
  it('null for a day that does not exist or is not yyyy-MM-dd', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '01/12/2026', '', 'mai']) expect(startOfVietnamDay(bad)).toBe(null)
  })
  it('today in Vietnam turns at 17:00 UTC', () => {
    expect(vietnamToday(new Date('2026-11-30T16:59:00Z'))).toBe('2026-11-30')
    expect(vietnamToday(new Date('2026-11-30T17:00:00Z'))).toBe('2026-12-01')
  })
})

describe('rewordings', () => {
  const base = SIPAS_2017
  // Templates share option lists between items: a JSON copy separates them.
  const copy = () => JSON.parse(JSON.stringify(base)) as QuestionnaireDefinition
  it('none for the same definition, nor for English or spacing changes', () => {
    const after = copy()
    after.elements[0]!.items[0]!.labelEn = 'Other English'
    after.elements[0]!.items[1]!.labelVi = `  ${after.elements[0]!.items[1]!.labelVi.replace(/ /g, '  ')} `
    expect(rewordings(base, after)).toEqual([])
  })
  it('a new Vietnamese wording or option wording under the same code, with the recorded answer', () => {
    const after = copy()
    const item = after.elements[0]!.items[0]!
    item.labelVi = 'Cách hỏi mới'
    item.sameMeaning = true
    after.elements[1]!.items[0]!.options![0]!.labelVi = 'Rất tệ'
    expect(rewordings(base, after)).toEqual([
      { code: item.code, before: base.elements[0]!.items[0]!.labelVi, after: 'Cách hỏi mới', sameMeaning: true },
      {
        code: after.elements[1]!.items[0]!.code,
        before: base.elements[1]!.items[0]!.labelVi,
        after: base.elements[1]!.items[0]!.labelVi,
        sameMeaning: false,
      },
    ])
  })
  it('a new code is a new question, not a rewording', () => {
    const after = copy()
    const item = after.elements[0]!.items[0]!
    item.labelVi = 'Câu khác'
    item.code = 'NEW-1'
    expect(rewordings(base, after)).toEqual([])
  })
})

describe('English fallback', () => {
  it('inLanguage: English where written, else Vietnamese; Vietnamese for vi', () => {
    expect(inLanguage('en', 'Xin chào', 'Hello')).toBe('Hello')
    expect(inLanguage('en', 'Xin chào', '')).toBe('Xin chào')
    expect(inLanguage('en', 'Xin chào', null)).toBe('Xin chào')
    expect(inLanguage('vi', 'Xin chào', 'Hello')).toBe('Xin chào')
  })
  it('withEnglishFallback fills every missing English text and keeps the written ones', () => {
    const def = JSON.parse(JSON.stringify(SIPAS_2017)) as QuestionnaireDefinition
    def.nameEn = ''
    def.elements[0]!.titleEn = ''
    def.elements[0]!.items[0]!.labelEn = ''
    def.elements[0]!.items[0]!.options![1]!.labelEn = ''
    def.extraItems[0]!.labelEn = ''
    const read = withEnglishFallback(def)
    expect(read.nameEn).toBe(def.nameVi)
    expect(read.elements[0]!.titleEn).toBe(def.elements[0]!.titleVi)
    expect(read.elements[0]!.items[0]!.labelEn).toBe(def.elements[0]!.items[0]!.labelVi)
    expect(read.elements[0]!.items[0]!.options![1]!.labelEn).toBe(def.elements[0]!.items[0]!.options![1]!.labelVi)
    expect(read.extraItems[0]!.labelEn).toBe(def.extraItems[0]!.labelVi)
    expect(read.elements[1]).toEqual(def.elements[1])
    // The input is not changed: the designer keeps editing the stored texts.
    expect(def.nameEn).toBe('')
  })
})

describe('the designer inserts where the administrator chooses', () => {
  it('by default before the overall question of the list, else at the end', () => {
    expect(defaultInsertIndex([{ role: 'criterion' }, { role: 'criterion' }, { role: 'element_overall' }])).toBe(2)
    expect(defaultInsertIndex([{ role: 'overall' }, { role: 'expectation' }])).toBe(0)
    expect(defaultInsertIndex([{ role: 'criterion' }])).toBe(1)
    expect(defaultInsertIndex([])).toBe(0)
  })
  it('a new code not used anywhere in the questionnaire', () => {
    const values = { elements: [{ items: [{ code: 'Q1' }, { code: 'Q2' }] }], extraItems: [{ code: 'Q3' }] }
    expect(freeCode('Q', values as never)).toBe('Q4')
    expect(freeCode('X', values as never)).toBe('X1')
  })
  it('options may leave out the English', () => {
    expect(textToOptions('1 | Tệ\n2 | Tốt | Good')).toEqual([
      { value: '1', labelVi: 'Tệ', labelEn: '' },
      { value: '2', labelVi: 'Tốt', labelEn: 'Good' },
    ])
    expect(textToOptions('1 |  | Bad')).toBe('invalid')
    expect(optionsToText([{ value: '1', labelVi: 'Tệ', labelEn: '' }])).toBe('1 | Tệ')
  })
})

describe('wordingInPeriod', () => {
  const def = (label: string) => ({
    elements: [
      {
        code: 'E1',
        weight: 1,
        titleVi: 'Yếu tố',
        titleEn: '',
        items: [{ ...SIPAS_2017.elements[0]!.items[0]!, code: 'C1', labelVi: label, labelEn: '' }],
      },
    ],
    extraItems: [],
  })
  it('one version: its wording, one variant', () => {
    const w = wordingInPeriod([{ versionNumber: 1, responses: 7, definition: def('Cũ') }])
    expect(w.get('C1')).toEqual({
      labelVi: 'Cũ',
      labelEn: '',
      variants: [{ versionNumbers: [1], labelVi: 'Cũ', labelEn: '', responses: 7 }],
    })
  })
  it('two wordings in one period: the newest names the row, both are listed oldest first', () => {
    const w = wordingInPeriod([
      { versionNumber: 3, responses: 2, definition: def('Mới') },
      { versionNumber: 1, responses: 5, definition: def('Cũ') },
      { versionNumber: 2, responses: 1, definition: def(' Cũ ') },
    ])
    expect(w.get('C1')!.labelVi).toBe('Mới')
    expect(w.get('C1')!.variants.map((v) => [v.versionNumbers, v.responses])).toEqual([
      [[1, 2], 6],
      [[3], 2],
    ])
  })
  it('no answers: nothing (labels then come from the version)', () => {
    expect(wordingInPeriod([]).size).toBe(0)
  })
})
