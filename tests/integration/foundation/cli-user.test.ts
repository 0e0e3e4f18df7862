/**
 * `hailong user create`: password on stdin, validation with exit status 2, scrypt hashes in the database.
 * The CLI runs against the suite's database (a SQLite file, or PostgreSQL in the postgres project),
 * seeded by `hailong seed` itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '#scripts/support/cli.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'

const PASSWORD = 'đúng-mật-khẩu-2026'
let t: TestDatabase
const env = () => ({ DATABASE_URL: t.url })

function users() {
  return t.db
    .selectFrom('user as u')
    .leftJoin('agency as a', 'a.id', 'u.agency_id')
    .select(['u.email', 'u.password_hash', 'u.role', 'a.code as agency'])
    .orderBy('u.id')
    .execute()
}

beforeAll(async () => {
  t = await createTestDatabase({ seed: 'none' })
  expect((await runCli(['seed'], { env: env() })).status).toBe(0)
})
afterAll(async () => t?.cleanup())

describe('hailong user create', () => {
  it('creates an admin with the password read from stdin, stored only as an scrypt hash', async () => {
    const r = await runCli(['user', 'create', '--email', 'x@y.vn', '--role', 'admin'], {
      env: env(),
      input: `${PASSWORD}\n`,
    })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^Created admin x@y\.vn \(id \d+\)\./)
    expect(r.stdout).not.toContain(PASSWORD)
    const [u] = await users()
    expect(u).toMatchObject({ email: 'x@y.vn', role: 'admin', agency: null })
    expect(u!.password_hash).not.toBe(PASSWORD)
    expect(u!.password_hash).not.toContain(PASSWORD)
    expect(u!.password_hash.startsWith('scrypt$')).toBe(true)
    expect(u!.password_hash.split('$')).toHaveLength(6)
  })

  it('the stored hash verifies the password (and only it)', async () => {
    const { verifyPassword } = await import('#app/.server/auth/password.ts')
    const [u] = await users()
    expect(await verifyPassword(PASSWORD, u!.password_hash)).toBe(true)
    expect(await verifyPassword(`${PASSWORD}x`, u!.password_hash)).toBe(false)
  })

  it('writes an audit entry naming the CLI as actor', async () => {
    const rows = await t.db.selectFrom('audit_log').select(['actor', 'action', 'entity']).execute()
    expect(rows).toEqual([{ actor: 'cli', action: 'user.create', entity: 'user' }])
  })

  it('normalises the e-mail address to lower case', async () => {
    const r = await runCli(
      ['user', 'create', '--email', '  An.Analyst@Example.VN ', '--role', 'analyst', '--agency', 'DEMO-AL-STP'],
      { env: env(), input: `${PASSWORD}\r\n` },
    )
    expect(r.status).toBe(0)
    expect((await users()).at(-1)).toMatchObject({
      email: 'an.analyst@example.vn',
      role: 'analyst',
      agency: 'DEMO-AL-STP',
    })
  })

  it('creates a manager attached to an existing agency', async () => {
    const r = await runCli(
      ['user', 'create', '--email', 'manager@anlac.vn', '--role', 'manager', '--agency', 'DEMO-AL'],
      {
        env: env(),
        input: PASSWORD,
      },
    )
    expect(r.status).toBe(0)
    expect((await users()).at(-1)).toMatchObject({ email: 'manager@anlac.vn', role: 'manager', agency: 'DEMO-AL' })
  })

  it.each([
    ['a short password', ['--email', 'short@y.vn', '--role', 'admin'], 'short\n', /at least 10 characters/],
    ['an empty stdin', ['--email', 'empty@y.vn', '--role', 'admin'], '', /at least 10 characters/],
    [
      'a bad role',
      ['--email', 'role@y.vn', '--role', 'superuser'],
      `${PASSWORD}\n`,
      /role must be admin, manager or analyst/,
    ],
    ['a manager without --agency', ['--email', 'm@y.vn', '--role', 'manager'], `${PASSWORD}\n`, /need --agency CODE/],
    ['an analyst without --agency', ['--email', 'an@y.vn', '--role', 'analyst'], `${PASSWORD}\n`, /need --agency CODE/],
    [
      'an unknown agency',
      ['--email', 'u@y.vn', '--role', 'manager', '--agency', 'NO-SUCH-AGENCY'],
      `${PASSWORD}\n`,
      /no agency has this code/,
    ],
    [
      'an invalid e-mail',
      ['--email', 'not-an-email', '--role', 'admin'],
      `${PASSWORD}\n`,
      /e-mail address is not valid/,
    ],
    ['a duplicate e-mail', ['--email', 'x@y.vn', '--role', 'admin'], `${PASSWORD}\n`, /exists already/],
    ['a duplicate e-mail in other case', ['--email', 'X@Y.VN', '--role', 'admin'], `${PASSWORD}\n`, /exists already/],
  ])('refuses %s with exit 2 and creates nobody', async (_label, args, input, message) => {
    const before = (await users()).length
    const r = await runCli(['user', 'create', ...args], { env: env(), input })
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/^hailong user: /)
    expect(r.stderr).toMatch(message)
    expect(r.stderr).not.toContain(PASSWORD)
    expect((await users()).length).toBe(before)
  })
})
