/**
 * The survey's procedure question (issue #18): the agency's own procedures first, then the others, on
 * the page's loader and the search behind it; search without diacritics and by synonym; nothing found is
 * an empty list the page words; and the chosen procedure survives a reload (`?procedure=`) and a refused
 * no-JS post.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProcedureOption, SurveyPageData, SurveyRejection } from '#app/domain/survey/view.ts'
import { fieldName } from '#app/domain/survey/response-schema.ts'
import { loader as searchLoader } from '#app/routes/procedures.search.ts'
import { loader as invitationLoader } from '#app/routes/r.$code.tsx'
import { loader as linkLoader } from '#app/routes/s.$code.tsx'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run } from '#tests/helpers/remix.ts'
import {
  callSurveyAction,
  fixture,
  insertInvitation,
  post,
  type SurveyFixture,
  validFields,
  without,
} from './support.ts'

let t: TestDatabase
let f: SurveyFixture
/** Poster link codes by agency code. */
const links = new Map<string, string>()

beforeAll(async () => {
  t = await createTestDatabase({ seed: 'demo' })
  f = await fixture(t)
  const rows = await t.db
    .selectFrom('survey_link as l')
    .innerJoin('agency as a', 'a.id', 'l.agency_id')
    .select(['a.code as agency', 'l.code'])
    .where('l.kind', '=', 'poster')
    .execute()
  for (const r of rows) links.set(r.agency, r.code)
})
afterAll(async () => t?.cleanup())

async function page(agency: string, query = ''): Promise<SurveyPageData> {
  const code = links.get(agency)!
  const res = await run(() =>
    linkLoader({
      request: new Request(`http://localhost/s/${code}${query}`),
      params: { code },
      context: makeContext(t),
    } as never),
  )
  expect(res.status).toBe(200)
  return res.data as SurveyPageData
}

const listed = (options: ProcedureOption[]) => options.map((o) => [o.code, o.own])

describe('the agency’s own procedures first', () => {
  it('a department: its own procedures, then the other procedures of its level, each marked', async () => {
    const data = await page('DEMO-AL-STP')
    expect(listed(data.procedures)).toEqual([
      ['DEMO-TTHC-005', true], // Cấp phiếu lý lịch tư pháp
      ['DEMO-TTHC-004', true], // Chứng thực bản sao từ bản chính
      ['DEMO-TTHC-008', false], // Thi tuyển, xét tuyển công chức: provincial, not the Sở Tư pháp's
    ])
  })

  it('a commune is not offered the provincial catalogue: its own procedures only, no province-level one', async () => {
    const data = await page('DEMO-AL-X-BINHMINH')
    expect(data.procedures.map((p) => p.code).sort()).toEqual([
      'DEMO-TTHC-001',
      'DEMO-TTHC-002',
      'DEMO-TTHC-003',
      'DEMO-TTHC-004',
      'DEMO-TTHC-006',
      'DEMO-TTHC-007',
    ])
    expect(data.procedures.every((p) => p.own === true)).toBe(true)
  })

  it('a search keeps the order: own matches first, then any other match', async () => {
    const data = await page('DEMO-AL-STP', '?tthc=dang%20ky')
    expect(listed(data.procedures)).toEqual([
      ['DEMO-TTHC-003', false],
      ['DEMO-TTHC-002', false],
      ['DEMO-TTHC-006', false],
    ])
    const own = await page('DEMO-AL-STP', '?tthc=chung%20thuc')
    expect(listed(own.procedures)).toEqual([['DEMO-TTHC-004', true]])
  })

  it('the search behind the page (for=s:<link>) gives the same order', async () => {
    const code = links.get('DEMO-AL-STP')!
    const res = await run(() =>
      searchLoader({
        request: new Request(`http://localhost/procedures/search?q=&for=s:${code}`),
        params: {},
        context: makeContext(t),
      } as never),
    )
    expect(listed((res.body as { procedures: ProcedureOption[] }).procedures)).toEqual([
      ['DEMO-TTHC-005', true],
      ['DEMO-TTHC-004', true],
      ['DEMO-TTHC-008', false],
    ])
  })

  it('an invitation’s page orders by the invitation’s agency', async () => {
    const invitation = await insertInvitation(t, f)
    const res = await run(() =>
      invitationLoader({
        request: new Request(`http://localhost/r/${invitation.code}`),
        params: { code: invitation.code },
        context: makeContext(t),
      } as never),
    )
    expect(res.status).toBe(200)
    // The fixture's link is the province's, which handles none itself: the whole catalogue, none marked own.
    const procedures = (res.data as SurveyPageData).procedures
    expect(procedures).toHaveLength(8)
    expect(procedures.every((p) => p.own === false)).toBe(true)
  })
})

describe('search as citizens type', () => {
  it('ignores diacritics and case, and finds by field: "dat dai", "ĐẤT ĐAI"', async () => {
    for (const q of ['dat%20dai', '%C4%90%E1%BA%A4T%20%C4%90AI', 'KET%20HON'])
      expect((await page('DEMO-AL-P-ANLAC', `?tthc=${q}`)).procedures.length, q).toBe(1)
    expect((await page('DEMO-AL-P-ANLAC', '?tthc=dat%20dai')).procedures[0]!.code).toBe('DEMO-TTHC-007')
  })

  it('knows synonyms: "sổ đỏ" finds the land-use right certificate, "giấy khai sinh" the birth registration', async () => {
    expect(listed((await page('DEMO-AL-P-ANLAC', '?tthc=s%E1%BB%95%20%C4%91%E1%BB%8F')).procedures)).toEqual([
      ['DEMO-TTHC-007', true],
    ])
    expect(listed((await page('DEMO-AL-P-ANLAC', '?tthc=so%20do')).procedures)).toEqual([['DEMO-TTHC-007', true]])
    expect(listed((await page('DEMO-AL-P-ANLAC', '?tthc=giay%20khai%20sinh')).procedures)).toEqual([
      ['DEMO-TTHC-002', true],
    ])
  })

  it('nothing found is an empty list with the query echoed, for the page to say so', async () => {
    const data = await page('DEMO-AL-P-ANLAC', '?tthc=khong%20co%20thu%20tuc%20nay')
    expect(data.procedures).toEqual([])
    expect(data.procedureQuery).toBe('khong co thu tuc nay')
  })
})

describe('the chosen procedure is kept', () => {
  it('across a reload: ?procedure= in the address gives it back chosen, even when the list does not hold it', async () => {
    const data = await page('DEMO-AL-P-ANLAC', '?procedure=DEMO-TTHC-008')
    expect(data.chosenProcedure).toMatchObject({ code: 'DEMO-TTHC-008', nameVi: 'Thi tuyển, xét tuyển công chức' })
    expect(data.procedures.map((p) => p.code)).not.toContain('DEMO-TTHC-008')
    expect((await page('DEMO-AL-P-ANLAC', '?procedure=KHONG-CO')).chosenProcedure).toBeNull()
    expect((await page('DEMO-AL-P-ANLAC')).chosenProcedure).toBeNull()
  })

  it('across a refused no-JS post: the answer carries the chosen procedure’s names', async () => {
    const code = links.get('DEMO-AL-P-ANLAC')!
    const body = without(validFields(f, [['_procedure', 'DEMO-TTHC-008']]), fieldName('E2.1'))
    const res = await callSurveyAction('s', 'html', code, post(`/s/${code}`, body), makeContext(t))
    expect(res.status).toBe(400)
    const data = res.data as SurveyRejection
    expect(data.values._procedure).toBe('DEMO-TTHC-008')
    expect(data.procedure).toMatchObject({ code: 'DEMO-TTHC-008', nameVi: 'Thi tuyển, xét tuyển công chức' })
    const none = await callSurveyAction(
      's',
      'html',
      code,
      post(`/s/${code}`, without(validFields(f), fieldName('E2.1'))),
      makeContext(t),
    )
    expect((none.data as SurveyRejection).procedure).toBeNull()
  })
})
