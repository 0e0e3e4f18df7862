/**
 * Remix's request handler for express, on the body the request gate (./request-gate.ts) already read. The
 * adapter of @remix-run/express streams the body from the socket itself, which would bypass the gate's
 * byte budget; this one hands Remix the gate's buffer. URL, headers and abort behave as in that adapter.
 * The answer's body is written with backpressure (see `writeBody`), unlike that adapter's.
 */
import { type AppLoadContext, createRequestHandler, type ServerBuild } from '@remix-run/node'
import type express from 'express'
import { requestBody } from './request-gate.ts'
import { requestUrl } from './request-url.ts'

export interface RemixHandlerOptions {
  build: ServerBuild | (() => Promise<ServerBuild>)
  mode: 'production' | 'development'
  getLoadContext: (req: express.Request, res: express.Response) => AppLoadContext
}

export function remixHandler({ build, mode, getLoadContext }: RemixHandlerOptions): express.RequestHandler {
  const handle = createRequestHandler(build, mode)
  return async (req, res, next) => {
    try {
      const response = await handle(fetchRequest(req, res), getLoadContext(req, res))
      await sendResponse(res, response)
    } catch (error) {
      next(error)
    }
  }
}

function fetchRequest(req: express.Request, res: express.Response): Request {
  // The request gate refused every request whose URL cannot be built.
  const url = requestUrl(req)!
  // Loaders and actions are told when the visitor goes away before the answer is sent.
  let controller: AbortController | null = new AbortController()
  res.on('finish', () => {
    controller = null
  })
  res.on('close', () => controller?.abort())
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
  return new Request(url.href, {
    method: req.method,
    headers: fetchHeaders(req.headers),
    signal: controller.signal,
    ...(hasBody ? { body: new Uint8Array(requestBody(req)) } : {}),
  })
}

function fetchHeaders(incoming: express.Request['headers']): Headers {
  const headers = new Headers()
  for (const [name, value] of Object.entries(incoming)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v)
    else if (value) headers.set(name, value)
  }
  return headers
}

async function sendResponse(res: express.Response, response: Response) {
  res.statusMessage = response.statusText
  res.status(response.status)
  // append, not set: a response may carry several Set-Cookie headers.
  for (const [name, value] of response.headers.entries()) res.append(name, value)
  if (response.body) await writeBody(response.body, res)
  else res.end()
}

/**
 * Writes a streamed body as the client takes it: the next chunk is read only once the socket (or the
 * compression in front of it) has room, so a large download (a million-row raw export) holds a few
 * chunks in memory, not the whole file. Remix's own `writeReadableStreamToWritable` ignores what
 * `write` returns and buffered everything a slow client had not yet received. Each chunk is flushed
 * through the compression, so streamed pages still arrive piece by piece. When the client goes away,
 * the body is cancelled (a raw export is then audited as incomplete).
 */
async function writeBody(body: ReadableStream<Uint8Array>, res: express.Response) {
  const reader = body.getReader()
  let gone = false
  const closed = new Promise<void>((resolve) =>
    res.once('close', () => {
      gone = !res.writableFinished
      resolve()
    }),
  )
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      const room = res.write(value)
      ;(res as { flush?: () => void }).flush?.()
      if (!room) await Promise.race([new Promise((resolve) => res.once('drain', resolve)), closed])
      if (gone || res.destroyed) {
        await reader.cancel()
        return
      }
    }
    res.end()
  } catch (error) {
    res.destroy(error as Error)
    throw error
  }
}
