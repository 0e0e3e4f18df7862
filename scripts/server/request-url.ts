/** The URL a request addresses, as Remix's express adapter builds it; null when its Host makes none. */
import type express from 'express'

export function requestUrl(req: express.Request): URL | null {
  // req.hostname follows the trust-proxy setting but drops the port: take that from the (forwarded) Host.
  const portOf = (host: string | undefined) => Number.parseInt(host?.split(':')[1] ?? '', 10)
  const forwardedPort = portOf(req.get('X-Forwarded-Host'))
  const hostPort = portOf(req.get('Host'))
  const port = Number.isSafeInteger(forwardedPort) ? forwardedPort : Number.isSafeInteger(hostPort) ? hostPort : ''
  try {
    return new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ''}${req.originalUrl}`)
  } catch {
    return null
  }
}
