import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useMatches,
  useRouteLoaderData,
} from '@remix-run/react'
import { ScrollRestoration as RouterScrollRestoration } from 'react-router-dom'
import { getSessionUser } from './.server/auth/session.ts'
import { getLanguage, rememberLanguage } from './.server/i18n.ts'
import { rootStrings } from './.server/page-strings.ts'
import { useCspNonce } from './components/csp-nonce.ts'
import { ScriptsOnFirstAct } from './components/held-scripts.tsx'
import { isPageStringsRoute } from './components/strings.tsx'
import { topAreas } from './domain/role-home.ts'
import { makeTranslate, type Strings } from './i18n/translate.ts'
// Only if the root's own data were missing: the server's error page still speaks Vietnamese. The import is
// dropped from the browser's build (import.meta.env.SSR is false there), which keeps its bytes off every page.
import { appName, errors, language, skipToContent } from '../locales/vi/common.json'
import styles from './styles/app.css?url'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

export async function loader({ context, request }: LoaderFunctionArgs) {
  const lng = await getLanguage(request)
  const setCookie = await rememberLanguage(request)
  // Citizens carry no session cookie, so the survey pages skip this query in practice. A failure to read the
  // session only shows the header signed out: the route's own loader checks access and reports the failure,
  // and the error page keeps the root's words (ADR 0055).
  const session = request.headers.get('Cookie')?.includes('hl_session=')
    ? await getSessionUser(context, request).catch(() => null)
    : null
  const user = session && { email: session.email, role: session.role }
  // The layout's few words travel with the page, so no page needs the i18n runtime for them (ADR 0055).
  return data(
    { lng, user, strings: rootStrings(lng) },
    setCookie ? { headers: { 'Set-Cookie': setCookie } } : undefined,
  )
}

export const handle = { i18n: ['common'] }

/** The layout's and the error page's words, from the root loader (Vietnamese if it failed). */
function useRootTranslate() {
  const root = useRouteLoaderData<typeof loader>('root')
  const fallback: Strings = import.meta.env.SSR ? { appName, skipToContent, errors, language } : {}
  return makeTranslate(root?.strings ?? fallback, root?.lng ?? 'vi')
}

// Routes set their own titles; this one covers error pages, which render no route meta.
export const meta: MetaFunction = () => [{ title: 'Hài Lòng' }]

function LanguageSwitch({ lng }: { lng: string }) {
  const t = useRootTranslate()
  const location = useLocation()
  const other = lng === 'vi' ? 'en' : 'vi'
  const params = new URLSearchParams(location.search)
  params.set('lng', other)
  return (
    <a className="lang-switch" href={`${location.pathname}?${params}`} hrefLang={other} lang={other}>
      {t('language.switchTo')}
    </a>
  )
}

export function Layout({ children }: { children: React.ReactNode }) {
  const root = useRouteLoaderData<typeof loader>('root')
  const lng = root?.lng ?? 'vi'
  const t = useRootTranslate()
  const nonce = useCspNonce()
  // A page with its own words hydrates without i18next (entry.client.tsx reads the mark); its links to
  // other pages load them whole, so a page that needs i18next never renders without it.
  const pageStrings = isPageStringsRoute(useMatches())
  return (
    <html lang={lng} data-strings={pageStrings ? 'page' : undefined}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#9e1b1b" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          {t('skipToContent')}
        </a>
        <header className="site-header">
          <Link to="/" className="brand" reloadDocument={pageStrings}>
            {t('appName')}
          </Link>
          {root?.user && (
            <nav className="nav" aria-label={t('nav.home')}>
              <Link to="/analytics">{t('nav.analytics')}</Link>
              {topAreas(root.user.role).admin && <Link to="/admin">{t('nav.admin')}</Link>}
              <Link to="/account/password">{t('auth.changePassword')}</Link>
              <Form method="post" action="/logout">
                <button type="submit" className="link-button">
                  {t('auth.signOut')}
                </button>
              </Form>
            </nav>
          )}
          <LanguageSwitch lng={lng} />
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        {/* Remix's ScrollRestoration also writes an inline script that restores the position before hydration:
            a history write and a storage read while the page is parsed, the longest task after the survey
            page's first paint. The citizen's pages hydrate only after a first act (ADR 0064) and the browser
            restores their position itself; once hydrated they scroll as every page does (react-router's
            handling, under Remix's storage key). */}
        {pageStrings ? <RouterScrollRestoration storageKey="positions" /> : <ScrollRestoration nonce={nonce} />}
        <Scripts nonce={nonce} />
        {pageStrings && <ScriptsOnFirstAct nonce={nonce} />}
      </body>
    </html>
  )
}

export default function App() {
  // The language changes only through the switch, a full page load: i18next starts in it (entry.client.tsx).
  return <Outlet />
}

export function ErrorBoundary() {
  const error = useRouteError()
  const t = useRootTranslate()
  const status = isRouteErrorResponse(error) ? error.status : 500
  // Our loaders throw translated text; the router's own errors (no route matched) carry internal text.
  const ownMessage =
    isRouteErrorResponse(error) &&
    !(error as { internal?: boolean }).internal &&
    typeof error.data === 'string' &&
    error.data.trim()
      ? error.data
      : null
  const message =
    ownMessage ?? (status === 404 ? t('errors.notFound') : status < 500 ? t('errors.badRequest') : t('errors.server'))
  // Plain words and what to do next; the status code stays in the HTTP answer, not on the page.
  return (
    <div className="panel" role="alert">
      <h1>{t('errors.title')}</h1>
      <p>{message}</p>
      <p>{t(`errors.whatNext.${whatNext(status)}`)}</p>
      <p>
        {/* A full load: the home page may need the i18n runtime an error on a citizen's page did not load. */}
        <Link to="/" reloadDocument>
          {t('errors.backHome')}
        </Link>
      </p>
    </div>
  )
}

/** Which advice an error page gives, by status. */
function whatNext(status: number): 'notFound' | 'gone' | 'tooMany' | 'forbidden' | 'badRequest' | 'server' {
  if (status === 404) return 'notFound'
  if (status === 403) return 'forbidden'
  if (status === 410) return 'gone'
  if (status === 429) return 'tooMany'
  return status < 500 ? 'badRequest' : 'server'
}
