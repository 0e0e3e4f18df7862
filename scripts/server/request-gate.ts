/**
 * The checks every request passes before any route sees it, cheapest first: a path the router can serve,
 * a same-site origin and a form content type for state-changing page requests, then the body itself, read
 * here and nowhere else, counting bytes as they arrive (whatever Content-Length says, chunked or not),
 * within a deadline, then its fields counted. A refused request gets a short translated answer and its
 * connection is closed, so nothing more of its body is read. Routes get the body from `requestBody`.
 */
import type { IncomingMessage } from 'node:http'
import type express from 'express'
import {
  type BodyBudget,
  bodyBudget,
  countFormFields,
  IDLE_MS,
  isFormContentType,
} from '#app/.server/http/body-budget.ts'
import { isApiPath, routedPath, surveyPage } from '#app/.server/http/request-path.ts'
import { getTranslator } from '#app/.server/i18n.ts'
import { requestUrl } from './request-url.ts'

export interface GateOptions {
  /** PUBLIC_URL: its origin is this site's, whatever Host a proxy sends. */
  publicUrl: string
  /** Whether the request carries a valid session; asked only before reading a body to an ordinary page. */
  signedIn: (req: express.Request, res: express.Response) => Promise<boolean>
}

const bodies = new WeakMap<IncomingMessage, Buffer>()

/** The body the gate read; empty for a request without one. */
export function requestBody(req: IncomingMessage): Buffer {
  return bodies.get(req) ?? EMPTY
}
const EMPTY = Buffer.alloc(0)

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

type Refusal = { status: 400 | 403 | 408 | 413 | 415; key: string }

export function requestGate({ publicUrl, signedIn }: GateOptions): express.RequestHandler {
  const siteOrigin = new URL(publicUrl).origin
  return (req, res, next) => {
    const path = routedPath(req.originalUrl)
    // A target that is no path, or a Host that makes no URL (Remix's adapter threw a 500 on "Host: [").
    if (path === null || requestUrl(req) === null) return refuse(req, res, { status: 400, key: 'request.badTarget' })
    const contentType = req.headers['content-type'] ?? ''
    if (UNSAFE.has(req.method) && !isApiPath(path)) {
      if (crossSite(req, siteOrigin)) return refuse(req, res, { status: 403, key: 'request.crossSite' })
      // Pages read forms only: anything else (text/plain, JSON, none) made the form parser throw a 500.
      if (!isFormContentType(contentType)) return refuse(req, res, { status: 415, key: 'request.notAForm' })
    }
    bodyBudget(req.method, path, contentType, () => signedIn(req, res))
      .then(async (budget) => {
        const refusal = await readWithin(req, budget, contentType)
        if (refusal) return refuse(req, res, refusal, surveyPage(path) !== null)
        next()
      })
      .catch(next)
  }
}

/**
 * A browser's state-changing request must come from this site. Its Origin (or, without one, its Referer)
 * is compared with this site's origin as PUBLIC_URL gives it and as the request addresses it, and with the
 * Host the router checks again (Remix answered a mismatch with a 500). An unparsable header, or the
 * "null" origin of a sandboxed frame, is foreign. Requests with neither header are not from a browser
 * page and carry no ambient cookie (docs/decisions/0017).
 */
export function crossSite(req: express.Request, siteOrigin: string): boolean {
  const origin = req.headers.origin
  const referer = req.headers.referer
  let claimed: URL
  try {
    if (origin !== undefined) claimed = new URL(origin)
    else if (referer !== undefined) claimed = new URL(referer)
    else return false
  } catch {
    return true
  }
  if (claimed.protocol !== 'http:' && claimed.protocol !== 'https:') return true
  const host = (req.headers['x-forwarded-host'] as string | undefined)?.split(',')[0]?.trim() || req.headers.host
  if (claimed.host !== host) return true
  return claimed.origin !== siteOrigin && claimed.origin !== `${req.protocol}://${host}`
}

/** Reads the body into memory within the budget; the refusal, if any. */
async function readWithin(req: express.Request, budget: BodyBudget, contentType: string): Promise<Refusal | null> {
  const declared = req.headers['content-length']
  const hasBody = declared !== undefined ? Number(declared) !== 0 : req.headers['transfer-encoding'] !== undefined
  if (!hasBody) return null
  if (declared !== undefined && Number(declared) > budget.maxBytes) return { status: 413, key: 'request.tooLarge' }
  const read = await readBody(req, budget)
  if (read === 'tooLarge') return { status: 413, key: 'request.tooLarge' }
  if (read === 'tooSlow') return { status: 408, key: 'request.tooSlow' }
  if (budget.maxFields > 0 || isFormContentType(contentType)) {
    const fields = countFormFields(read, contentType)
    if (fields === null) return { status: 400, key: 'request.notAForm' }
    if (fields > budget.maxFields) return { status: 413, key: 'request.tooManyFields' }
  }
  bodies.set(req, read)
  return null
}

/**
 * Collects the body, counting bytes as they come. At the first byte over the budget, or when the body
 * pauses too long or takes too long, it stops reading at once: the socket is paused, then closed with
 * the answer.
 */
function readBody(req: express.Request, budget: BodyBudget): Promise<Buffer | 'tooLarge' | 'tooSlow'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let received = 0
    const finish = (result: Buffer | 'tooLarge' | 'tooSlow' | Error) => {
      clearTimeout(deadline)
      clearTimeout(idle)
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
      req.off('aborted', onAborted)
      if (typeof result === 'string') req.pause()
      if (result instanceof Error) reject(result)
      else resolve(result)
    }
    const deadline = setTimeout(() => finish('tooSlow'), budget.deadlineMs)
    const idle = setTimeout(() => finish('tooSlow'), IDLE_MS)
    const onData = (chunk: Buffer) => {
      received += chunk.length
      if (received > budget.maxBytes) return finish('tooLarge')
      chunks.push(chunk)
      idle.refresh()
    }
    const onEnd = () => finish(Buffer.concat(chunks, received))
    const onError = (error: Error) => finish(error)
    const onAborted = () => finish(new Error('the client aborted the request'))
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
    req.on('aborted', onAborted)
  })
}

/** Answers in the visitor's language (JSON where a script or another system asks) and closes the connection. */
async function refuse(req: express.Request, res: express.Response, refusal: Refusal, survey = false) {
  if (res.headersSent || req.socket.destroyed) return
  // A citizen's over-long form gets the survey's own words for it.
  const key = survey && refusal.key === 'request.tooLarge' ? 'survey:errors.tooLong' : refusal.key
  const message = (await translatorFor(req))(key)
  const wantsJson =
    /\/submit(\.data)?$/.test(req.path) || req.path.startsWith('/api/') || !!req.headers.accept?.includes('json')
  stopReading(req)
  res.status(refusal.status)
  res.setHeader('Connection', 'close')
  res.setHeader('Cache-Control', 'no-store')
  if (wantsJson) res.json({ ok: false, error: refusal.key.replace(/^request\./, ''), message })
  else res.type('text/plain; charset=utf-8').send(message)
}

/** How long a refused connection stays half-open, unread, so the client can read the answer before it closes. */
const LINGER_MS = 1_000

/**
 * Whatever of the body is still on its way stays unread, and the connection ends with the answer. Node
 * would otherwise drain an untouched body after the answer (into nothing, but at the client's pace), and
 * close the socket the moment the answer is written: a client still sending then gets a reset in place of
 * the answer. So the request is marked as read (its small buffer fills, then the socket stops), and after
 * the answer only our side is closed; the socket is destroyed a second later, or as soon as the client goes.
 */
function stopReading(req: express.Request) {
  req.pause()
  req.read(0)
  const socket = req.socket
  socket.destroySoon = () => {
    socket.end()
    setTimeout(() => socket.destroy(), LINGER_MS).unref()
  }
}

/** Translations in the visitor's language (query, cookie, Accept-Language), for answers given outside Remix. */
export async function translatorFor(req: express.Request): Promise<(key: string) => string> {
  try {
    const headers = new Headers()
    for (const name of ['cookie', 'accept-language'] as const) {
      const value = req.headers[name]
      if (typeof value === 'string') headers.set(name, value)
    }
    const url = `http://localhost${routedPath(req.originalUrl) === null ? '/' : req.originalUrl}`
    const t = await getTranslator(new Request(url, { headers }))
    return (key) => t(key)
  } catch {
    const t = await getTranslator(new Request('http://localhost/'))
    return (key) => t(key)
  }
}
