/** Calling Remix loaders and actions directly: whatever they return or throw, as one shape to assert on. */

export interface Outcome {
  status: number
  /** The JSON body when it parses, else the text; for `data()` values, the data itself. */
  body: unknown
  /** Same as body (the survey suites' name for it). */
  data: unknown
  /** The body as text, byte-order mark kept (Response.text() would strip it). */
  text: string
  headers: Headers
  location: string | null
  thrown: boolean
  response: Response | null
}

export async function run(fn: () => unknown): Promise<Outcome> {
  let value: unknown
  let thrown = false
  try {
    value = await fn()
  } catch (error) {
    value = error
    thrown = true
  }
  if (value instanceof Response) {
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await value.clone().arrayBuffer())
    let body: unknown = text
    try {
      body = JSON.parse(text)
    } catch {
      // not JSON
    }
    return {
      status: value.status,
      body,
      data: body,
      text,
      headers: value.headers,
      location: value.headers.get('Location'),
      thrown,
      response: value,
    }
  }
  if (value && typeof value === 'object' && 'init' in value && 'data' in value) {
    const d = value as { init?: { status?: number; headers?: HeadersInit } | null; data: unknown }
    const headers = new Headers(d.init?.headers)
    const text = typeof d.data === 'string' ? d.data : JSON.stringify(d.data)
    return {
      status: d.init?.status ?? 200,
      body: d.data,
      data: d.data,
      text,
      headers,
      location: headers.get('Location'),
      thrown,
      response: null,
    }
  }
  if (thrown) throw value
  return {
    status: 200,
    body: value,
    data: value,
    text: JSON.stringify(value ?? null),
    headers: new Headers(),
    location: null,
    thrown,
    response: null,
  }
}
