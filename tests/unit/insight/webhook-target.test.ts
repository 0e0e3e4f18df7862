/** Where the digest webhook may point: http(s) only, no credentials, no private addresses unless allowed. */
import { describe, expect, it } from 'vitest'
import { checkWebhookUrl, isPrivateAddress } from '#app/domain/insight/webhook-target.ts'

describe('checkWebhookUrl', () => {
  it('accepts public http(s) URLs', () => {
    expect(checkWebhookUrl(' https://hook.example.vn/hai-long?x=1 ', false)).toEqual({
      ok: true,
      url: 'https://hook.example.vn/hai-long?x=1',
    })
    expect(checkWebhookUrl('http://203.0.113.9:8080/x', false).ok).toBe(true)
  })

  it('refuses other schemes, credentials and text that is no URL', () => {
    expect(checkWebhookUrl('ftp://hook.example.vn/', false)).toEqual({ ok: false, error: 'badScheme' })
    expect(checkWebhookUrl('file:///etc/passwd', true)).toEqual({ ok: false, error: 'badScheme' })
    expect(checkWebhookUrl('javascript:alert(1)', true)).toEqual({ ok: false, error: 'badScheme' })
    expect(checkWebhookUrl('https://u:p@hook.example.vn/', false)).toEqual({ ok: false, error: 'credentials' })
    expect(checkWebhookUrl('hook.example.vn', false)).toEqual({ ok: false, error: 'badUrl' })
  })

  it('refuses loopback and private targets unless allowed', () => {
    for (const url of [
      'http://localhost:3000/',
      'http://127.0.0.1/',
      'http://10.1.2.3/',
      'http://192.168.1.1/',
      'http://172.20.0.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]/',
      'http://[fd00::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://0.0.0.0/',
    ]) {
      expect(checkWebhookUrl(url, false), url).toEqual({ ok: false, error: 'privateAddress' })
      expect(checkWebhookUrl(url, true).ok, url).toBe(true)
    }
  })
})

describe('isPrivateAddress', () => {
  it('knows the private, loopback, link-local, shared and reserved ranges of both families', () => {
    for (const ip of [
      '127.5.5.5',
      '10.0.0.1',
      '100.64.0.1',
      '172.31.255.255',
      '192.168.0.1',
      '224.0.0.1',
      'fe80::1',
      'fc00::1',
      '::',
      '::1',
      '::ffff:10.0.0.1',
      '64:ff9b::7f00:1',
    ])
      expect(isPrivateAddress(ip), ip).toBe(true)
    for (const ip of [
      '8.8.8.8',
      '172.32.0.1',
      '100.128.0.1',
      '2001:db8::1',
      '2404:6800::1',
      '::ffff:8.8.8.8',
      'hook.example.vn',
    ])
      expect(isPrivateAddress(ip), ip).toBe(false)
  })
})
