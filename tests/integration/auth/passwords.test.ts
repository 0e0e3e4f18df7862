/**
 * Passwords as the pages and the command line set and check them (issue 15, finding 7): every path that
 * sets one refuses common passwords and the user's own e-mail, today's scrypt parameters, old hashes
 * upgraded on the next sign-in, and no account enumeration through the users page.
 */
import crypto from 'node:crypto'
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SCRYPT, verifyPassword } from '#app/.server/auth/password.ts'
import { issueSetupToken } from '#app/.server/services/first-admin.ts'
import { action as passwordAction } from '#app/routes/account.password.tsx'
import { action as usersAction } from '#app/routes/admin.users.tsx'
import { action as loginAction } from '#app/routes/login.tsx'
import { action as setupAction } from '#app/routes/setup.$token.tsx'
import { runCli } from '#scripts/support/cli.ts'
import { createTestDatabase, rowCount, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, PASSWORD, run, type SignedIn, signIn } from '#tests/helpers/remix.ts'
import { args, auditActions, lastAuditId, post } from '../admin/support.ts'

let t: TestDatabase
let context: AppLoadContext
let admin: SignedIn
let managerSNV: SignedIn

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  admin = await signIn(context, 'admin@pw.vn', 'admin', null)
  managerSNV = await signIn(context, 'manager-snv@pw.vn', 'manager', 'DEMO-AL-SNV')
})
afterAll(() => t?.cleanup())

const storedHash = async (userId: number) =>
  (await t.db.selectFrom('user').select('password_hash').where('id', '=', userId).executeTakeFirstOrThrow())
    .password_hash

describe('scrypt parameters', () => {
  it('an account hashed with weaker parameters signs in and is re-hashed with today’s', async () => {
    const password = 'Sông-Hồng-chảy-mãi'
    const { userId, email } = await signIn(context, 'old-hash@example.vn', 'analyst', 'DEMO-AL')
    const salt = crypto.randomBytes(16)
    const N = SCRYPT.N / 2
    const key = crypto.scryptSync(password, salt, 32, { N, r: 8, p: 1 })
    const old = `scrypt$${N}$8$1$${salt.toString('base64')}$${key.toString('base64')}`
    await t.db.updateTable('user').set({ password_hash: old }).where('id', '=', userId).execute()

    const outcome = await run(() => loginAction(args(context, post('/login', { email, password }))))
    expect(outcome.status).toBe(302)
    const upgraded = await storedHash(userId)
    expect(upgraded.startsWith(`scrypt$${SCRYPT.N}$8$1$`)).toBe(true)
    expect(await verifyPassword(password, upgraded)).toBe(true)
  })
})

/** Weak passwords for the address nguyen.van.a@…: a common one, a common one with digits, and the e-mail's name. */
const WEAK = [
  ['1234567890', 'errors.passwordCommon'],
  ['password2026!', 'errors.passwordCommon'],
  ['nguyen.van.a-2026', 'errors.passwordContainsEmail'],
] as const

describe('the password policy on every path that sets a password', () => {
  it.each(WEAK)('the first-administrator setup refuses %j (%s) and creates nobody', async (password, problem) => {
    const setup = await createTestDatabase({ seed: 'none' })
    try {
      const setupContext = makeContext(setup)
      const token = (await issueSetupToken(setup.db))!
      const fields = { email: 'nguyen.van.a@anlac.gov.vn', password, confirm: password }
      const outcome = await run(() => setupAction(args(setupContext, post(`/setup/${token}`, fields), { token })))
      expect(outcome.status).toBe(400)
      expect(outcome.body).toEqual({ ok: false, errors: { password: problem } })
      expect(await rowCount(setup.db, 'user')).toBe(0)
    } finally {
      await setup.cleanup()
    }
  })

  it.each(WEAK)('the account page refuses %j (%s) and keeps the old password', async (password, problem) => {
    const user = await signIn(context, `nguyen.van.a@snv-${password.length}.gov.vn`, 'analyst', 'DEMO-AL-SNV')
    const fields = { current: PASSWORD, password, confirm: password }
    const outcome = await run(() => passwordAction(args(context, post('/account/password', fields, user.cookie))))
    expect(outcome.status).toBe(400)
    expect(outcome.body).toMatchObject({ ok: false, error: problem })
    expect(await verifyPassword(PASSWORD, await storedHash(user.userId))).toBe(true)
  })

  it.each(WEAK)('the users page refuses %j (%s) for a new account', async (password, problem) => {
    const fields = {
      intent: 'create',
      email: 'nguyen.van.a@snv.gov.vn',
      role: 'analyst',
      agencyCode: 'DEMO-AL-SNV',
      password,
    }
    const outcome = await run(() => usersAction(args(context, post('/admin/users', fields, admin.cookie))))
    expect(outcome.status).toBe(400)
    expect(outcome.body).toEqual({ error: problem })
    const found = await t.db.selectFrom('user').select('id').where('email', '=', 'nguyen.van.a@snv.gov.vn').execute()
    expect(found).toEqual([])
  })

  it.each(WEAK)('the command line refuses %j (%s) with exit status 2', async (password) => {
    const r = await runCli(['user', 'create', '--email', 'nguyen.van.a@cli.vn', '--role', 'admin'], {
      env: { DATABASE_URL: t.url },
      input: `${password}\n`,
    })
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/often choose|must not contain the e-mail/)
    expect(r.stderr).not.toContain(password)
    const found = await t.db.selectFrom('user').select('id').where('email', '=', 'nguyen.van.a@cli.vn').execute()
    expect(found).toEqual([])
  })
})

describe('no account enumeration through user creation', () => {
  it('a manager creating an address that has an account elsewhere gets the new-account answer; the owner is untouched', async () => {
    const create = (email: string) =>
      run(() =>
        usersAction(
          args(
            context,
            post(
              '/admin/users',
              {
                intent: 'create',
                email,
                role: 'analyst',
                agencyCode: 'DEMO-AL-SNV',
                password: 'một mật khẩu khác 2026',
              },
              managerSNV.cookie,
            ),
          ),
        ),
      )
    const fresh = await create('brand-new@pw.vn')
    const before = await storedHash(admin.userId)
    const since = await lastAuditId(t)
    const taken = await create(admin.email)
    expect(taken.status).toBe(fresh.status)
    expect(taken.body).toEqual(fresh.body)
    const owner = await t.db
      .selectFrom('user')
      .select(['role', 'agency_id', 'password_hash', 'active'])
      .where('id', '=', admin.userId)
      .executeTakeFirstOrThrow()
    expect(owner).toEqual({ role: 'admin', agency_id: null, password_hash: before, active: 1 })
    expect(await auditActions(t, since)).toEqual(['user.create_existing'])
  })
})
