/**
 * Security headers on every answer. Scripts run only from this site or with this response's nonce (Remix's
 * inline hydration scripts carry it, app/entry.server.tsx); survey pages may be framed by the configured
 * sites and nothing else by anyone but this site, decided on the path the router serves; HSTS behind
 * HTTPS; and nothing personal is kept in a cache: every answer to a signed-in visitor or an API client,
 * every download and every sign-in is `no-store`.
 */
import crypto from 'node:crypto'
import type { ServerResponse } from 'node:http'
import type express from 'express'
import { routedPath, surveyPage } from '#app/.server/http/request-path.ts'

export interface SecurityHeaderOptions {
  publicUrl: string
  /** Origins that may frame the survey pages (SURVEY_FRAME_ORIGINS). */
  surveyFrameOrigins: string[]
  /** Vite's development server: its HMR socket on this host. */
  dev: boolean
}

/** This response's script nonce, for the load context. */
export const cspNonce = (res: express.Response): string => res.locals.cspNonce as string

export function contentSecurityPolicy(nonce: string, frameAncestors: string, dev: boolean): string {
  return policyAround(frameAncestors, dev)(nonce)
}

/**
 * The policy with everything but the nonce joined once: only the nonce changes from one answer to the
 * next, and joining the ten directives on each of a few thousand submissions a second was measurable.
 */
function policyAround(frameAncestors: string, dev: boolean): (nonce: string) => string {
  const [before, after] = directives('\u0000', frameAncestors, dev).join('; ').split('\u0000') as [string, string]
  return (nonce) => before + nonce + after
}

function directives(nonce: string, frameAncestors: string, dev: boolean): string[] {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    // Style attributes (chart legends, table indents) are inline; they cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    // Vite's client talks to its HMR socket; browsers do not all count ws: as 'self'.
    dev ? "connect-src 'self' ws: wss:" : "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
    `frame-ancestors ${frameAncestors}`,
  ]
}

/** Random bytes drawn this many at a time: one call into the system's generator serves 256 nonces. */
const NONCE_BYTES = 16
const POOL_BYTES = NONCE_BYTES * 256
let pool = Buffer.alloc(0)
let poolOffset = POOL_BYTES

/**
 * A fresh nonce: 16 bytes of the cryptographic generator, each byte used once. Drawing them in blocks
 * costs one call per 256 answers instead of one per answer (that call was 3% of the server's time
 * under a crowd of submissions); the bytes are the same generator's, so the nonce is as unguessable.
 */
export function freshNonce(): string {
  if (poolOffset >= POOL_BYTES) {
    pool = crypto.randomBytes(POOL_BYTES)
    poolOffset = 0
  }
  const nonce = pool.toString('base64', poolOffset, poolOffset + NONCE_BYTES)
  poolOffset += NONCE_BYTES
  return nonce
}

// Two years, the preload lists' minimum; not includeSubDomains: other services of a province share its domain.
const HSTS = 'max-age=63072000'

export function securityHeaders({ publicUrl, surveyFrameOrigins, dev }: SecurityHeaderOptions): express.RequestHandler {
  const https = publicUrl.startsWith('https://')
  const surveyAncestors = ["'self'", ...surveyFrameOrigins].join(' ')
  const framedPolicy = policyAround(surveyAncestors, dev)
  const ownPolicy = policyAround("'self'", dev)
  return (req, res, next) => {
    const nonce = freshNonce()
    res.locals.cspNonce = nonce
    const path = routedPath(req.originalUrl)
    const framable = path !== null && surveyPage(path) !== null && surveyFrameOrigins.length > 0
    res.setHeader('Content-Security-Policy', (framable ? framedPolicy : ownPolicy)(nonce))
    // Browsers that know frame-ancestors ignore this; the older ones get the same rule where it can say it.
    if (!framable) res.setHeader('X-Frame-Options', 'SAMEORIGIN')
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'same-origin')
    if (https) res.setHeader('Strict-Transport-Security', HSTS)
    const personal = /(?:^|;\s*)hl_session=/.test(req.headers.cookie ?? '') || req.headers.authorization !== undefined
    beforeHeaders(res, () => {
      if (res.locals.staticFile) return
      const download = /^\s*attachment/i.test(String(res.getHeader('Content-Disposition') ?? ''))
      const signsIn = ([] as unknown[])
        .concat(res.getHeader('Set-Cookie') ?? [])
        .some((cookie) => String(cookie).startsWith('hl_session='))
      if (personal || download || signsIn) res.setHeader('Cache-Control', 'no-store')
    })
    next()
  }
}

/**
 * Runs `decide` just before the status line and headers go out, whoever sends them (Remix, express, the
 * compression middleware), so that a route's own Cache-Control cannot outlive the rule above.
 */
function beforeHeaders(res: ServerResponse, decide: () => void) {
  const writeHead = res.writeHead
  let decided = false
  res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
    if (!decided) {
      decided = true
      decide()
    }
    return writeHead.apply(this, args)
  } as ServerResponse['writeHead']
}

/** Wraps the static-file handler so that the answers it gives are known to be files, not pages. */
export function staticFiles(serve: express.RequestHandler): express.RequestHandler {
  return (req, res, next) => {
    res.locals.staticFile = true
    serve(req, res, (error?: unknown) => {
      res.locals.staticFile = false
      next(error)
    })
  }
}
