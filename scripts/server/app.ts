/** The express application around the Remix build: headers, compression, static files, load context. */
import crypto from 'node:crypto'
import { createRequestHandler } from '@remix-run/express'
import type { AppLoadContext, ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import type { AppConfig } from '#app/.server/env.ts'
import '#app/.server/context.ts'
import { createRateLimiter } from '#app/.server/rate-limit.ts'
import type { DB } from '#db/client.ts'

export interface AppOptions {
  build: ServerBuild
  db: DB
  readDb?: DB
  config: AppConfig
  clientDir: string
  log?: (event: string, fields?: Record<string, unknown>) => void
}

// No third-party origin anywhere. Remix inlines its hydration data as scripts, hence 'unsafe-inline'.
const policy = (frameAncestors: string) =>
  [
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ')
const EMBEDDABLE_POLICY = policy('*')
const DEFAULT_POLICY = policy("'self'")
/** The citizen survey may be embedded (an agency's website, a kiosk shell); nothing else may be framed. */
const isEmbeddable = (path: string) => /^\/(s|r)\//.test(path)

/** Bodies larger than this are refused before any parsing (imports are the largest legitimate bodies). */
export const MAX_BODY_BYTES = 25 * 1024 * 1024

function trustProxySetting(value: string): boolean | string | number {
  if (value === 'true') return true
  if (value === 'false') return false
  if (/^\d+$/.test(value)) return Number(value)
  return value
}

export function createApp({ build, db, readDb, config, clientDir, log }: AppOptions) {
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', trustProxySetting(config.trustProxy))
  const rateLimiter = createRateLimiter(config.rateLimit.windowSeconds, config.rateLimit.enabled)

  app.use((req, res, next) => {
    const embeddable = isEmbeddable(req.path)
    res.setHeader('Content-Security-Policy', embeddable ? EMBEDDABLE_POLICY : DEFAULT_POLICY)
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'same-origin')
    if (!embeddable) res.setHeader('X-Frame-Options', 'SAMEORIGIN')
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      res.status(413).type('text/plain; charset=utf-8').send('Yêu cầu quá lớn. / Request too large.')
      return
    }
    next()
  })
  app.use(compression())
  // Vite names built assets by content hash: they never change, so browsers may keep them for a year.
  app.use('/assets', express.static(`${clientDir}/assets`, { immutable: true, maxAge: '1y', index: false }))
  app.use(express.static(clientDir, { maxAge: '1h', index: false }))

  if (log) {
    app.use((req, res, next) => {
      const started = process.hrtime.bigint()
      res.on('finish', () => {
        // No address, no query string, no body: nothing that identifies a citizen goes to the log.
        log('request', { method: req.method, path: req.path.startsWith('/setup/') ? '/setup/…' : req.path, status: res.statusCode, ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000 })
      })
      next()
    })
  }

  app.all(
    '*',
    createRequestHandler({
      build,
      mode: config.production ? 'production' : 'development',
      getLoadContext: (req): AppLoadContext => ({ db, readDb, config, rateLimiter, clientAddress: req.ip ?? crypto.randomUUID() }),
    }),
  )
  return app
}
