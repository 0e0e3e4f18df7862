/**
 * JSON answers whose text the server can send as it is. Reading a Fetch Response's body back (its web
 * stream, as `arrayBuffer()` does) cost the survey's JSON submit endpoint more than building the answer;
 * the server's direct path (scripts/server/fetch-bridge.ts) asks for the text it was made from instead.
 * Anyone else (tests, Remix) reads the Response as usual.
 */
const texts = new WeakMap<Response, string>()

/** Like `Response.json`: the same body and `Content-Type`, with the text remembered for the server. */
export function jsonResponse(body: unknown, init: ResponseInit = {}): Response {
  const text = JSON.stringify(body)
  const headers = new Headers(init.headers)
  if (!headers.has('Content-Type')) headers.set('Content-Type', 'application/json')
  const response = new Response(text, { ...init, headers })
  texts.set(response, text)
  return response
}

/** The text a `jsonResponse` was made from; undefined for any other Response. */
export function jsonResponseText(response: Response): string | undefined {
  return texts.get(response)
}
