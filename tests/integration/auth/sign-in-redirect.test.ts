/**
 * After signing in, the browser goes back only to a path on this site. Browsers drop tabs and newlines
 * in URLs, so "/<TAB>/evil.example/x" became "//evil.example/x" and left the site (issue 15, finding 2).
 */
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { action as loginAction, loader as loginLoader } from '#app/routes/login.tsx'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, PASSWORD, run, type SignedIn, signIn } from '#tests/helpers/remix.ts'
import { args, get, post } from '../admin/support.ts'

let t: TestDatabase
let context: AppLoadContext
let analyst: SignedIn

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  analyst = await signIn(context, 'redirect@example.vn', 'analyst', 'DEMO-AL')
})
afterAll(() => t?.cleanup())

const OFF_SITE = [
  '/\t/evil.example/x',
  '/\n/evil.example/x',
  '/\\evil.example/x',
  '//evil.example/x',
  '/%09/evil.example',
]

describe('where signing in sends the browser', () => {
  it.each(OFF_SITE)('the form field redirectTo=%j falls back to /analytics', async (target) => {
    const outcome = await run(() =>
      loginAction(args(context, post('/login', { email: analyst.email, password: PASSWORD, redirectTo: target }))),
    )
    expect(outcome.status).toBe(302)
    expect(outcome.location).toBe('/analytics')
  })

  it.each(OFF_SITE)('a signed-in visit with ?redirectTo=%j falls back to /analytics', async (target) => {
    const outcome = await run(() =>
      loginLoader(args(context, get(`/login?redirectTo=${encodeURIComponent(target)}`, analyst.cookie))),
    )
    expect(outcome.status).toBe(302)
    expect(outcome.location).toBe('/analytics')
  })

  it('a path on this site is kept, query included', async () => {
    const outcome = await run(() =>
      loginAction(
        args(context, post('/login', { email: analyst.email, password: PASSWORD, redirectTo: '/admin/users?x=1' })),
      ),
    )
    expect(outcome.location).toBe('/admin/users?x=1')
  })
})
