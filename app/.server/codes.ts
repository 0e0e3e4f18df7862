/** Random public codes (link and invitation codes, tokens) and keyed hashes of secrets. */
import crypto from 'node:crypto'

// No 0/O, 1/l/I: codes are sometimes typed from paper.
const ALPHABET = '23456789abcdefghijkmnpqrstuvwxyz'

export function randomCode(length = 10): string {
  const bytes = crypto.randomBytes(length)
  let out = ''
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length]
  return out
}

export function randomToken(): string {
  return crypto.randomBytes(32).toString('base64url')
}

/** SHA-256 of a high-entropy secret (session ids, API tokens): a database leak does not reveal them. */
export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex')
}

/** HMAC with the server secret, for low-entropy values such as dossier codes or client addresses. */
export function keyedHash(secret: string, value: string): string {
  return crypto.createHmac('sha256', secret).update(value).digest('hex')
}
