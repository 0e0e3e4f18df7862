// insertRows (db/dialect.ts): the hot path's multi-row insert written as SQL, on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertRows, violationOf } from '#db/dialect.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'

let t: TestDatabase
beforeAll(async () => {
  t = await createTestDatabase({ seed: 'demo' })
})
afterAll(async () => t?.cleanup())

const agency = (code: string, extra: Partial<{ valid_to: string | null; parent_id: number | null }> = {}) => ({
  code,
  name_vi: `Đơn vị ${code}`,
  name_en: `Unit ${code}`,
  level: 'commune' as const,
  parent_id: null,
  path: '',
  valid_from: '2026-01-01',
  valid_to: null,
  active: 1 as const,
  created_at: '2026-01-01T00:00:00Z',
  ...extra,
})

describe('insertRows', () => {
  it('inserts every row with its values (nulls and Vietnamese text included) and returns the asked columns', async () => {
    const rows = [agency('IR-1'), agency('IR-2', { valid_to: '2026-06-30' }), agency('IR-3')]
    const returned = await insertRows(t.db, 'agency', rows, { returning: ['id', 'code'] })
    expect(returned.map((r) => r.code).sort()).toEqual(['IR-1', 'IR-2', 'IR-3'])
    const stored = await t.db
      .selectFrom('agency')
      .select(['id', 'code', 'name_vi', 'valid_to'])
      .where('code', 'like', 'IR-%')
      .orderBy('code')
      .execute()
    expect(stored.map(({ code, name_vi, valid_to }) => ({ code, name_vi, valid_to }))).toEqual(
      rows.map(({ code, name_vi, valid_to }) => ({ code, name_vi, valid_to })),
    )
    expect(new Set(returned.map((r) => r.id))).toEqual(new Set(stored.map((r) => r.id)))
  })

  it('does nothing for no rows, and returns nothing unless asked', async () => {
    expect(await insertRows(t.db, 'agency', [])).toEqual([])
    expect(await insertRows(t.db, 'agency', [agency('IR-4')])).toEqual([])
  })

  it('skips rows whose key is stored when asked, and returns only the new ones', async () => {
    const at = '2026-11-30T00:00:00.000Z'
    await insertRows(t.db, 'form_token_use', [{ nonce: 'IR-n1', used_at: at }])
    const fresh = await insertRows(
      t.db,
      'form_token_use',
      [
        { nonce: 'IR-n1', used_at: at },
        { nonce: 'IR-n2', used_at: at },
      ],
      { skipOnConflict: ['nonce'], returning: ['nonce'] },
    )
    expect(fresh).toEqual([{ nonce: 'IR-n2' }])
    const stored = await t.db.selectFrom('form_token_use').select('nonce').where('nonce', 'like', 'IR-n%').execute()
    expect(stored.map((r) => r.nonce).sort()).toEqual(['IR-n1', 'IR-n2'])
  })

  it('stores nothing of a statement the database refuses', async () => {
    expect(await violationOf(insertRows(t.db, 'agency', [agency('IR-5'), agency('IR-1')]))).toMatchObject({
      kind: 'unique',
    })
    expect(await t.db.selectFrom('agency').select('code').where('code', '=', 'IR-5').execute()).toEqual([])
  })

  it('adds to the stored sums on a key that is already there (addOnConflict), in the same statement as new keys', async () => {
    const { id: agencyId } = await t.db
      .selectFrom('agency')
      .select('id')
      .where('code', '=', 'IR-1')
      .executeTakeFirstOrThrow()
    const { id: itemId } = await t.db
      .selectFrom('questionnaire_item')
      .select('id')
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow()
    const row = (answer: number, n: number) => ({
      agency_id: agencyId,
      period_month: '2026-03',
      item_id: itemId,
      answer_value: answer,
      stratum: '',
      entry_channel: 'open_link' as const,
      n,
      sum_w_micro: n * 1_000_000,
      sum_w2: n * 0.25,
    })
    const upsert = {
      addOnConflict: {
        key: ['agency_id', 'item_id', 'answer_value', 'stratum', 'entry_channel', 'period_month'] as const,
        add: ['n', 'sum_w_micro', 'sum_w2'] as const,
      },
    }
    await insertRows(t.db, 'item_aggregate', [row(4, 2)], upsert)
    await insertRows(t.db, 'item_aggregate', [row(4, 3), row(5, 1)], upsert)
    const stored = await t.db
      .selectFrom('item_aggregate')
      .select(['answer_value', 'n', 'sum_w_micro', 'sum_w2'])
      .where('agency_id', '=', agencyId)
      .orderBy('answer_value')
      .execute()
    expect(stored).toEqual([
      { answer_value: 4, n: 5, sum_w_micro: 5_000_000, sum_w2: 1.25 },
      { answer_value: 5, n: 1, sum_w_micro: 1_000_000, sum_w2: 0.25 },
    ])
  })

  it('takes thousands of parameters in one statement (2,000 rows × 6 values, as the answers insert does)', async () => {
    const rows = Array.from({ length: 2000 }, (_, k) => agency(`IR-BULK-${k}`))
    await insertRows(t.db, 'agency', rows)
    expect(
      Number(
        (
          await t.db
            .selectFrom('agency')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('code', 'like', 'IR-BULK-%')
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(2000)
  })
})
