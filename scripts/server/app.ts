/** The express application around the Remix build: headers, compression, static files, load context. */
import crypto from 'node:crypto'
import { createRequestHandler } from '@remix-run/express'
import type { AppLoadContext, ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import type { AppConfig } from '#app/.server/env.ts'
import '#app/.server/context.ts'
import { createRateLimiter } from '#app/.server/rate-limit.ts'
import { sendFetchResponse, submitRequest } from './fetch-bridge.ts'
import type { DB } from '#db/client.ts'

export interface AppOptions {
  /** The Remix build; in development, a function loading the current one from Vite on each request. */
  build: ServerBuild | (() => Promise<ServerBuild>)
  db: DB
  readDb?: DB
  config: AppConfig
  /** Serves the browser's files: `builtAssets` in production, Vite's middlewares in development. */
  assets: express.RequestHandler
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

export function createApp({ build, db, readDb, config, assets, log }: AppOptions) {
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
  const logRequest: express.RequestHandler[] = log
    ? [
        (req, res, next) => {
          const started = process.hrtime.bigint()
          res.on('finish', () => {
            // No address, no query string, no body: nothing that identifies a citizen goes to the log.
            log('request', {
              method: req.method,
              path: req.path.startsWith('/setup/') ? '/setup/…' : req.path,
              status: res.statusCode,
              ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
            })
          })
          next()
        },
      ]
    : []
  const loadContext = (req: express.Request): AppLoadContext => ({
    db,
    readDb,
    config,
    rateLimiter,
    clientAddress: req.ip ?? crypto.randomUUID(),
  })
  mountSubmitFastPath(app, build, loadContext, logRequest)

  app.use(compression())
  app.use(assets)
  if (logRequest.length) app.use(logRequest)
  app.all(
    '*',
    createRequestHandler({
      build,
      mode: config.production ? 'production' : 'development',
      getLoadContext: loadContext,
    }),
  )
  return app
}

/** The production server's static files: the client folder of `remix vite:build`. */
export function builtAssets(clientDir: string): express.RequestHandler {
  const router = express.Router()
  // Vite names built assets by content hash: they never change, so browsers may keep them for a year.
  router.use('/assets', express.static(`${clientDir}/assets`, { immutable: true, maxAge: '1y', index: false }))
  router.use(express.static(clientDir, { maxAge: '1h', index: false }))
  return router
}

/**
 * What the fast path keeps of a body. The action refuses anything over its own, smaller limit (64 KiB,
 * MAX_FORM_BYTES) with its translated 413; this only bounds the memory one request can take.
 */
const SUBMIT_BODY_BYTES = 1024 * 1024

/**
 * The citizens' JSON submit endpoints carry the crowd (every counter opening at 8:00). They are
 * resource routes whose action always answers with a Response, so the server calls that very action
 * from the build, skipping Remix's route matching, which flattens and ranks every route of the app on
 * each request (an eighth of a submission's CPU time in a profile). Same code, same answers; the
 * native-form path (POST /s/:code) and every other route go through Remix as usual. They are mounted
 * before the compression middleware: their answers are a few dozen bytes of JSON, which it would only
 * wrap (7% of a submission's CPU time), never compress.
 */
function mountSubmitFastPath(
  app: express.Express,
  build: AppOptions['build'],
  loadContext: (req: express.Request) => AppLoadContext,
  logRequest: express.RequestHandler[],
) {
  for (const kind of ['s', 'r']) {
    const actionIn = (current: ServerBuild) => {
      const action = current.routes[`routes/${kind}.$code_.submit`]?.module.action
      if (!action) throw new Error(`the build has no submit action for /${kind}`)
      return action
    }
    // A fixed build is checked once, at start; a reloading one (development) on each request, after edits.
    const builtAction = typeof build === 'function' ? undefined : actionIn(build)
    app.post(`/${kind}/:code/submit`, ...logRequest, async (req, res, next) => {
      try {
        const action = builtAction ?? actionIn(typeof build === 'function' ? await build() : build)
        const request = await submitRequest(req, SUBMIT_BODY_BYTES)
        const response: unknown = await action({
          request,
          params: { code: req.params.code },
          context: loadContext(req),
        })
        if (!(response instanceof Response)) throw new Error('a submit action answered without a Response')
        await sendFetchResponse(res, response)
      } catch (error) {
        next(error)
      }
    })
  }
}
