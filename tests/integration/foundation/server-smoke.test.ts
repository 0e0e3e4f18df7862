/**
 * The built production server, started once as a child process on its own database: health check,
 * home page in both languages, first-administrator setup link, 404 and security headers.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb } from '#db/client.ts'
import { databaseConfig } from '#db/config.ts'
import { createTestDatabase, type TestDatabase, testDialect } from '#tests/helpers/db.ts'
import { ROOT } from '#scripts/support/root.ts'
import { type RunningServer, startServer } from '#scripts/support/server-process.ts'
import { SERVER_NODE_FLAGS } from '../../../scripts/server-flags.ts'

const ADMIN_EMAIL = 'quantri@anlac.example.vn'
const ADMIN_PASSWORD = 'mật-khẩu-quản-trị-2026'

let server: RunningServer
let startupOutput: string
/** On PostgreSQL: an empty migrated database the server seeds itself (on SQLite it makes its own file). */
let postgres: TestDatabase | undefined

/** Decodes a Remix cookie value (URI-encoded base64 of JSON). */
function decodeCookieValue(raw: string): unknown {
  return JSON.parse(Buffer.from(decodeURIComponent(raw), 'base64').toString('utf8'))
}

function setupPath(output: string): string {
  const match = /https?:\/\/[^\s/]+(\/setup\/[A-Za-z0-9_-]+)/.exec(output)
  if (!match) throw new Error(`no setup link in the server output:\n${output}`)
  return match[1]!
}

/** The server's own database, opened beside it (read-only) on whichever dialect the suite runs. */
function serverDatabase() {
  return createDb(databaseConfig({ ...process.env, DATABASE_URL: server.databaseFile }), { readonly: true })
}

function form(fields: Record<string, string>) {
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual' as const,
  }
}

beforeAll(async () => {
  if (testDialect() === 'postgres') postgres = await createTestDatabase({ seed: 'none' })
  server = await startServer(postgres ? { DATABASE_URL: postgres.url } : {})
  startupOutput = server.output()
})
afterAll(async () => {
  if (!server) return
  expect(await server.stop()).toBe(0)
  fs.rmSync(server.dir, { recursive: true, force: true })
  await postgres?.cleanup()
})

describe('production server', () => {
  it('GET /healthz → 200 {"status":"ok"}, not cached', async () => {
    const res = await fetch(`${server.url}/healthz`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/application\/json/)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(await res.json()).toEqual({ status: 'ok' })
  })

  it('GET / → 200 Vietnamese HTML listing the demo province', async () => {
    const res = await fetch(`${server.url}/`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/text\/html/)
    const html = await res.text()
    expect(html).toMatch(/^<!DOCTYPE html>/i)
    expect(html).toMatch(/<html lang="vi"/)
    expect(html).toContain('Tỉnh An Lạc (mẫu)')
    expect(html).toContain('<h1>Hài Lòng — khảo sát sự hài lòng</h1>')
    expect(html).toMatch(/href="\/s\/[a-z0-9]+"/)
    expect(res.headers.get('set-cookie')).toBeNull()
  })

  it('GET /?lng=en → English page and a lng=en cookie that keeps English on the next request', async () => {
    const res = await fetch(`${server.url}/?lng=en`)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toMatch(/<html lang="en"/)
    expect(html).toContain('<h1>Hài Lòng — satisfaction surveys</h1>')
    expect(html).toContain('An Lac Province (demo)')
    const setCookie = res.headers.get('set-cookie')
    expect(setCookie).toMatch(/^lng=/)
    const pair = setCookie!.split(';')[0]!
    expect(decodeCookieValue(pair.slice('lng='.length))).toBe('en')
    expect(setCookie).toMatch(/Path=\//i)

    const next = await fetch(`${server.url}/`, { headers: { Cookie: pair } })
    const nextHtml = await next.text()
    expect(nextHtml).toMatch(/<html lang="en"/)
    expect(nextHtml).toContain('<h1>Hài Lòng — satisfaction surveys</h1>')
    // The query string wins over the cookie.
    const back = await (await fetch(`${server.url}/?lng=vi`, { headers: { Cookie: pair } })).text()
    expect(back).toMatch(/<html lang="vi"/)
  })

  it('Accept-Language: en-US → English; fr-FR → Vietnamese (the default)', async () => {
    const en = await (await fetch(`${server.url}/`, { headers: { 'Accept-Language': 'en-US,en;q=0.9' } })).text()
    expect(en).toMatch(/<html lang="en"/)
    expect(en).toContain('<h1>Hài Lòng — satisfaction surveys</h1>')
    const fr = await (await fetch(`${server.url}/`, { headers: { 'Accept-Language': 'fr-FR' } })).text()
    expect(fr).toMatch(/<html lang="vi"/)
  })

  it('the first start prints a one-time setup link once, and no password', () => {
    const links = startupOutput.match(/\/setup\/[A-Za-z0-9_-]+/g) ?? []
    expect(links).toHaveLength(1)
    expect(links[0]).toMatch(/^\/setup\/[A-Za-z0-9_-]{20,}$/)
    expect(startupOutput).toContain(`${server.url}/setup/`)
    expect(startupOutput).not.toMatch(/password|mật khẩu/i)
  })

  it('the setup link creates the first administrator once, then answers 410', async () => {
    const link = `${server.url}${setupPath(startupOutput)}`

    const page = await fetch(link)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toMatch(/<form[^>]*method="post"/i)
    for (const name of ['email', 'password', 'confirm']) expect(html).toContain(`name="${name}"`)

    const mismatch = await fetch(
      link,
      form({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD, confirm: `${ADMIN_PASSWORD}!` }),
    )
    expect(mismatch.status).toBe(400)
    expect(await mismatch.text()).toContain('Hai lần nhập mật khẩu không khớp.')

    const tooShort = await fetch(link, form({ email: ADMIN_EMAIL, password: 'short', confirm: 'short' }))
    expect(tooShort.status).toBe(400)

    const db = serverDatabase()
    try {
      expect(await db.selectFrom('user').select('id').execute()).toEqual([])
    } finally {
      await db.destroy()
    }

    // Success answers 200 with a confirmation (or redirects to a page that does); soft, so the database
    // checks below still run and report what happened.
    let ok = await fetch(link, form({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD, confirm: ADMIN_PASSWORD }))
    if (ok.status >= 300 && ok.status < 400 && ok.headers.get('location'))
      ok = await fetch(new URL(ok.headers.get('location')!, link))
    expect.soft(ok.status, 'status of the successful set-up POST').toBe(200)
    expect.soft(await ok.text()).toContain('Đã tạo tài khoản quản trị.')

    const check = serverDatabase()
    try {
      const users = await check
        .selectFrom('user')
        .select(['email', 'role', 'password_hash', 'agency_id', 'active'])
        .execute()
      expect(users).toHaveLength(1)
      expect(users[0]).toMatchObject({ email: ADMIN_EMAIL, role: 'admin', agency_id: null, active: 1 })
      expect(users[0]!.password_hash).toMatch(/^scrypt\$/)
      expect(users[0]!.password_hash).not.toContain(ADMIN_PASSWORD)
      const tokens = await check.selectFrom('setup_token').select('used_at').execute()
      expect(tokens).toHaveLength(1)
      expect(tokens[0]!.used_at).not.toBeNull()
    } finally {
      await check.destroy()
    }

    expect((await fetch(link)).status).toBe(410)
    const replay = await fetch(
      link,
      form({ email: 'other@anlac.example.vn', password: ADMIN_PASSWORD, confirm: ADMIN_PASSWORD }),
    )
    expect(replay.status).toBe(410)
    expect(server.output()).not.toContain(ADMIN_PASSWORD)
  })

  it('an unknown setup token → 410', async () => {
    expect((await fetch(`${server.url}/setup/not-a-real-token`)).status).toBe(410)
  })

  it("the 410 page for a dead setup link says why, in the visitor's language", async () => {
    const vi = await fetch(`${server.url}/setup/not-a-real-token`)
    expect(vi.status).toBe(410)
    expect(await vi.text()).toContain('Liên kết thiết lập không hợp lệ, đã hết hạn hoặc đã được sử dụng.')
    const en = await fetch(`${server.url}/setup/not-a-real-token?lng=en`)
    expect(await en.text()).toContain('This set-up link is not valid, has expired or was used already.')
  })

  it('GET /no-such-page → 404', async () => {
    const res = await fetch(`${server.url}/no-such-page`)
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toMatch(/text\/html/)
    expect(await res.text()).toMatch(/<html lang="vi"/)
  })

  it('the 404 page shows the translated "not found" message, not the router\'s internal error', async () => {
    const vi = await (await fetch(`${server.url}/no-such-page`)).text()
    const visible = vi.replace(/<script[\s\S]*?<\/script>/g, '')
    expect(visible).toContain('Không tìm thấy trang này.')
    expect(visible).not.toContain('No route matches URL')
    const en = (await (await fetch(`${server.url}/no-such-page?lng=en`)).text()).replace(
      /<script[\s\S]*?<\/script>/g,
      '',
    )
    expect(en).toContain('This page does not exist.')
  })

  it('sends security headers on pages, errors and the health check', async () => {
    for (const p of ['/', '/no-such-page', '/healthz']) {
      const res = await fetch(`${server.url}${p}`)
      await res.arrayBuffer()
      const csp = res.headers.get('content-security-policy')
      expect(csp, p).toContain("default-src 'self'")
      expect(csp, p).toContain("object-src 'none'")
      expect(csp, p).toContain("frame-ancestors 'self'")
      expect(res.headers.get('x-content-type-options'), p).toBe('nosniff')
      expect(res.headers.get('x-powered-by'), p).toBeNull()
    }
  })

  it("the JSON submit endpoint (served without Remix routing) stores a response once and answers errors in the citizen's language", async () => {
    const db = serverDatabase()
    try {
      const link = await db
        .selectFrom('survey_link')
        .select(['code', 'questionnaire_id'])
        .where('active', '=', 1)
        .orderBy('id')
        .executeTakeFirstOrThrow()
      const version = await db
        .selectFrom('questionnaire_version')
        .select('id')
        .where('questionnaire_id', '=', link.questionnaire_id)
        .where('status', '=', 'published')
        .orderBy('version_number', 'desc')
        .executeTakeFirstOrThrow()
      const criteria = await db
        .selectFrom('questionnaire_item')
        .select('code')
        .where('version_id', '=', version.id)
        .where('role', '=', 'criterion')
        .execute()
      const sid = crypto.randomUUID()
      const fields = {
        _sid: sid,
        _version: String(version.id),
        _website: '',
        ...Object.fromEntries(criteria.map((c) => [`q:${c.code.replaceAll('.', ':')}`, '4'])),
      }
      const submit = (body: Record<string, string>, headers: Record<string, string> = {}) =>
        fetch(`${server.url}/s/${link.code}/submit`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
          body: new URLSearchParams(body).toString(),
        })

      const first = await submit(fields)
      expect(first.status).toBe(200)
      // No site may frame the survey unless SURVEY_FRAME_ORIGINS names it (security-headers.test.ts).
      expect(first.headers.get('content-security-policy')).toContain("frame-ancestors 'self'")
      expect(await first.json()).toEqual({
        ok: true,
        redirectTo: expect.stringMatching(
          new RegExp(`^/s/${link.code}/thanks\\?ref=[2-9A-KMNP-Z]{4}-[2-9A-KMNP-Z]{4}$`),
        ),
        duplicate: false,
      })
      const retry = await submit(fields)
      expect(await retry.json()).toMatchObject({ ok: true, duplicate: true })
      expect(
        await db.selectFrom('response').select('id').where('client_submission_id', '=', sid).execute(),
      ).toHaveLength(1)

      const missing = await submit({ ...fields, _sid: '' })
      expect(missing.status).toBe(400)
      expect(await missing.json()).toMatchObject({
        ok: false,
        message: 'Đã xảy ra lỗi kỹ thuật, vui lòng tải lại trang.',
      })
      const english = await submit(
        { ...fields, _sid: crypto.randomUUID(), 'q:E1:1': '9' },
        { 'Accept-Language': 'en-US' },
      )
      expect(english.status).toBe(400)
      expect(await english.json()).toMatchObject({ ok: false, message: 'This answer is not valid.' })
      const unknown = await fetch(`${server.url}/s/no-such-link/submit`, {
        method: 'POST',
        body: new URLSearchParams(fields),
      })
      expect(unknown.status).toBe(404)
      expect(await unknown.json()).toMatchObject({
        ok: false,
        message: 'Không tìm thấy phiếu khảo sát này. Mã QR có thể đã hết hiệu lực.',
      })

      // Too long, declared or streamed without a length (2 MB, chunked): the translated 413, nothing
      // stored, and the server answers the next request as usual.
      const responses = async () =>
        Number(
          (
            await db
              .selectFrom('response')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        )
      const stored = await responses()
      const long = await submit({ ...fields, _sid: crypto.randomUUID(), padding: 'a'.repeat(70 * 1024) })
      expect(long.status).toBe(413)
      expect(await long.json()).toMatchObject({ ok: false, message: expect.stringMatching(/quá dài/) })
      const chunks = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(
            new TextEncoder().encode(new URLSearchParams({ ...fields, _sid: crypto.randomUUID() }).toString()),
          )
          for (let k = 0; k < 32; k++)
            controller.enqueue(new TextEncoder().encode(`&padding${k}=${'b'.repeat(64 * 1024)}`))
          controller.close()
        },
      })
      const streamed = await fetch(`${server.url}/s/${link.code}/submit`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: chunks,
        duplex: 'half',
      } as RequestInit)
      expect(streamed.status).toBe(413)
      expect(await streamed.json()).toMatchObject({ ok: false })
      expect(await responses()).toBe(stored)
      expect((await submit({ ...fields, _sid: crypto.randomUUID() })).status).toBe(200)

      // Each submission is in the request log like any other request: method, path, status, time; no
      // address, query string or body. Its tiny JSON answer is not passed through compression.
      const lines = server
        .output()
        .split('\n')
        .filter((l) => l.includes('"event":"request"'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
      const logged = lines.filter((l) => l.path === `/s/${link.code}/submit`)
      expect(logged.map((l) => l.status)).toEqual(expect.arrayContaining([200, 400, 413]))
      for (const line of logged)
        expect(Object.keys(line).sort()).toEqual(['event', 'method', 'ms', 'path', 'status', 'time'])
      const gzipAsked = await fetch(`${server.url}/s/${link.code}/submit`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Accept-Encoding': 'gzip' },
        body: new URLSearchParams({ ...fields, _sid: crypto.randomUUID() }).toString(),
      })
      expect(gzipAsked.headers.get('content-encoding')).toBeNull()
      expect(await gzipAsked.json()).toMatchObject({ ok: true })
      // Pages are compressed (fetch asks for gzip and undoes it; the header tells).
      const page = await fetch(`${server.url}/s/${link.code}`, { headers: { 'Accept-Encoding': 'gzip' } })
      expect(page.headers.get('content-encoding')).toBe('gzip')
      expect(await page.text()).toContain('<html')
    } finally {
      await db.destroy()
    }
  })

  it('the no-JavaScript form post (served without Remix routing) answers 303, and Remix renders every other outcome once', async () => {
    const db = serverDatabase()
    try {
      const link = await db
        .selectFrom('survey_link')
        .select('code')
        .where('active', '=', 1)
        .orderBy('id')
        .executeTakeFirstOrThrow()
      // The page's own hidden fields (submission id, version, token), as a browser without JavaScript sends them.
      const pageFields = async (): Promise<Record<string, string>> => {
        const html = await (await fetch(`${server.url}/s/${link.code}`)).text()
        const hidden = [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)]
        return Object.fromEntries(hidden.map((m) => [m[1]!, m[2]!.replaceAll('&amp;', '&')]))
      }
      const criteria = await db
        .selectFrom('questionnaire_item as i')
        .innerJoin('questionnaire_version as v', 'v.id', 'i.version_id')
        .select('i.code')
        .where('v.id', '=', Number((await pageFields())._version))
        .where('i.role', '=', 'criterion')
        .execute()
      const answers = Object.fromEntries(criteria.map((c) => [`q:${c.code.replaceAll('.', ':')}`, '4']))
      const stored = async (sid: string) =>
        (await db.selectFrom('response').select('id').where('client_submission_id', '=', sid).execute()).length

      const fields: Record<string, string> = { ...(await pageFields()), _website: '', ...answers }
      const posted = await fetch(`${server.url}/s/${link.code}`, form(fields))
      expect(posted.status).toBe(303)
      expect(posted.headers.get('location')).toMatch(
        new RegExp(`^/s/${link.code}/thanks\\?ref=[2-9A-KMNP-Z]{4}-[2-9A-KMNP-Z]{4}$`),
      )
      expect(posted.headers.get('content-security-policy')).toContain("frame-ancestors 'self'")
      expect(await stored(fields._sid!)).toBe(1)
      // The retry of the same page (a double tap) is the same 303, still one response.
      expect((await fetch(`${server.url}/s/${link.code}?kiosk=0`, form(fields))).status).toBe(303)
      expect(await stored(fields._sid!)).toBe(1)

      // An answer out of range: the page again, rendered by Remix from the action's one outcome, with the
      // citizen's answers kept and the error summary in Vietnamese; nothing stored.
      const invalid: Record<string, string> = { ...(await pageFields()), _website: '', ...answers, 'q:E1:1': '9' }
      const again = await fetch(`${server.url}/s/${link.code}`, form(invalid))
      expect(again.status).toBe(400)
      const html = await again.text()
      expect(html).toContain('<html')
      expect(html).toContain('Câu trả lời không hợp lệ.')
      expect(await stored(invalid._sid!)).toBe(0)
      // An unknown link: the translated error page Remix renders from the action's thrown answer.
      const unknown = await fetch(`${server.url}/s/no-such-link`, form(fields))
      expect(unknown.status).toBe(404)
      expect(await unknown.text()).toContain('Không tìm thấy phiếu khảo sát này.')
      // Remix's own data requests are left to Remix: a `_data` query is answered as Remix data, not a page.
      const dataRequest = await fetch(`${server.url}/s/${link.code}?_data=routes%2Fs.%24code`, form(invalid))
      expect(dataRequest.headers.get('content-type') ?? '').not.toContain('text/html')
      expect(await stored(invalid._sid!)).toBe(0)
    } finally {
      await db.destroy()
    }
  })
})

describe('npm start and npm run serve', () => {
  it('start the server with the same Node flags as the tests and benchmarks do', () => {
    const scripts = (
      JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts
    for (const name of ['start', 'serve'])
      expect(scripts[name], name).toContain(`node ${SERVER_NODE_FLAGS.join(' ')} scripts/start.mjs`)
  })
})
