// How much body each request may send (app/.server/http/body-budget.ts), decided before reading it.
import { describe, expect, it } from 'vitest'
import { bodyBudget, countFormFields, isFormContentType } from '#app/.server/http/body-budget.ts'

const FORM = 'application/x-www-form-urlencoded'
const MULTIPART = 'multipart/form-data; boundary=----hl123'
const signedIn = async () => true
const anonymous = async () => false
const KiB = 1024

describe('bodyBudget', () => {
  it.each([
    ['POST', '/login', FORM, anonymous, 'credentials', 8 * KiB],
    ['POST', '/login.data', FORM, signedIn, 'credentials', 8 * KiB],
    ['POST', '/setup/abcdef', FORM, anonymous, 'credentials', 8 * KiB],
    ['POST', '/account/password', FORM, signedIn, 'credentials', 8 * KiB],
    ['POST', '/s/abc', FORM, anonymous, 'survey', 64 * KiB],
    ['POST', '/s/abc/submit', FORM, anonymous, 'survey', 64 * KiB],
    ['POST', '/r/abc/submit', MULTIPART, anonymous, 'survey', 64 * KiB],
    ['POST', '/api/v1/invitations', 'application/json', anonymous, 'api', 64 * KiB],
    ['POST', '/admin/import', MULTIPART, anonymous, 'anonymous', 8 * KiB],
    ['POST', '/admin/import', MULTIPART, signedIn, 'signed-in upload', 25 * 1024 * KiB],
    ['POST', '/analytics/population', FORM, signedIn, 'signed-in form', 1024 * KiB],
    ['POST', '/', FORM, anonymous, 'anonymous', 8 * KiB],
    ['GET', '/s/abc', '', anonymous, 'none', 0],
    ['HEAD', '/admin/import', '', signedIn, 'none', 0],
  ] as const)('%s %s (%s) → %s', async (method, path, type, who, kind, maxBytes) => {
    const budget = await bodyBudget(method, path, type, who)
    expect(budget.kind).toBe(kind)
    expect(budget.maxBytes).toBe(maxBytes)
  })

  it('asks about the session only for ordinary pages', async () => {
    let asked = 0
    const counting = async () => {
      asked++
      return false
    }
    for (const path of ['/login', '/s/abc', '/s/abc/submit', '/api/v1/invitations'])
      await bodyBudget('POST', path, FORM, counting)
    await bodyBudget('GET', '/admin', '', counting)
    expect(asked).toBe(0)
    await bodyBudget('POST', '/admin/users', FORM, counting)
    expect(asked).toBe(1)
  })
})

describe('countFormFields', () => {
  it('counts URL-encoded pairs', () => {
    expect(countFormFields(Buffer.from(''), FORM)).toBe(0)
    expect(countFormFields(Buffer.from('a=1'), FORM)).toBe(1)
    expect(countFormFields(Buffer.from('a=1&b=2&c='), FORM)).toBe(3)
    expect(countFormFields(Buffer.from('a=1&'.repeat(100_000)), FORM)).toBe(100_001)
  })

  it('counts multipart parts by their boundary, quoted or not', () => {
    const body = [
      '------hl123',
      'Content-Disposition: form-data; name="a"',
      '',
      '1',
      '------hl123',
      'Content-Disposition: form-data; name="b"',
      '',
      '2',
      '------hl123--',
      '',
    ].join('\r\n')
    expect(countFormFields(Buffer.from(body), MULTIPART)).toBe(2)
    expect(countFormFields(Buffer.from(body), 'multipart/form-data; boundary="----hl123"')).toBe(2)
  })

  it('is null for a multipart body without a boundary', () => {
    expect(countFormFields(Buffer.from('x'), 'multipart/form-data')).toBeNull()
  })
})

describe('isFormContentType', () => {
  it('accepts the two form encodings, with parameters and in any case', () => {
    expect(isFormContentType('application/x-www-form-urlencoded;charset=UTF-8')).toBe(true)
    expect(isFormContentType('Multipart/Form-Data; boundary=x')).toBe(true)
  })
  it.each(['text/plain', 'application/json', '', 'application/x-www-form-urlencodedx'])('refuses %j', (type) => {
    expect(isFormContentType(type)).toBe(false)
  })
})
