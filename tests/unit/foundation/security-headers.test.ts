// The security-header middleware (scripts/server/security-headers.ts) in the settings the integration
// test's server does not run with: HTTPS, no framing sites, and the development server.
import type { AddressInfo } from 'node:net'
import express from 'express'
import { describe, expect, it } from 'vitest'
import { freshNonce, securityHeaders } from '../../../scripts/server/security-headers.ts'

async function headersOf(options: Parameters<typeof securityHeaders>[0], path = '/') {
  const app = express()
  app.use(securityHeaders(options))
  app.use((_req, res) => {
    res.send('ok')
  })
  const server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`)
    await res.text()
    return res.headers
  } finally {
    server.close()
  }
}

const production = { publicUrl: 'https://hailong.anlac.gov.vn', surveyFrameOrigins: [], dev: false }

describe('securityHeaders', () => {
  it('sends HSTS when PUBLIC_URL is https, without includeSubDomains (other services share the domain)', async () => {
    const headers = await headersOf(production)
    expect(headers.get('strict-transport-security')).toBe('max-age=63072000')
    expect(
      (await headersOf({ ...production, publicUrl: 'http://localhost:3000' })).get('strict-transport-security'),
    ).toBeNull()
  })

  it('without SURVEY_FRAME_ORIGINS, the survey is framable by this site alone', async () => {
    const headers = await headersOf(production, '/s/abc123')
    expect(headers.get('content-security-policy')).toContain("frame-ancestors 'self'")
    expect(headers.get('x-frame-options')).toBe('SAMEORIGIN')
  })

  it("allows Vite's HMR socket only on the development server", async () => {
    const connect = (csp: string | null) => csp?.split('; ').find((d) => d.startsWith('connect-src'))
    expect(connect((await headersOf(production)).get('content-security-policy'))).toBe("connect-src 'self'")
    expect(connect((await headersOf({ ...production, dev: true })).get('content-security-policy'))).toBe(
      "connect-src 'self' ws: wss:",
    )
  })

  it("never allows inline scripts without the response's nonce", async () => {
    const csp = (await headersOf({ ...production, dev: true })).get('content-security-policy')!
    const scriptSrc = csp.split('; ').find((d) => d.startsWith('script-src'))!
    expect(scriptSrc).toMatch(/^script-src 'self' 'nonce-[A-Za-z0-9+/]{22}=='$/)
  })
})

describe('freshNonce', () => {
  it('gives 16 random bytes each time, never the same twice, across many blocks of the pool', () => {
    const nonces = Array.from({ length: 2_000 }, freshNonce)
    expect(new Set(nonces).size).toBe(nonces.length)
    for (const nonce of nonces) expect(Buffer.from(nonce, 'base64')).toHaveLength(16)
  })
})
