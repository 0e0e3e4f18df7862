/**
 * Counts in translated sentences read with the language's separators (issue 18: "1.000 ký tự"), while
 * numbers that are not counts (years, version and question numbers) stay as written.
 */
import i18next from 'i18next'
import { describe, expect, it } from 'vitest'
import { i18nOptions, resources } from '#app/i18n/config.ts'

async function translator(lng: 'vi' | 'en') {
  const i18n = i18next.createInstance()
  await i18n.init({ ...i18nOptions, resources, lng })
  return i18n
}

describe('counts in sentences', () => {
  it('Vietnamese: 1.863 thủ tục, tối đa 1.000 ký tự', async () => {
    const { t } = await translator('vi')
    expect(t('admin:procedures.count', { count: 1863 })).toBe('1.863 thủ tục')
    expect(t('survey:suggestionHint', { max: 1000 })).toBe('Tối đa 1.000 ký tự')
  })

  it('English: 1,863', async () => {
    const { t } = await translator('en')
    expect(t('admin:procedures.count', { count: 1863 })).toMatch(/^1,863 /)
  })

  it('numbers that are not counts stay as they are', async () => {
    const { t } = await translator('vi')
    expect(t('admin:questionnaires.version', { number: 2026 })).toBe('Phiên bản 2026')
    expect(t('admin:procedures.count', { count: 12 })).toBe('12 thủ tục')
  })
})
