// Signed form tokens (app/.server/anti-rigging/form-token.ts): what a token proves, and the nonce it spends.
import { describe, expect, it } from 'vitest'
import { checkFormToken, issueFormToken, orderedNonce, tokenEntry } from '#app/.server/anti-rigging/form-token.ts'

const SECRET = 'form-token-test-secret-'.padEnd(40, 'x')
const ENTRY = tokenEntry('s', 'ABC123')
const issued = (claims: Partial<Parameters<typeof issueFormToken>[1]> = {}) =>
  issueFormToken(SECRET, { entry: ENTRY, networkHash: 'net', overCap: false, ...claims })

describe('checkFormToken', () => {
  it('accepts a token of this entry with its claims', () => {
    const check = checkFormToken(SECRET, issued({ overCap: true, kiosk: true }), ENTRY, 3600)
    expect(check).toMatchObject({ ok: true, claims: { entry: ENTRY, networkHash: 'net', overCap: true, kiosk: true } })
  })

  it('refuses a missing, altered, foreign-secret or other-entry token as forged or missing', () => {
    const token = issued()
    expect(checkFormToken(SECRET, '', ENTRY, 3600)).toEqual({ ok: false, reason: 'missing token' })
    const parts = token.split('.')
    parts[4] = 'other-net'
    expect(checkFormToken(SECRET, parts.join('.'), ENTRY, 3600)).toEqual({ ok: false, reason: 'forged token' })
    expect(checkFormToken(`${SECRET}!`, token, ENTRY, 3600)).toEqual({ ok: false, reason: 'forged token' })
    expect(checkFormToken(SECRET, token, tokenEntry('s', 'OTHER'), 3600)).toEqual({ ok: false, reason: 'forged token' })
    expect(checkFormToken(SECRET, `${token}.x`, ENTRY, 3600)).toEqual({ ok: false, reason: 'forged token' })
  })

  it('refuses an expired token, and one issued in the future beyond the tolerated skew', () => {
    const now = Date.now()
    const old = issued({ issuedAt: Math.floor(now / 1000) - 3601 })
    expect(checkFormToken(SECRET, old, ENTRY, 3600, now)).toEqual({ ok: false, reason: 'expired token' })
    const future = issued({ issuedAt: Math.floor(now / 1000) + 120 })
    expect(checkFormToken(SECRET, future, ENTRY, 3600, now)).toEqual({ ok: false, reason: 'forged token' })
    const skewed = issued({ issuedAt: Math.floor(now / 1000) + 30 })
    expect(checkFormToken(SECRET, skewed, ENTRY, 3600, now).ok).toBe(true)
  })
})

describe('orderedNonce', () => {
  it('sorts by the time it was made, so spent nonces are inserted side by side', () => {
    const times = [1_764_460_800_000, 1_764_460_800_001, 1_764_460_860_000, 1_800_000_000_000, 2_800_000_000_000]
    const nonces = times.map((t) => orderedNonce(t))
    expect([...nonces].sort()).toEqual(nonces)
  })

  it('is never the same twice in the same millisecond, and is safe inside a dotted token', () => {
    const nonces = Array.from({ length: 5_000 }, () => orderedNonce(1_764_460_800_000))
    expect(new Set(nonces).size).toBe(nonces.length)
    for (const nonce of nonces) expect(nonce).toMatch(/^[0-9a-z]{9}[A-Za-z0-9_-]{12}$/)
  })

  it('is what an issued token carries', () => {
    const before = orderedNonce(Date.now() - 1)
    const check = checkFormToken(SECRET, issued(), ENTRY, 3600)
    expect(check.ok && check.claims.nonce > before).toBe(true)
  })
})
