/**
 * The server-rendered HTML of a route's page component on its loader's data, in one language, as a visitor
 * without JavaScript gets it: a static router answers the loader with `data`, i18next has every namespace.
 */
import i18next from 'i18next'
import { type ComponentType, createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { I18nextProvider } from 'react-i18next'
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router-dom/server'
import { resources } from '#app/i18n/config.ts'

export async function renderPage(options: {
  page: ComponentType
  path: string
  data: unknown
  lng: 'vi' | 'en'
  /** The namespace `t` reads without a prefix (the page's own). */
  namespace: string
}): Promise<string> {
  const { page, path, data, lng, namespace } = options
  const handler = createStaticHandler([
    { id: 'page', path, element: createElement(page), loader: () => data as Record<string, unknown> },
  ])
  const routerContext = await handler.query(new Request(`http://localhost${path}`))
  if (routerContext instanceof Response) throw new Error('unexpected redirect')
  const i18n = i18next.createInstance()
  await i18n.init({ lng, resources, defaultNS: namespace, interpolation: { escapeValue: false } })
  return renderToStaticMarkup(
    createElement(
      I18nextProvider,
      { i18n },
      createElement(StaticRouterProvider, {
        router: createStaticRouter(handler.dataRoutes, routerContext),
        context: routerContext,
        hydrate: false,
      }),
    ),
  )
}
