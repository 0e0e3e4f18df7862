/**
 * The production server against requests no browser of ours sends (issue 15, findings 1 and 8): bodies
 * over their route's budget, streamed without a length; too many fields; bodies that never finish; and a
 * table of malformed or cross-site requests, each of which must get a 4xx without a stack trace. The
 * server runs on the suite's database (SQLite or PostgreSQL), started as `npm start` starts it.
 */
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, signIn } from '#tests/helpers/remix.ts'
import { floodChunked, STACK_TRACE, trickle } from '#scripts/security-check/requests.ts'
import { type RunningServer, startServer } from '#scripts/support/server-process.ts'

let t: TestDatabase
let server: RunningServer
let linkCode: string
/** An agency dissolved before the demo's latest period. */
let dissolvedAgency: string
let analystCookie: string

const MiB = 1024 * 1024
/** What a client may get into the socket before the cut: the budget, plus what two kernels' buffers hold. */
const CUT_BEFORE = 16 * MiB

const form = (fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
  body: new URLSearchParams(fields).toString(),
  redirect: 'manual',
})

/** Sends raw bytes (a request fetch cannot express) and returns the status and body of the answer. */
function raw(text: string): Promise<{ status: number; body: string }> {
  const { port, hostname } = new URL(server.url)
  return new Promise((resolve, reject) => {
    let answer = ''
    const socket = net.connect(Number(port), hostname, () => socket.write(text))
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      answer += chunk
    })
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)
      resolve({ status, body: answer.slice(answer.indexOf('\r\n\r\n') + 4) })
    })
    socket.on('error', reject)
  })
}

beforeAll(async () => {
  t = await createTestDatabase()
  server = await startServer({ DATABASE_URL: t.url })
  linkCode = (
    await t.db.selectFrom('survey_link').select('code').where('active', '=', 1).orderBy('id').executeTakeFirstOrThrow()
  ).code
  dissolvedAgency = (
    await t.db
      .selectFrom('agency')
      .select('code')
      .where('valid_to', 'is not', null)
      .orderBy('id')
      .executeTakeFirstOrThrow()
  ).code
  analystCookie = (await signIn(makeContext(t), 'phantich@anlac.example.vn', 'analyst', 'DEMO-AL')).cookie
})
afterAll(async () => {
  await server?.stop()
  await t?.cleanup()
})

describe('body budgets, counted as the bytes arrive', () => {
  it.each([
    ['the JSON submit of a survey link', () => `/s/${linkCode}/submit`, /quá dài/],
    ['the no-JavaScript survey form', () => `/s/${linkCode}`, /quá dài/],
    ['an invitation', () => '/r/no-such-invitation/submit', /quá dài/],
    ['the sign-in page', () => '/login', /quá lớn/],
    ['the set-up page', () => '/setup/some-token', /quá lớn/],
    ['an import, not signed in', () => '/admin/import', /quá lớn/],
  ])('a chunked 200 MiB body to %s: 413, and the stream is cut within the first MiBs', async (_, path, message) => {
    const result = await floodChunked(`${server.url}${path()}`, 200 * MiB)
    expect(result.status).toBe(413)
    expect(result.body).toMatch(message)
    expect(result.written).toBeLessThan(CUT_BEFORE)
  })

  it('a Content-Length over the budget is refused before any byte of the body is read', async () => {
    const { status, body } = await raw(
      `POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${300 * MiB}\r\n\r\n`,
    )
    expect(status).toBe(413)
    expect(body).toContain('Yêu cầu quá lớn.')
  })

  it('a body within its budget but with too many fields is refused before parsing (URL-encoded and multipart)', async () => {
    const pairs = (n: number) => Array.from({ length: n }, (_, i) => `f${i}=1`).join('&')
    const signInRes = await fetch(`${server.url}/login`, { ...form({}), body: pairs(500) })
    expect(signInRes.status).toBe(413)
    expect(await signInRes.text()).toBe('Biểu mẫu có quá nhiều trường.')
    const survey = await fetch(`${server.url}/s/${linkCode}/submit`, { ...form({}), body: pairs(2_000) })
    expect(survey.status).toBe(413)
    expect(await survey.json()).toMatchObject({ ok: false, error: 'tooManyFields' })
    const multipart = new FormData()
    for (let i = 0; i < 30; i++) multipart.append(`f${i}`, '1')
    const parts = await fetch(`${server.url}/login`, {
      method: 'POST',
      body: multipart,
      headers: { 'Accept-Language': 'en' },
    })
    expect(parts.status).toBe(413)
    expect(await parts.text()).toBe('The form has too many fields.')
  })

  it('a signed-in user may upload more than a visitor, and nothing beyond the upload budget', async () => {
    const admin = await signIn(makeContext(t), 'quantri@anlac.example.vn', 'admin', null)
    const upload = (cookie?: string, bytes = 2 * MiB) => {
      // Small enough for fetch, which does not read an answer that comes before its body is sent.
      const body = new FormData()
      body.append('intent', 'check')
      body.append('file', new Blob([Buffer.alloc(bytes, 'x')]), 'cac-co-quan.csv')
      return fetch(`${server.url}/admin/agencies`, { method: 'POST', body, headers: cookie ? { Cookie: cookie } : {} })
    }
    expect((await upload()).status).toBe(413)
    expect((await upload('hl_session=forged-session-token-that-is-long-enough')).status).toBe(413)
    expect((await upload(admin.cookie)).status).not.toBe(413)
    const beyond = await floodChunked(`${server.url}/admin/agencies`, 200 * MiB, {
      Cookie: admin.cookie,
      'Content-Type': 'multipart/form-data; boundary=----hl',
    })
    expect(beyond.status).toBe(413)
    expect(beyond.written).toBeGreaterThan(25 * MiB)
    expect(beyond.written).toBeLessThan(25 * MiB + CUT_BEFORE)
  })

  it('a body that stops arriving is answered 408 and closed after 10 s, not minutes', async () => {
    const result = await trickle(server.url, { path: `/s/${linkCode}/submit`, everyMs: 60_000, giveUpMs: 25_000 })
    expect(result.status).toBe(408)
    expect(result.closedAfterMs).toBeGreaterThanOrEqual(9_500)
    expect(result.closedAfterMs).toBeLessThan(15_000)
  })

  it('the server answers as usual after all of the above', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  })
})

type BadRequest = [name: string, send: () => Promise<Response | { status: number; body: string }>]

describe('every bad unauthenticated request gets a 4xx without a stack trace', () => {
  const post = (path: string, init: RequestInit) =>
    fetch(`${server.url}${path}`, { method: 'POST', redirect: 'manual', ...init })
  const credentials = { email: 'a@b.vn', password: 'sai-mat-khau-123' }
  const cases: BadRequest[] = [
    [
      'a foreign Origin posting the sign-in form',
      () => post('/login', form(credentials, { Origin: 'https://evil.example' })),
    ],
    [
      'a foreign Origin posting to the home page',
      () => post('/', form({ a: '1' }, { Origin: 'https://evil.example' })),
    ],
    [
      'a foreign Origin posting a survey',
      () => post(`/s/${linkCode}`, form({ a: '1' }, { Origin: 'https://evil.example' })),
    ],
    [
      'a foreign Origin posting the JSON submit',
      () => post(`/s/${linkCode}/submit`, form({}, { Origin: 'https://evil.example' })),
    ],
    ['the "null" Origin of a sandboxed frame', () => post('/login', form(credentials, { Origin: 'null' }))],
    ['an Origin that is no URL', () => post('/login', form(credentials, { Origin: 'not a url' }))],
    [
      'a matching Origin with a forwarded host that is not',
      () => post('/login', form(credentials, { Origin: server.url, 'X-Forwarded-Host': 'evil.example' })),
    ],
    ['a malformed Referer on sign-in', () => post('/login', form(credentials, { Referer: 'http://[' }))],
    ['a malformed Referer on sign-out', () => post('/logout', form({}, { Referer: '::::' }))],
    [
      'a text/plain POST to sign-in',
      () => post('/login', { body: 'email=a&password=b', headers: { 'Content-Type': 'text/plain' } }),
    ],
    [
      'a text/plain POST to a survey',
      () => post(`/s/${linkCode}`, { body: 'a=1', headers: { 'Content-Type': 'text/plain' } }),
    ],
    ['a JSON POST to the home page', () => post('/', { body: '{}', headers: { 'Content-Type': 'application/json' } })],
    ['a POST without a content type', () => post('/login', {})],
    [
      'a multipart POST without a boundary',
      () => post('/login', { body: 'x', headers: { 'Content-Type': 'multipart/form-data' } }),
    ],
    [
      'a multipart survey that is not multipart',
      () =>
        post(`/s/${linkCode}`, { body: 'garbage', headers: { 'Content-Type': 'multipart/form-data; boundary=zz' } }),
    ],
    [
      'redirectTo with CR LF, on the sign-in page',
      () => fetch(`${server.url}/login?redirectTo=/%0d%0aSet-Cookie:%20x=1`, { redirect: 'manual' }),
    ],
    [
      'redirectTo with CR LF, posted with a wrong password',
      () => post('/login', form({ ...credentials, redirectTo: '/\r\nSet-Cookie: x=1' })),
    ],
    [
      'the page of a dissolved agency, not signed in',
      () => fetch(`${server.url}/analytics/agency/${dissolvedAgency}`, { redirect: 'manual' }),
    ],
    ['a malformed percent-encoding in a path', () => fetch(`${server.url}/s/%E0%A4%A`)],
    ['a malformed percent-encoding in the JSON submit path', () => post('/s/%ZZ/submit', form({}))],
    [
      'an absolute-form request target',
      () => raw('GET http://evil.example/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'),
    ],
    ['a Host header that makes no URL', () => raw('GET / HTTP/1.1\r\nHost: [\r\nConnection: close\r\n\r\n')],
    [
      'a Host header with an impossible port',
      () => raw('POST /login HTTP/1.1\r\nHost: x:99999\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'),
    ],
    [
      'an API call in text/plain without a token',
      () => post('/api/v1/invitations', { body: 'x', headers: { 'Content-Type': 'text/plain' } }),
    ],
  ]

  it.each(cases)('%s', async (_, send) => {
    const answer = await send()
    const body = answer instanceof Response ? await answer.text() : answer.body
    expect(answer.status).toBeLessThan(500)
    expect(body).not.toMatch(STACK_TRACE)
    expect(body).not.toMatch(/Unexpected Server Error/)
  })

  it('the page of a dissolved agency, signed in: 404 with a message, not a crash', async () => {
    const res = await fetch(`${server.url}/analytics/agency/${dissolvedAgency}`, { headers: { Cookie: analystCookie } })
    expect(res.status).toBe(404)
    expect(await res.text()).toContain('Không có cơ quan này.')
  })

  it('the same-site forms still work: a sign-in from this origin reaches the password check', async () => {
    const res = await post('/login', form(credentials, { Origin: server.url, Referer: `${server.url}/login` }))
    expect(res.status).toBe(401)
  })

  it('the server wrote no stack trace for any of them', () => {
    expect(server.output()).not.toMatch(/TypeError|RangeError|Error: host header does not match/)
  })
})

describe('the request log', () => {
  it('masks invitation codes and set-up tokens, keeps poster link codes', async () => {
    const invitation = 'InvSecret7Kq2mNp4'
    const setup = 'SetupSecretJz4Sa5bPiVrG0XA'
    await (await fetch(`${server.url}/r/${invitation}`)).arrayBuffer()
    await (await fetch(`${server.url}/r/${invitation}/submit`, form({}))).arrayBuffer()
    await (await fetch(`${server.url}/%72/${invitation}`)).arrayBuffer()
    await (await fetch(`${server.url}/setup/${setup}`)).arrayBuffer()
    await (await fetch(`${server.url}/s/${linkCode}`)).arrayBuffer()
    // Log lines go out once per turn of the server's event loop.
    await new Promise((resolve) => setTimeout(resolve, 200))
    const output = server.output()
    expect(output).not.toContain(invitation)
    expect(output).not.toContain(setup)
    const paths = output
      .split('\n')
      .filter((line) => line.includes('"event":"request"'))
      .map((line) => (JSON.parse(line) as { path: string }).path)
    expect(paths).toEqual(expect.arrayContaining(['/r/…', '/r/…/submit', '/%72/…', '/setup/…', `/s/${linkCode}`]))
  })
})
