/**
 * Valid survey posts through the real route actions: exactly the posted answers are stored with the
 * aggregates, a retry with the same submission id stores nothing more, and an invitation is used once.
 */
import { thanksStrings } from '#app/.server/page-strings.ts'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loader as linkThanksLoader } from '#app/routes/s.$code_.thanks.tsx'
import { loader as invitationThanksLoader } from '#app/routes/r.$code_.thanks.tsx'
import { periodMonthOf } from '#app/domain/period.ts'
import { fieldName } from '#app/domain/survey/response-schema.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { responseReference } from '#app/.server/codes.ts'
import { makeContext, run } from '#tests/helpers/remix.ts'
import {
  callSurveyAction,
  counts,
  CRITERIA,
  fixture,
  insertInvitation,
  newSid,
  post,
  type SurveyFixture,
  usedAt,
  validFields,
} from './support.ts'

let t: TestDatabase
let f: SurveyFixture
let procedureId: number
beforeAll(async () => {
  t = await createTestDatabase({ seed: 'demo' })
  f = await fixture(t)
  procedureId = (
    await t.db.selectFrom('procedure').select('id').where('code', '=', f.procedureCode).executeTakeFirstOrThrow()
  ).id
})
afterAll(async () => t?.cleanup())

type Via = 'html' | 'json'
function submit(
  kind: 's' | 'r',
  via: Via,
  code: string,
  fields: Array<[string, string]>,
  query = '',
  ctx = makeContext(t),
) {
  const request = post(`/${kind}/${code}${via === 'json' ? '/submit' : ''}${query}`, fields)
  return callSurveyAction(kind, via, code, request, ctx)
}

/** Where a successful post sends the citizen, whichever path it took. */
function thanksTarget(res: Awaited<ReturnType<typeof submit>>, via: Via) {
  if (via === 'html') {
    expect(res.status).toBe(303)
    return res.headers.get('Location')
  }
  expect(res.status).toBe(200)
  expect(res.data).toMatchObject({ ok: true })
  return (res.data as { redirectTo: string }).redirectTo
}

/** The thank-you page's reference of the response stored under this submission id (the test secret). */
async function referenceOf(sid: string) {
  const { id } = await t.db
    .selectFrom('response')
    .select('id')
    .where('client_submission_id', '=', sid)
    .executeTakeFirstOrThrow()
  return responseReference(makeContext(t).config.secret, id)
}

async function storedAnswers(sid: string) {
  const response = await t.db
    .selectFrom('response')
    .selectAll()
    .where('client_submission_id', '=', sid)
    .executeTakeFirstOrThrow()
  const rows = await t.db
    .selectFrom('answer as a')
    .innerJoin('questionnaire_item as i', 'i.id', 'a.item_id')
    .select(['i.code', 'a.value_number', 'a.value_text', 'i.version_id'])
    .where('a.response_id', '=', response.id)
    .execute()
  for (const r of rows) expect(r.version_id).toBe(response.version_id)
  return { response, answers: Object.fromEntries(rows.map((r) => [r.code, r.value_number ?? r.value_text])) }
}

const responsesWith = async (sid: string) =>
  (await t.db.selectFrom('response').select('id').where('client_submission_id', '=', sid).execute()).length

function fullAnswers(sid: string) {
  return validFields(
    f,
    [
      [fieldName('E1.overall'), '4'],
      [fieldName('O.overall'), '5'],
      [fieldName('X.expectations'), 'simplify'],
      [fieldName('X.expectations'), 'time'],
      [fieldName('X.expectations'), 'time'],
      [fieldName('S.suggestion'), '   Cần thêm ghế ngồi chờ.\n  '],
      [fieldName('P.gender'), 'female'],
      [fieldName('P.age'), ''],
      ['_procedure', f.procedureCode],
    ],
    sid,
  )
}

function expectedAnswers() {
  const expected: Record<string, number | string> = {}
  for (const [i, code] of CRITERIA.entries()) expected[code] = (i % 5) + 1
  Object.assign(expected, {
    'E1.overall': 4,
    'O.overall': 5,
    'X.expectations': JSON.stringify(['simplify', 'time']),
    'S.suggestion': 'Cần thêm ghế ngồi chờ.',
    'P.gender': 'female',
  })
  return expected
}

describe.each(['html', 'json'] as const)('a valid post on the %s path', (via) => {
  let before: Awaited<ReturnType<typeof counts>>
  beforeEach(async () => {
    before = await counts(t)
  })

  it('stores one response with exactly the posted answers and updates the aggregates', async () => {
    const sid = newSid()
    const target = thanksTarget(await submit('s', via, f.linkCode, fullAnswers(sid)), via)
    expect(target).toBe(`/s/${f.linkCode}/thanks?ref=${await referenceOf(sid)}`)

    const { response, answers } = await storedAnswers(sid)
    expect(answers).toEqual(expectedAnswers())
    expect(response).toMatchObject({
      version_id: f.versionId,
      agency_id: f.agencyId,
      procedure_id: procedureId,
      channel: 'counter',
      link_id: f.linkId,
      invitation_id: null,
      source: 'web',
      weight_micro: 1_000_000,
      period_month: periodMonthOf(new Date(response.submitted_at)),
    })
    expect(JSON.parse(response.profile_json!)).toEqual({ 'P.gender': 'female' })

    const after = await counts(t)
    expect(after.response).toBe(before.response + 1)
    expect(after.answer).toBe(before.answer + Object.keys(expectedAnswers()).length)
    // 22 criteria + E1.overall + O.overall, then 1 "answered" + 2 options for the expectations, 1 + 1 for the gender.
    expect(after.item_n - before.item_n).toBe(24 + 3 + 2)
    // The overall composite and one per element.
    expect(after.composite_n - before.composite_n).toBe(6)
    const e11 = await t.db
      .selectFrom('item_aggregate as g')
      .innerJoin('questionnaire_item as i', 'i.id', 'g.item_id')
      .select(['g.answer_value', 'g.n'])
      .where('i.code', '=', 'E1.1')
      .where('i.version_id', '=', f.versionId)
      .where('g.agency_id', '=', f.agencyId)
      .where('g.period_month', '=', response.period_month)
      .execute()
    expect(e11.map((r) => r.answer_value)).toContain(1)
  })

  it('stores a retry with the same _sid once and answers with the same thank-you page', async () => {
    const sid = newSid()
    const first = thanksTarget(await submit('s', via, f.linkCode, fullAnswers(sid)), via)
    const afterFirst = await counts(t)
    const second = await submit('s', via, f.linkCode, fullAnswers(sid))
    expect(thanksTarget(second, via)).toBe(first)
    if (via === 'json') expect(second.data).toMatchObject({ duplicate: true })
    // The retry through the other path is the same submission too.
    const other: Via = via === 'html' ? 'json' : 'html'
    expect(thanksTarget(await submit('s', other, f.linkCode, fullAnswers(sid)), other)).toBe(first)
    expect(await responsesWith(sid)).toBe(1)
    expect(await counts(t)).toEqual(afterFirst)
  })

  it('stores only the criteria when nothing optional is answered', async () => {
    const sid = newSid()
    thanksTarget(
      await submit(
        's',
        via,
        f.linkCode,
        validFields(
          f,
          [
            ['_procedure', ''],
            [fieldName('S.suggestion'), '   '],
          ],
          sid,
        ),
      ),
      via,
    )
    const { response, answers } = await storedAnswers(sid)
    expect(Object.keys(answers).sort()).toEqual([...CRITERIA].sort())
    for (const code of CRITERIA) expect(typeof answers[code]).toBe('number')
    expect(response.procedure_id).toBeNull()
    expect(response.profile_json).toBeNull()
  })

  it('stores a single expectation as a one-element JSON array', async () => {
    const sid = newSid()
    thanksTarget(
      await submit('s', via, f.linkCode, validFields(f, [[fieldName('X.expectations'), 'online']], sid)),
      via,
    )
    expect((await storedAnswers(sid)).answers['X.expectations']).toBe('["online"]')
  })

  it('stores a 1000-character suggestion in full', async () => {
    const sid = newSid()
    const text = 'ữ'.repeat(1000)
    thanksTarget(await submit('s', via, f.linkCode, validFields(f, [[fieldName('S.suggestion'), text]], sid)), via)
    expect((await storedAnswers(sid)).answers['S.suggestion']).toBe(text)
  })

  it('records a kiosk post with the kiosk channel and a kiosk thank-you page', async () => {
    const sid = newSid()
    const target = thanksTarget(
      await submit('s', via, f.linkCode, validFields(f, [['_kiosk', '1']], sid), '?kiosk=1'),
      via,
    )
    expect(target).toBe(`/s/${f.linkCode}/thanks?kiosk=1&ref=${await referenceOf(sid)}`)
    expect((await storedAnswers(sid)).response.channel).toBe('kiosk')
  })

  it('uses an invitation once: its retry still thanks, a new submission is thanked and stores nothing', async () => {
    const invitation = await insertInvitation(t, f)
    const sid = newSid()
    const target = thanksTarget(await submit('r', via, invitation.code, fullAnswers(sid)), via)
    expect(target).toBe(`/r/${invitation.code}/thanks?ref=${await referenceOf(sid)}`)
    const { response, answers } = await storedAnswers(sid)
    expect(answers).toEqual(expectedAnswers())
    expect(response).toMatchObject({ invitation_id: invitation.id, link_id: null, channel: 'counter' })
    const used = await usedAt(t, invitation.id)
    expect(used).toBe(response.submitted_at)
    const afterFirst = await counts(t)

    // The browser retries after a lost answer: the same thank-you page, nothing stored again.
    for (const path of ['html', 'json'] as const)
      expect(thanksTarget(await submit('r', path, invitation.code, fullAnswers(sid)), path)).toBe(target)

    // Someone else tries to reuse the invitation: "this dossier has already been rated, thank you", nothing stored.
    const reuse = await submit('r', via, invitation.code, fullAnswers(newSid()))
    expect(thanksTarget(reuse, via)).toBe(`/r/${invitation.code}/thanks?rated=1`)
    expect(await counts(t)).toEqual(afterFirst)
    expect(await usedAt(t, invitation.id)).toBe(used)
  })
})

describe('an expired invitation', () => {
  it('does not thank a post that reuses the submission id of a response stored elsewhere', async () => {
    const sid = newSid()
    thanksTarget(await submit('s', 'html', f.linkCode, validFields(f, [], sid)), 'html')
    const expired = await insertInvitation(t, f, { expiresAt: '2020-01-01T00:00:00.000Z' })
    const before = await counts(t)
    const res = await submit('r', 'html', expired.code, validFields(f, [], sid))
    expect(res.status).toBe(410)
    expect(await counts(t)).toEqual(before)
    expect(await usedAt(t, expired.id)).toBeNull()
  })
})

describe('thank-you pages', () => {
  const load = (loader: typeof linkThanksLoader, kind: 's' | 'r', code: string, query = '') =>
    run(() =>
      loader({
        request: new Request(`http://localhost/${kind}/${code}/thanks${query}`),
        params: { code },
        context: makeContext(t),
      } as never),
    )

  it('name the agency and, on a kiosk, lead back to an empty form', async () => {
    const agency = await t.db
      .selectFrom('agency')
      .select(['name_vi', 'name_en'])
      .where('id', '=', f.agencyId)
      .executeTakeFirstOrThrow()
    expect((await load(linkThanksLoader, 's', f.linkCode)).data).toEqual({
      agency: { nameVi: agency.name_vi, nameEn: agency.name_en },
      kiosk: false,
      surveyUrl: `/s/${f.linkCode}`,
      reference: null,
      alreadyRated: false,
      contact: null,
      // The page's words travel with it (ADR 0055).
      lng: 'vi',
      strings: thanksStrings('vi'),
    })
    expect((await load(linkThanksLoader, 's', f.linkCode, '?kiosk=1')).data).toMatchObject({
      kiosk: true,
      surveyUrl: `/s/${f.linkCode}?kiosk=1`,
    })
    const invitation = await insertInvitation(t, f)
    expect((await load(invitationThanksLoader, 'r', invitation.code)).data).toMatchObject({
      kiosk: false,
      surveyUrl: null,
    })
    expect(await load(linkThanksLoader, 's', 'KHONG-CO')).toMatchObject({ status: 404, thrown: true })
  })
})
