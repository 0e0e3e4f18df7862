import { RemixBrowser } from '@remix-run/react'
import { type ReactNode, StrictMode, startTransition } from 'react'
import { hydrateRoot } from 'react-dom/client'

async function hydrate() {
  const root = document.documentElement
  let app: ReactNode = (
    <StrictMode>
      <RemixBrowser />
    </StrictMode>
  )
  // The citizen's pages carry their own words (data-strings="page", ADR 0055): no i18next for them.
  if (root.dataset.strings !== 'page') {
    const { withTranslations } = await import('./i18n/client.tsx')
    app = await withTranslations(root.lang, app)
  }
  startTransition(() => {
    hydrateRoot(document, app)
  })
}

void hydrate()
