/**
 * Procedures that belong to agencies (issue #18), through the real admin route: the migration's columns
 * and link table as the demo seed fills them, adding and editing a procedure with its national code,
 * field, level and agencies, and the import's `national_code` and `agencies` columns — bad input refused
 * with translated keys and nothing stored half-way.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { action as proceduresAction, loader as proceduresLoader } from '#app/routes/admin.procedures.tsx'
import { ROOT } from '#scripts/support/root.ts'
import { createTestDatabase, rowCount, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run, type SignedIn, signIn } from '#tests/helpers/remix.ts'
import { args, auditActions, csvFile, get, lastAuditId, post } from './support.ts'

let t: TestDatabase
let context: AppLoadContext
let admin: SignedIn

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  admin = await signIn(context, 'admin@proc.vn', 'admin', null)
})
afterAll(async () => {
  await t?.cleanup()
})

const HEADER = ['code', 'name_vi', 'name_en', 'level', 'field_vi', 'field_en', 'national_code', 'agencies']

const send = (fields: Record<string, string | File>) =>
  run(() => proceduresAction(args(context, post('/admin/procedures', fields, admin.cookie))))
const page = async (query: string) =>
  (await run(() => proceduresLoader(args(context, get(`/admin/procedures${query}`, admin.cookie))))).body as {
    procedures: Array<{ code: string; nationalCode: string | null; agencyCodes: string[]; fieldVi: string }>
    total: number
    editing: null | { code: string; nationalCode: string | null; level: string; agencyCodes: string[] }
  }

async function stored(code: string) {
  const p = await t.db.selectFrom('procedure').selectAll().where('code', '=', code).executeTakeFirst()
  if (!p) return undefined
  const agencies = await t.db
    .selectFrom('procedure_agency as pa')
    .innerJoin('agency as a', 'a.id', 'pa.agency_id')
    .select('a.code')
    .where('pa.procedure_id', '=', p.id)
    .orderBy('a.code')
    .execute()
  return { ...p, agencies: agencies.map((a) => a.code) }
}

const counts = async () => ({
  procedure: await rowCount(t.db, 'procedure'),
  links: await rowCount(t.db, 'procedure_agency'),
})

describe('the migration and the demo seed', () => {
  it('procedures have a national code, a field and a level, and the agencies that handle them', async () => {
    expect(await stored('DEMO-TTHC-002')).toMatchObject({
      national_code: '1.001193',
      field_vi: 'Hộ tịch',
      level: 'commune',
      agencies: ['DEMO-AL-P-ANLAC', 'DEMO-AL-X-BINHMINH', 'DEMO-AL-X-HOATHUAN'],
    })
    expect(await stored('DEMO-TTHC-005')).toMatchObject({ national_code: '2.000488', agencies: ['DEMO-AL-STP'] })
    // Every demo procedure has a code in the national form and at least one agency.
    const all = await t.db.selectFrom('procedure').select(['code', 'national_code']).execute()
    for (const p of all) {
      expect(p.national_code, p.code).toMatch(/^\d\.\d{6}$/)
      expect((await stored(p.code))!.agencies.length, p.code).toBeGreaterThan(0)
    }
  })

  it('the link table refuses a link to an unknown agency and a repeated link', async () => {
    const p = (await stored('DEMO-TTHC-001'))!
    await expect(
      t.db.insertInto('procedure_agency').values({ procedure_id: p.id, agency_id: 999_999 }).execute(),
    ).rejects.toThrow()
    const agency = await t.db
      .selectFrom('agency')
      .select('id')
      .where('code', '=', 'DEMO-AL-SXD')
      .executeTakeFirstOrThrow()
    await expect(
      t.db.insertInto('procedure_agency').values({ procedure_id: p.id, agency_id: agency.id }).execute(),
    ).rejects.toThrow()
  })
})

describe('the admin page', () => {
  it('lists each procedure with its national code and agencies; search ignores diacritics and finds by field', async () => {
    const found = await page('?q=dat%20dai')
    expect(found.procedures.map((p) => p.code)).toEqual(['DEMO-TTHC-007'])
    expect(found.procedures[0]).toMatchObject({
      nationalCode: '1.004227',
      fieldVi: 'Đất đai',
      agencyCodes: ['DEMO-AL-P-ANLAC', 'DEMO-AL-SNNMT', 'DEMO-AL-X-BINHMINH', 'DEMO-AL-X-HOATHUAN'],
    })
    expect((await page('?q=1.001193')).procedures.map((p) => p.code)).toEqual(['DEMO-TTHC-002'])
    expect((await page('?q=s%E1%BB%95%20%C4%91%E1%BB%8F')).procedures.map((p) => p.code)).toEqual(['DEMO-TTHC-007'])
    expect((await page('?edit=DEMO-TTHC-005')).editing).toMatchObject({
      code: 'DEMO-TTHC-005',
      nationalCode: '2.000488',
      agencyCodes: ['DEMO-AL-STP'],
    })
    expect((await page('?edit=NOPE')).editing).toBeNull()
  })

  it('add: a procedure with its national code and agencies (";"-separated), audited', async () => {
    const since = await lastAuditId(t)
    const outcome = await send({
      intent: 'add',
      code: 'P-ADD',
      nameVi: 'Đăng ký thường trú',
      nameEn: 'Permanent residence registration',
      level: 'commune',
      fieldVi: 'Đăng ký, quản lý cư trú',
      fieldEn: 'Residence',
      nationalCode: '1.004194',
      agencyCodes: 'DEMO-AL-P-ANLAC; DEMO-AL-X-BINHMINH;',
    })
    expect(outcome.status).toBe(200)
    expect(outcome.body).toEqual({ status: 'applied', count: 1, errors: [] })
    expect(await stored('P-ADD')).toMatchObject({
      national_code: '1.004194',
      agencies: ['DEMO-AL-P-ANLAC', 'DEMO-AL-X-BINHMINH'],
    })
    expect(await auditActions(t, since)).toEqual(['procedure.import'])
  })

  it('add refuses a malformed national code and an unknown agency (400, translated keys), storing nothing', async () => {
    const before = await counts()
    const outcome = await send({
      intent: 'add',
      code: 'P-BAD',
      nameVi: 'Thử',
      nameEn: 'Trial',
      level: 'commune',
      fieldVi: 'Thử',
      fieldEn: 'Trial',
      nationalCode: '1001234',
      agencyCodes: 'DEMO-AL-STP',
    })
    expect(outcome.status).toBe(400)
    expect(outcome.body).toEqual({
      status: 'errors',
      count: 0,
      errors: [{ row: 1, messages: [{ key: 'procedures.errors.nationalCode', values: { column: 'nationalCode' } }] }],
    })
    const unknown = await send({
      intent: 'add',
      code: 'P-BAD',
      nameVi: 'Thử',
      nameEn: 'Trial',
      level: 'commune',
      fieldVi: 'Thử',
      fieldEn: 'Trial',
      agencyCodes: 'DEMO-AL-STP;KHONG-CO',
    })
    expect(unknown.status).toBe(400)
    expect(unknown.body).toEqual({
      status: 'errors',
      count: 0,
      errors: [{ row: 1, messages: [{ key: 'procedures.errors.unknownAgency', values: { code: 'KHONG-CO' } }] }],
    })
    expect(await counts()).toEqual(before)
  })

  it('edit: rewrites names, field, level, national code and agencies, audited; the code stays', async () => {
    const since = await lastAuditId(t)
    const outcome = await send({
      intent: 'edit',
      code: 'DEMO-TTHC-008',
      nameVi: 'Thi tuyển công chức',
      nameEn: 'Civil service entrance examination',
      level: 'province',
      fieldVi: 'Công chức, viên chức',
      fieldEn: 'Civil service',
      nationalCode: '1.005385',
      agencyCodes: 'DEMO-AL-SNV;DEMO-AL-STP',
    })
    expect(outcome.status).toBe(302)
    expect(outcome.location).toBe('/admin/procedures?edit=DEMO-TTHC-008&saved=1')
    expect(await stored('DEMO-TTHC-008')).toMatchObject({
      name_vi: 'Thi tuyển công chức',
      national_code: '1.005385',
      level: 'province',
      search_text: 'thi tuyen cong chuc demo tthc 008 1.005385 cong chuc vien chuc',
      agencies: ['DEMO-AL-SNV', 'DEMO-AL-STP'],
    })
    expect(await auditActions(t, since)).toEqual(['procedure.update'])
    // Clearing the national code and the agencies is an edit too.
    await send({
      intent: 'edit',
      code: 'DEMO-TTHC-008',
      nameVi: 'Thi tuyển công chức',
      nameEn: 'Civil service entrance examination',
      level: 'province',
      fieldVi: 'Công chức, viên chức',
      fieldEn: 'Civil service',
      nationalCode: '',
      agencyCodes: '',
    })
    expect(await stored('DEMO-TTHC-008')).toMatchObject({ national_code: null, agencies: [] })
  })

  it('edit refuses an unknown agency, a bad level and an unknown procedure (400), changing nothing', async () => {
    const before = await stored('DEMO-TTHC-005')
    const since = await lastAuditId(t)
    const fields = {
      intent: 'edit',
      code: 'DEMO-TTHC-005',
      nameVi: 'Đổi tên',
      nameEn: 'Renamed',
      level: 'province',
      fieldVi: 'Lý lịch tư pháp',
      fieldEn: 'Judicial records',
      nationalCode: '2.000488',
    }
    const unknown = await send({ ...fields, agencyCodes: 'DEMO-AL-STP;KHONG-CO' })
    expect(unknown.status).toBe(400)
    expect(unknown.body).toMatchObject({
      errors: [{ row: 1, messages: [{ key: 'procedures.errors.unknownAgency', values: { code: 'KHONG-CO' } }] }],
    })
    expect((await send({ ...fields, level: 'planet' })).status).toBe(400)
    const missing = await send({ ...fields, code: 'KHONG-CO-TTHC' })
    expect(missing.status).toBe(400)
    expect(missing.body).toMatchObject({ errors: [{ row: 1, messages: [{ key: 'procedures.errors.notFound' }] }] })
    expect(await stored('DEMO-TTHC-005')).toEqual(before)
    expect(await auditActions(t, since)).toEqual([])
  })
})

describe('the import', () => {
  it('takes national_code and agencies columns; one bad row imports nothing (422)', async () => {
    const before = await counts()
    const bad = csvFile('p.csv', [
      HEADER,
      [
        'P-IMP-1',
        'Đăng ký khai tử',
        'Death registration',
        'commune',
        'Hộ tịch',
        'Civil status',
        '1.000656',
        'DEMO-AL-P-ANLAC',
      ],
      ['P-IMP-2', 'Thử', 'Trial', 'commune', 'Thử', 'Trial', '1.0006', 'KHONG-CO;DEMO-AL-STP'],
    ])
    for (const intent of ['preview', 'apply']) {
      const outcome = await send({ intent, file: bad })
      expect(outcome.status).toBe(422)
      expect(outcome.body).toEqual({
        status: 'errors',
        count: 0,
        errors: [
          {
            row: 3,
            messages: [{ key: 'procedures.errors.nationalCode', values: { column: 'nationalCode' } }],
          },
        ],
      })
    }
    const unknownAgency = csvFile('p.csv', [
      HEADER,
      ['P-IMP-2', 'Thử', 'Trial', 'commune', 'Thử', 'Trial', '', 'KHONG-CO;DEMO-AL-STP'],
    ])
    expect((await send({ intent: 'apply', file: unknownAgency })).body).toMatchObject({
      status: 'errors',
      errors: [{ row: 2, messages: [{ key: 'procedures.errors.unknownAgency', values: { code: 'KHONG-CO' } }] }],
    })
    expect(await counts()).toEqual(before)

    const good = csvFile('p.csv', [
      HEADER,
      [
        'P-IMP-1',
        'Đăng ký khai tử',
        'Death registration',
        'commune',
        'Hộ tịch',
        'Civil status',
        '1.000656',
        'DEMO-AL-P-ANLAC; DEMO-AL-X-HOATHUAN',
      ],
      ['P-IMP-3', 'Không gắn cơ quan', 'No agency', 'province', 'Thử', 'Trial', '', ''],
    ])
    expect((await send({ intent: 'apply', file: good })).body).toEqual({ status: 'applied', count: 2, errors: [] })
    expect(await stored('P-IMP-1')).toMatchObject({
      national_code: '1.000656',
      agencies: ['DEMO-AL-P-ANLAC', 'DEMO-AL-X-HOATHUAN'],
    })
    expect(await stored('P-IMP-3')).toMatchObject({ national_code: null, agencies: [] })
    expect(await counts()).toEqual({ procedure: before.procedure + 2, links: before.links + 2 })
  })

  it('a file without the new columns still imports, as before', async () => {
    const old = csvFile('p.csv', [
      ['code', 'name_vi', 'name_en', 'level', 'field_vi', 'field_en'],
      ['P-OLD', 'Thủ tục cũ', 'Old', 'district', 'Thử', 'Trial'],
    ])
    expect((await send({ intent: 'apply', file: old })).body).toEqual({ status: 'applied', count: 1, errors: [] })
    expect(await stored('P-OLD')).toMatchObject({ national_code: null, agencies: [] })
  })
})

it('every error key the procedures page can report is translated in both languages', () => {
  for (const lang of ['vi', 'en']) {
    const admin = JSON.parse(fs.readFileSync(path.join(ROOT, `locales/${lang}/admin.json`), 'utf8'))
    for (const key of ['nationalCode', 'unknownAgency', 'notFound'])
      expect(admin.procedures.errors[key], `${lang} ${key}`).toEqual(expect.any(String))
  }
})
