import { RemixBrowser } from '@remix-run/react'
import i18next from 'i18next'
import { startTransition, StrictMode } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { I18nextProvider, initReactI18next } from 'react-i18next'
import { i18nOptions, isLanguage } from './i18n/languages.ts'
import { loadResources } from './i18n/load-resources.ts'

async function hydrate() {
  // The server wrote the language into <html lang>; the browser renders in the same one.
  const lang = document.documentElement.lang
  const lng = isLanguage(lang) ? lang : 'vi'
  await i18next.use(initReactI18next).init({ ...i18nOptions, resources: await loadResources(lng), lng })
  startTransition(() => {
    hydrateRoot(
      document,
      <I18nextProvider i18n={i18next}>
        <StrictMode>
          <RemixBrowser />
        </StrictMode>
      </I18nextProvider>,
    )
  })
}

void hydrate()
