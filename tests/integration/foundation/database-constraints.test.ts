/**
 * Rules the database itself enforces, whatever the code does: published questionnaire versions are
 * immutable, a response is stored once per client submission id and once per invitation, and foreign
 * keys hold. The same assertions run on SQLite and PostgreSQL: db/dialect.ts reads either's errors.
 */
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DB } from '#db/client.ts'
import { violationOf } from '#db/dialect.ts'
import { SIPAS_2017 } from '#app/domain/questionnaire/templates/sipas2017.ts'
import { insertVersion, publishVersion } from '#app/.server/repos/questionnaires.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'

const IMMUTABLE = /published questionnaire version is immutable/

let t: TestDatabase
let db: DB
let questionnaireId: number
let publishedId: number
let agencyId: number

async function count(table: 'questionnaire_item' | 'questionnaire_element' | 'response', where?: [string, number]) {
  let q = db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'))
  if (where) q = q.where(sql.ref(where[0]), '=', where[1])
  return Number((await q.executeTakeFirstOrThrow()).n)
}

function responseRow(
  clientSubmissionId: string,
  extra: Partial<{ invitation_id: number | null; agency_id: number; version_id: number }> = {},
) {
  return {
    client_submission_id: clientSubmissionId,
    version_id: publishedId,
    agency_id: agencyId,
    procedure_id: null,
    channel: 'counter' as const,
    link_id: null,
    invitation_id: null,
    submitted_at: '2026-03-01T02:00:00.000Z',
    period_month: '2026-03',
    weight_micro: 1_000_000,
    stratum: null,
    cluster: null,
    external_id: null,
    profile_json: null,
    source: 'web' as const,
    ...extra,
  }
}

beforeAll(async () => {
  t = await createTestDatabase({ seed: 'demo' })
  db = t.db
  const q = await db.selectFrom('questionnaire').select('id').where('code', '=', 'SIPAS-2017').executeTakeFirstOrThrow()
  questionnaireId = q.id
  const v = await db
    .selectFrom('questionnaire_version')
    .selectAll()
    .where('questionnaire_id', '=', q.id)
    .executeTakeFirstOrThrow()
  expect(v.status).toBe('published')
  publishedId = v.id
  agencyId = (await db.selectFrom('agency').select('id').where('code', '=', 'DEMO-AL').executeTakeFirstOrThrow()).id
})
afterAll(async () => t?.cleanup())

describe('a published questionnaire version is immutable', () => {
  it('rejects UPDATE of one of its items', async () => {
    const item = await db
      .selectFrom('questionnaire_item')
      .selectAll()
      .where('version_id', '=', publishedId)
      .where('code', '=', 'E1.1')
      .executeTakeFirstOrThrow()
    await expect(
      db.updateTable('questionnaire_item').set({ label_vi: 'Đã sửa' }).where('id', '=', item.id).execute(),
    ).rejects.toThrow(IMMUTABLE)
    await expect(
      db
        .updateTable('questionnaire_item')
        .set({ satisfied_threshold: 3 })
        .where('version_id', '=', publishedId)
        .execute(),
    ).rejects.toThrow(IMMUTABLE)
    const after = await db
      .selectFrom('questionnaire_item')
      .selectAll()
      .where('id', '=', item.id)
      .executeTakeFirstOrThrow()
    expect(after).toEqual(item)
  })

  it('rejects INSERT of a new item', async () => {
    const before = await count('questionnaire_item', ['version_id', publishedId])
    await expect(
      db
        .insertInto('questionnaire_item')
        .values({
          version_id: publishedId,
          element_id: null,
          code: 'NEW.1',
          position: 999,
          type: 'text',
          role: 'other',
          label_vi: 'Mới',
          label_en: 'New',
          required: 0,
          counts_in_index: 0,
          satisfied_threshold: null,
          options_json: null,
          max_length: 100,
        })
        .execute(),
    ).rejects.toThrow(IMMUTABLE)
    expect(await count('questionnaire_item', ['version_id', publishedId])).toBe(before)
  })

  it('rejects DELETE of an item', async () => {
    const before = await count('questionnaire_item', ['version_id', publishedId])
    await expect(
      db
        .deleteFrom('questionnaire_item')
        .where('version_id', '=', publishedId)
        .where('code', '=', 'S.suggestion')
        .execute(),
    ).rejects.toThrow(IMMUTABLE)
    expect(await count('questionnaire_item', ['version_id', publishedId])).toBe(before)
  })

  it('rejects UPDATE, INSERT and DELETE of its elements', async () => {
    const element = await db
      .selectFrom('questionnaire_element')
      .selectAll()
      .where('version_id', '=', publishedId)
      .where('code', '=', 'E3')
      .executeTakeFirstOrThrow()
    await expect(
      db.updateTable('questionnaire_element').set({ weight: 2 }).where('id', '=', element.id).execute(),
    ).rejects.toThrow(IMMUTABLE)
    await expect(
      db
        .insertInto('questionnaire_element')
        .values({ version_id: publishedId, code: 'E6', position: 6, weight: 1, title_vi: 'Mới', title_en: 'New' })
        .execute(),
    ).rejects.toThrow(IMMUTABLE)
    // Delete an element whose items reference it would fail on the foreign key anyway: the guard must fire first.
    await expect(db.deleteFrom('questionnaire_element').where('id', '=', element.id).execute()).rejects.toThrow(
      IMMUTABLE,
    )
    expect(
      await db.selectFrom('questionnaire_element').selectAll().where('id', '=', element.id).executeTakeFirstOrThrow(),
    ).toEqual(element)
    expect(await count('questionnaire_element', ['version_id', publishedId])).toBe(5)
  })

  it('rejects moving it back to draft, directly or from retired', async () => {
    await expect(
      db.updateTable('questionnaire_version').set({ status: 'draft' }).where('id', '=', publishedId).execute(),
    ).rejects.toThrow(IMMUTABLE)
    await expect(
      db
        .updateTable('questionnaire_version')
        .set({ index_method: 'mean-of-item-indices' })
        .where('id', '=', publishedId)
        .execute(),
    ).rejects.toThrow(IMMUTABLE)
    await expect(
      db.updateTable('questionnaire_version').set({ version_number: 7 }).where('id', '=', publishedId).execute(),
    ).rejects.toThrow(IMMUTABLE)
    const v = await db
      .selectFrom('questionnaire_version')
      .select(['status', 'index_method', 'version_number'])
      .where('id', '=', publishedId)
      .executeTakeFirstOrThrow()
    expect(v).toEqual({ status: 'published', index_method: 'respondent-composite', version_number: 1 })
  })

  it('rejects deleting the version', async () => {
    await expect(db.deleteFrom('questionnaire_version').where('id', '=', publishedId).execute()).rejects.toThrow(
      IMMUTABLE,
    )
    expect(
      await db.selectFrom('questionnaire_version').select('id').where('id', '=', publishedId).executeTakeFirst(),
    ).toBeTruthy()
  })

  it('rejects moving a draft item into the published version (UPDATE … SET version_id)', async () => {
    const draftId = await db
      .transaction()
      .execute((trx) => insertVersion(trx, questionnaireId, SIPAS_2017, new Date().toISOString()))
    try {
      const before = await count('questionnaire_item', ['version_id', publishedId])
      const suggestion = await db
        .selectFrom('questionnaire_item')
        .select('id')
        .where('version_id', '=', draftId)
        .where('code', '=', 'S.suggestion')
        .executeTakeFirstOrThrow()
      // Give it a code the published version does not have, so only the guard can stop it.
      await db.updateTable('questionnaire_item').set({ code: 'S.smuggled' }).where('id', '=', suggestion.id).execute()
      await expect(
        db.updateTable('questionnaire_item').set({ version_id: publishedId }).where('id', '=', suggestion.id).execute(),
      ).rejects.toThrow(IMMUTABLE)
      expect(await count('questionnaire_item', ['version_id', publishedId])).toBe(before)
    } finally {
      await db.deleteFrom('questionnaire_item').where('version_id', '=', draftId).execute()
      await db.deleteFrom('questionnaire_element').where('version_id', '=', draftId).execute()
      await db.deleteFrom('questionnaire_version').where('id', '=', draftId).execute()
    }
  })
})

describe('a draft questionnaire version can be edited', () => {
  it('allows UPDATE, INSERT and DELETE of items and elements, then publishing, after which it is frozen', async () => {
    const draftId = await db
      .transaction()
      .execute((trx) => insertVersion(trx, questionnaireId, SIPAS_2017, new Date().toISOString()))
    const draft = await db
      .selectFrom('questionnaire_version')
      .selectAll()
      .where('id', '=', draftId)
      .executeTakeFirstOrThrow()
    expect(draft.status).toBe('draft')
    expect(draft.version_number).toBe(2)

    const item = await db
      .selectFrom('questionnaire_item')
      .select('id')
      .where('version_id', '=', draftId)
      .where('code', '=', 'E1.1')
      .executeTakeFirstOrThrow()
    await db
      .updateTable('questionnaire_item')
      .set({ label_vi: 'Nơi ngồi chờ thoáng mát' })
      .where('id', '=', item.id)
      .execute()
    expect(
      (await db.selectFrom('questionnaire_item').select('label_vi').where('id', '=', item.id).executeTakeFirstOrThrow())
        .label_vi,
    ).toBe('Nơi ngồi chờ thoáng mát')

    const element = await db
      .insertInto('questionnaire_element')
      .values({ version_id: draftId, code: 'E6', position: 6, weight: 1, title_vi: 'Số hóa', title_en: 'Digital' })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db.updateTable('questionnaire_element').set({ weight: 0.5 }).where('id', '=', element.id).execute()
    await db
      .insertInto('questionnaire_item')
      .values({
        version_id: draftId,
        element_id: element.id,
        code: 'E6.1',
        position: 100,
        type: 'scale5',
        role: 'criterion',
        label_vi: 'Dịch vụ công trực tuyến dễ dùng',
        label_en: 'Online services are easy to use',
        required: 1,
        counts_in_index: 1,
        satisfied_threshold: 4,
        options_json: null,
        max_length: null,
      })
      .execute()
    await db
      .deleteFrom('questionnaire_item')
      .where('version_id', '=', draftId)
      .where('code', '=', 'S.suggestion')
      .execute()
    expect(await count('questionnaire_element', ['version_id', draftId])).toBe(6)
    expect(
      await db
        .selectFrom('questionnaire_item')
        .select('code')
        .where('version_id', '=', draftId)
        .where('code', 'in', ['E6.1', 'S.suggestion'])
        .execute(),
    ).toEqual([{ code: 'E6.1' }])

    await db.deleteFrom('questionnaire_item').where('code', '=', 'E6.1').where('version_id', '=', draftId).execute()
    await db.deleteFrom('questionnaire_element').where('id', '=', element.id).execute()
    expect(await count('questionnaire_element', ['version_id', draftId])).toBe(5)

    await publishVersion(db, draftId, new Date().toISOString())
    await expect(
      db.updateTable('questionnaire_item').set({ label_vi: 'x' }).where('id', '=', item.id).execute(),
    ).rejects.toThrow(IMMUTABLE)
    // Retiring a published version is allowed (it keeps its content).
    await db.updateTable('questionnaire_version').set({ status: 'retired' }).where('id', '=', draftId).execute()
    await expect(
      db.updateTable('questionnaire_version').set({ status: 'draft' }).where('id', '=', draftId).execute(),
    ).rejects.toThrow(IMMUTABLE)
    await expect(db.deleteFrom('questionnaire_version').where('id', '=', draftId).execute()).rejects.toThrow(IMMUTABLE)
  })

  it('allows deleting a draft version', async () => {
    const { id } = await db
      .insertInto('questionnaire_version')
      .values({
        questionnaire_id: questionnaireId,
        version_number: 50,
        status: 'draft',
        index_method: 'respondent-composite',
        created_from_version_id: publishedId,
        created_at: new Date().toISOString(),
        published_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db.deleteFrom('questionnaire_version').where('id', '=', id).execute()
    expect(
      await db.selectFrom('questionnaire_version').select('id').where('id', '=', id).executeTakeFirst(),
    ).toBeUndefined()
  })
})

describe('responses', () => {
  it('refuses a second response under the same submission id: submission_key is unique', async () => {
    const { id } = await db
      .insertInto('response')
      .values(responseRow('dup-0001'))
      .returning('id')
      .executeTakeFirstOrThrow()
    await db.insertInto('submission_key').values({ client_submission_id: 'dup-0001', response_id: id }).execute()
    const second = await db
      .insertInto('response')
      .values(responseRow('dup-0001'))
      .returning('id')
      .executeTakeFirstOrThrow()
    expect(
      await violationOf(
        db.insertInto('submission_key').values({ client_submission_id: 'dup-0001', response_id: second.id }).execute(),
      ),
    ).toEqual({ kind: 'unique', table: 'submission_key', columns: ['client_submission_id'] })
    expect(
      await db
        .selectFrom('submission_key')
        .select('response_id')
        .where('client_submission_id', '=', 'dup-0001')
        .execute(),
    ).toEqual([{ response_id: id }])
  })

  it('keeps no unique key on response or answer without the month and the agency (they can be partitioned and sharded)', async () => {
    const uniqueKeys =
      t.dialect === 'postgres'
        ? (
            await sql<{ table: string; columns: string[] }>`
          select c.relname as "table", array(select a.attname from unnest(i.indkey::int2[]) k join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k)::text[] as columns
          from pg_index i join pg_class c on c.oid = i.indrelid where i.indisunique and c.relname in ('response', 'answer')`.execute(
              db,
            )
          ).rows
        : []
    if (t.dialect === 'postgres') expect(uniqueKeys.map((k) => k.table).sort()).toEqual(['answer', 'response'])
    for (const key of uniqueKeys)
      expect(key.columns, key.table).toEqual(expect.arrayContaining(['agency_id', 'period_month']))
    // SQLite cannot partition: its only unique key on response is the rowid, the cheapest to write.
    if (t.dialect === 'sqlite') {
      const indexes = (
        await sql<{ name: string; unique: number }>`select name, "unique" from pragma_index_list('response')`.execute(
          db,
        )
      ).rows
      expect(indexes.filter((i) => i.unique)).toEqual([])
    }
  })

  it('enforces foreign keys', async () => {
    expect(
      await violationOf(
        db
          .insertInto('response')
          .values(responseRow('fk-agency', { agency_id: 999_999 }))
          .execute(),
      ),
    ).toMatchObject({ kind: 'foreign_key' })
    expect(
      await violationOf(
        db
          .insertInto('response')
          .values(responseRow('fk-version', { version_id: 999_999 }))
          .execute(),
      ),
    ).toMatchObject({ kind: 'foreign_key' })
    expect(
      await violationOf(
        db
          .insertInto('response')
          .values(responseRow('fk-invitation', { invitation_id: 999_999 }))
          .execute(),
      ),
    ).toMatchObject({ kind: 'foreign_key' })
    expect(
      await violationOf(
        db
          .insertInto('answer')
          .values({
            response_id: 999_999,
            item_id: 1,
            value_number: 5,
            value_text: null,
            agency_id: agencyId,
            period_month: '2026-03',
          })
          .execute(),
      ),
    ).toMatchObject({ kind: 'foreign_key' })
    // Deleting a parent row that children reference is refused too.
    expect(await violationOf(db.deleteFrom('agency').where('id', '=', agencyId).execute())).toMatchObject({
      kind: 'foreign_key',
    })
    const leftovers = await db
      .selectFrom('response')
      .select('client_submission_id')
      .where('client_submission_id', 'like', 'fk-%')
      .execute()
    expect(leftovers).toEqual([])
  })

  it('enforces the check constraints on channel, source and weight', async () => {
    expect(
      await violationOf(
        db
          .insertInto('response')
          .values({ ...responseRow('ck-channel'), channel: 'fax' as never })
          .execute(),
      ),
    ).toMatchObject({ kind: 'check' })
    expect(
      await violationOf(
        db
          .insertInto('response')
          .values({ ...responseRow('ck-source'), source: 'robot' as never })
          .execute(),
      ),
    ).toMatchObject({ kind: 'check' })
    expect(
      await violationOf(
        db
          .insertInto('response')
          .values({ ...responseRow('ck-weight'), weight_micro: 0 })
          .execute(),
      ),
    ).toMatchObject({ kind: 'check' })
  })
})
