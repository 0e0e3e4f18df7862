import { Migrator } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { procedureSearchText } from '#app/domain/procedures/search-terms.ts'
import { searchProcedures } from '#app/.server/repos/procedures.ts'
import type { DB } from '#db/client.ts'
import { migrateToLatest } from '#db/migrate.ts'
import { migrationProvider } from '#db/migrations/index.ts'
import { createEmptyDatabase } from '#tests/helpers/db.ts'

const BEFORE = '2026-11-30T0200_releases'
let db: DB
let drop = async () => {}

const OLD = [
  { code: 'OLD-1', name_vi: 'Cấp giấy chứng nhận quyền sử dụng đất lần đầu', field_vi: 'Đất đai' },
  { code: 'OLD-2', name_vi: 'Thi tuyển, xét tuyển công chức', field_vi: 'Công chức, viên chức' },
]

beforeAll(async () => {
  ;({ db, drop } = await createEmptyDatabase())
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo(BEFORE)
  if (error) throw error
  for (const p of OLD)
    await db
      .insertInto('procedure')
      .values({
        ...p,
        name_en: p.code,
        level: 'commune',
        field_en: 'x',
        // What the app stored before: the folded name and code, punctuation kept, no field.
        search_text: `${p.name_vi} ${p.code}`.toLowerCase(),
        active: 1,
      } as never)
      .execute()
  await migrateToLatest(db)
})
afterAll(async () => {
  await db?.destroy()
  await drop()
})

describe('procedure agencies migration', () => {
  it('existing procedures get no national code and no agency', async () => {
    const rows = await db.selectFrom('procedure').select(['code', 'national_code']).orderBy('code').execute()
    expect(rows).toEqual([
      { code: 'OLD-1', national_code: null },
      { code: 'OLD-2', national_code: null },
    ])
    expect(await db.selectFrom('procedure_agency').selectAll().execute()).toEqual([])
  })

  it('their search text is rewritten as the app writes it, with the field: "dat dai" finds them', async () => {
    for (const p of OLD) {
      const row = await db.selectFrom('procedure').select('search_text').where('code', '=', p.code).executeTakeFirst()
      expect(row?.search_text).toBe(procedureSearchText({ nameVi: p.name_vi, code: p.code, fieldVi: p.field_vi }))
    }
    expect((await searchProcedures(db, 'dat dai')).map((p) => p.code)).toEqual(['OLD-1'])
    expect((await searchProcedures(db, 'so do')).map((p) => p.code)).toEqual(['OLD-1'])
  })

  it('the link table takes a procedure and an agency once', async () => {
    const agency = await db
      .insertInto('agency')
      .values({
        code: 'A',
        name_vi: 'A',
        name_en: 'A',
        level: 'commune',
        parent_id: null,
        valid_from: '2020-01-01',
        created_at: '2020-01-01',
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow()
    const p = await db.selectFrom('procedure').select('id').where('code', '=', 'OLD-1').executeTakeFirstOrThrow()
    await db.insertInto('procedure_agency').values({ procedure_id: p.id, agency_id: agency.id }).execute()
    await expect(
      db.insertInto('procedure_agency').values({ procedure_id: p.id, agency_id: agency.id }).execute(),
    ).rejects.toThrow()
  })
})
