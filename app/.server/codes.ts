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

/** Length of a response's reference code, without the dash: 32^8 ≈ 10^12 codes. */
const REFERENCE_LENGTH = 8

/**
 * The short reference a citizen sees on the thank-you page ("K7QM-4XPD"): a keyed hash of the response id,
 * so it names one response for whoever holds the server secret and reveals nothing (not the id, not the
 * number of responses) to anyone else.
 */
export function responseReference(secret: string, responseId: number): string {
  const digest = crypto.createHmac('sha256', secret).update(`response-reference:${responseId}`).digest()
  let out = ''
  for (let k = 0; k < REFERENCE_LENGTH; k++) out += ALPHABET[digest[k]! % ALPHABET.length]
  out = out.toUpperCase()
  return `${out.slice(0, 4)}-${out.slice(4)}`
}

/** A reference as responseReference writes it; anything else in a thank-you URL is ignored. */
export const RESPONSE_REFERENCE = /^[2-9A-KMNP-Z]{4}-[2-9A-KMNP-Z]{4}$/
