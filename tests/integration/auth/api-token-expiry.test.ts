/**
 * API tokens expire (issue 15, finding 9): a year by default, chosen at creation on the tokens page or on
 * the command line, and an expired token is refused like a revoked one.
 */
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiToken } from '#app/.server/auth/api-token.ts'
import { hashToken } from '#app/.server/codes.ts'
import { action as tokensAction, loader as tokensLoader } from '#app/routes/admin.tokens.tsx'
import { loader as scoresLoader } from '#app/routes/api.v1.scores.ts'
import { runCli } from '#scripts/support/cli.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run, type SignedIn, signIn } from '#tests/helpers/remix.ts'
import { args, get, idOf, post } from '../admin/support.ts'

let t: TestDatabase
let context: AppLoadContext
let admin: SignedIn
let province: number

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  admin = await signIn(context, 'admin@tokens.vn', 'admin', null)
  province = await idOf(t, 'agency', 'DEMO-AL')
})
afterAll(() => t?.cleanup())

const DAY = 86_400_000

const expiryOf = async (token: string) =>
  (await t.db
    .selectFrom('api_token')
    .select(['created_at', 'expires_at'])
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirstOrThrow()) as { created_at: string; expires_at: string }

const daysValid = ({ created_at, expires_at }: { created_at: string; expires_at: string }) =>
  Math.round((Date.parse(expires_at) - Date.parse(created_at)) / DAY)

const scores = (token: string) =>
  run(() =>
    scoresLoader(
      args(context, new Request('http://localhost/api/v1/scores', { headers: { Authorization: `Bearer ${token}` } })),
    ),
  )

describe('API token expiry', () => {
  it('a token is valid for a year by default, and answers 401 once it has expired', async () => {
    const token = await createApiToken(t.db, province, 'BI', 'test')
    expect(daysValid(await expiryOf(token))).toBe(365)
    expect((await scores(token)).status).toBe(200)
    await t.db
      .updateTable('api_token')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('token_hash', '=', hashToken(token))
      .execute()
    const expired = await scores(token)
    expect(expired.status).toBe(401)
    expect(expired.headers.get('WWW-Authenticate')).toBe('Bearer')
  })

  it('the tokens page sets the validity chosen at creation and lists the expiry', async () => {
    const created = await run(() =>
      tokensAction(
        args(
          context,
          post(
            '/admin/tokens',
            { intent: 'create', agencyId: String(province), label: 'short', days: '30' },
            admin.cookie,
          ),
        ),
      ),
    )
    const token = (created.body as { token: string }).token
    expect(daysValid(await expiryOf(token))).toBe(30)
    const page = await run(() => tokensLoader(args(context, get('/admin/tokens', admin.cookie))))
    const listed = (page.body as { tokens: Array<{ label: string; expiresAt: string | null }> }).tokens
    expect(listed.find((tk) => tk.label === 'short')?.expiresAt).toBe((await expiryOf(token)).expires_at)
  })

  it('the command line takes --days and refuses nonsense', async () => {
    const env = { DATABASE_URL: t.url }
    const made = await runCli(['token', 'create', '--agency', 'DEMO-AL', '--label', 'cli-7', '--days', '7'], { env })
    expect(made.status).toBe(0)
    const token = made.stdout.trim().split('\n').pop()!
    expect(daysValid(await expiryOf(token))).toBe(7)
    const bad = await runCli(['token', 'create', '--agency', 'DEMO-AL', '--days', '0'], { env })
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/--days must be a whole number/)
  })
})
