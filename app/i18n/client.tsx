/**
 * i18next in the browser, for the pages that use it (every page but the citizen's, which ship their own
 * words: ADR 0055). Loaded by entry.client.tsx only when the page needs it, so a survey never downloads it.
 */
import i18next from 'i18next'
import type { ReactNode } from 'react'
import { I18nextProvider, initReactI18next } from 'react-i18next'
import { i18nOptions, isLanguage } from './languages.ts'
import { loadResources } from './load-resources.ts'

export async function withTranslations(lang: string, app: ReactNode): Promise<ReactNode> {
  // The server wrote the language into <html lang>; the browser renders in the same one.
  const lng = isLanguage(lang) ? lang : 'vi'
  await i18next.use(initReactI18next).init({ ...i18nOptions, resources: await loadResources(lng), lng })
  return <I18nextProvider i18n={i18next}>{app}</I18nextProvider>
}
