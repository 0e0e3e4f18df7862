/**
 * Known devices: a browser that signed in to an account before carries a signed, httpOnly cookie naming
 * that account and a random nonce. Signing in to the same account from it is throttled on its own
 * failures only, so an attacker guessing from elsewhere cannot keep the owner out (OWASP's "device
 * cookies"). The cookie proves nothing else: the password is still required.
 */
import { createCookie } from '@remix-run/node'
import type { AppLoadContext } from '@remix-run/node'
import { keyedHash, randomToken } from '../codes.ts'

const DEVICE_DAYS = 365

export interface KnownDevice {
  userId: number
  nonce: string
}

function deviceCookie(context: AppLoadContext) {
  return createCookie('hl_device', {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: context.config.publicUrl.startsWith('https://'),
    maxAge: DEVICE_DAYS * 24 * 3600,
    // Its own key, derived from the server secret: a value signed for another purpose is no device.
    secrets: [keyedHash(context.config.secret, 'device-cookie')],
  })
}

/** The device the request's cookie names, or null when there is none or its signature is wrong. */
export async function readKnownDevice(context: AppLoadContext, request: Request): Promise<KnownDevice | null> {
  const value: unknown = await deviceCookie(context).parse(request.headers.get('Cookie'))
  if (!value || typeof value !== 'object') return null
  const { userId, nonce } = value as Record<string, unknown>
  if (typeof userId !== 'number' || !Number.isInteger(userId) || typeof nonce !== 'string' || nonce.length < 20)
    return null
  return { userId, nonce }
}

/** The Set-Cookie that makes this browser a known device of the user (keeping its nonce if it was one already). */
export async function rememberDevice(
  context: AppLoadContext,
  userId: number,
  current: KnownDevice | null,
): Promise<string> {
  const nonce = current?.userId === userId ? current.nonce : randomToken()
  return deviceCookie(context).serialize({ userId, nonce })
}
