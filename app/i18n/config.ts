/** Languages and namespaces, shared by the server and the browser. Vietnamese is the default and the reference. */
import enAdmin from '../../locales/en/admin.json'
import enAnalytics from '../../locales/en/analytics.json'
import enCommon from '../../locales/en/common.json'
import enSurvey from '../../locales/en/survey.json'
import viAdmin from '../../locales/vi/admin.json'
import viAnalytics from '../../locales/vi/analytics.json'
import viCommon from '../../locales/vi/common.json'
import viSurvey from '../../locales/vi/survey.json'

export const SUPPORTED_LANGUAGES = ['vi', 'en'] as const
export type Language = (typeof SUPPORTED_LANGUAGES)[number]
export const DEFAULT_LANGUAGE: Language = 'vi'
export const NAMESPACES = ['common', 'survey', 'analytics', 'admin'] as const

export const resources = {
  vi: { common: viCommon, survey: viSurvey, analytics: viAnalytics, admin: viAdmin },
  en: { common: enCommon, survey: enSurvey, analytics: enAnalytics, admin: enAdmin },
}

export const i18nOptions = {
  supportedLngs: [...SUPPORTED_LANGUAGES],
  fallbackLng: DEFAULT_LANGUAGE,
  defaultNS: 'common',
  ns: [...NAMESPACES],
  interpolation: { escapeValue: false },
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (SUPPORTED_LANGUAGES as readonly string[]).includes(value)
}

/**
 * Picks a supported language from an Accept-Language header. Matching is by primary subtag, so "en-US"
 * picks English (remix-i18next on its own would not), and quality values order the candidates.
 */
export function languageFromAcceptLanguage(header: string | null): Language | null {
  if (!header) return null
  const candidates = header
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';')
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1, index }
    })
    .filter((c) => c.tag && !Number.isNaN(c.q) && c.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
  for (const c of candidates) {
    const primary = c.tag.split('-')[0]
    if (isLanguage(primary)) return primary
  }
  return null
}
