/** Password hashes (app/.server/auth/password.ts): today's OWASP parameters, yesterday's hashes still verify. */
import crypto from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  hashPassword,
  needsRehash,
  SCRYPT,
  scryptParameters,
  UNKNOWN_ACCOUNT_HASH,
  verifyPassword,
} from '#app/.server/auth/password.ts'

/** A hash with weaker parameters than today's, as the first release stored them (N=2^14 then). */
function oldHash(password: string): string {
  const N = SCRYPT.N / 2
  const salt = crypto.randomBytes(16)
  const key = crypto.scryptSync(password, salt, 32, { N, r: 8, p: 1 })
  return `scrypt$${N}$8$1$${salt.toString('base64')}$${key.toString('base64')}`
}

describe('scrypt parameters', () => {
  it('are OWASP’s (N=2^17, r=8, p=1) wherever NODE_ENV is not `test`', () => {
    const owasp = { N: 131072, r: 8, p: 1 }
    expect(scryptParameters({})).toEqual(owasp)
    expect(scryptParameters({ NODE_ENV: 'production', HAILONG_TEST_SCRYPT_N: '1024' })).toEqual(owasp)
    expect(scryptParameters({ HAILONG_TEST_SCRYPT_N: '1024' })).toEqual(owasp)
    expect(scryptParameters({ NODE_ENV: 'test' })).toEqual(owasp)
  })

  it('are lowered for the test suite only to a power of two from 2^10', () => {
    expect(scryptParameters({ NODE_ENV: 'test', HAILONG_TEST_SCRYPT_N: '1024' })).toEqual({ N: 1024, r: 8, p: 1 })
    for (const n of ['512', '1000', '-1024', '1e3', 'abc', '262144']) {
      expect(scryptParameters({ NODE_ENV: 'test', HAILONG_TEST_SCRYPT_N: n }).N).toBe(131072)
    }
  })

  it('of the suite are those vitest.config.ts names (2^10)', () => {
    expect(SCRYPT).toEqual({ N: 1024, r: 8, p: 1 })
  })
})

describe('password hashes', () => {
  it('new hashes carry today’s parameters and verify only the right password', async () => {
    const hash = await hashPassword('Mây-trắng bay 2026')
    expect(hash.startsWith(`scrypt$${SCRYPT.N}$8$1$`)).toBe(true)
    expect(await verifyPassword('Mây-trắng bay 2026', hash)).toBe(true)
    expect(await verifyPassword('Mây-trắng bay 2027', hash)).toBe(false)
    expect(needsRehash(hash)).toBe(false)
  })

  it('a hash with the old parameters still verifies and asks to be re-hashed', async () => {
    const hash = oldHash('đúng-mật-khẩu-2026')
    expect(await verifyPassword('đúng-mật-khẩu-2026', hash)).toBe(true)
    expect(needsRehash(hash)).toBe(true)
  })

  it.each([
    ['not a hash', 'plain text'],
    ['an unknown scheme', 'bcrypt$10$abc$def'],
    ['N not a power of two', 'scrypt$100000$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='],
    [
      'N beyond what we ever stored (memory)',
      'scrypt$1073741824$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAA==',
    ],
    ['r beyond what we ever stored', 'scrypt$16384$64$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAA=='],
  ])('%s verifies nothing and does not throw', async (_name, stored) => {
    expect(await verifyPassword('anything at all', stored)).toBe(false)
  })

  it('unknown accounts are checked against a hash with today’s parameters (same cost, no timing oracle)', async () => {
    expect(UNKNOWN_ACCOUNT_HASH.startsWith(`scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$`)).toBe(true)
    expect(needsRehash(UNKNOWN_ACCOUNT_HASH)).toBe(false)
    expect(await verifyPassword('', UNKNOWN_ACCOUNT_HASH)).toBe(false)
  })
})
