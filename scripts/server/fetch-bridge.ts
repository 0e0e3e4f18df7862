/**
 * Express ⇄ Fetch API for the few handlers the server calls without Remix's request handler (the
 * survey submit fast path). The body is the one the request gate read, within the survey's budget.
 */
import type express from 'express'
import { jsonResponseText } from '#app/.server/http/json-response.ts'

/** What a submit action reads of its request; anything else is a programming error (see below). */
const SUBMIT_REQUEST_MEMBERS = new Set(['url', 'method', 'headers', 'text'])

/**
 * The request a submit action receives on the fast path: its URL, method, headers and body text, and
 * nothing else. Constructing a real Fetch Request (undici) took a twentieth of a submission's CPU time in
 * a profile, for properties the action never reads. Reading any other property throws, so an action
 * that starts to need more fails loudly in the server smoke test (integration/foundation/server-smoke)
 * rather than misbehaving. Once its body is read, a submission is stored even if the citizen's
 * connection drops before the answer (a retry then finds it): there is no abort signal on purpose.
 */
export function submitRequest(req: express.Request, body: Buffer): Request {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v)
    else if (value !== undefined) headers.set(name, value)
  }
  // Only the path and query matter to the action; the host is not trusted for anything here.
  const members: Record<string, unknown> = {
    url: `http://localhost${req.originalUrl}`,
    method: req.method,
    headers,
    text: async () => body.toString('utf8'),
  }
  return new Proxy(members, {
    get(target, property) {
      if (typeof property === 'string' && SUBMIT_REQUEST_MEMBERS.has(property)) return target[property]
      // Promise resolution and inspection look for these; answering "absent" is correct.
      if (property === 'then' || typeof property === 'symbol') return undefined
      throw new Error(
        `the submit fast path's request has no "${String(property)}": add it in scripts/server/fetch-bridge.ts`,
      )
    },
  }) as unknown as Request
}

export async function sendFetchResponse(res: express.Response, response: Response): Promise<void> {
  res.status(response.status)
  for (const [name, value] of response.headers) {
    if (name === 'set-cookie') continue
    res.setHeader(name, value)
  }
  const cookies = response.headers.getSetCookie()
  if (cookies.length) res.setHeader('set-cookie', cookies)
  // A redirect has no body, and a JSON answer's text is known: neither needs its body stream read back.
  if (response.body === null) return void res.end()
  const text = jsonResponseText(response)
  res.end(text ?? Buffer.from(await response.arrayBuffer()))
}
