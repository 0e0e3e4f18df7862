/**
 * Signed form tokens: every survey page the server renders carries one, so a counted response comes from
 * a page we served. A token names its entry (kind and code), when it was issued, a random nonce (spent
 * once, see `form_token_use`), the client network it was issued to, and whether that network was already
 * over its cap when the page was fetched, and whether it was rendered for an enrolled kiosk tablet. The
 * HMAC uses the server secret; nothing is stored at issue.
 */
import crypto from 'node:crypto'

export interface FormTokenClaims {
  entry: string
  issuedAt: number
  nonce: string
  networkHash: string
  /** The page was fetched while its network was over the cap: the response will not be counted. */
  overCap: boolean
  /** Rendered for a kiosk tablet enrolled for the link: exempt from the caps if the device still is at submit. */
  kiosk: boolean
}

export type TokenCheck =
  | { ok: true; claims: FormTokenClaims }
  | { ok: false; reason: 'missing token' | 'forged token' | 'expired token' }

const VERSION = 't1'

function signature(secret: string, payload: string): string {
  return crypto.createHmac('sha256', secret).update(`form-token:${payload}`).digest('base64url')
}

/**
 * A nonce that sorts by the time it was made: the milliseconds in fixed-width base 36, then 9 random bytes.
 * Spent nonces are the key of `form_token_use`; purely random keys landed each insert of a group commit
 * on its own leaf page of that index, so a group of 64 submissions dirtied about 64 more pages on SQLite
 * and its commit wrote them all. Nonces made minutes apart now land side by side. The random part alone
 * (72 bits) keeps them unguessable and distinct; the time adds nothing a token does not already show.
 */
export function orderedNonce(now = Date.now()): string {
  return now.toString(36).padStart(9, '0') + crypto.randomBytes(9).toString('base64url')
}

/** The entry a token is bound to: a link (`s`) or an invitation (`r`) by its code. */
export const tokenEntry = (kind: string, code: string) => `${kind}/${code}`

export function issueFormToken(
  secret: string,
  claims: Omit<FormTokenClaims, 'nonce' | 'issuedAt' | 'kiosk'> & { issuedAt?: number; kiosk?: boolean },
): string {
  const issuedAt = claims.issuedAt ?? Math.floor(Date.now() / 1000)
  const nonce = orderedNonce()
  const payload = [
    VERSION,
    Buffer.from(claims.entry).toString('base64url'),
    issuedAt,
    nonce,
    claims.networkHash,
    // Flags: 1 over the cap, 2 kiosk (tokens issued before the kiosk flag carry 0 or 1 and stay valid).
    (claims.overCap ? 1 : 0) | (claims.kiosk ? 2 : 0),
  ].join('.')
  return `${payload}.${signature(secret, payload)}`
}

/** Checks signature, entry and age; whether the nonce was spent is the database's answer (one insert). */
export function checkFormToken(
  secret: string,
  token: string,
  entry: string,
  ttlSeconds: number,
  now = Date.now(),
): TokenCheck {
  if (!token) return { ok: false, reason: 'missing token' }
  const parts = token.split('.')
  if (parts.length !== 7 || parts[0] !== VERSION) return { ok: false, reason: 'forged token' }
  const payload = parts.slice(0, 6).join('.')
  const given = Buffer.from(parts[6]!)
  const expected = Buffer.from(signature(secret, payload))
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected))
    return { ok: false, reason: 'forged token' }
  if (Buffer.from(parts[1]!, 'base64url').toString() !== entry) return { ok: false, reason: 'forged token' }
  const issuedAt = Number(parts[2])
  const age = now / 1000 - issuedAt
  // A little clock skew between app servers is tolerated; a token from the future is not.
  if (!Number.isFinite(issuedAt) || age < -60) return { ok: false, reason: 'forged token' }
  if (age > ttlSeconds) return { ok: false, reason: 'expired token' }
  const flags = Number(parts[5])
  return {
    ok: true,
    claims: {
      entry,
      issuedAt,
      nonce: parts[3]!,
      networkHash: parts[4]!,
      overCap: (flags & 1) === 1,
      kiosk: (flags & 2) === 2,
    },
  }
}
