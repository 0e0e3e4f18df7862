// The path the server's guards judge (app/.server/http/request-path.ts): the one the router serves.
import { describe, expect, it } from 'vitest'
import { isApiPath, isCredentialPage, loggedPath, routedPath, surveyPage } from '#app/.server/http/request-path.ts'

describe('routedPath', () => {
  it.each([
    ['/s/abc', '/s/abc'],
    ['/s/../admin/tokens', '/admin/tokens'],
    ['/s/%2e%2e/admin/tokens', '/admin/tokens'],
    ['/s/%2E%2E/admin/tokens?x=1', '/admin/tokens'],
    ['/s/abc/./thanks', '/s/abc/thanks'],
    ['/s\\..\\admin', '/admin'],
    ['//evil.example/x', '//evil.example/x'],
  ])('%s → %s', (target, path) => {
    expect(routedPath(target)).toBe(path)
  })

  it('refuses a target that is not a path (absolute form, asterisk)', () => {
    expect(routedPath('http://evil.example/s/abc')).toBeNull()
    expect(routedPath('*')).toBeNull()
  })
})

describe('surveyPage', () => {
  it.each([
    ['/s/abc123', 'form'],
    ['/r/Ab-9_x', 'form'],
    ['/s/abc/thanks', 'thanks'],
    ['/s/abc/submit', 'submit'],
    ['/r/abc/submit', 'submit'],
    ['/s/abc.data', 'form'],
  ])('%s is a survey page (%s)', (path, kind) => {
    expect(surveyPage(path)).toBe(kind)
  })

  it.each(['/admin/tokens', '/s', '/s/', '/s/abc/qr.svg', '/s/abc/thanks/x', '/s/a%2e/thanks', '/x/abc', '/'])(
    '%s is not',
    (path) => {
      expect(surveyPage(path)).toBeNull()
    },
  )
})

describe('isCredentialPage', () => {
  it.each(['/login', '/login.data', '/logout', '/setup/abc', '/account/password', '/%6Cogin'])(
    '%s takes credentials',
    (path) => {
      expect(isCredentialPage(path)).toBe(true)
    },
  )
  it.each(['/', '/admin', '/setup', '/account', '/login/x', '/account/password/x'])('%s does not', (path) => {
    expect(isCredentialPage(path)).toBe(false)
  })
})

describe('isApiPath', () => {
  it('is the /api tree', () => {
    expect(isApiPath('/api/v1/invitations')).toBe(true)
    expect(isApiPath('/apis')).toBe(false)
  })
})

describe('loggedPath', () => {
  it.each([
    ['/r/Xy7Kq2mNp4', '/r/…'],
    ['/r/Xy7Kq2mNp4/submit', '/r/…/submit'],
    ['/r/Xy7Kq2mNp4/thanks', '/r/…/thanks'],
    ['/%72/Xy7Kq2mNp4', '/%72/…'],
    ['/setup/7Jz4Sa5bPiVrG0XA_g__JpZgaiZqQp6mGVWF4O-clOk', '/setup/…'],
    ['/s/6vd7hxfq5z/submit', '/s/6vd7hxfq5z/submit'],
    ['/analytics', '/analytics'],
    ['/r', '/r'],
  ])('%s → %s', (path, logged) => {
    expect(loggedPath(path)).toBe(logged)
  })
})
