/**
 * Sign-in is slowed, never locked (issue 15, finding 3). Five wrong passwords from five addresses used to
 * lock any account for 15 minutes with no way to unlock; now each account and each client network gets a
 * few free failures and then waits that double, shared through the database by every server; a browser the
 * owner signed in from before is not slowed by failures from elsewhere; failures and waits are audited; an
 * administrator can unlock; a refused attempt answers 429 with Retry-After and runs no scrypt.
 */
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { authenticate } from '#app/.server/auth/login.ts'
import { passwordGate, scryptCount } from '#app/.server/auth/password.ts'
import { delaySeconds, MAX_DELAY_SECONDS } from '#app/.server/auth/sign-in-throttle.ts'
import { action as passwordAction } from '#app/routes/account.password.tsx'
import { action as usersAction, loader as usersLoader } from '#app/routes/admin.users.tsx'
import { headers as loginHeaders, action as loginAction } from '#app/routes/login.tsx'
import { createDb } from '#db/client.ts'
import { databaseConfig } from '#db/config.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, PASSWORD, run, type SignedIn, signIn } from '#tests/helpers/remix.ts'
import { args, auditActions, get, lastAuditId, post } from '../admin/support.ts'

// Every attempt that is not refused costs a real scrypt (128 MiB, up to seconds on a shared machine).
vi.setConfig({ testTimeout: 180_000 })

let t: TestDatabase
let admin: SignedIn
let counter = 0
const uniqueEmail = (prefix: string) => `${prefix}-${++counter}@throttle.vn`

/** A context as the server builds it for a client at this address. */
const from = (address: string): AppLoadContext => makeContext(t, {}, address)

/** A scrypt takes seconds on a busy machine, longer than the first waits: the clock stands still instead. */
let clock = Date.parse('2026-12-01T08:00:00.000Z')

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(clock)
  t = await createTestDatabase()
  admin = await signIn(from('198.51.100.1'), 'admin@throttle.vn', 'admin', null)
})
afterAll(async () => {
  vi.useRealTimers()
  await t?.cleanup()
})

/** Each test starts with no failures anywhere: counts from one test must not leak into the next. */
beforeEach(async () => {
  await t.db.deleteFrom('sign_in_throttle').execute()
})

function login(context: AppLoadContext, email: string, password: string, cookie?: string) {
  return run(() => loginAction(args(context, post('/login', { email, password, redirectTo: '/analytics' }, cookie))))
}

/** Moves the clock on by this many seconds. */
function advance(seconds: number) {
  clock += seconds * 1000
  vi.setSystemTime(clock)
}

/**
 * A patient guesser: `count` wrong passwords, each from the next address of the list, waiting out every
 * wait it is told about (as a script would) so each one is counted.
 */
async function guess(email: string, count: number, addresses: (i: number) => string) {
  for (let i = 0; i < count; i++) {
    let outcome = await login(from(addresses(i)), email, `sai-${i}`)
    if (outcome.status === 429) {
      advance(Number(outcome.headers.get('Retry-After')))
      outcome = await login(from(addresses(i)), email, `sai-${i}`)
    }
    expect(outcome.status).toBe(401)
  }
}

/** The device cookie of a successful sign-in ("hl_device=…"). */
function deviceCookie(setCookies: string | null): string {
  const pair = (setCookies ?? '')
    .split(/,(?=\s*hl_)/)
    .map((c) => c.trim().split(';')[0]!)
    .find((c) => c.startsWith('hl_device='))
  if (!pair) throw new Error(`no device cookie in ${setCookies}`)
  return pair
}

describe('the delay schedule', () => {
  it('accounts: three free failures, then 1 s, 2 s, 4 s … never more than five minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => delaySeconds('account', n))).toEqual([0, 0, 0, 1, 2, 4, 8])
    expect(delaySeconds('account', 40)).toBe(MAX_DELAY_SECONDS)
    expect(MAX_DELAY_SECONDS).toBe(300)
  })

  it('networks get ten free failures (offices and carriers share addresses); devices five', () => {
    expect(delaySeconds('network', 10)).toBe(0)
    expect(delaySeconds('network', 11)).toBe(1)
    expect(delaySeconds('device', 5)).toBe(0)
    expect(delaySeconds('device', 6)).toBe(1)
  })
})

describe('an account under guessing', () => {
  it('five wrong passwords from five addresses: the owner waits seconds, not 15 minutes, and then signs in', async () => {
    const { email } = await signIn(from('198.51.100.1'), uniqueEmail('target'), 'analyst', 'DEMO-AL')
    await guess(email, 5, (i) => `203.0.113.${10 + i}`)

    const refused = await login(from('192.0.2.50'), email, PASSWORD)
    expect(refused.status).toBe(429)
    expect(refused.body).toEqual({ error: 'auth.throttled', retryAfter: expect.any(Number) })
    const retryAfter = Number(refused.headers.get('Retry-After'))
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(2)
    expect(refused.headers.get('Set-Cookie')).toBeNull()

    advance(retryAfter)
    const owner = await login(from('192.0.2.50'), email, PASSWORD)
    expect(owner.status).toBe(302)
    expect(owner.headers.get('Set-Cookie')).toMatch(/hl_session=/)
  })

  it('the page answer keeps Retry-After (Remix keeps only the cookies of an action’s headers otherwise)', async () => {
    const { email } = await signIn(from('198.51.100.1'), uniqueEmail('page'), 'analyst', 'DEMO-AL')
    await guess(email, 5, (i) => `203.0.113.${60 + i}`)
    const refused = await login(from('203.0.113.66'), email, PASSWORD)
    expect(refused.status).toBe(429)
    const page = new Headers(
      loginHeaders({
        actionHeaders: refused.headers,
        loaderHeaders: new Headers(),
        parentHeaders: new Headers(),
        errorHeaders: undefined,
      } as never),
    )
    expect(page.get('Retry-After')).toBe(refused.headers.get('Retry-After'))
  })

  it('a refused attempt runs no scrypt', async () => {
    const { email } = await signIn(from('198.51.100.1'), uniqueEmail('no-scrypt'), 'analyst', 'DEMO-AL')
    for (let i = 0; i < 4; i++) await login(from('203.0.113.20'), email, `sai-${i}`)
    const before = scryptCount()
    for (let i = 0; i < 5; i++) expect((await login(from('203.0.113.21'), email, PASSWORD)).status).toBe(429)
    expect(scryptCount()).toBe(before)
  })

  it('the device the owner signed in from before is not slowed by failures from elsewhere', async () => {
    const { email } = await signIn(from('198.51.100.1'), uniqueEmail('owner'), 'analyst', 'DEMO-AL')
    const first = await login(from('192.0.2.60'), email, PASSWORD)
    expect(first.status).toBe(302)
    const device = deviceCookie(first.headers.get('Set-Cookie'))
    expect(first.headers.get('Set-Cookie')).toMatch(/hl_device=[^;]+;.*HttpOnly/i)

    for (let i = 0; i < 12; i++) await login(from(`203.0.113.${30 + i}`), email, `sai-${i}`)
    expect((await login(from('192.0.2.61'), email, PASSWORD)).status).toBe(429)
    const known = await login(from('192.0.2.61'), email, PASSWORD, device)
    expect(known.status).toBe(302)
  })

  it('a forged or foreign device cookie is no known device', async () => {
    const other = await signIn(from('198.51.100.1'), uniqueEmail('other'), 'analyst', 'DEMO-AL')
    const otherDevice = deviceCookie((await login(from('192.0.2.70'), other.email, PASSWORD)).headers.get('Set-Cookie'))
    const { email } = await signIn(from('198.51.100.1'), uniqueEmail('victim'), 'analyst', 'DEMO-AL')
    for (let i = 0; i < 5; i++) await login(from('203.0.113.80'), email, `sai-${i}`)
    // Another account's device, and a cookie with its signature cut off.
    expect((await login(from('192.0.2.71'), email, PASSWORD, otherDevice)).status).toBe(429)
    const unsigned = otherDevice.replace(/\.[^.]+$/, '')
    expect((await login(from('192.0.2.71'), email, PASSWORD, unsigned)).status).toBe(429)
  })

  it('an unknown address is slowed like an account, and costs a scrypt like one (no timing oracle)', async () => {
    const before = scryptCount()
    const email = uniqueEmail('nobody')
    for (let i = 0; i < 4; i++) expect((await login(from('203.0.113.90'), email, `sai-${i}`)).status).toBe(401)
    expect(scryptCount()).toBe(before + 4)
    expect((await login(from('203.0.113.91'), email, 'sai')).status).toBe(429)
  })
})

describe('a client network trying many accounts', () => {
  it('after ten free failures the network waits, whatever account it tries; other networks do not', async () => {
    const { email } = await signIn(from('198.51.100.1'), uniqueEmail('sprayed'), 'analyst', 'DEMO-AL')
    for (let i = 0; i < 11; i++)
      expect((await login(from('203.0.113.100'), uniqueEmail('spray'), 'sai-mat-khau')).status).toBe(401)
    expect((await login(from('203.0.113.100'), email, PASSWORD)).status).toBe(429)
    expect((await login(from('203.0.113.101'), email, PASSWORD)).status).toBe(302)
  })

  it('IPv6 addresses of one /64 are one network; another /64 is not', async () => {
    const { email } = await signIn(from('198.51.100.1'), uniqueEmail('v6'), 'analyst', 'DEMO-AL')
    for (let i = 0; i < 11; i++)
      await login(from(`2001:db8:1:2::${(i + 1).toString(16)}`), uniqueEmail('v6-spray'), 'x')
    expect((await login(from('2001:db8:1:2:ffff::9'), email, PASSWORD)).status).toBe(429)
    expect((await login(from('2001:db8:1:3::1'), email, PASSWORD)).status).toBe(302)
  })
})

describe('several servers', () => {
  it('failures recorded through one database connection slow attempts through another', async () => {
    const { email } = await signIn(from('198.51.100.1'), uniqueEmail('shared'), 'analyst', 'DEMO-AL')
    const second = createDb(databaseConfig({ ...process.env, DATABASE_URL: t.url }))
    try {
      const serverB = { ...from('203.0.113.120'), db: second }
      for (let i = 0; i < 4; i++) await login(from(`203.0.113.${110 + i}`), email, `sai-${i}`)
      expect((await login(serverB, email, PASSWORD)).status).toBe(429)
    } finally {
      await second.destroy()
    }
  })
})

describe('audit', () => {
  it('each failure is audited with the wait it started; the first refusal of a wait once', async () => {
    const { email, userId } = await signIn(from('198.51.100.1'), uniqueEmail('audited'), 'analyst', 'DEMO-AL')
    const since = await lastAuditId(t)
    for (let i = 0; i < 4; i++) await login(from('203.0.113.130'), email, `sai-${i}`)
    await login(from('203.0.113.130'), email, PASSWORD)
    await login(from('203.0.113.130'), email, PASSWORD)
    expect(await auditActions(t, since)).toEqual([
      'auth.sign_in_failed',
      'auth.sign_in_failed',
      'auth.sign_in_failed',
      'auth.sign_in_failed',
      'auth.sign_in_throttled',
    ])
    const rows = await t.db
      .selectFrom('audit_log')
      .select(['user_id', 'actor', 'entity_id', 'details_json'])
      .where('id', '>', since)
      .orderBy('id')
      .execute()
    expect(rows[0]).toMatchObject({ user_id: userId, actor: email, entity_id: String(userId) })
    expect(JSON.parse(rows[3]!.details_json!)).toMatchObject({ reason: 'password', delaySeconds: 1 })
    expect(JSON.parse(rows[4]!.details_json!)).toMatchObject({ by: ['account'], retryAfter: 1 })
    // The address is personal data: the audit names the network by a keyed hash only.
    expect(rows.map((r) => r.details_json).join()).not.toContain('203.0.113')
  })

  it('an address without an account is not written down (it is often a password typed in the wrong box)', async () => {
    const since = await lastAuditId(t)
    await login(from('203.0.113.140'), 'Mật-khẩu-gõ-nhầm-ô', 'x')
    const rows = await t.db.selectFrom('audit_log').select(['actor', 'details_json']).where('id', '>', since).execute()
    expect(rows).toHaveLength(1)
    expect(JSON.stringify(rows)).not.toContain('gõ-nhầm')
    expect(rows[0]!.actor).toBe('unknown account')
  })
})

describe('unlocking', () => {
  it('an administrator sees the failures on the users page and unlocks: the owner signs in at once (audited)', async () => {
    const target = await signIn(from('198.51.100.1'), uniqueEmail('locked'), 'analyst', 'DEMO-AL')
    await guess(target.email, 8, (i) => `203.0.113.${150 + i}`)
    expect((await login(from('192.0.2.150'), target.email, PASSWORD)).status).toBe(429)

    const page = await run(() => usersLoader(args(from('198.51.100.1'), get('/admin/users', admin.cookie))))
    const listed = (page.body as { users: Array<{ id: number; signInFailures: number }> }).users
    expect(listed.find((u) => u.id === target.userId)?.signInFailures).toBe(8)

    const since = await lastAuditId(t)
    const unlock = await run(() =>
      usersAction(
        args(
          from('198.51.100.1'),
          post('/admin/users', { intent: 'unlock', userId: String(target.userId) }, admin.cookie),
        ),
      ),
    )
    expect(unlock.body).toEqual({ error: null, done: 'users.unlocked' })
    expect(await auditActions(t, since)).toEqual(['user.unlock'])
    expect((await login(from('192.0.2.150'), target.email, PASSWORD)).status).toBe(302)
  })

  it('a manager cannot unlock an administrator (403)', async () => {
    const manager = await signIn(from('198.51.100.1'), uniqueEmail('mgr'), 'manager', 'DEMO-AL')
    const outcome = await run(() =>
      usersAction(
        args(
          from('198.51.100.1'),
          post('/admin/users', { intent: 'unlock', userId: String(admin.userId) }, manager.cookie),
        ),
      ),
    )
    expect(outcome.status).toBe(403)
  })
})

describe('the current-password check on the account page', () => {
  it('is throttled like sign-in: after the free failures the right password waits too, with no scrypt', async () => {
    const user = await signIn(from('198.51.100.1'), uniqueEmail('account'), 'analyst', 'DEMO-AL')
    const change = (current: string) =>
      run(() =>
        passwordAction(
          args(
            from('203.0.113.170'),
            post(
              '/account/password',
              { current, password: 'Đèo Hải Vân 2027', confirm: 'Đèo Hải Vân 2027' },
              user.cookie,
            ),
          ),
        ),
      )
    const since = await lastAuditId(t)
    for (let i = 0; i < 4; i++)
      expect((await change(`sai-${i}`)).body).toEqual({ ok: false, error: 'auth.wrongPassword' })
    const before = scryptCount()
    const refused = await change(PASSWORD)
    expect(refused.status).toBe(429)
    expect(refused.headers.get('Retry-After')).toBe('1')
    expect(scryptCount()).toBe(before)
    expect((await auditActions(t, since)).filter((a) => a.startsWith('auth.'))).toEqual([
      'auth.current_password_failed',
      'auth.current_password_failed',
      'auth.current_password_failed',
      'auth.current_password_failed',
      'auth.current_password_throttled',
    ])
  })
})

describe('a flood of sign-ins', () => {
  it('runs only the free attempts’ scrypts; the rest are refused cheaply (429)', async () => {
    const { email } = await signIn(from('198.51.100.1'), uniqueEmail('flood'), 'analyst', 'DEMO-AL')
    const before = scryptCount()
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, (_, i) => login(from(`203.0.113.${200 + (i % 50)}`), email, `sai-${i}`)),
    )
    const statuses = outcomes.map((o) => o.status)
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true)
    // Three free failures and the one that starts the wait; one more for each further permit running at once.
    const extra = passwordGate.stats().peak - 1
    expect(scryptCount() - before).toBeLessThanOrEqual(4 + extra)
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(4 + extra)
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(36 - extra)
  })

  it('the service says how long to wait when the gate’s queue is full', async () => {
    // authenticate is what the route calls; the gate is shared, so fill it with slow work first.
    let release!: () => void
    const hold = new Promise<void>((resolve) => (release = resolve))
    const holders = Array.from({ length: 64 }, () => passwordGate.run(() => hold))
    try {
      const result = await authenticate(from('203.0.113.250'), {
        email: uniqueEmail('busy'),
        password: 'x',
        device: null,
      })
      expect(result).toEqual({ ok: false, error: 'busy', retryAfter: expect.any(Number) })
    } finally {
      release()
      await Promise.all(holders)
    }
  })
})
