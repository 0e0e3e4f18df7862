/**
 * The kiosk device cookie: a tablet an administrator enrolled for a kiosk link carries a random device
 * token in a long-lived, httpOnly, SameSite=Lax cookie (Secure behind HTTPS, like the session cookie).
 * The database keeps only a keyed hash of the token (`kiosk_device.token_hash`), so a leaked table enrols
 * nothing. The cookie is signed with its own key derived from the server secret, so a value made up or
 * signed for another purpose is dropped before any query.
 */
import { createCookie } from '@remix-run/node'
import type { AppConfig } from '../env.ts'
import { keyedHash, randomToken } from '../codes.ts'

/** Browsers keep a cookie at most 400 days; a tablet in daily use is re-enrolled only if it is wiped. */
const KIOSK_DAYS = 400

type CookieConfig = Pick<AppConfig, 'secret' | 'publicUrl'>

function kioskCookie(config: CookieConfig) {
  return createCookie('hl_kiosk', {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: config.publicUrl.startsWith('https://'),
    maxAge: KIOSK_DAYS * 24 * 3600,
    secrets: [keyedHash(config.secret, 'kiosk-cookie')],
  })
}

/** What is stored of a device token: never the token itself. */
export const kioskTokenHash = (secret: string, token: string) => keyedHash(secret, `kiosk-device:${token}`)

/** A fresh device token and the Set-Cookie that gives it to this browser. */
export async function newKioskCookie(config: CookieConfig): Promise<{ token: string; setCookie: string }> {
  const token = randomToken()
  return { token, setCookie: await kioskCookie(config).serialize(token) }
}

/** The device token the request carries, or null (no cookie, a bad signature, or not a token). */
export async function readKioskToken(config: CookieConfig, cookieHeader: string | null): Promise<string | null> {
  if (!cookieHeader?.includes('hl_kiosk=')) return null
  const value: unknown = await kioskCookie(config).parse(cookieHeader)
  return typeof value === 'string' && value.length >= 40 ? value : null
}
