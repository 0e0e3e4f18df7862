/**
 * Sessions live in the database (so an administrator can revoke them); the browser holds only a random
 * token whose SHA-256 is the session id. Cookies are httpOnly, SameSite=Lax and Secure behind HTTPS.
 */
import { createCookie, data, redirect } from '@remix-run/node'
import type { AppLoadContext } from '@remix-run/node'
import type { Role } from '#db/schema.ts'
import { hashToken, randomToken } from '../codes.ts'
import { getTranslator } from '../i18n.ts'
import { deleteSession, findSessionHolder, insertSession } from '../repos/sessions.ts'

const SESSION_DAYS = 14
const COOKIE_NAME = 'hl_session'
/** The scope of a non-administrator without an agency: agency ids start at 1, so no path lies under it. */
const NO_AGENCY = '/0/'

function sessionCookie(secure: boolean) {
  return createCookie(COOKIE_NAME, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure,
    maxAge: SESSION_DAYS * 24 * 3600,
  })
}

const isSecure = (context: AppLoadContext) => context.config.publicUrl.startsWith('https://')

export interface SessionUser {
  id: number
  email: string
  role: Role
  agencyId: number | null
  /** Materialised path of the user's agency ("/1/5/"); null for administrators, who see everything. */
  scopePath: string | null
}

export async function createSession(context: AppLoadContext, userId: number): Promise<string> {
  const token = randomToken()
  const now = new Date()
  await insertSession(
    context.db,
    { id: hashToken(token), userId, expiresAt: new Date(now.getTime() + SESSION_DAYS * 86_400_000).toISOString() },
    now.toISOString(),
  )
  return sessionCookie(isSecure(context)).serialize(token)
}

async function sessionToken(context: AppLoadContext, request: Request): Promise<string | null> {
  const value = await sessionCookie(isSecure(context)).parse(request.headers.get('Cookie'))
  return typeof value === 'string' && value.length > 20 ? value : null
}

export async function getSessionUser(context: AppLoadContext, request: Request): Promise<SessionUser | null> {
  const token = await sessionToken(context, request)
  if (!token) return null
  const holder = await findSessionHolder(context.db, hashToken(token))
  if (!holder?.active || holder.expiresAt <= new Date().toISOString()) return null
  return {
    id: holder.id,
    email: holder.email,
    role: holder.role,
    agencyId: holder.agencyId,
    scopePath: holder.role === 'admin' ? null : (holder.agencyPath ?? NO_AGENCY),
  }
}

export async function destroySession(context: AppLoadContext, request: Request): Promise<string> {
  const token = await sessionToken(context, request)
  if (token) await deleteSession(context.db, hashToken(token))
  return sessionCookie(isSecure(context)).serialize('', { maxAge: 0 })
}

/** Anonymous visitors are sent to sign in; signed-in users without the role get 403. */
export async function requireUser(
  context: AppLoadContext,
  request: Request,
  roles: Role[] = ['admin', 'manager', 'analyst'],
): Promise<SessionUser> {
  const user = await getSessionUser(context, request)
  if (!user) {
    const url = new URL(request.url)
    if (url.pathname.startsWith('/api/') || request.headers.get('Accept')?.includes('application/json'))
      throw Response.json({ error: 'unauthorized' }, { status: 401 })
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`)
  }
  if (!roles.includes(user.role)) {
    // In plain words on the error page (issue 18), as JSON for API clients.
    if (
      new URL(request.url).pathname.startsWith('/api/') ||
      request.headers.get('Accept')?.includes('application/json')
    )
      throw Response.json({ error: 'forbidden' }, { status: 403 })
    const t = await getTranslator(request)
    throw data(t('auth.forbidden'), { status: 403 })
  }
  return user
}

/**
 * Cross-site request protection for state-changing requests: the browser's Origin (or Referer) must be
 * this site. SameSite=Lax cookies already stop most of it; this closes the rest.
 */
export function assertSameOrigin(request: Request, publicUrl: string): void {
  if (request.method === 'GET' || request.method === 'HEAD') return
  const origin =
    request.headers.get('Origin') ??
    (request.headers.get('Referer') ? new URL(request.headers.get('Referer')!).origin : null)
  if (!origin) return // non-browser clients (curl, tests) send neither; they carry no ambient cookie risk
  const allowed = new Set([new URL(request.url).origin, new URL(publicUrl).origin])
  if (!allowed.has(origin)) throw new Response('Cross-site request refused', { status: 403 })
}
