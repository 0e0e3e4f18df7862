/**
 * Every administration loader and action starts here: the role is checked on the server, state-changing
 * requests must come from this site, and errors users can cause become translated 4xx answers.
 */
import { data } from '@remix-run/node'
import type { AppLoadContext } from '@remix-run/node'
import type { Role } from '#db/schema.ts'
import { assertSameOrigin, requireUser, type SessionUser } from '../auth/session.ts'
import { getTranslator } from '../i18n.ts'

export const actor = (user: SessionUser) => ({ userId: user.id, email: user.email })

export async function requireAdmin(
  context: AppLoadContext,
  request: Request,
  roles: Role[] = ['admin'],
): Promise<SessionUser> {
  const user = await requireUser(context, request, roles)
  assertSameOrigin(request, context.config.publicUrl)
  return user
}

/** Throws a translated text response (rendered by the error boundary) with the status. */
export async function adminError(
  request: Request,
  status: number,
  key: string,
  values: Record<string, unknown> = {},
): Promise<never> {
  const t = await getTranslator(request, 'admin')
  throw data(t(key, values), { status })
}

export async function formIntent<T extends string>(
  request: Request,
  allowed: readonly T[],
): Promise<{ intent: T; form: FormData }> {
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  if (!(allowed as readonly string[]).includes(intent)) await adminError(request, 400, 'common.invalid')
  return { intent: intent as T, form }
}
