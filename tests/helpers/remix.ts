/**
 * Calling Remix loaders and actions directly: a load context on a test database, a signed-in user's
 * cookie, and whatever a loader or action returns or throws as one shape to assert on.
 */
import type { AppLoadContext } from '@remix-run/node'
import { createSession } from '#app/.server/auth/session.ts'
import { loadConfig } from '#app/.server/env.ts'
import { createRateLimiter } from '#app/.server/rate-limit.ts'
import { createUser } from '#app/.server/services/users.ts'
import type { TestDatabase } from './db.ts'

/** The origin of every request the tests build; PUBLIC_URL says the same, so same-origin checks pass. */
export const BASE = 'http://localhost'
/** The password of every user signIn creates. */
export const PASSWORD = 'ruộng bậc thang 2026'

/**
 * What the server would hand a loader: the test's database and a configuration read from the
 * environment. Rate limiting is off unless `env` turns it on; `clientAddress` keys its counters.
 */
export function makeContext(
  t: Pick<TestDatabase, 'db' | 'url'>,
  env: Record<string, string> = {},
  clientAddress = '203.0.113.7',
): AppLoadContext {
  const config = loadConfig({
    ...process.env,
    RATE_LIMIT: 'off',
    PUBLIC_URL: BASE,
    ...env,
    DATABASE_URL: t.url,
    HAILONG_SECRET: 'x'.repeat(32),
  })
  return {
    db: t.db,
    readDb: t.db,
    config,
    rateLimiter: createRateLimiter(config.rateLimit.windowSeconds, config.rateLimit.enabled),
    clientAddress,
  }
}

export interface SignedIn {
  userId: number
  /** The `Cookie` header value that carries the session. */
  cookie: string
  email: string
}

/** A new user of the role at the agency (null: no agency, for admins), signed in with PASSWORD. */
export async function signIn(
  context: AppLoadContext,
  email: string,
  role: 'admin' | 'manager' | 'analyst',
  agencyCode: string | null,
): Promise<SignedIn> {
  const created = await createUser(context.db, { email, role, agencyCode, password: PASSWORD }, 'test')
  if (!created.ok) throw new Error(created.error)
  const setCookie = await createSession(context, created.userId)
  return { userId: created.userId, cookie: setCookie.split(';')[0]!, email }
}

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
