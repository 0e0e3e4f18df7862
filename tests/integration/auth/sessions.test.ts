/**
 * Sessions (issue 15, finding 9): a password change through the form keeps this browser signed in with the
 * renewed cookie, and expired sessions do not stay in the database forever.
 */
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSession } from '#app/.server/auth/session.ts'
import { action as passwordAction, loader as passwordLoader } from '#app/routes/account.password.tsx'
import { action as loginAction } from '#app/routes/login.tsx'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, PASSWORD, run, signIn } from '#tests/helpers/remix.ts'
import { args, get, post } from '../admin/support.ts'

let t: TestDatabase
let context: AppLoadContext

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
})
afterAll(() => t?.cleanup())

const NEW_PASSWORD = 'Đèo Hải Vân mùa mưa'

describe('changing the password through the form', () => {
  it('answers with a redirect that carries the renewed session cookie; the old cookie is dead', async () => {
    const user = await signIn(context, 'changer@sessions.vn', 'analyst', 'DEMO-AL')
    const fields = { current: PASSWORD, password: NEW_PASSWORD, confirm: NEW_PASSWORD }
    const changed = await run(() => passwordAction(args(context, post('/account/password', fields, user.cookie))))
    // A page answer (200) let the page's loader run with the old, deleted cookie in the same request, and
    // its redirect to sign-in dropped the new cookie. A redirect carries the cookie to the next request.
    expect(changed.status).toBe(303)
    expect(changed.location).toBe('/account/password?changed=1')
    const renewed = changed.headers.get('Set-Cookie')!.split(';')[0]!
    expect(renewed).toMatch(/^hl_session=/)
    expect(renewed).not.toBe(user.cookie)

    const page = await run(() => passwordLoader(args(context, get('/account/password?changed=1', renewed))))
    expect(page.status).toBe(200)
    expect(page.body).toEqual({ changed: true })
    const stale = await run(() => passwordLoader(args(context, get('/account/password', user.cookie))))
    expect(stale.status).toBe(302)
    expect(stale.location).toMatch(/^\/login\?redirectTo=/)
  })
})

describe('expired sessions', () => {
  it('are deleted when someone signs in; live ones stay', async () => {
    const user = await signIn(context, 'purge@sessions.vn', 'analyst', 'DEMO-AL')
    await createSession(context, user.userId)
    await t.db
      .updateTable('session')
      .set({ expires_at: '2020-01-01T00:00:00.000Z' })
      .where('user_id', '=', user.userId)
      .execute()
    const other = await signIn(context, 'other@sessions.vn', 'analyst', 'DEMO-AL')
    const outcome = await run(() =>
      loginAction(args(context, post('/login', { email: other.email, password: PASSWORD }))),
    )
    expect(outcome.status).toBe(302)
    const left = await t.db
      .selectFrom('session')
      .select('user_id')
      .where('expires_at', '<=', new Date().toISOString())
      .execute()
    expect(left).toEqual([])
    const live = await t.db.selectFrom('session').select('user_id').where('user_id', '=', other.userId).execute()
    expect(live.length).toBe(2)
  })
})
