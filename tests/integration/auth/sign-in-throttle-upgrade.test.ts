import { Migrator } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DB } from '#db/client.ts'
import { violationOf } from '#db/dialect.ts'
import { migrationProvider } from '#db/migrations/index.ts'
import { migrateToLatest } from '#db/migrate.ts'
import { createEmptyDatabase } from '#tests/helpers/db.ts'

const BEFORE = '2026-11-29T2030_quarantine'
let db: DB
let drop = async () => {}

beforeAll(async () => {
  ;({ db, drop } = await createEmptyDatabase())
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo(BEFORE)
  if (error) throw error
  const { id: agencyId } = await db
    .insertInto('agency')
    .values({
      code: 'A',
      name_vi: 'A',
      name_en: 'A',
      level: 'province',
      parent_id: null,
      valid_from: '2020-01-01',
      created_at: '2020-01-01',
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('api_token')
    .values({ agency_id: agencyId, token_hash: 'h1', label: 'old', created_at: '2026-03-01T08:00:00.000Z' } as never)
    .execute()
  for (const [hash, at] of [
    ['first', '2026-11-01T00:00:00.000Z'],
    ['second', '2026-11-02T00:00:00.000Z'],
    ['newest', '2026-11-03T00:00:00.000Z'],
  ])
    await db
      .insertInto('setup_token')
      .values({ token_hash: hash, created_at: at, expires_at: '2099-01-01', used_at: null })
      .execute()
  await db
    .insertInto('setup_token')
    .values({
      token_hash: 'spent',
      created_at: '2026-10-01',
      expires_at: '2026-10-02',
      used_at: '2026-10-01T01:00:00Z',
    })
    .execute()
  await migrateToLatest(db)
})
afterAll(async () => {
  await db?.destroy()
  await drop()
})

describe('sign-in throttle migration', () => {
  it('an existing API token expires a year after its creation', async () => {
    const token = await db.selectFrom('api_token').select('expires_at').executeTakeFirstOrThrow()
    expect(token.expires_at).toBe('2027-03-01T08:00:00.000Z')
  })

  it('only the newest open set-up link stays open; a spent one keeps its time', async () => {
    const rows = await db.selectFrom('setup_token').select(['token_hash', 'used_at']).orderBy('token_hash').execute()
    const open = rows.filter((r) => r.used_at === null).map((r) => r.token_hash)
    expect(open).toEqual(['newest'])
    expect(rows.find((r) => r.token_hash === 'spent')!.used_at).toBe('2026-10-01T01:00:00Z')
  })

  it('a second open set-up link is refused by the database', async () => {
    const second = db
      .insertInto('setup_token')
      .values({ token_hash: 'another', created_at: '2026-11-29', expires_at: '2099-01-01', used_at: null })
      .execute()
    expect((await violationOf(second))?.kind).toBe('unique')
  })

  it('the throttle table starts empty', async () => {
    expect(await db.selectFrom('sign_in_throttle').selectAll().execute()).toEqual([])
  })
})
