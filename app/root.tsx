import { data, type LinksFunction, type LoaderFunctionArgs } from '@remix-run/node'
import { isRouteErrorResponse, Link, Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useLocation, useRouteError, useRouteLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { useChangeLanguage } from 'remix-i18next/react'
import { getLanguage, rememberLanguage } from './.server/i18n.ts'
import styles from './styles/app.css?url'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

export async function loader({ request }: LoaderFunctionArgs) {
  const lng = await getLanguage(request)
  const setCookie = await rememberLanguage(request)
  return data({ lng }, setCookie ? { headers: { 'Set-Cookie': setCookie } } : undefined)
}

export const handle = { i18n: ['common'] }

function LanguageSwitch({ lng }: { lng: string }) {
  const { t } = useTranslation()
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
  const { t } = useTranslation()
  return (
    <html lang={lng}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#9e1b1b" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">{t('skipToContent')}</a>
        <header className="site-header">
          <Link to="/" className="brand">{t('appName')}</Link>
          <LanguageSwitch lng={lng} />
        </header>
        <main id="main" tabIndex={-1}>{children}</main>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  )
}

export default function App() {
  const { lng } = useLoaderData<typeof loader>()
  useChangeLanguage(lng)
  return <Outlet />
}

export function ErrorBoundary() {
  const error = useRouteError()
  const { t } = useTranslation()
  const status = isRouteErrorResponse(error) ? error.status : 500
  const message = isRouteErrorResponse(error) && typeof error.data === 'string' ? error.data : status === 404 ? t('errors.notFound') : t('errors.server')
  return (
    <div className="panel" role="alert">
      <h1>{t('errors.title')} ({status})</h1>
      <p>{message}</p>
      <p><Link to="/">{t('errors.backHome')}</Link></p>
    </div>
  )
}
