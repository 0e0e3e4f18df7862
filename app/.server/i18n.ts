/** Server side of translations: which language a request gets, and translation functions for loaders. */
import { createCookie } from '@remix-run/node'
import { RemixI18Next } from 'remix-i18next/server'
import {
  DEFAULT_LANGUAGE,
  i18nOptions,
  isLanguage,
  type Language,
  languageFromAcceptLanguage,
  resources,
  SUPPORTED_LANGUAGES,
} from '#app/i18n/config.ts'

export const languageCookie = createCookie('lng', {
  path: '/',
  sameSite: 'lax',
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
})

export const i18nServer = new RemixI18Next({
  detection: {
    supportedLanguages: [...SUPPORTED_LANGUAGES],
    fallbackLanguage: DEFAULT_LANGUAGE,
    cookie: languageCookie,
    searchParamKey: 'lng',
    // Query string first (the switch links), then the cookie, then our own Accept-Language matching.
    order: ['searchParams', 'cookie', 'custom'],
    findLocale: async (request) =>
      languageFromAcceptLanguage(request.headers.get('Accept-Language')) ?? DEFAULT_LANGUAGE,
  },
  i18next: { ...i18nOptions, resources },
})

export async function getLanguage(request: Request): Promise<Language> {
  const lng = await i18nServer.getLocale(request)
  return isLanguage(lng) ? lng : DEFAULT_LANGUAGE
}

/** A Set-Cookie header that remembers a language chosen through `?lng=`, or null when none was chosen. */
export async function rememberLanguage(request: Request): Promise<string | null> {
  const chosen = new URL(request.url).searchParams.get('lng')
  return isLanguage(chosen) ? languageCookie.serialize(chosen) : null
}

export async function getTranslator(request: Request, ns: 'common' | 'survey' | 'analytics' | 'admin' = 'common') {
  return i18nServer.getFixedT(await getLanguage(request), ns)
}
