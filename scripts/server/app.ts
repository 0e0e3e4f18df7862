/**
 * The express application around the Remix build: security headers, the request log, the request gate
 * (origin, content type, body budget), compression, static files, load context.
 */
import crypto from 'node:crypto'
import zlib from 'node:zlib'
import type { AppLoadContext, ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import type { AppConfig } from '#app/.server/env.ts'
import type { SettledAction } from '#app/.server/context.ts'
import { getSessionUser } from '#app/.server/auth/session.ts'
import { createRateLimiter } from '#app/.server/rate-limit.ts'
import { sendFetchResponse, submitRequest } from './fetch-bridge.ts'
import { requestLog } from './log.ts'
import { remixHandler } from './remix-handler.ts'
import { requestBody, requestGate, translatorFor } from './request-gate.ts'
import { cspNonce, securityHeaders, staticFiles } from './security-headers.ts'
import type { DB } from '#db/client.ts'

export interface AppOptions {
  /** The Remix build; in development, a function loading the current one from Vite on each request. */
  build: ServerBuild | (() => Promise<ServerBuild>)
  db: DB
  /** Where analytics read (HailongContext.readDb); the primary when none is given. */
  readDb?: DB
  config: AppConfig
  /** Serves the browser's files: `builtAssets` in production, Vite's middlewares in development. */
  assets: express.RequestHandler
  log?: (event: string, fields?: Record<string, unknown>) => void
}

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
  const loadContext = (req: express.Request, res: express.Response): AppLoadContext => ({
    db,
    readDb: readDb ?? db,
    config,
    rateLimiter,
    clientAddress: req.ip ?? crypto.randomUUID(),
    cspNonce: cspNonce(res),
    settledSurveyAction: res.locals.settledSurveyAction,
  })

  app.use(
    securityHeaders({
      publicUrl: config.publicUrl,
      surveyFrameOrigins: config.surveyFrameOrigins,
      dev: !config.production,
    }),
  )
  if (log) app.use(requestLog(log))
  app.use(
    requestGate({
      publicUrl: config.publicUrl,
      // Only a session that exists, not just a cookie, earns the large budgets of signed-in pages.
      signedIn: async (req, res) => {
        if (!req.headers.cookie?.includes('hl_session=')) return false
        const headers = new Headers({ cookie: req.headers.cookie })
        return (await getSessionUser(loadContext(req, res), new Request('http://localhost/', { headers }))) !== null
      },
    }),
  )
  mountSubmitFastPath(app, build, loadContext)
  mountSurveyFormFastPath(app, build, loadContext)

  app.use(compressionFor(RAW_EXPORT_PATH, compression(FAST_COMPRESSION), compression()))
  app.use(staticFiles(assets))
  app.use(remixHandler({ build, mode: config.production ? 'production' : 'development', getLoadContext: loadContext }))
  app.use(lastResort)
  return app
}

/**
 * Raw exports run to a hundred megabytes of CSV for a million responses. The default levels (gzip 6,
 * brotli 4) cost more CPU than producing the file itself (ADR 0054); the fastest levels compress CSV
 * still about five times, at a quarter of the cost. Every other answer keeps the default levels.
 */
const RAW_EXPORT_PATH = '/analytics/responses/'
const FAST_COMPRESSION = { level: 1, brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } } }

function compressionFor(
  prefix: string,
  fast: express.RequestHandler,
  usual: express.RequestHandler,
): express.RequestHandler {
  return (req, res, next) => (req.path.startsWith(prefix) ? fast : usual)(req, res, next)
}

/**
 * Errors that escaped every handler. Express's own handler puts the stack trace in the page outside
 * production; here the visitor gets a short translated sentence in every mode, and the stack goes only
 * to the server's error output.
 */
const lastResort: express.ErrorRequestHandler = async (error, req, res, next) => {
  if (res.headersSent) return next(error)
  const declared = Number((error as { status?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode)
  const status = declared >= 400 && declared < 500 ? declared : 500
  if (status === 500) console.error(error)
  const t = await translatorFor(req)
  res
    .status(status)
    .type('text/plain; charset=utf-8')
    .send(t(status === 500 ? 'errors.server' : 'errors.badRequest'))
}

/** The production server's static files: the client folder of `remix vite:build`. */
export function builtAssets(clientDir: string): express.RequestHandler {
  const router = express.Router()
  // Vite names built assets by content hash: they never change, so browsers may keep them for a year.
  // No folder redirects: they would answer "/s/%2e%2e" with the static server's headers instead of the app's.
  const options = { index: false, redirect: false } as const
  router.use('/assets', express.static(`${clientDir}/assets`, { ...options, immutable: true, maxAge: '1y' }))
  router.use(express.static(clientDir, { ...options, maxAge: '1h' }))
  return router
}

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
  loadContext: (req: express.Request, res: express.Response) => AppLoadContext,
) {
  for (const kind of ['s', 'r']) {
    const actionIn = (current: ServerBuild) => {
      const action = current.routes[`routes/${kind}.$code_.submit`]?.module.action
      if (!action) throw new Error(`the build has no submit action for /${kind}`)
      return action
    }
    // A fixed build is checked once, at start; a reloading one (development) on each request, after edits.
    const builtAction = typeof build === 'function' ? undefined : actionIn(build)
    app.post(`/${kind}/:code/submit`, async (req, res, next) => {
      try {
        const action = builtAction ?? actionIn(typeof build === 'function' ? await build() : build)
        const response: unknown = await action({
          request: submitRequest(req, requestBody(req)),
          params: { code: req.params.code },
          context: loadContext(req, res),
        })
        if (!(response instanceof Response)) throw new Error('a submit action answered without a Response')
        await sendFetchResponse(res, response)
      } catch (error) {
        next(error)
      }
    })
  }
}

/** The only query a survey form posts with (SurveyForm.tsx); anything else, such as `_data`, is Remix's. */
const FORM_POST_QUERY = new Set(['kiosk', 'lng'])

/**
 * The citizens' no-JavaScript form post, POST /s/:code and /r/:code, answered with a 303 to the
 * thank-you page. Remix matches a document request's URL twice (once to choose the handler, once in its
 * static handler), flattening and ranking the whole route table each time: a third of the form post's CPU
 * time in a profile. So the server calls the route's action itself, as for the JSON endpoints above, and
 * sends a redirect as it is. Any other outcome (the page again with the citizen's errors, an error page) is
 * handed to Remix to render, with the outcome in the load context so that the action does not run twice
 * (survey-routes.ts). Requests Remix treats specially (a `.data` suffix, a `_data` query) go to Remix
 * untouched.
 */
function mountSurveyFormFastPath(
  app: express.Express,
  build: AppOptions['build'],
  loadContext: (req: express.Request, res: express.Response) => AppLoadContext,
) {
  for (const kind of ['s', 'r']) {
    const actionIn = (current: ServerBuild) => {
      const action = current.routes[`routes/${kind}.$code`]?.module.action
      if (!action) throw new Error(`the build has no survey form action for /${kind}`)
      return action
    }
    const builtAction = typeof build === 'function' ? undefined : actionIn(build)
    app.post(`/${kind}/:code`, async (req, res, next) => {
      if (req.params.code.includes('.') || Object.keys(req.query).some((key) => !FORM_POST_QUERY.has(key)))
        return next()
      let settled: SettledAction
      try {
        const action = builtAction ?? actionIn(typeof build === 'function' ? await build() : build)
        settled = {
          returned: await action({
            request: submitRequest(req, requestBody(req)),
            params: { code: req.params.code },
            context: loadContext(req, res),
          }),
        }
      } catch (thrown) {
        settled = { thrown }
      }
      const { returned } = settled as { returned?: unknown }
      if (returned instanceof Response && returned.status >= 300 && returned.status < 400)
        return sendFetchResponse(res, returned).catch(next)
      res.locals.settledSurveyAction = settled
      next()
    })
  }
}
