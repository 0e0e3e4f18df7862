/**
 * The catalogues administrators and managers keep, through the real route loaders and actions:
 * agencies (add, edit, move, cycles, deactivate, CSV/XLSX import all-or-nothing), procedures, survey links
 * and their QR codes and posters, API tokens, users, and the import of paper responses.
 */
import crypto from 'node:crypto'
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SIPAS_2017_ELEMENTS } from '#app/domain/questionnaire/templates/sipas2017.ts'
import { action as agenciesAction, loader as agenciesLoader } from '#app/routes/admin.agencies.tsx'
import { action as importAction } from '#app/routes/admin.import.tsx'
import { action as linksAction, loader as linksLoader } from '#app/routes/admin.links._index.tsx'
import { loader as posterLoader } from '#app/routes/admin_.links.$id.poster.tsx'
import { action as proceduresAction } from '#app/routes/admin.procedures.tsx'
import { action as tokensAction, loader as tokensLoader } from '#app/routes/admin.tokens.tsx'
import { action as usersAction, loader as usersLoader } from '#app/routes/admin.users.tsx'
import { loader as scoresLoader } from '#app/routes/api.v1.scores.ts'
import { loader as linkLoader } from '#app/routes/s.$code.tsx'
import { loader as qrPngLoader } from '#app/routes/s.$code_.qr[.]png.ts'
import { loader as qrSvgLoader } from '#app/routes/s.$code_.qr[.]svg.ts'
import { createSession } from '#app/.server/auth/session.ts'
import { createTestDatabase, rowCount, type TestDatabase } from '#tests/helpers/db.ts'
import { BASE, makeContext, type Outcome, PASSWORD, run, type SignedIn, signIn } from '#tests/helpers/remix.ts'
import { args, auditActions, csvFile, get, idOf, lastAuditId, post, xlsxFile } from './support.ts'

let t: TestDatabase
let context: AppLoadContext
let admin: SignedIn
let managerAL: SignedIn
let managerSNV: SignedIn

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  admin = await signIn(context, 'admin@cat.vn', 'admin', null)
  managerAL = await signIn(context, 'manager-al@cat.vn', 'manager', 'DEMO-AL')
  managerSNV = await signIn(context, 'manager-snv@cat.vn', 'manager', 'DEMO-AL-SNV')
})
afterAll(async () => {
  await t?.cleanup()
})

const agency = (code: string) => t.db.selectFrom('agency').selectAll().where('code', '=', code).executeTakeFirst()
const count = (table: 'agency' | 'procedure' | 'response' | 'survey_link' | 'api_token' | 'user') =>
  rowCount(t.db, table)
const agencies = (fields: Record<string, string | File>, cookie = admin.cookie) =>
  run(() => agenciesAction(args(context, post('/admin/agencies', fields, cookie))))
const addAgency = (code: string, parent: string, level = 'commune') =>
  agencies({
    intent: 'add',
    code,
    nameVi: `Đơn vị ${code}`,
    nameEn: `Unit ${code}`,
    level,
    parentCode: parent,
    validFrom: '2026-01-01',
  })
const AGENCY_HEADER = ['code', 'name_vi', 'name_en', 'level', 'parent_code', 'valid_from']
const PROCEDURE_HEADER = ['code', 'name_vi', 'name_en', 'level', 'field_vi', 'field_en']

describe('agencies', () => {
  it('add: a unit under a parent gets the parent’s path plus its id, audited', async () => {
    const since = await lastAuditId(t)
    const outcome = await addAgency('CAT-A', 'DEMO-AL', 'department')
    expect(outcome.status).toBe(200)
    expect(outcome.body).toEqual({ status: 'applied', count: 1, errors: [] })
    const parent = (await agency('DEMO-AL'))!
    const a = (await agency('CAT-A'))!
    expect(a).toMatchObject({
      name_vi: 'Đơn vị CAT-A',
      name_en: 'Unit CAT-A',
      level: 'department',
      parent_id: parent.id,
      path: `${parent.path}${a.id}/`,
      valid_to: null,
      active: 1,
    })
    expect(await auditActions(t, since)).toEqual(['agency.import'])
  })

  it('add refuses a taken code, an unknown parent and a bad level with a per-field report (400), adding nothing', async () => {
    const before = await count('agency')
    const taken = await addAgency('DEMO-AL-SNV', 'DEMO-AL')
    expect(taken.status).toBe(400)
    expect(taken.body).toEqual({
      status: 'errors',
      count: 0,
      errors: [{ row: 1, messages: [{ key: 'agencies.codeTaken' }] }],
    })
    const orphan = await addAgency('CAT-ORPHAN', 'NO-SUCH')
    expect(orphan.body).toMatchObject({ errors: [{ messages: [{ key: 'agencies.unknownParent' }] }] })
    const level = await addAgency('CAT-LEVEL', 'DEMO-AL', 'village')
    expect(level.status).toBe(400)
    expect(level.body).toMatchObject({
      errors: [{ messages: [{ key: 'common.invalid', values: { column: 'level' } }] }],
    })
    expect(await count('agency')).toBe(before)
  })

  it('edit names keeps the place in the tree', async () => {
    const a = (await agency('CAT-A'))!
    const outcome = await agencies({
      intent: 'update',
      id: String(a.id),
      nameVi: 'Sở Thử nghiệm (mẫu)',
      nameEn: 'Department of Trials (demo)',
      parentCode: 'DEMO-AL',
    })
    expect(outcome.status).toBe(200)
    expect(await agency('CAT-A')).toMatchObject({
      name_vi: 'Sở Thử nghiệm (mẫu)',
      name_en: 'Department of Trials (demo)',
      path: a.path,
      parent_id: a.parent_id,
    })
    const empty = await agencies({ intent: 'update', id: String(a.id), nameVi: '', nameEn: 'x', parentCode: 'DEMO-AL' })
    expect(empty.status).toBe(400)
  })

  it('move under another parent rewrites the paths of the whole subtree, and only those', async () => {
    expect((await addAgency('CAT-A1', 'CAT-A', 'district')).status).toBe(200)
    expect((await addAgency('CAT-A1X', 'CAT-A1')).status).toBe(200)
    expect((await addAgency('CAT-A2', 'CAT-A')).status).toBe(200)
    const others = await t.db
      .selectFrom('agency')
      .select(['code', 'path'])
      .where('code', 'not like', 'CAT-A%')
      .orderBy('id')
      .execute()
    const [a, a1, a1x, a2, snv] = await Promise.all(
      ['CAT-A', 'CAT-A1', 'CAT-A1X', 'CAT-A2', 'DEMO-AL-SNV'].map(async (c) => (await agency(c))!),
    )
    const since = await lastAuditId(t)
    const outcome = await agencies({
      intent: 'update',
      id: String(a!.id),
      nameVi: a!.name_vi,
      nameEn: a!.name_en,
      parentCode: 'DEMO-AL-SNV',
    })
    expect(outcome.status).toBe(200)
    const base = `${snv!.path}${a!.id}/`
    expect(await agency('CAT-A')).toMatchObject({ parent_id: snv!.id, path: base })
    expect(await agency('CAT-A1')).toMatchObject({ parent_id: a!.id, path: `${base}${a1!.id}/` })
    expect(await agency('CAT-A1X')).toMatchObject({ parent_id: a1!.id, path: `${base}${a1!.id}/${a1x!.id}/` })
    expect(await agency('CAT-A2')).toMatchObject({ parent_id: a!.id, path: `${base}${a2!.id}/` })
    expect(
      await t.db
        .selectFrom('agency')
        .select(['code', 'path'])
        .where('code', 'not like', 'CAT-A%')
        .orderBy('id')
        .execute(),
    ).toEqual(others)
    expect(await auditActions(t, since)).toEqual(['agency.update'])
    // The manager of DEMO-AL-SNV now sees the moved subtree in its scope.
    const links = await run(() => linksLoader(args(context, get('/admin/links', managerSNV.cookie))))
    expect((links.body as { agencies: Array<{ code: string }> }).agencies.map((x) => x.code)).toEqual(
      expect.arrayContaining(['CAT-A', 'CAT-A1', 'CAT-A1X', 'CAT-A2']),
    )
  })

  it('a move into its own subtree (or itself) is a cycle → 400, nothing changed', async () => {
    const before = await t.db.selectFrom('agency').selectAll().orderBy('id').execute()
    const a = (await agency('CAT-A'))!
    for (const parentCode of ['CAT-A1X', 'CAT-A1', 'CAT-A']) {
      const outcome = await agencies({
        intent: 'update',
        id: String(a.id),
        nameVi: 'Đổi',
        nameEn: 'Changed',
        parentCode,
      })
      expect(outcome.status, parentCode).toBe(400)
      expect(outcome.body).toBe('Không thể chuyển cơ quan vào chính đơn vị trực thuộc nó.')
    }
    const unknown = await agencies({
      intent: 'update',
      id: String(a.id),
      nameVi: 'Đổi',
      nameEn: 'Changed',
      parentCode: 'NO-SUCH',
    })
    expect(unknown.status).toBe(400)
    expect(await t.db.selectFrom('agency').selectAll().orderBy('id').execute()).toEqual(before)
  })

  it('the page knows each unit’s subtree, so its parent picker offers none of it', async () => {
    const tree = await run(() => agenciesLoader(args(context, get('/admin/agencies', admin.cookie))))
    const rows = (tree.body as { agencies: Array<{ id: number; code: string; subtree: number[] }> }).agencies
    const id = (code: string) => rows.find((r) => r.code === code)!.id
    const subtreeOf = (code: string) => rows.find((r) => r.code === code)!.subtree.sort((x, y) => x - y)
    const ids = (...codes: string[]) => codes.map(id).sort((x, y) => x - y)
    expect(subtreeOf('CAT-A')).toEqual(ids('CAT-A', 'CAT-A1', 'CAT-A1X', 'CAT-A2'))
    expect(subtreeOf('CAT-A1')).toEqual(ids('CAT-A1', 'CAT-A1X'))
    expect(subtreeOf('CAT-A1X')).toEqual(ids('CAT-A1X'))
    // Its parent's subtree holds it, and the parent's siblings hold none of it.
    expect(subtreeOf('DEMO-AL-SNV')).toEqual(expect.arrayContaining(ids('CAT-A', 'CAT-A1X')))
    for (const r of rows.filter((r) => r.code.startsWith('DEMO-AL-') && r.code !== 'DEMO-AL-SNV'))
      expect(r.subtree, r.code).not.toContain(id('CAT-A'))
  })

  it('deactivate sets valid_to, deactivates its links, never deletes; its /s/ link then answers 404', async () => {
    const a2 = (await agency('CAT-A2'))!
    const sipas = await idOf(t, 'questionnaire', 'SIPAS-2017')
    const created = await run(() =>
      linksAction(
        args(
          context,
          post(
            '/admin/links',
            {
              intent: 'create',
              agencyId: String(a2.id),
              questionnaireId: String(sipas),
              procedureId: '',
              counterLabel: 'Quầy 1',
              kind: 'poster',
            },
            admin.cookie,
          ),
        ),
      ),
    )
    expect(created.status).toBe(302)
    const link = await t.db
      .selectFrom('survey_link')
      .selectAll()
      .where('agency_id', '=', a2.id)
      .executeTakeFirstOrThrow()
    expect((await run(() => linkLoader(args(context, get(`/s/${link.code}`), { code: link.code })))).status).toBe(200)
    const bad = await agencies({ intent: 'deactivate', id: String(a2.id), validTo: '30/06/2026' })
    expect(bad.status).toBe(400)
    const before = await count('agency')
    const outcome = await agencies({ intent: 'deactivate', id: String(a2.id), validTo: '2026-06-30' })
    expect(outcome.status).toBe(200)
    expect(await count('agency')).toBe(before)
    expect(await agency('CAT-A2')).toMatchObject({ valid_to: '2026-06-30', active: 0, path: a2.path })
    expect(await t.db.selectFrom('survey_link').select('active').where('agency_id', '=', a2.id).execute()).toEqual([
      { active: 0 },
    ])
    expect((await run(() => linkLoader(args(context, get(`/s/${link.code}`), { code: link.code })))).status).toBe(404)
    // Still listed (as history), with no way to add links or users under it.
    const tree = await run(() => agenciesLoader(args(context, get('/admin/agencies', admin.cookie))))
    expect(
      (tree.body as { agencies: Array<{ code: string; validTo: string | null }> }).agencies.find(
        (x) => x.code === 'CAT-A2',
      ),
    ).toMatchObject({ validTo: '2026-06-30' })
    const linkAgain = await run(() =>
      linksAction(
        args(
          context,
          post(
            '/admin/links',
            {
              intent: 'create',
              agencyId: String(a2.id),
              questionnaireId: String(sipas),
              procedureId: '',
              counterLabel: '',
              kind: 'poster',
            },
            admin.cookie,
          ),
        ),
      ),
    )
    expect(linkAgain.status).toBe(404)
  })

  describe('import from a file', () => {
    const badRows = [
      AGENCY_HEADER,
      ['IMP-1', 'Phường Một (mẫu)', 'Ward One (demo)', 'commune', 'DEMO-AL', '2026-01-01'],
      ['IMP-2', '', 'Ward Two (demo)', 'commune', 'DEMO-AL', '2026-01-01'],
      ['DEMO-AL-STP', 'Trùng', 'Duplicate', 'department', 'DEMO-AL', '2026-01-01'],
      ['IMP-4', 'Xã Bốn (mẫu)', 'Commune Four (demo)', 'hamlet', 'NO-PARENT', '01/01/2026'],
      ['IMP-1', 'Lặp', 'Repeated', 'commune', 'DEMO-AL', '2026-01-01'],
    ]
    const expectedReport = [
      { row: 3, messages: [{ key: 'designer.errors.labelRequired', values: { column: 'nameVi' } }] },
      { row: 4, messages: [{ key: 'agencies.codeTaken' }] },
      {
        row: 5,
        messages: [
          { key: 'common.invalid', values: { column: 'level' } },
          { key: 'import.badDate', values: { column: 'validFrom' } },
        ],
      },
      { row: 6, messages: [{ key: 'agencies.codeTaken' }] },
    ]

    for (const format of ['csv', 'xlsx'] as const) {
      it(`${format}: a file with errors → 422 with a per-row report, and NOTHING applied (preview or apply)`, async () => {
        const file = format === 'csv' ? csvFile('agencies.csv', badRows) : await xlsxFile('agencies.xlsx', badRows)
        const before = await count('agency')
        for (const intent of ['preview', 'apply']) {
          const outcome = await agencies({ intent, file })
          expect(outcome.status).toBe(422)
          expect(outcome.body).toEqual({ status: 'errors', count: 0, errors: expectedReport })
        }
        expect(await count('agency')).toBe(before)
        expect(await agency('IMP-1')).toBeUndefined()
      })
    }

    it('csv: a valid file is previewed (nothing written), then applied whole, parents before children', async () => {
      const file = csvFile('agencies.csv', [
        AGENCY_HEADER,
        ['IMP-C', 'Sở Mới (mẫu)', 'New Department (demo)', 'department', 'DEMO-AL', '2026-01-01'],
        ['IMP-C1', 'Phòng Một (mẫu)', 'Office One (demo)', 'commune', 'IMP-C', '2026-01-01'],
        ['IMP-C2', 'Phòng Hai (mẫu)', 'Office Two (demo)', 'commune', 'IMP-C', '2026-02-01'],
      ])
      const before = await count('agency')
      const preview = await agencies({ intent: 'preview', file })
      expect(preview.status).toBe(200)
      expect(preview.body).toEqual({ status: 'ready', count: 3, errors: [] })
      expect(await count('agency')).toBe(before)
      const since = await lastAuditId(t)
      const applied = await agencies({ intent: 'apply', file })
      expect(applied.status).toBe(200)
      expect(applied.body).toEqual({ status: 'applied', count: 3, errors: [] })
      expect(await count('agency')).toBe(before + 3)
      const c = (await agency('IMP-C'))!
      expect(await agency('IMP-C1')).toMatchObject({ parent_id: c.id, valid_from: '2026-01-01' })
      expect((await agency('IMP-C2'))!.path).toBe(`${c.path}${(await agency('IMP-C2'))!.id}/`)
      expect(await auditActions(t, since)).toEqual(['agency.import'])
      // Applying the same file again: every code is now taken → 422, nothing added.
      expect((await agencies({ intent: 'apply', file })).status).toBe(422)
      expect(await count('agency')).toBe(before + 3)
    })

    it('xlsx: a valid workbook built with exceljs is applied', async () => {
      const file = await xlsxFile('agencies.xlsx', [
        AGENCY_HEADER,
        ['IMP-X', 'Xã Excel (mẫu)', 'Excel Commune (demo)', 'commune', 'DEMO-AL', '2026-03-01'],
      ])
      const outcome = await agencies({ intent: 'apply', file })
      expect(outcome.body).toEqual({ status: 'applied', count: 1, errors: [] })
      expect(await agency('IMP-X')).toMatchObject({
        name_vi: 'Xã Excel (mẫu)',
        level: 'commune',
        valid_from: '2026-03-01',
      })
    })

    it('no file or an unreadable one → 400; a manager may not import at all (403)', async () => {
      expect((await agencies({ intent: 'preview' })).status).toBe(400)
      const junk = new File([new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5])], 'junk.xlsx')
      expect(await agencies({ intent: 'preview', file: junk })).toMatchObject({
        status: 400,
        body: { status: 'unreadable' },
      })
      const forbidden = await agencies(
        {
          intent: 'apply',
          file: csvFile('a.csv', [AGENCY_HEADER, ['MGR-1', 'x', 'x', 'commune', 'DEMO-AL', '2026-01-01']]),
        },
        managerAL.cookie,
      )
      expect(forbidden.status).toBe(403)
      expect(await agency('MGR-1')).toBeUndefined()
    })
  })
})

describe('procedures', () => {
  const procedures = (fields: Record<string, string | File>) =>
    run(() => proceduresAction(args(context, post('/admin/procedures', fields, admin.cookie))))

  it('a file with one bad row → 422 per-row report and nothing applied; a valid CSV then XLSX are applied', async () => {
    const before = await count('procedure')
    const bad = csvFile('p.csv', [
      PROCEDURE_HEADER,
      ['P-1', 'Cấp phép thử', 'Trial permit', 'commune', 'Thử', 'Trial'],
      ['DEMO-TTHC-001', 'Trùng', 'Duplicate', 'commune', 'Thử', 'Trial'],
      ['P-3', 'Ba', 'Three', 'planet', 'Thử', ''],
    ])
    for (const intent of ['preview', 'apply']) {
      const outcome = await procedures({ intent, file: bad })
      expect(outcome.status).toBe(422)
      expect(outcome.body).toEqual({
        status: 'errors',
        count: 0,
        errors: [
          { row: 3, messages: [{ key: 'agencies.codeTaken' }] },
          {
            row: 4,
            messages: [
              { key: 'common.invalid', values: { column: 'level' } },
              { key: 'designer.errors.labelRequired', values: { column: 'fieldEn' } },
            ],
          },
        ],
      })
    }
    expect(await count('procedure')).toBe(before)

    const good = csvFile('p.csv', [
      PROCEDURE_HEADER,
      ['P-1', 'Cấp giấy phép thử nghiệm', 'Trial permit', 'commune', 'Thử nghiệm', 'Trials'],
      ['P-2', 'Đăng ký thử', 'Trial registration', 'province', 'Thử nghiệm', 'Trials'],
    ])
    expect((await procedures({ intent: 'preview', file: good })).body).toEqual({
      status: 'ready',
      count: 2,
      errors: [],
    })
    expect(await count('procedure')).toBe(before)
    expect((await procedures({ intent: 'apply', file: good })).body).toEqual({
      status: 'applied',
      count: 2,
      errors: [],
    })
    expect(
      await t.db
        .selectFrom('procedure')
        .select(['name_vi', 'search_text', 'active'])
        .where('code', '=', 'P-1')
        .executeTakeFirst(),
    ).toEqual({
      name_vi: 'Cấp giấy phép thử nghiệm',
      search_text: 'cap giay phep thu nghiem p 1 thu nghiem',
      active: 1,
    })

    const xlsx = await xlsxFile('p.xlsx', [
      PROCEDURE_HEADER,
      ['P-X', 'Thủ tục từ Excel', 'From Excel', 'district', 'Thử', 'Trial'],
    ])
    expect((await procedures({ intent: 'apply', file: xlsx })).body).toEqual({
      status: 'applied',
      count: 1,
      errors: [],
    })
    expect(await count('procedure')).toBe(before + 3)
  })
})

describe('survey links', () => {
  let sipas: number
  let snvLinkId = 0
  let snvCode = ''
  const links = (fields: Record<string, string>, cookie: string) =>
    run(() => linksAction(args(context, post('/admin/links', fields, cookie))))
  const create = (agencyCode: string, kind: 'poster' | 'kiosk', cookie: string) =>
    idOf(t, 'agency', agencyCode).then((id) =>
      links(
        {
          intent: 'create',
          agencyId: String(id),
          questionnaireId: String(sipas),
          procedureId: '',
          counterLabel: 'Quầy 2',
          kind,
        },
        cookie,
      ),
    )

  beforeAll(async () => {
    sipas = await idOf(t, 'questionnaire', 'SIPAS-2017')
  })

  it('a manager creates poster and kiosk links inside its subtree (audited); outside it → 403 and nothing created', async () => {
    const since = await lastAuditId(t)
    const poster = await create('DEMO-AL-SNV', 'poster', managerSNV.cookie)
    expect(poster.status).toBe(302)
    snvLinkId = Number(/#link-(\d+)$/.exec(poster.location!)![1])
    const row = await t.db.selectFrom('survey_link').selectAll().where('id', '=', snvLinkId).executeTakeFirstOrThrow()
    snvCode = row.code
    expect(row).toMatchObject({
      kind: 'poster',
      counter_label: 'Quầy 2',
      active: 1,
      questionnaire_id: sipas,
      agency_id: await idOf(t, 'agency', 'DEMO-AL-SNV'),
    })
    const kiosk = await create('DEMO-AL-SNV', 'kiosk', managerAL.cookie)
    expect(kiosk.status).toBe(302)
    expect(await auditActions(t, since)).toEqual(['link.create', 'link.create'])

    const before = await count('survey_link')
    const outside = await create('DEMO-AL-STP', 'poster', managerSNV.cookie)
    expect(outside.status).toBe(403)
    expect(outside.body).toBe('Bạn không có quyền thực hiện thao tác này.')
    expect(await count('survey_link')).toBe(before)
    // A manager lists only its subtree's links.
    const listed = await run(() => linksLoader(args(context, get('/admin/links', managerSNV.cookie))))
    const codes = (listed.body as { links: Array<{ agencyCode: string }> }).links.map((l) => l.agencyCode)
    expect(codes.length).toBeGreaterThan(0)
    expect(codes.every((c) => c === 'DEMO-AL-SNV' || c.startsWith('CAT-A'))).toBe(true)
  })

  it('the QR code routes answer with image content types (SVG and PNG) encoding the survey address', async () => {
    const svg = await run(() => qrSvgLoader(args(context, get(`/s/${snvCode}/qr.svg`), { code: snvCode })))
    expect(svg.status).toBe(200)
    expect(svg.headers.get('Content-Type')).toBe('image/svg+xml')
    expect(svg.text).toMatch(/^<svg[\s\S]*<\/svg>\s*$/)
    const png = await qrPngLoader(args(context, get(`/s/${snvCode}/qr.png`), { code: snvCode }))
    expect(png.status).toBe(200)
    expect(png.headers.get('Content-Type')).toBe('image/png')
    const bytes = new Uint8Array(await png.arrayBuffer())
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  })

  it('the poster page answers 200 with an inline SVG QR code for the link’s address', async () => {
    const outcome = await run(() =>
      posterLoader(
        args(context, get(`/admin/links/${snvLinkId}/poster`, managerSNV.cookie), { id: String(snvLinkId) }),
      ),
    )
    expect(outcome.status).toBe(200)
    const body = outcome.body as { url: string; svg: string; agency: string; counter: string | null }
    expect(body.url).toBe(`${BASE}/s/${snvCode}`)
    expect(body.svg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/)
    expect(body).toMatchObject({ agency: 'Sở Nội vụ tỉnh An Lạc (mẫu)', counter: 'Quầy 2' })
    expect(
      (await run(() => posterLoader(args(context, get('/admin/links/999999/poster', admin.cookie), { id: '999999' }))))
        .status,
    ).toBe(404)
  })

  it('deactivate: another subtree’s manager → 403; its own → the /s/ link and its QR code answer 404', async () => {
    const foreign = await signIn(context, 'manager-stp@cat.vn', 'manager', 'DEMO-AL-STP')
    expect((await links({ intent: 'deactivate', linkId: String(snvLinkId) }, foreign.cookie)).status).toBe(403)
    expect((await run(() => linkLoader(args(context, get(`/s/${snvCode}`), { code: snvCode })))).status).toBe(200)
    const outcome = await links({ intent: 'deactivate', linkId: String(snvLinkId) }, managerSNV.cookie)
    expect(outcome.status).toBe(302)
    expect(outcome.location).toBe('/admin/links?done=deactivated')
    expect(
      (await t.db.selectFrom('survey_link').select('active').where('id', '=', snvLinkId).executeTakeFirstOrThrow())
        .active,
    ).toBe(0)
    expect((await run(() => linkLoader(args(context, get(`/s/${snvCode}`), { code: snvCode })))).status).toBe(404)
    expect((await run(() => qrSvgLoader(args(context, get(`/s/${snvCode}/qr.svg`), { code: snvCode })))).status).toBe(
      404,
    )
  })
})

describe('API tokens', () => {
  const tokens = (fields: Record<string, string>, cookie: string) =>
    run(() => tokensAction(args(context, post('/admin/tokens', fields, cookie))))
  const api = (token: string) =>
    run(() => scoresLoader(args(context, get('/api/v1/scores', undefined, { Authorization: `Bearer ${token}` }))))

  it('create shows the token once; only its SHA-256 is stored; revoke → the API answers 401', async () => {
    const snv = await idOf(t, 'agency', 'DEMO-AL-SNV')
    const since = await lastAuditId(t)
    const created = await tokens({ intent: 'create', agencyId: String(snv), label: 'Một cửa' }, managerSNV.cookie)
    expect(created.status).toBe(200)
    const token = (created.body as { token: string }).token
    expect(token).toMatch(/^hl_\S{20,}$/)
    const row = await t.db
      .selectFrom('api_token')
      .selectAll()
      .where('agency_id', '=', snv)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      label: 'Một cửa',
      revoked_at: null,
      token_hash: crypto.createHash('sha256').update(token).digest('hex'),
    })
    // The token itself is nowhere in the database, nor in the page that lists tokens.
    const everything = JSON.stringify([
      await t.db.selectFrom('api_token').selectAll().execute(),
      await t.db.selectFrom('audit_log').selectAll().execute(),
    ])
    expect(everything).not.toContain(token)
    const page = await run(() => tokensLoader(args(context, get('/admin/tokens', managerSNV.cookie))))
    expect(page.text).not.toContain(token)
    expect(page.text).not.toContain(row.token_hash)
    expect((page.body as { tokens: Array<{ id: number; label: string }> }).tokens.map((x) => x.label)).toContain(
      'Một cửa',
    )

    expect((await api(token)).status).toBe(200)
    // Another subtree's manager cannot revoke it; its own can.
    const stp = await signIn(context, 'manager-stp-2@cat.vn', 'manager', 'DEMO-AL-STP')
    expect((await tokens({ intent: 'revoke', tokenId: String(row.id) }, stp.cookie)).status).toBe(403)
    expect((await api(token)).status).toBe(200)
    const revoked = await tokens({ intent: 'revoke', tokenId: String(row.id) }, managerSNV.cookie)
    expect(revoked.status).toBe(200)
    expect(
      (await t.db.selectFrom('api_token').select('revoked_at').where('id', '=', row.id).executeTakeFirstOrThrow())
        .revoked_at,
    ).not.toBeNull()
    const after = await api(token)
    expect(after.status).toBe(401)
    expect(after.body).toMatchObject({ error: 'unauthorized' })
    expect((await auditActions(t, since)).filter((a) => a.startsWith('api_token.'))).toEqual([
      'api_token.create',
      'api_token.revoke',
    ])
  })

  it('a token for an agency outside the manager’s scope → 403, none created', async () => {
    const before = await count('api_token')
    const outcome = await tokens(
      { intent: 'create', agencyId: String(await idOf(t, 'agency', 'DEMO-AL-STP')), label: 'x' },
      managerSNV.cookie,
    )
    expect(outcome.status).toBe(403)
    expect(await count('api_token')).toBe(before)
  })
})

describe('users', () => {
  const users = (fields: Record<string, string>, cookie: string) =>
    run(() => usersAction(args(context, post('/admin/users', fields, cookie))))
  const newUser = (email: string, role: string, agencyCode: string, cookie: string) =>
    users({ intent: 'create', email, role, agencyCode, password: PASSWORD }, cookie)

  it('a manager cannot create administrators or users outside its subtree (403); inside it, analysts and managers', async () => {
    const before = await count('user')
    for (const [role, agencyCode] of [
      ['admin', ''],
      ['admin', 'DEMO-AL-SNV'],
      ['analyst', 'DEMO-AL-STP'],
      ['manager', 'DEMO-AL'],
      ['analyst', 'NO-SUCH'],
    ] as const) {
      const outcome = await newUser(`x-${role}-${agencyCode}@cat.vn`, role, agencyCode, managerSNV.cookie)
      expect(outcome.status, `${role} ${agencyCode}`).toBe(403)
      expect(outcome.body).toEqual({ error: 'users.roleNotAllowed' })
    }
    expect(await count('user')).toBe(before)
    expect((await newUser('snv-analyst@cat.vn', 'analyst', 'DEMO-AL-SNV', managerSNV.cookie)).body).toEqual({
      error: null,
      done: 'users.created',
    })
    expect((await newUser('snv-manager@cat.vn', 'manager', 'DEMO-AL-SNV', managerAL.cookie)).body).toEqual({
      error: null,
      done: 'users.created',
    })
    expect(
      await t.db
        .selectFrom('user as u')
        .innerJoin('agency as a', 'a.id', 'u.agency_id')
        .select(['u.role', 'a.code'])
        .where('u.email', '=', 'snv-analyst@cat.vn')
        .executeTakeFirst(),
    ).toEqual({ role: 'analyst', code: 'DEMO-AL-SNV' })
    // A taken email → 409; an administrator can create another administrator.
    expect((await newUser('snv-analyst@cat.vn', 'analyst', 'DEMO-AL-SNV', admin.cookie)).status).toBe(409)
    expect((await newUser('admin2@cat.vn', 'admin', '', admin.cookie)).status).toBe(200)
    // A manager's user list is its subtree only.
    const listed = await run(() => usersLoader(args(context, get('/admin/users', managerSNV.cookie))))
    const emails = (listed.body as { users: Array<{ email: string }> }).users.map((u) => u.email)
    expect(emails).toContain('snv-analyst@cat.vn')
    expect(emails).not.toContain('admin@cat.vn')
    expect(emails).not.toContain('manager-al@cat.vn')
  })

  it('deactivating a user deletes its sessions (signed out everywhere) and is audited; limits for managers', async () => {
    const target = await signIn(context, 'leaving@cat.vn', 'analyst', 'DEMO-AL-SNV')
    await createSession(context, target.userId)
    expect(await t.db.selectFrom('session').select('id').where('user_id', '=', target.userId).execute()).toHaveLength(2)
    const stpManager = await signIn(context, 'manager-stp-3@cat.vn', 'manager', 'DEMO-AL-STP')
    expect((await users({ intent: 'deactivate', userId: String(target.userId) }, stpManager.cookie)).status).toBe(403)
    expect((await users({ intent: 'deactivate', userId: String(admin.userId) }, managerAL.cookie)).status).toBe(403)
    expect((await users({ intent: 'deactivate', userId: String(managerSNV.userId) }, managerSNV.cookie)).status).toBe(
      400,
    )
    expect(await t.db.selectFrom('session').select('id').where('user_id', '=', target.userId).execute()).toHaveLength(2)

    const since = await lastAuditId(t)
    const outcome = await users({ intent: 'deactivate', userId: String(target.userId) }, managerSNV.cookie)
    expect(outcome.status).toBe(200)
    expect(outcome.body).toEqual({ error: null, done: 'users.deactivated' })
    expect(await t.db.selectFrom('session').select('id').where('user_id', '=', target.userId).execute()).toEqual([])
    expect(
      (await t.db.selectFrom('user').select('active').where('id', '=', target.userId).executeTakeFirstOrThrow()).active,
    ).toBe(0)
    expect(await auditActions(t, since)).toEqual(['user.deactivate'])
    // The old cookie no longer signs anybody in.
    const { loader } = await import('#app/routes/analytics._index.tsx')
    const after = await run(() => loader(args(context, get('/analytics', target.cookie))))
    expect(after.status).toBe(302)
    expect(after.location).toBe('/login?redirectTo=%2Fanalytics')
  })
})

describe('response import (paper responses)', () => {
  const CRITERIA = SIPAS_2017_ELEMENTS.flatMap((e) => e.items.filter((i) => i.role === 'criterion').map((i) => i.code))
  const HEADER = [
    'external_id',
    'agency_code',
    'submitted_at',
    'procedure_code',
    'weight',
    'stratum',
    ...CRITERIA,
    'O.overall',
    'X.expectations',
  ]
  const row = (
    id: string,
    agencyCode: string,
    date: string,
    value: string,
    extra: { weight?: string; procedure?: string; stratum?: string; overall?: string; expectations?: string } = {},
  ) => [
    id,
    agencyCode,
    date,
    extra.procedure ?? '',
    extra.weight ?? '',
    extra.stratum ?? '',
    ...CRITERIA.map(() => value),
    extra.overall ?? '',
    extra.expectations ?? '',
  ]
  const importFile = (intent: 'preview' | 'apply', file: File) =>
    run(() =>
      importAction(args(context, post('/admin/import', { intent, questionnaire: 'SIPAS-2017', file }, admin.cookie))),
    )
  const agg = async (agencyCode: string, month: string) => {
    const id = await idOf(t, 'agency', agencyCode)
    const items = await t.db
      .selectFrom('item_aggregate as g')
      .innerJoin('questionnaire_item as i', 'i.id', 'g.item_id')
      .select((eb) => [eb.fn.sum<number>('g.n').as('n'), eb.fn.sum<number>('g.sum_w_micro').as('w')])
      .where('g.agency_id', '=', id)
      .where('g.period_month', '=', month)
      .where('i.code', '=', CRITERIA[0]!)
      .executeTakeFirst()
    const overall = await t.db
      .selectFrom('composite_aggregate')
      .select((eb) => [eb.fn.sum<number>('n').as('n'), eb.fn.sum<number>('sum_w_micro').as('w')])
      .where('agency_id', '=', id)
      .where('period_month', '=', month)
      .where('composite', '=', 'overall')
      .executeTakeFirst()
    return {
      itemN: Number(items?.n ?? 0),
      itemW: Number(items?.w ?? 0),
      overallN: Number(overall?.n ?? 0),
      overallW: Number(overall?.w ?? 0),
    }
  }
  const responses = () => t.db.selectFrom('response').selectAll().where('source', '=', 'import').orderBy('id').execute()

  const GOOD = [
    HEADER,
    row('PAPER-001', 'DEMO-AL-STP', '2026-03-10', '5', {
      weight: '1,5',
      procedure: 'DEMO-TTHC-005',
      stratum: 'urban',
      overall: '5',
      expectations: 'online; time',
    }),
    row('PAPER-002', 'DEMO-AL-STP', '2026-03-11T08:30:00+07:00', '2', { weight: '2' }),
    row('PAPER-003', 'DEMO-AL-STP', '2026-03-31', '4'),
  ]

  it('a valid CSV: previewed without writing, then imported with source import, channel paper, weights, and the aggregates updated', async () => {
    const before = await agg('DEMO-AL-STP', '2026-03')
    const file = csvFile('paper.csv', GOOD)
    const preview = await importFile('preview', file)
    expect(preview.status).toBe(200)
    expect(preview.body).toEqual({ status: 'ready', count: 3, duplicates: 0, errors: [] })
    expect(await responses()).toEqual([])

    const since = await lastAuditId(t)
    const applied = await importFile('apply', file)
    expect(applied.status).toBe(200)
    expect(applied.body).toEqual({ status: 'applied', count: 3, duplicates: 0, errors: [] })
    const stored = await responses()
    const sipasVersion = (
      await t.db
        .selectFrom('questionnaire_version')
        .select('id')
        .where('questionnaire_id', '=', await idOf(t, 'questionnaire', 'SIPAS-2017'))
        .where('status', '=', 'published')
        .executeTakeFirstOrThrow()
    ).id
    const stp = await idOf(t, 'agency', 'DEMO-AL-STP')
    expect(
      stored.map((r) => ({
        ext: r.external_id,
        source: r.source,
        channel: r.channel,
        w: r.weight_micro,
        stratum: r.stratum,
        month: r.period_month,
        agency: r.agency_id,
        version: r.version_id,
        link: r.link_id,
      })),
    ).toEqual([
      {
        ext: 'PAPER-001',
        source: 'import',
        channel: 'paper',
        w: 1_500_000,
        stratum: 'urban',
        month: '2026-03',
        agency: stp,
        version: sipasVersion,
        link: null,
      },
      {
        ext: 'PAPER-002',
        source: 'import',
        channel: 'paper',
        w: 2_000_000,
        stratum: null,
        month: '2026-03',
        agency: stp,
        version: sipasVersion,
        link: null,
      },
      {
        ext: 'PAPER-003',
        source: 'import',
        channel: 'paper',
        w: 1_000_000,
        stratum: null,
        month: '2026-03',
        agency: stp,
        version: sipasVersion,
        link: null,
      },
    ])
    expect(stored[0]!.procedure_id).toBe(await idOf(t, 'procedure', 'DEMO-TTHC-005'))
    const answers = await t.db
      .selectFrom('answer as a')
      .innerJoin('questionnaire_item as i', 'i.id', 'a.item_id')
      .select(['i.code', 'a.value_number', 'a.value_text'])
      .where('a.response_id', '=', stored[0]!.id)
      .execute()
    const byCode = Object.fromEntries(answers.map((a) => [a.code, a.value_number ?? a.value_text]))
    expect(byCode[CRITERIA[0]!]).toBe(5)
    expect(byCode['O.overall']).toBe(5)
    expect(JSON.parse(String(byCode['X.expectations']))).toEqual(['online', 'time'])
    expect(answers.length).toBe(CRITERIA.length + 2)

    const after = await agg('DEMO-AL-STP', '2026-03')
    expect(after.itemN - before.itemN).toBe(3)
    expect(after.itemW - before.itemW).toBe(4_500_000)
    expect(after.overallN - before.overallN).toBe(3)
    expect(after.overallW - before.overallW).toBe(4_500_000)
    expect(await auditActions(t, since)).toEqual(['response.import'])
  })

  it('re-importing the same file skips every duplicate and reports them', async () => {
    const before = await agg('DEMO-AL-STP', '2026-03')
    const file = csvFile('paper.csv', [...GOOD, row('PAPER-004', 'DEMO-AL-SNV', '2026-04-02', '3')])
    expect((await importFile('preview', file)).body).toEqual({ status: 'ready', count: 1, duplicates: 3, errors: [] })
    const applied = await importFile('apply', file)
    expect(applied.body).toEqual({ status: 'applied', count: 1, duplicates: 3, errors: [] })
    expect((await responses()).map((r) => r.external_id)).toEqual(['PAPER-001', 'PAPER-002', 'PAPER-003', 'PAPER-004'])
    expect(await agg('DEMO-AL-STP', '2026-03')).toEqual(before)
  })

  it('a file with one bad row imports nothing (422 with that row’s report)', async () => {
    const bad = row('PAPER-011', 'DEMO-AL-STP', '2026-03-12', '4')
    bad[6] = '7' // the first criterion: not on the five-level scale
    const file = csvFile('bad.csv', [
      HEADER,
      row('PAPER-010', 'DEMO-AL-STP', '2026-03-12', '4'),
      bad,
      row('PAPER-012', 'NO-AGENCY', 'yesterday', '4', { weight: '-1' }),
    ])
    const before = (await responses()).length
    for (const intent of ['preview', 'apply'] as const) {
      const outcome = await importFile(intent, file)
      expect(outcome.status).toBe(422)
      const body = outcome.body as {
        status: string
        count: number
        errors: Array<{ row: number; messages: Array<{ key: string; values?: Record<string, string> }> }>
      }
      expect(body.status).toBe('errors')
      expect(body.errors.map((e) => e.row)).toEqual([3, 4])
      expect(body.errors[0]!.messages).toEqual([
        { key: 'import.badAnswer', values: { code: CRITERIA[0]!, message: expect.any(String) } },
      ])
      expect(body.errors[1]!.messages.map((m) => m.key)).toEqual([
        'import.unknownAgency',
        'import.badDate',
        'import.badWeight',
      ])
    }
    expect((await responses()).length).toBe(before)
    expect(
      await t.db.selectFrom('response').select('id').where('external_id', '=', 'PAPER-010').executeTakeFirst(),
    ).toBeUndefined()
  })

  it('XLSX works too', async () => {
    const file = await xlsxFile('paper.xlsx', [
      HEADER,
      row('PAPER-X1', 'DEMO-AL-SNV', '2026-05-05', '4', { weight: '0.5' }),
      row('PAPER-X2', 'DEMO-AL-SNV', '2026-05-06', '1'),
    ])
    const outcome = await importFile('apply', file)
    expect(outcome.body).toEqual({ status: 'applied', count: 2, duplicates: 0, errors: [] })
    const stored = (await responses()).filter((r) => r.external_id?.startsWith('PAPER-X'))
    expect(stored.map((r) => [r.external_id, r.weight_micro, r.period_month, r.channel])).toEqual([
      ['PAPER-X1', 500_000, '2026-05', 'paper'],
      ['PAPER-X2', 1_000_000, '2026-05', 'paper'],
    ])
    expect((await agg('DEMO-AL-SNV', '2026-05')).overallN).toBe(2)
  })

  it('missing required columns are reported by name (422), nothing imported', async () => {
    const before = (await responses()).length
    const file = csvFile('cols.csv', [
      ['external_id', ...CRITERIA],
      ['PAPER-C1', ...CRITERIA.map(() => '4')],
    ])
    const outcome: Outcome = await importFile('apply', file)
    expect(outcome.status).toBe(422)
    expect(outcome.body).toEqual({
      status: 'errors',
      count: 0,
      errors: [
        {
          row: 1,
          messages: [
            { key: 'import.missingColumn', values: { column: 'agency_code' } },
            { key: 'import.missingColumn', values: { column: 'submitted_at' } },
          ],
        },
      ],
    })
    expect((await responses()).length).toBe(before)
  })
})
