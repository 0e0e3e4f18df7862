/**
 * The production server's security headers (issue 15, finding 6): scripts only with this response's
 * nonce, survey pages framable by the configured sites only and decided on the path the router serves,
 * and no personal page, download or sign-in kept in a cache. The server runs on the suite's database.
 */
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiToken } from '#app/.server/auth/api-token.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, PASSWORD, type SignedIn, signIn } from '#tests/helpers/remix.ts'
import { type RunningServer, startServer } from '#scripts/support/server-process.ts'

const PORTAL = 'https://dichvucong.anlac.gov.vn'
const KIOSK = 'https://kiosk.anlac.gov.vn'

let t: TestDatabase
let server: RunningServer
let linkCode: string
let analyst: SignedIn
let apiToken: string

beforeAll(async () => {
  t = await createTestDatabase()
  server = await startServer({ DATABASE_URL: t.url, SURVEY_FRAME_ORIGINS: `${PORTAL} ${KIOSK}` })
  linkCode = (
    await t.db.selectFrom('survey_link').select('code').where('active', '=', 1).orderBy('id').executeTakeFirstOrThrow()
  ).code
  analyst = await signIn(makeContext(t), 'phantich@anlac.example.vn', 'analyst', 'DEMO-AL')
  const province = await t.db.selectFrom('agency').select('id').where('code', '=', 'DEMO-AL').executeTakeFirstOrThrow()
  apiToken = await createApiToken(t.db, province.id, 'BI', 'test')
})
afterAll(async () => {
  await server?.stop()
  await t?.cleanup()
})

/** The headers of a GET sent exactly as written (fetch would resolve "/s/../x" before sending it). */
function rawHeaders(target: string): Promise<Record<string, string>> {
  const { port, hostname, host } = new URL(server.url)
  return new Promise((resolve, reject) => {
    let answer = ''
    const socket = net.connect(Number(port), hostname, () =>
      socket.write(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
    )
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      answer += chunk
    })
    socket.on('close', () => {
      const head = answer.slice(0, answer.indexOf('\r\n\r\n')).split('\r\n').slice(1)
      resolve(
        Object.fromEntries(
          head.map((line) => [
            line.slice(0, line.indexOf(':')).toLowerCase(),
            line.slice(line.indexOf(':') + 1).trim(),
          ]),
        ),
      )
    })
    socket.on('error', reject)
  })
}

const directive = (csp: string | null | undefined, name: string) =>
  csp
    ?.split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith(`${name} `))

describe('Content-Security-Policy', () => {
  it.each(['/', '/login', '/no-such-page'])(
    '%s: scripts need this response’s nonce, which every script tag carries',
    async (path) => {
      const res = await fetch(`${server.url}${path}`)
      const csp = res.headers.get('content-security-policy')
      const scriptSrc = directive(csp, 'script-src')
      expect(scriptSrc).not.toContain("'unsafe-inline'")
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(scriptSrc ?? '')?.[1]
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/)
      const html = await res.text()
      const scripts = html.match(/<script\b[^>]*>/g) ?? []
      expect(scripts.length).toBeGreaterThan(0)
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`)
    },
  )

  it('the survey page too, and each response has a nonce of its own', async () => {
    const nonces = new Set<string>()
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${server.url}/s/${linkCode}`)
      const nonce = /'nonce-([^']+)'/.exec(res.headers.get('content-security-policy') ?? '')![1]!
      const html = await res.text()
      for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toContain(`nonce="${nonce}"`)
      nonces.add(nonce)
    }
    expect(nonces.size).toBe(3)
  })

  it('no HSTS while PUBLIC_URL is http (the https case: tests/unit/foundation/security-headers.test.ts)', async () => {
    expect((await fetch(`${server.url}/`)).headers.get('strict-transport-security')).toBeNull()
  })
})

describe('framing', () => {
  it.each([
    () => `/s/${linkCode}`,
    () => `/s/${linkCode}/thanks`,
    () => '/r/some-invitation',
    () => `/s/${linkCode}?kiosk=1`,
  ])('the survey page %s may be framed by the configured sites only', async (path) => {
    const headers = await rawHeaders(path())
    expect(directive(headers['content-security-policy'], 'frame-ancestors')).toBe(
      `frame-ancestors 'self' ${PORTAL} ${KIOSK}`,
    )
    expect(headers['x-frame-options']).toBeUndefined()
  })

  it.each([
    '/admin/tokens',
    '/s/../admin/tokens',
    '/s/%2e%2e/admin/tokens',
    '/s/%2E%2E/admin/tokens',
    '/s/x/../../admin/tokens',
    '/s\\..\\admin\\tokens',
    '/login',
    '/analytics',
    '/',
    `/s/%2e%2e`,
  ])('%s may not be framed by another site', async (target) => {
    const headers = await rawHeaders(target)
    expect(directive(headers['content-security-policy'], 'frame-ancestors')).toBe("frame-ancestors 'self'")
    expect(headers['x-frame-options']).toBe('SAMEORIGIN')
  })
})

describe('Cache-Control: no-store for everything personal', () => {
  const signedIn = () => ({ headers: { Cookie: analyst.cookie }, redirect: 'manual' as const })

  it.each(['/', '/analytics', '/account/password', `/s/${linkCode}`, '/no-such-page'])(
    'every page a signed-in user gets: %s',
    async (path) => {
      const res = await fetch(`${server.url}${path}`, signedIn())
      await res.arrayBuffer()
      expect(res.headers.get('cache-control')).toBe('no-store')
    },
  )

  it.each(['csv', 'xlsx', 'json'])('every export (%s)', async (format) => {
    const res = await fetch(`${server.url}/analytics/export/${format}`, signedIn())
    await res.arrayBuffer()
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
  })

  it('the raw responses download', async () => {
    const res = await fetch(`${server.url}/analytics/responses/csv`, signedIn())
    await res.arrayBuffer()
    expect(res.headers.get('cache-control')).toBe('no-store')
  })

  it('the API, for a client with a token', async () => {
    const res = await fetch(`${server.url}/api/v1/scores`, { headers: { Authorization: `Bearer ${apiToken}` } })
    await res.arrayBuffer()
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
  })

  it('the answer that signs in (it sets the session cookie)', async () => {
    const res = await fetch(`${server.url}/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url },
      body: new URLSearchParams({ email: analyst.email, password: PASSWORD }).toString(),
      redirect: 'manual',
    })
    expect(res.status).toBe(302)
    expect(res.headers.get('set-cookie')).toMatch(/^hl_session=/)
    expect(res.headers.get('cache-control')).toBe('no-store')
  })

  it('static files stay cacheable for everyone', async () => {
    const html = await (await fetch(`${server.url}/`)).text()
    const asset = /href="(\/assets\/[^"]+\.css)"/.exec(html)![1]!
    const res = await fetch(`${server.url}${asset}`, signedIn())
    await res.arrayBuffer()
    expect(res.headers.get('cache-control')).toMatch(/immutable/)
  })
})
