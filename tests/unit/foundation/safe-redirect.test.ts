/** safeRedirectPath (app/domain/safe-redirect.ts): same-site paths pass, everything else falls back. */
import { describe, expect, it } from 'vitest'
import { safeRedirectPath } from '#app/domain/safe-redirect.ts'

const FALLBACK = '/analytics'

describe('safeRedirectPath', () => {
  it.each([
    ['/admin', '/admin'],
    ['/analytics/agency/SNV?period=2026-Q1', '/analytics/agency/SNV?period=2026-Q1'],
    ['/analytics#scores', '/analytics#scores'],
    ['/a/../admin/users', '/admin/users'],
    ['/ket-qua?q=%C4%91%E1%BA%A5t', '/ket-qua?q=%C4%91%E1%BA%A5t'],
  ])('keeps the same-site path %j', (target, expected) => {
    expect(safeRedirectPath(target, FALLBACK)).toBe(expected)
  })

  it.each([
    ['the finding: a tab between slashes', '/\t/evil.example/x'],
    ['a newline between slashes', '/\n/evil.example'],
    ['a carriage return', '/%0d%0aSet-Cookie:x=1'],
    ['a protocol-relative URL', '//evil.example'],
    ['a backslash', '/\\evil.example'],
    ['an encoded backslash', '/%5Cevil.example'],
    ['an encoded tab', '/%09/evil.example'],
    ['an encoded second slash', '/%2Fevil.example'],
    ['an absolute URL', 'https://evil.example/'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a relative path', 'admin'],
    ['an empty string', ''],
    ['malformed percent-encoding', '/%E0%A4%A'],
    ['a NUL byte', '/admin\u0000'],
  ])('falls back on %s', (_, target) => {
    expect(safeRedirectPath(target, FALLBACK)).toBe(FALLBACK)
  })

  it.each([[null], [undefined], [42], [{ toString: () => '/admin' }]])('falls back on a non-string %j', (target) => {
    expect(safeRedirectPath(target, FALLBACK)).toBe(FALLBACK)
  })
})
