/**
 * Passwords as the pages and the command line set and check them (issue 15, finding 7): today's scrypt
 * parameters, old hashes upgraded on the next sign-in.
 */
import crypto from 'node:crypto'
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyPassword } from '#app/.server/auth/password.ts'
import { action as loginAction } from '#app/routes/login.tsx'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run, signIn } from '#tests/helpers/remix.ts'
import { args, post } from '../admin/support.ts'

let t: TestDatabase
let context: AppLoadContext

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
})
afterAll(() => t?.cleanup())

const storedHash = async (userId: number) =>
  (await t.db.selectFrom('user').select('password_hash').where('id', '=', userId).executeTakeFirstOrThrow())
    .password_hash

describe('scrypt parameters', () => {
  it('an account hashed with N=2^14 signs in and is re-hashed with N=2^17', async () => {
    const password = 'Sông-Hồng-chảy-mãi'
    const { userId, email } = await signIn(context, 'old-hash@example.vn', 'analyst', 'DEMO-AL')
    const salt = crypto.randomBytes(16)
    const key = crypto.scryptSync(password, salt, 32, { N: 16384, r: 8, p: 1 })
    const old = `scrypt$16384$8$1$${salt.toString('base64')}$${key.toString('base64')}`
    await t.db.updateTable('user').set({ password_hash: old }).where('id', '=', userId).execute()

    const outcome = await run(() => loginAction(args(context, post('/login', { email, password }))))
    expect(outcome.status).toBe(302)
    const upgraded = await storedHash(userId)
    expect(upgraded).toMatch(/^scrypt\$131072\$8\$1\$/)
    expect(await verifyPassword(password, upgraded)).toBe(true)
  })
})
