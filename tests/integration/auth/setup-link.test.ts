/**
 * The first-administrator link (issue 15, finding 7): two links used at once created two administrators,
 * and old links stayed valid. Now only the newest link works, and claiming it and creating the
 * administrator happen in one transaction. Runs on SQLite and PostgreSQL.
 */
import type { AppLoadContext } from '@remix-run/node'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createFirstAdmin, issueSetupToken } from '#app/.server/services/first-admin.ts'
import { action as setupAction, loader as setupLoader } from '#app/routes/setup.$token.tsx'
import { createTestDatabase, rowCount, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run } from '#tests/helpers/remix.ts'
import { args, get, post } from '../admin/support.ts'

let t: TestDatabase
let context: AppLoadContext

beforeEach(async () => {
  t = await createTestDatabase({ seed: 'none' })
  context = makeContext(t)
})
afterEach(() => t?.cleanup())

const PASSWORD = 'Vịnh Hạ Long lúc bình minh'

function useLink(token: string, email: string, password = PASSWORD) {
  return run(() =>
    setupAction(args(context, post(`/setup/${token}`, { email, password, confirm: password }), { token })),
  )
}

describe('set-up links', () => {
  it('a new link closes the older ones: the old one answers 410, the new one creates the administrator', async () => {
    const old = (await issueSetupToken(t.db))!
    const fresh = (await issueSetupToken(t.db))!
    expect((await run(() => setupLoader(args(context, get(`/setup/${old}`), { token: old })))).status).toBe(410)
    expect((await useLink(old, 'old@anlac.gov.vn')).status).toBe(410)
    expect((await run(() => setupLoader(args(context, get(`/setup/${fresh}`), { token: fresh })))).status).toBe(200)
    const created = await useLink(fresh, 'quantri@anlac.gov.vn')
    expect(created.status).toBe(303)
    expect(created.location).toBe('/login?setup=done')
    expect(await rowCount(t.db, 'user')).toBe(1)
  })

  it('two links used at the same moment create one administrator', async () => {
    const first = (await issueSetupToken(t.db))!
    const second = (await issueSetupToken(t.db))!
    const outcomes = await Promise.all([
      createFirstAdmin(t.db, first, 'mot@anlac.gov.vn', PASSWORD),
      createFirstAdmin(t.db, second, 'hai@anlac.gov.vn', PASSWORD),
    ])
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1)
    expect(await rowCount(t.db, 'user')).toBe(1)
  })

  it('one link used twice at the same moment creates one administrator', async () => {
    const token = (await issueSetupToken(t.db))!
    const outcomes = await Promise.all(
      ['mot@anlac.gov.vn', 'hai@anlac.gov.vn', 'ba@anlac.gov.vn'].map((email) =>
        createFirstAdmin(t.db, token, email, PASSWORD),
      ),
    )
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1)
    expect(outcomes.filter((o) => !o.ok)).toEqual([
      { ok: false, error: 'invalidLink' },
      { ok: false, error: 'invalidLink' },
    ])
    const admins = await t.db.selectFrom('user').select(['role']).execute()
    expect(admins).toEqual([{ role: 'admin' }])
    const audit = await t.db.selectFrom('audit_log').select(['actor', 'action']).execute()
    expect(audit).toEqual([{ actor: 'setup-link', action: 'user.create' }])
  })

  it('a refused password does not spend the link', async () => {
    const token = (await issueSetupToken(t.db))!
    expect((await useLink(token, 'quantri@anlac.gov.vn', '1234567890')).status).toBe(400)
    expect((await useLink(token, 'quantri@anlac.gov.vn')).status).toBe(303)
  })

  it('no link is issued once an administrator exists, and an expired one is refused', async () => {
    const token = (await issueSetupToken(t.db, new Date('2026-01-01T00:00:00Z')))!
    expect(await createFirstAdmin(t.db, token, 'late@anlac.gov.vn', PASSWORD)).toEqual({
      ok: false,
      error: 'invalidLink',
    })
    const fresh = (await issueSetupToken(t.db))!
    expect((await createFirstAdmin(t.db, fresh, 'quantri@anlac.gov.vn', PASSWORD)).ok).toBe(true)
    expect(await issueSetupToken(t.db)).toBeNull()
  })
})
