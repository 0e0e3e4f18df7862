/**
 * Decree 13/2023: a phone number, citizen-ID number or e-mail written into the suggestion box is masked
 * before it is stored, whichever way the response arrives (no-JS form, JSON, import), so neither the
 * database row nor the raw export ever holds it.
 */
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyResponseRows, checkResponseRows } from '#app/.server/services/import-responses.ts'
import { loader as responsesLoader } from '#app/routes/analytics.responses.$format.ts'
import { fieldName } from '#app/domain/survey/response-schema.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run, signIn } from '#tests/helpers/remix.ts'
import {
  CRITERIA,
  callSurveyAction,
  fixture,
  newSid,
  post,
  type SurveyFixture,
  validFields,
} from '../survey/support.ts'

const SUGGESTION = 'SĐT 0912345678, CCCD 001203004567, email a@b.vn'
const MASKED = 'SĐT [SĐT], CCCD [CCCD/CMND], email [email]'
const RAW_DIGITS = ['0912345678', '001203004567', 'a@b.vn']

let t: TestDatabase
let f: SurveyFixture
beforeAll(async () => {
  t = await createTestDatabase({ seed: 'demo' })
  f = await fixture(t)
})
afterAll(async () => t?.cleanup())

async function storedSuggestion(sid: string) {
  const row = await t.db
    .selectFrom('answer as a')
    .innerJoin('questionnaire_item as i', 'i.id', 'a.item_id')
    .innerJoin('response as r', 'r.id', 'a.response_id')
    .select(['a.value_text', 'r.profile_json'])
    .where('r.client_submission_id', '=', sid)
    .where('i.code', '=', 'S.suggestion')
    .executeTakeFirstOrThrow()
  return row.value_text
}

describe('free text is masked before it is stored', () => {
  for (const via of ['html', 'json'] as const) {
    it(`through the ${via} form post`, async () => {
      const sid = newSid()
      const fields = validFields(f, [[fieldName('S.suggestion'), SUGGESTION]], sid)
      const request = post(`/s/${f.linkCode}${via === 'json' ? '/submit' : ''}`, fields)
      const res = await callSurveyAction('s', via, f.linkCode, request, makeContext(t))
      expect([200, 303]).toContain(res.status)
      expect(await storedSuggestion(sid)).toBe(MASKED)
    })
  }

  it('through an import', async () => {
    const context = makeContext(t)
    const admin = await signIn(context, 'import-admin@example.vn', 'admin', null)
    const agency = await t.db.selectFrom('agency').select('code').where('id', '=', f.agencyId).executeTakeFirstOrThrow()
    const checked = await checkResponseRows(t.db, 'SIPAS-2017', [
      {
        external_id: 'privacy-1',
        agency_code: agency.code,
        submitted_at: '2026-03-02',
        ...Object.fromEntries(CRITERIA.map((code) => [code, '4'])),
        'S.suggestion': SUGGESTION,
      },
    ])
    expect(checked.errors).toEqual([])
    const user = { id: admin.userId, email: admin.email, role: 'admin' as const, agencyId: null, scopePath: null }
    await applyResponseRows(t.db, checked.valid, user)
    expect(await storedSuggestion('import:privacy-1')).toBe(MASKED)
  })

  it('so nothing unmasked is in any answer, profile or the raw export', async () => {
    const texts = await t.db.selectFrom('answer').select('value_text').where('value_text', 'is not', null).execute()
    const profiles = await t.db.selectFrom('response').select('profile_json').execute()
    const everything = [...texts.map((r) => r.value_text), ...profiles.map((r) => r.profile_json)].join('\n')
    for (const raw of RAW_DIGITS) expect(everything).not.toContain(raw)

    const context = makeContext(t)
    const admin = await signIn(context, 'export-admin@example.vn', 'admin', null)
    const res = await run(() =>
      responsesLoader({
        request: new Request('http://localhost/analytics/responses/csv?period=2026', {
          headers: { Cookie: admin.cookie },
        }),
        context,
        params: { format: 'csv' },
      }),
    )
    expect(res.status).toBe(200)
    const rows: string[][] = parse(res.text, { bom: true })
    const column = rows[0]!.indexOf('S.suggestion')
    const suggestions = rows.slice(1).map((r) => r[column])
    expect(suggestions.filter((s) => s === MASKED).length).toBeGreaterThanOrEqual(3)
    for (const raw of RAW_DIGITS) expect(res.text).not.toContain(raw)
  })
})
