/** languageFromAcceptLanguage (app/i18n/config.ts): Accept-Language header → supported language. */
import { describe, expect, it } from 'vitest'
import { languageFromAcceptLanguage } from '#app/i18n/config.ts'

describe('languageFromAcceptLanguage', () => {
  it.each([
    ['en-US,en;q=0.9', 'en'],
    ['en', 'en'],
    ['EN-gb', 'en'],
    ['vi-VN', 'vi'],
    ['vi', 'vi'],
    ['vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7', 'vi'],
  ])('%j → %j (primary subtag match)', (header, expected) => {
    expect(languageFromAcceptLanguage(header)).toBe(expected)
  })

  it.each([['fr-FR'], ['fr-FR,de;q=0.8'], ['*'], ['zh-Hant-TW']])('%j → null (nothing supported)', (header) => {
    expect(languageFromAcceptLanguage(header)).toBeNull()
  })

  it('returns null for a missing or empty header', () => {
    expect(languageFromAcceptLanguage(null)).toBeNull()
    expect(languageFromAcceptLanguage('')).toBeNull()
  })

  it('skips unsupported languages to the first supported one', () => {
    expect(languageFromAcceptLanguage('fr-FR,fr;q=0.9,en;q=0.8')).toBe('en')
  })

  it('orders candidates by q-value, not by position', () => {
    expect(languageFromAcceptLanguage('en;q=0.3, vi;q=0.8')).toBe('vi')
    expect(languageFromAcceptLanguage('vi;q=0.2,en;q=0.9')).toBe('en')
    expect(languageFromAcceptLanguage('fr;q=1, en;q=0.5, vi;q=0.8')).toBe('vi')
  })

  it('keeps header order among equal q-values', () => {
    expect(languageFromAcceptLanguage('en;q=0.5, vi;q=0.5')).toBe('en')
    expect(languageFromAcceptLanguage('vi, en')).toBe('vi')
  })

  it('treats q=0 as "not acceptable"', () => {
    expect(languageFromAcceptLanguage('en;q=0')).toBeNull()
    expect(languageFromAcceptLanguage('en;q=0, vi;q=0.1')).toBe('vi')
  })

  it.each([[';;;,,,'], ['q=0.9'], ['en;q=abc'], [',;q=1'], ['\u0000\u00ff garbage']])('garbage %j → null', (header) => {
    expect(languageFromAcceptLanguage(header)).toBeNull()
  })
})
