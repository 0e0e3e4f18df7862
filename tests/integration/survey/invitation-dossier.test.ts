/**
 * Dossier data with invitations (issue #18 point 4): sent through POST /api/v1/invitations as JSON or as a
 * CSV file, stored with the invitation, shown read-only on the per-dossier form with the processing time
 * against the legal limit computed; bad input is refused with nothing stored.
 */
import type { AppLoadContext } from '@remix-run/node'
import { surveyStrings } from '#app/.server/page-strings.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiToken } from '#app/.server/auth/api-token.ts'
import { getVersionDefinition } from '#app/.server/services/survey-definition.ts'
import { submitResponse } from '#app/.server/services/submit-response.ts'
import { SurveyPage } from '#app/components/survey/SurveyPage.tsx'
import type { SurveyPageData } from '#app/domain/survey/view.ts'
import { action as invitationsAction } from '#app/routes/api.v1.invitations.ts'
import { loader as invitationLoader } from '#app/routes/r.$code.tsx'
import { createTestDatabase, rowCount, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run } from '#tests/helpers/remix.ts'
import { renderPage } from '#tests/helpers/render-page.ts'

let t: TestDatabase
let context: AppLoadContext
let token: string

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  const snv = await t.db.selectFrom('agency').select('id').where('code', '=', 'DEMO-AL-SNV').executeTakeFirstOrThrow()
  token = await createApiToken(t.db, snv.id, 'one-stop shop', 'test')
})
afterAll(async () => t?.cleanup())

const post = (body: string, contentType: string) =>
  run(() =>
    invitationsAction({
      request: new Request('http://localhost/api/v1/invitations', {
        method: 'POST',
        headers: { 'Content-Type': contentType, Authorization: `Bearer ${token}` },
        body,
      }),
      context,
      params: {},
    }),
  )
const invite = (body: unknown) => post(JSON.stringify(body), 'application/json')
const importCsv = (text: string) => post(text, 'text/csv; charset=utf-8')

const stored = (code: string) =>
  t.db
    .selectFrom('invitation as i')
    .innerJoin('questionnaire as q', 'q.id', 'i.questionnaire_id')
    .select(['i.dossier_code', 'i.dossier_json', 'i.dossier_hash', 'q.code as questionnaire'])
    .where('i.code', '=', code)
    .executeTakeFirstOrThrow()

async function formOf(code: string) {
  const res = await run(() =>
    invitationLoader({
      request: new Request(`http://localhost/r/${code}`),
      params: { code },
      context,
    } as never),
  )
  expect(res.status).toBe(200)
  return res.data as SurveyPageData
}

const DOSSIER = {
  agencyCode: 'DEMO-AL-SNV',
  dossierCode: '000.00.12.H99-261102-0007',
  procedureCode: 'DEMO-TTHC-008',
  dossier: {
    receivedAt: '2026-11-02',
    dueAt: '2026-11-12',
    returnedAt: '2026-11-13',
    contacts: 1,
    agencies: ['Sở Nội vụ tỉnh An Lạc (mẫu)', 'UBND tỉnh An Lạc (mẫu)'],
  },
}

describe('POST /api/v1/invitations with dossier data (JSON)', () => {
  let code: string

  it('201: stores the dossier code and data with the invitation, for the per-dossier form by default', async () => {
    const r = await invite(DOSSIER)
    expect(r.status, JSON.stringify(r.body)).toBe(201)
    code = (r.body as { code: string }).code
    const row = await stored(code)
    expect(row.questionnaire).toBe('ND61-DOSSIER')
    expect(row.dossier_code).toBe(DOSSIER.dossierCode)
    expect(row.dossier_hash).not.toContain(DOSSIER.dossierCode)
    expect(JSON.parse(row.dossier_json!)).toEqual({
      receivedOn: '2026-11-02',
      dueOn: '2026-11-12',
      returnedOn: '2026-11-13',
      contacts: 1,
      agencies: DOSSIER.dossier.agencies,
    })
  })

  it('the form shows the dossier code and the indicators, the processing time computed, not asked', async () => {
    const data = await formOf(code)
    expect(data.survey.dossier).toMatchObject({
      code: DOSSIER.dossierCode,
      indicators: { processingDays: 11, allowedDays: 10, timeliness: 'late', timePoints: 0, contactPoints: 1 },
    })
    const vi = await renderPage({ page: SurveyPage, path: '/r/:code', data, lng: 'vi', namespace: 'survey' })
    expect(vi).toContain('Thông tin hồ sơ')
    expect(vi).toContain(DOSSIER.dossierCode)
    expect(vi).toContain('02/11/2026')
    expect(vi).toContain('12/11/2026')
    expect(vi).toContain('Quá hạn')
    expect(vi).toContain('11 ngày (thời hạn theo quy định: 10 ngày)')
    expect(vi).toContain('UBND tỉnh An Lạc (mẫu)')
    // What the loader sends an English request: the same form with the page's English words (ADR 0055).
    const english = { ...data, lng: 'en', strings: surveyStrings('en') }
    const en = await renderPage({ page: SurveyPage, path: '/r/:code', data: english, lng: 'en', namespace: 'survey' })
    expect(en).toContain('Your dossier')
    expect(en).toContain('After the deadline')
  })

  it('200 with the same code when the dossier comes again; data sent again replaces the stored data', async () => {
    const r = await invite({ ...DOSSIER, dossier: { ...DOSSIER.dossier, returnedAt: '2026-11-10', contacts: 0 } })
    expect(r.status).toBe(200)
    expect((r.body as { code: string }).code).toBe(code)
    const data = await formOf(code)
    expect(data.survey.dossier?.indicators).toMatchObject({ timeliness: 'early', timePoints: 2, contactPoints: 2 })
  })

  it('a rating drops the readable dossier code (the keyed hash stays, so the dossier is not rated twice)', async () => {
    const r = await invite({ ...DOSSIER, dossierCode: 'HS-RATED-1' })
    const invitationCode = (r.body as { code: string }).code
    const invitation = await t.db
      .selectFrom('invitation')
      .select(['id', 'agency_id', 'questionnaire_id'])
      .where('code', '=', invitationCode)
      .executeTakeFirstOrThrow()
    const versionRow = await t.db
      .selectFrom('questionnaire_version')
      .select(['id', 'status'])
      .where('questionnaire_id', '=', invitation.questionnaire_id)
      .where('status', '=', 'published')
      .executeTakeFirstOrThrow()
    const version = await getVersionDefinition(t.db, versionRow.id, versionRow.status)
    const answers = Object.fromEntries(
      version.items.filter((i) => i.required).map((i) => [i.code, Number(i.options![0]!.value)]),
    )
    const result = await submitResponse(t.db, {
      clientSubmissionId: 'dossier-rated-1',
      version,
      context: {
        agencyId: invitation.agency_id,
        procedureId: null,
        channel: 'counter',
        linkId: null,
        invitationId: invitation.id,
      },
      answers,
      submittedAt: new Date(),
    })
    expect(result.status).toBe('stored')
    const row = await stored(invitationCode)
    expect(row.dossier_code).toBeNull()
    expect(row.dossier_hash).toBeTruthy()
    expect(row.dossier_json).not.toBeNull()
  })

  it.each([
    ['a due date before the receipt', { ...DOSSIER.dossier, dueAt: '2026-11-01' }, 'dossier.dueAt'],
    ['an impossible date', { ...DOSSIER.dossier, receivedAt: '2026-02-30' }, 'dossier.receivedAt'],
    ['a date in another form', { ...DOSSIER.dossier, returnedAt: '13/11/2026' }, 'dossier.returnedAt'],
    ['negative contacts', { ...DOSSIER.dossier, contacts: -1 }, 'dossier.contacts'],
  ])('400 for %s, with the field named and nothing stored', async (_, dossier, field) => {
    const before = await rowCount(t.db, 'invitation')
    const r = await invite({ ...DOSSIER, dossierCode: 'HS-BAD-1', dossier })
    expect(r.status).toBe(400)
    expect(r.body).toMatchObject({ error: 'invalid_body', message: 'Dữ liệu gửi lên không hợp lệ.' })
    expect(Object.keys((r.body as { fieldErrors: object }).fieldErrors)).toContain(field)
    expect(await rowCount(t.db, 'invitation')).toBe(before)
  })

  it('400 for dossier data without a dossier code', async () => {
    const { dossierCode: _, ...withoutCode } = DOSSIER
    const r = await invite(withoutCode)
    expect(r.status).toBe(400)
    expect((r.body as { fieldErrors: object }).fieldErrors).toHaveProperty('dossierCode')
  })

  it('an invitation without dossier data shows no dossier section', async () => {
    const r = await invite({ agencyCode: 'DEMO-AL-SNV' })
    expect(r.status).toBe(201)
    const data = await formOf((r.body as { code: string }).code)
    expect(data.survey.dossier).toBeUndefined()
  })
})

const HEADER = 'agencyCode,procedureCode,dossierCode,receivedAt,dueAt,returnedAt,contacts,agencies'

describe('POST /api/v1/invitations as a CSV file', () => {
  it('creates one invitation per row, with its dossier data, and lists them with their rows', async () => {
    const csv = [
      HEADER,
      'DEMO-AL-SNV,DEMO-TTHC-008,HS-CSV-0001,2026-11-02,2026-11-12,2026-11-12,0,Sở Nội vụ tỉnh An Lạc (mẫu)',
      'DEMO-AL-SNV,,HS-CSV-0002,2026-11-03,2026-11-20,,2,"Sở Nội vụ tỉnh An Lạc (mẫu); Sở Tư pháp tỉnh An Lạc (mẫu)"',
    ].join('\n')
    const r = await importCsv(`\uFEFF${csv}`)
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    const list = (
      r.body as { invitations: Array<{ row: number; dossierCode: string; code: string; created: boolean }> }
    ).invitations
    expect(list.map((i) => [i.row, i.dossierCode, i.created])).toEqual([
      [2, 'HS-CSV-0001', true],
      [3, 'HS-CSV-0002', true],
    ])
    const first = await formOf(list[0]!.code)
    expect(first.survey.dossier).toMatchObject({
      code: 'HS-CSV-0001',
      indicators: { timeliness: 'on_time', timePoints: 1, contactPoints: 2, agencyPoints: 2 },
    })
    const second = await formOf(list[1]!.code)
    expect(second.survey.dossier).toMatchObject({
      indicators: { timeliness: 'pending', timePoints: null, contactPoints: 0, agencyPoints: 1 },
    })
    const html = await renderPage({ page: SurveyPage, path: '/r/:code', data: second, lng: 'vi', namespace: 'survey' })
    expect(html).toContain('HS-CSV-0002')
    expect(html).toContain('Chưa trả kết quả')
    expect(html).toContain('Đang giải quyết')
  })

  it('refuses the whole file when one row is bad, naming each row and field, and stores nothing', async () => {
    const before = await rowCount(t.db, 'invitation')
    const csv = [
      HEADER,
      'DEMO-AL-SNV,,HS-CSV-0101,2026-11-02,2026-11-12,,,',
      'DEMO-AL-SNV,,HS-CSV-0102,2026-11-12,2026-11-02,,,',
      'DEMO-NOPE,,HS-CSV-0103,,,,,',
      'DEMO-AL-SNV,,HS-CSV-0101,,,,,',
    ].join('\n')
    const r = await importCsv(csv)
    expect(r.status).toBe(400)
    expect(r.body).toMatchObject({ error: 'invalidCsv' })
    expect((r.body as { message: string }).message).toContain('chưa tạo phiếu mời nào')
    const errors = (r.body as { rowErrors: Array<{ row: number; field: string; message: string }> }).rowErrors
    expect(errors).toEqual([
      { row: 3, field: 'dueAt', message: 'must not be before receivedAt' },
      { row: 4, field: 'agencyCode', message: 'Không có cơ quan với mã này.' },
      { row: 5, field: 'dossierCode', message: 'appears twice in the file' },
    ])
    expect(await rowCount(t.db, 'invitation')).toBe(before)
  })

  it('400 for a file that is not CSV or has no rows', async () => {
    for (const text of ['"unclosed,quote\n1,2', HEADER]) {
      const r = await importCsv(text)
      expect(r.status).toBe(400)
      expect(r.body).toMatchObject({ error: 'invalidCsv' })
    }
  })
})
