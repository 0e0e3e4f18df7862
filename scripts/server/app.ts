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

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'self'",
  "object-src 'none'",
  "frame-ancestors 'self'",
].join('; ')

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
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'same-origin')
    res.setHeader('X-Frame-Options', 'SAMEORIGIN')
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
