// Imported responses are attached to the questionnaire version each agency uses, as web responses are.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assignVersion, newDraftFrom, publishDraft } from '#app/.server/services/questionnaire-admin.ts'
import { applyResponseRows, checkResponseRows } from '#app/.server/services/import-responses.ts'
import { runImport } from '#app/.server/admin/import-action.ts'
import { createUser } from '#app/.server/services/users.ts'
import type { SessionUser } from '#app/.server/auth/session.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'

let t: TestDatabase
let admin: SessionUser
let v1: number
let v2: number

beforeAll(async () => {
  t = await createTestDatabase()
  const created = await createUser(
    t.db,
    { email: 'import@admin.vn', role: 'admin', agencyCode: null, password: 'admin-password-1' },
    'test',
  )
  if (!created.ok) throw new Error(created.error)
  admin = { id: created.userId, email: 'import@admin.vn', role: 'admin', agencyId: null, scopePath: null }
  const actor = { userId: admin.id, email: admin.email }
  v1 = (
    await t.db
      .selectFrom('questionnaire_version')
      .select('id')
      .where('version_number', '=', 1)
      .orderBy('id')
      .executeTakeFirstOrThrow()
  ).id
  const draft = await newDraftFrom(t.db, v1, actor)
  if (!draft.ok) throw new Error(draft.error)
  v2 = draft.versionId
  expect((await publishDraft(t.db, v2, actor)).ok).toBe(true)
  const snv = await t.db.selectFrom('agency').select('id').where('code', '=', 'DEMO-AL-SNV').executeTakeFirstOrThrow()
  expect((await assignVersion(t.db, v1, [snv.id], actor)).ok).toBe(true)
})
afterAll(() => t.cleanup())

const criteria = [
  'E1.1',
  'E1.2',
  'E1.3',
  'E1.4',
  'E2.1',
  'E2.2',
  'E2.3',
  'E2.4',
  'E2.5',
  'E3.1',
  'E3.2',
  'E3.3',
  'E3.4',
  'E3.5',
  'E3.6',
  'E4.1',
  'E4.2',
  'E4.3',
  'E5.1',
  'E5.2',
  'E5.3',
  'E5.4',
]
const row = (id: string, agency: string) => ({
  external_id: id,
  agency_code: agency,
  submitted_at: '2026-10-05',
  ...Object.fromEntries(criteria.map((c) => [c, '4'])),
})

describe('importing responses', () => {
  it("stores each row against its agency's version: the assigned one, else the newest published", async () => {
    const checked = await checkResponseRows(t.db, 'SIPAS-2017', [row('X-1', 'DEMO-AL-SNV'), row('X-2', 'DEMO-AL-STP')])
    expect(checked.errors).toEqual([])
    await applyResponseRows(t.db, checked.valid, admin)
    const stored = await t.db
      .selectFrom('response')
      .select(['external_id', 'version_id'])
      .where('source', '=', 'import')
      .orderBy('external_id')
      .execute()
    expect(stored).toEqual([
      { external_id: 'X-1', version_id: v1 },
      { external_id: 'X-2', version_id: v2 },
    ])
  })

  it('an imported row is stored under import:<external id>; checking again skips it as a known id', async () => {
    const keys = await t.db
      .selectFrom('submission_key')
      .select('client_submission_id')
      .where('client_submission_id', 'like', 'import:%')
      .orderBy('client_submission_id')
      .execute()
    expect(keys.map((k) => k.client_submission_id)).toEqual(['import:X-1', 'import:X-2'])
    const again = await checkResponseRows(t.db, 'SIPAS-2017', [row('X-1', 'DEMO-AL-SNV'), row('X-3', 'DEMO-AL-STP')])
    expect([again.valid.map((r) => r.externalId), again.duplicates]).toEqual([['X-3'], 1])
  })

  it('two imports of the same rows at once: the one that commits second stores nothing and says why (409)', async () => {
    const rows = [row('R-1', 'DEMO-AL-STP'), row('R-2', 'DEMO-AL-STP')]
    // Both were checked before either wrote; the first then applies.
    const checkedFirst = await checkResponseRows(t.db, 'SIPAS-2017', rows)
    const checkedSecond = await checkResponseRows(t.db, 'SIPAS-2017', rows)
    await applyResponseRows(t.db, checkedFirst.valid, admin)
    const before = await t.db.selectFrom('response').select('id').execute()
    const form = new FormData()
    form.set(
      'file',
      new File(['external_id,agency_code,submitted_at\nR-1,DEMO-AL-STP,2026-10-05\n'], 'rows.csv', {
        type: 'text/csv',
      }),
    )
    const outcome = await runImport(
      form,
      true,
      async () => checkedSecond,
      (valid) => applyResponseRows(t.db, valid, admin),
    )
    expect(outcome.init?.status).toBe(409)
    expect(outcome.data).toEqual({ status: 'conflict', count: 0, errors: [] })
    expect(await t.db.selectFrom('response').select('id').execute()).toEqual(before)
  })
})
