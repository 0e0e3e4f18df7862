// The fast path's request (scripts/server/fetch-bridge.ts): what a submit action reads, and a loud
// error for anything it does not provide.
import { Readable } from 'node:stream'
import type express from 'express'
import { describe, expect, it } from 'vitest'
import { submitRequest } from '../../../scripts/server/fetch-bridge.ts'

function incoming(chunks: string[], headers: Record<string, string | string[]> = {}) {
  return Object.assign(Readable.from(chunks.map((c) => Buffer.from(c))), {
    headers,
    originalUrl: '/s/ABC/submit?lng=en',
    method: 'POST',
  }) as unknown as express.Request
}

describe('submitRequest', () => {
  it('gives the URL, method, headers and body text', async () => {
    const request = await submitRequest(
      incoming(['a=1&', 'b=ư'], { 'content-type': 'application/x-www-form-urlencoded', cookie: ['x=1', 'y=2'] }),
      1024,
    )
    expect(new URL(request.url).pathname).toBe('/s/ABC/submit')
    expect(new URL(request.url).searchParams.get('lng')).toBe('en')
    expect(request.method).toBe('POST')
    expect(request.headers.get('Content-Type')).toBe('application/x-www-form-urlencoded')
    expect(request.headers.get('cookie')).toBe('x=1; y=2') // Headers joins cookies as a browser sends them
    expect(await request.text()).toBe('a=1&b=ư')
  })

  it('keeps one byte more than the limit of a longer body, so the action can refuse it', async () => {
    const request = await submitRequest(incoming(['x'.repeat(600), 'y'.repeat(600), 'z'.repeat(600)]), 1000)
    expect(await request.text()).toBe('x'.repeat(600) + 'y'.repeat(401))
  })

  it('throws, naming the property, when anything else is read', async () => {
    const request = await submitRequest(incoming([]), 10)
    expect(() => request.formData).toThrow(/has no "formData"/)
    expect(() => request.signal).toThrow(/has no "signal"/)
    // Awaiting it or inspecting it is not an error.
    expect((request as unknown as { then?: unknown }).then).toBeUndefined()
  })
})
