/**
 * Languages, namespaces and i18next options, without any translation text: the browser imports this
 * and loads only its own language's files (see load-resources.ts). Vietnamese is the default.
 */
import { formatNumber } from '../domain/format.ts'
export const SUPPORTED_LANGUAGES = ['vi', 'en'] as const
export type Language = (typeof SUPPORTED_LANGUAGES)[number]
export const DEFAULT_LANGUAGE: Language = 'vi'
export const NAMESPACES = ['common', 'survey', 'analytics', 'admin', 'results'] as const

/**
 * Interpolated values that count things: as numbers they are written with the language's separators
 * ("1.863 thủ tục", "tối đa 1.000 ký tự"), like every number on a page (issue 18). Other numbers (years,
 * version and question numbers, "Quý III/2026") are not counts and stay as they are.
 */
const COUNT_KEYS = new Set([
  'count',
  'total',
  'responses',
  'shown',
  'groups',
  'observed',
  'duplicates',
  'moved',
  'max',
  'minN',
])

// biome-ignore lint/suspicious/noExplicitAny: i18next's format hook receives any interpolated value and returns it as is unless it formats it
export function formatCount(value: any, _format?: string, lng?: string, options?: object): string {
  const key = (options as { interpolationkey?: string } | undefined)?.interpolationkey
  if (typeof value !== 'number' || !Number.isInteger(value) || !key || !COUNT_KEYS.has(key)) return value
  return formatNumber(value, lng === 'en' ? 'en' : 'vi')
}

export const i18nOptions = {
  supportedLngs: [...SUPPORTED_LANGUAGES],
  fallbackLng: DEFAULT_LANGUAGE,
  defaultNS: 'common',
  ns: [...NAMESPACES],
  interpolation: { escapeValue: false, alwaysFormat: true, format: formatCount },
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
