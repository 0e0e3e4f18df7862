// The fast path's request (scripts/server/fetch-bridge.ts): what a submit action reads, and a loud
// error for anything it does not provide. The body is the one the request gate read.
import type express from 'express'
import { describe, expect, it } from 'vitest'
import { submitRequest } from '../../../scripts/server/fetch-bridge.ts'

function incoming(headers: Record<string, string | string[]> = {}) {
  return { headers, originalUrl: '/s/ABC/submit?lng=en', method: 'POST' } as unknown as express.Request
}

describe('submitRequest', () => {
  it('gives the URL, method, headers and body text', async () => {
    const request = submitRequest(
      incoming({ 'content-type': 'application/x-www-form-urlencoded', cookie: ['x=1', 'y=2'] }),
      Buffer.from('a=1&b=ư'),
    )
    expect(new URL(request.url).pathname).toBe('/s/ABC/submit')
    expect(new URL(request.url).searchParams.get('lng')).toBe('en')
    expect(request.method).toBe('POST')
    expect(request.headers.get('Content-Type')).toBe('application/x-www-form-urlencoded')
    expect(request.headers.get('cookie')).toBe('x=1; y=2') // Headers joins cookies as a browser sends them
    expect(await request.text()).toBe('a=1&b=ư')
  })

  it('throws, naming the property, when anything else is read', async () => {
    const request = submitRequest(incoming(), Buffer.alloc(0))
    expect(() => request.formData).toThrow(/has no "formData"/)
    expect(() => request.signal).toThrow(/has no "signal"/)
    // Awaiting it or inspecting it is not an error.
    expect((request as unknown as { then?: unknown }).then).toBeUndefined()
  })
})
