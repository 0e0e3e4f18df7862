/**
 * The webhook's connection-time guard: the lookup the HTTP request uses refuses a name that resolves to a
 * private address (any of its addresses), so a public-looking name cannot reach inside. The resolver is a
 * fake here: which names resolve where differs between machines.
 */
import type dns from 'node:dns'
import { describe, expect, it } from 'vitest'
import { guardedLookup } from '#app/.server/services/digest-webhook.ts'
import { checkWebhookUrl } from '#app/domain/insight/webhook-target.ts'

const DNS: Record<string, dns.LookupAddress[]> = {
  'hook.example.vn': [{ address: '203.0.113.9', family: 4 }],
  'inside.example.vn': [{ address: '10.0.0.5', family: 4 }],
  'mixed.example.vn': [
    { address: '203.0.113.9', family: 4 },
    { address: '::1', family: 6 },
  ],
}
const fake = (hostname: string, _o: unknown, cb: (e: NodeJS.ErrnoException | null, a: dns.LookupAddress[]) => void) =>
  DNS[hostname] ? cb(null, DNS[hostname]) : cb(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }), [])

function lookup(allowPrivate: boolean, hostname: string, all = false) {
  return new Promise<{ error: string | null; address: unknown }>((resolve) =>
    guardedLookup(allowPrivate, fake)(hostname, { all } as never, (error, address) =>
      resolve({ error: (error as NodeJS.ErrnoException | null)?.code ?? null, address }),
    ),
  )
}

describe('guardedLookup', () => {
  it('passes public addresses, in both callback forms', async () => {
    expect(await lookup(false, 'hook.example.vn')).toEqual({ error: null, address: '203.0.113.9' })
    expect(await lookup(false, 'hook.example.vn', true)).toEqual({ error: null, address: DNS['hook.example.vn'] })
  })

  it('refuses a name with any private address unless private targets are allowed', async () => {
    expect((await lookup(false, 'inside.example.vn')).error).toBe('EPRIVATE')
    expect((await lookup(false, 'mixed.example.vn')).error).toBe('EPRIVATE')
    expect(await lookup(true, 'inside.example.vn')).toEqual({ error: null, address: '10.0.0.5' })
  })

  it('passes resolution errors on', async () => {
    expect((await lookup(false, 'nowhere.example.vn')).error).toBe('ENOTFOUND')
  })
})

describe('localhost spelled as a fully qualified name', () => {
  it('is refused like localhost', () => {
    expect(checkWebhookUrl('http://localhost./x', false)).toEqual({ ok: false, error: 'privateAddress' })
    expect(checkWebhookUrl('http://LOCALHOST/x', false)).toEqual({ ok: false, error: 'privateAddress' })
  })
})
