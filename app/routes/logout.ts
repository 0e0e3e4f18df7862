import { type ActionFunctionArgs, redirect } from '@remix-run/node'
import { assertSameOrigin, destroySession } from '#app/.server/auth/session.ts'

export async function action({ context, request }: ActionFunctionArgs) {
  assertSameOrigin(request, context.config.publicUrl)
  return redirect('/', { headers: { 'Set-Cookie': await destroySession(context, request) } })
}

export const loader = () => redirect('/')
