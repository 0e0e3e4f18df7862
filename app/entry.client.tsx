import { RemixBrowser } from '@remix-run/react'
import { type ReactNode, StrictMode, startTransition } from 'react'
import { hydrateRoot } from 'react-dom/client'

/**
 * Waits until Remix has decoded the page's data. With single fetch, RemixBrowser's first render starts that
 * decoding and suspends the whole root until it ends. A click or key press in that gap makes React 18 hydrate
 * the root synchronously; the suspended root cannot complete and React throws error #345 ("Root did not
 * complete") into the page, which a fast hand on a slow phone meets. Starting the decoding before hydrating
 * closes the gap: the first render then finds the data ready and does not suspend.
 */
async function pageDataDecoded(): Promise<void> {
  try {
    // Called outside React on purpose: before the data is decoded it throws the decoding promise, before
    // any hook runs. Anything else it throws is left for the real render to meet.
    RemixBrowser({})
  } catch (thrown) {
    if (thrown instanceof Promise) await thrown
  }
}

async function hydrate() {
  const root = document.documentElement
  const decoded = pageDataDecoded()
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
  await decoded
  startTransition(() => {
    hydrateRoot(document, app)
  })
}

void hydrate()
