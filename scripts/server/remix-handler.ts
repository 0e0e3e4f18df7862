/**
 * Remix's request handler for express, on the body the request gate (./request-gate.ts) already read. The
 * adapter of @remix-run/express streams the body from the socket itself, which would bypass the gate's
 * byte budget; this one hands Remix the gate's buffer. URL, headers and abort behave as in that adapter.
 */
import {
  type AppLoadContext,
  createRequestHandler,
  type ServerBuild,
  writeReadableStreamToWritable,
} from '@remix-run/node'
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
  if (response.body) await writeReadableStreamToWritable(response.body, res)
  else res.end()
}
