/**
 * Languages, namespaces and i18next options, without any translation text: the browser imports this
 * and loads only its own language's files (see load-resources.ts). Vietnamese is the default.
 */
export const SUPPORTED_LANGUAGES = ['vi', 'en'] as const
export type Language = (typeof SUPPORTED_LANGUAGES)[number]
export const DEFAULT_LANGUAGE: Language = 'vi'
export const NAMESPACES = ['common', 'survey', 'analytics', 'admin', 'results'] as const

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
