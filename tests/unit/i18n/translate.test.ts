/**
 * The citizen's pages translate without i18next (ADR 0055): for every key they are sent, in both languages
 * and with counts that pick each plural form, their translator says what i18next says.
 */
import i18next from 'i18next'
import { describe, expect, it } from 'vitest'
import { rootStrings, surveyStrings, thanksStrings } from '#app/.server/page-strings.ts'
import { i18nOptions, resources } from '#app/i18n/config.ts'
import { makeTranslate, type Strings } from '#app/i18n/translate.ts'

function keys(strings: Strings, prefix = ''): string[] {
  return Object.entries(strings).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`.replace(/_(zero|one|other)$/, '')] : keys(v, `${prefix}${k}.`),
  )
}

const samples: Array<Record<string, unknown>> = [
  {},
  { count: 0, max: 1000, total: 22, answered: 3, agency: 'UBND xã An Lạc', duration: 'ít phút' },
  { count: 1, current: 2, total: 1863, seconds: 8, query: 'khai sinh', label: 'Câu 1', contact: '1900 1234' },
  { count: 12345, allowed: 5, minutes: 7, button: 'Gửi', none: 'Không', agency: 'An Lac' },
]

describe('makeTranslate', () => {
  for (const lng of ['vi', 'en'] as const) {
    it(`says what i18next says for every key the citizen's pages get (${lng})`, async () => {
      const i18n = i18next.createInstance()
      await i18n.init({ ...i18nOptions, resources, lng })
      for (const [ns, strings] of [
        ['survey', surveyStrings(lng)],
        ['survey', thanksStrings(lng)],
        ['common', rootStrings(lng)],
      ] as const) {
        const t = makeTranslate(strings, lng)
        const reference = i18n.getFixedT(lng, ns)
        const all = [...new Set(keys(strings))]
        expect(all.length).toBeGreaterThan(5)
        // A key written only in plural forms is always given a count by the pages.
        const pluralOnly = (key: string) => t(key) === key
        for (const key of all)
          for (const values of samples)
            if (typeof values.count === 'number' || !pluralOnly(key))
              expect(t(key, values), `${ns}:${key}`).toBe(reference(key, values))
      }
    })
  }

  it('writes counts with the language separators and leaves other numbers alone', () => {
    const t = makeTranslate({ a: '{{count}} câu, năm {{year}}', b: '{{missing}}' }, 'vi')
    expect(t('a', { count: 1863, year: 2026 })).toBe('1.863 câu, năm 2026')
    expect(t('b')).toBe('{{missing}}')
    expect(t('nope')).toBe('nope')
  })
})
