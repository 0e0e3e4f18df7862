import { type AppLoadContext, createReadableStreamFromReadable, type EntryContext } from '@remix-run/node'
import { RemixServer } from '@remix-run/react'
import { createInstance } from 'i18next'
import { renderToPipeableStream } from 'react-dom/server'
import { I18nextProvider, initReactI18next } from 'react-i18next'
import { heldScriptsHtmlStream } from './.server/held-scripts.ts'
import { nulFreeHtmlStream } from './.server/html-stream.ts'
import { isPageStringsRoute } from './components/strings.tsx'
import { CspNonceContext } from './components/csp-nonce.ts'
import { getLanguage } from './.server/i18n.ts'
import { i18nOptions, resources } from './i18n/config.ts'

const ABORT_DELAY = 5_000

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce
  // The citizen's pages work without JavaScript: their scripts wait for the citizen's first act (ADR 0064).
  const citizenPage = isPageStringsRoute(
    remixContext.staticHandlerContext.matches.map((m) => ({ handle: remixContext.routeModules[m.route.id]?.handle })),
  )
  const instance = createInstance()
  await instance.use(initReactI18next).init({ ...i18nOptions, resources, lng: await getLanguage(request) })

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false
    // Wait for the whole document: citizens without JavaScript must get complete HTML in one response.
    const { pipe, abort } = renderToPipeableStream(
      <I18nextProvider i18n={instance}>
        <CspNonceContext.Provider value={nonce}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
        </CspNonceContext.Provider>
      </I18nextProvider>,
      {
        nonce,
        onAllReady() {
          shellRendered = true
          const body = nulFreeHtmlStream()
          const sent = citizenPage ? body.pipe(heldScriptsHtmlStream()) : body
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
          resolve(
            new Response(createReadableStreamFromReadable(sent), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          )
          pipe(body)
        },
        onShellError(error: unknown) {
          reject(error)
        },
        onError(error: unknown) {
          responseStatusCode = 500
          if (shellRendered) console.error(error)
        },
      },
    )
    setTimeout(abort, ABORT_DELAY)
  })
}
