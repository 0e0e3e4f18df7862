/**
 * Express ⇄ Fetch API for the few handlers the server calls without Remix's request handler (the
 * survey submit fast path). Bodies here are small forms and JSON answers, so they are read into memory
 * (at most `maxBodyBytes` plus one byte, so the handler still sees that a body was too long).
 */
import type express from 'express'

function readBody(req: express.Request, maxBodyBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let kept = 0
    // Past the limit the rest is read and dropped: the connection stays usable for the answer.
    req.on('data', (chunk: Buffer) => {
      if (kept > maxBodyBytes) return
      chunks.push(chunk)
      kept += chunk.length
    })
    req.on('end', () => resolve(Buffer.concat(chunks, kept).subarray(0, maxBodyBytes + 1)))
    req.on('error', reject)
  })
}

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
export async function submitRequest(req: express.Request, maxBodyBytes: number): Promise<Request> {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v)
    else if (value !== undefined) headers.set(name, value)
  }
  const body = await readBody(req, maxBodyBytes)
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
  res.end(Buffer.from(await response.arrayBuffer()))
}
