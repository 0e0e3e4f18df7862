/**
 * `npm run dev` (scripts/dev.mjs): the production express app with Vite in middleware mode, started as a
 * child process on its own SQLite file. It migrates and seeds like `npm start` and hands loaders the
 * same load context, so the pages answer 200 instead of the 500 that `remix vite:dev` gave them.
 */
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningServer, startServer } from '#scripts/support/server-process.ts'

describe('development server', () => {
  let server: RunningServer

  beforeAll(async () => {
    server = await startServer({}, { dev: true })
  })
  afterAll(async () => {
    if (!server) return
    // Vite's own SIGTERM handler would exit at once with 143; the server's stops in order and exits 0.
    expect(await server.stop()).toBe(0)
    fs.rmSync(server.dir, { recursive: true, force: true })
  })

  it('GET / → 200, the seeded demo province, under the production security headers', async () => {
    const res = await fetch(`${server.url}/`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'")
    const html = await res.text()
    expect(html).toContain('Tỉnh An Lạc (mẫu)')
    // Served by Vite: the page loads its modules from source, not from a build's hashed assets.
    expect(html).toContain('import("/app/entry.client.tsx")')
    // Vite's inline scripts carry the response's nonce as the built ones do; only its HMR socket is extra.
    const csp = res.headers.get('content-security-policy')!
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1]
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/)
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toContain(`nonce="${nonce}"`)
    expect(csp).toContain("connect-src 'self' ws: wss:")
  })

  it('GET /login → 200 with the sign-in form', async () => {
    const res = await fetch(`${server.url}/login`)
    expect(res.status).toBe(200)
    expect(await res.text()).toMatch(/<form method="post"/)
  })

  it('a survey link of the demo province → 200', async () => {
    const home = await (await fetch(`${server.url}/`)).text()
    const survey = /href="(\/s\/[a-z0-9]+)"/.exec(home)?.[1]
    expect(survey).toBeDefined()
    expect((await fetch(`${server.url}${survey}`)).status).toBe(200)
  })
})
