import { RemixBrowser } from '@remix-run/react'
import i18next from 'i18next'
import { startTransition, StrictMode } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { I18nextProvider, initReactI18next } from 'react-i18next'
import { i18nOptions, resources } from './i18n/config.ts'

async function hydrate() {
  // The server wrote the language into <html lang>; the browser renders in the same one.
  await i18next.use(initReactI18next).init({ ...i18nOptions, resources, lng: document.documentElement.lang || 'vi' })
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
