/**
 * A survey that keeps its promise (issue #18 item 3), through the real loaders and actions: the thank-you
 * page shows the response's short reference and the province's hotline, a dossier already rated is
 * thanked on every path, the short SIPAS form is offered first for new links and scores like the full one,
 * and reseeding never rewrites a published template.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loader as invitationThanksLoader } from '#app/routes/r.$code_.thanks.tsx'
import { loader as invitationLoader } from '#app/routes/r.$code.tsx'
import { loader as linkThanksLoader } from '#app/routes/s.$code_.thanks.tsx'
import { loader as linkLoader } from '#app/routes/s.$code.tsx'
import { RESPONSE_REFERENCE, responseReference } from '#app/.server/codes.ts'
import { insertLink } from '#app/.server/repos/links.ts'
import {
  findQuestionnaireByCode,
  insertQuestionnaire,
  insertVersion,
  publishVersion,
} from '#app/.server/repos/questionnaires.ts'
import { linksPage } from '#app/.server/services/links-admin.ts'
import { seedTemplates } from '#app/.server/services/seed.ts'
import { SIPAS_2017 } from '#app/domain/questionnaire/templates/sipas2017.ts'
import { SIPAS_SHORT, SIPAS_SHORT_CODE } from '#app/domain/questionnaire/templates/sipas-short.ts'
import { fieldName } from '#app/domain/survey/response-schema.ts'
import type { SurveyPageData, ThanksPageData } from '#app/domain/survey/view.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run } from '#tests/helpers/remix.ts'
import {
  callSurveyAction,
  counts,
  fixture,
  insertInvitation,
  newSid,
  post,
  type SurveyFixture,
  validFields,
} from './support.ts'

const HOTLINE = 'Đường dây nóng 1900 1234 (Trung tâm Phục vụ hành chính công tỉnh)'

let t: TestDatabase
let f: SurveyFixture
beforeAll(async () => {
  t = await createTestDatabase({ seed: 'demo' })
  f = await fixture(t)
})
afterAll(async () => t?.cleanup())

const thanks = (kind: 's' | 'r', code: string, query = '', env: Record<string, string> = {}) =>
  run(() =>
    (kind === 's' ? linkThanksLoader : invitationThanksLoader)({
      request: new Request(`http://localhost/${kind}/${code}/thanks${query}`),
      params: { code },
      context: makeContext(t, env),
    } as never),
  )

describe('the thank-you page', () => {
  it('shows the reference the action sent it to, derived from the response id with the server secret', async () => {
    const sid = newSid()
    const res = await callSurveyAction(
      's',
      'html',
      f.linkCode,
      post(`/s/${f.linkCode}`, validFields(f, [], sid)),
      makeContext(t),
    )
    expect(res.status).toBe(303)
    const location = new URL(res.location!, 'http://localhost')
    const reference = location.searchParams.get('ref')!
    expect(reference).toMatch(RESPONSE_REFERENCE)
    const { id } = await t.db
      .selectFrom('response')
      .select('id')
      .where('client_submission_id', '=', sid)
      .executeTakeFirstOrThrow()
    expect(reference).toBe(responseReference('x'.repeat(32), id))
    // Reveals nothing: not the id, and another secret gives another code.
    expect(reference).not.toContain(String(id))
    expect(responseReference('y'.repeat(32), id)).not.toBe(reference)
    expect(responseReference('x'.repeat(32), id + 1)).not.toBe(reference)

    const page = (await thanks('s', f.linkCode, location.search)).data as ThanksPageData
    expect(page).toMatchObject({ reference, alreadyRated: false, contact: null })
  })

  it('echoes nothing but a well-formed reference from its address', async () => {
    for (const forged of ['<script>', 'ABCD-EFG', 'abcd-efgh', 'ABCD-EFGHX', 'L0O1-ABCD'])
      expect(
        ((await thanks('s', f.linkCode, `?ref=${encodeURIComponent(forged)}`)).data as ThanksPageData).reference,
      ).toBeNull()
  })

  it("shows the province's hotline when FEEDBACK_CONTACT is set", async () => {
    expect(((await thanks('s', f.linkCode, '', { FEEDBACK_CONTACT: HOTLINE })).data as ThanksPageData).contact).toBe(
      HOTLINE,
    )
    expect(((await thanks('s', f.linkCode)).data as ThanksPageData).contact).toBeNull()
  })

  it('says "already rated" only on an invitation', async () => {
    const invitation = await insertInvitation(t, f)
    expect(((await thanks('r', invitation.code, '?rated=1')).data as ThanksPageData).alreadyRated).toBe(true)
    expect(((await thanks('s', f.linkCode, '?rated=1')).data as ThanksPageData).alreadyRated).toBe(false)
  })
})

describe('a dossier already rated', () => {
  it('is thanked when its invitation is opened again, not shown an error', async () => {
    const used = await insertInvitation(t, f, { usedAt: '2026-01-01T00:00:00.000Z' })
    const res = await run(() =>
      invitationLoader({
        request: new Request(`http://localhost/r/${used.code}`),
        params: { code: used.code },
        context: makeContext(t),
      } as never),
    )
    expect(res).toMatchObject({ status: 302, location: `/r/${used.code}/thanks?rated=1` })
    // A first visit's language choice goes along: no cookie holds it yet.
    const english = await run(() =>
      invitationLoader({
        request: new Request(`http://localhost/r/${used.code}?lng=en`),
        params: { code: used.code },
        context: makeContext(t),
      } as never),
    )
    expect(english).toMatchObject({ status: 302, location: `/r/${used.code}/thanks?rated=1&lng=en` })
  })

  it('is thanked on both submission paths, and nothing is stored', async () => {
    const used = await insertInvitation(t, f, { usedAt: '2026-01-01T00:00:00.000Z' })
    const before = await counts(t)
    const html = await callSurveyAction(
      'r',
      'html',
      used.code,
      post(`/r/${used.code}`, validFields(f, [], newSid())),
      makeContext(t),
    )
    expect(html).toMatchObject({ status: 303, location: `/r/${used.code}/thanks?rated=1` })
    const json = await callSurveyAction(
      'r',
      'json',
      used.code,
      post(`/r/${used.code}/submit`, validFields(f, [], newSid())),
      makeContext(t),
    )
    expect(json.status).toBe(200)
    expect(json.data).toMatchObject({ ok: true, redirectTo: `/r/${used.code}/thanks?rated=1` })
    expect(await counts(t)).toEqual(before)
  })

  it('still gets a 410 with words when the invitation has expired', async () => {
    const expired = await insertInvitation(t, f, { expiresAt: '2020-01-01T00:00:00.000Z' })
    const res = await callSurveyAction(
      'r',
      'html',
      expired.code,
      post(`/r/${expired.code}`, validFields(f, [], newSid())),
      makeContext(t),
    )
    expect(res).toMatchObject({ status: 410, thrown: true, data: 'Lời mời khảo sát này đã hết hạn.' })
  })
})

describe('the short SIPAS form', () => {
  it('is seeded, offered first for a new link, and answered and scored through a poster link', async () => {
    const short = (await findQuestionnaireByCode(t.db, SIPAS_SHORT_CODE))!
    expect(short).toBeTruthy()
    const admin = { id: 0, email: 'admin@anlac.gov.vn', role: 'admin', agencyId: null, scopePath: null } as const
    const page = await linksPage(t.db, admin, 'http://localhost')
    expect(page.questionnaires[0]!.code).toBe(SIPAS_SHORT_CODE)
    expect(page.questionnaires.map((q) => q.code)).toContain('SIPAS-2017')

    const code = `short${Date.now().toString(36)}`
    await insertLink(
      t.db,
      { code, agencyId: f.agencyId, questionnaireId: short.id, procedureId: null, counterLabel: null, kind: 'poster' },
      new Date().toISOString(),
    )
    const loaded = await run(() =>
      linkLoader({
        request: new Request(`http://localhost/s/${code}`),
        params: { code },
        context: makeContext(t),
      } as never),
    )
    expect(loaded.status).toBe(200)
    const survey = (loaded.data as SurveyPageData).survey
    const items = [...survey.version.elements.flatMap((e) => e.items), ...survey.version.extraItems]
    expect(items.length).toBeLessThanOrEqual(8)
    expect(items.map((i) => i.code)).toEqual([
      'E1.overall',
      'E2.overall',
      'E3.overall',
      'E4.overall',
      'E5.overall',
      'O.overall',
      'S.suggestion',
    ])

    const sid = newSid()
    const answers: Array<[string, string]> = [
      ...['E1', 'E2', 'E3', 'E4'].map((e): [string, string] => [fieldName(`${e}.overall`), '5']),
      [fieldName('E5.overall'), '2'],
      [fieldName('O.overall'), '4'],
      ['_sid', sid],
      ['_version', String(survey.version.versionId)],
      ['_website', ''],
      ['_procedure', ''],
    ]
    const res = await callSurveyAction('s', 'html', code, post(`/s/${code}`, answers), makeContext(t))
    expect(res.status).toBe(303)
    const response = await t.db
      .selectFrom('response')
      .select(['id', 'version_id', 'quarantine_reason'])
      .where('client_submission_id', '=', sid)
      .executeTakeFirstOrThrow()
    expect(response).toMatchObject({ version_id: survey.version.versionId, quarantine_reason: null })
    // Four of five elements satisfied (E5 answered 2): the respondent's overall composite is 0.8.
    const composites = await t.db
      .selectFrom('composite_aggregate')
      .select(['composite', 'n', 'sum_x'])
      .where('version_id', '=', survey.version.versionId)
      .orderBy('composite')
      .execute()
    expect(composites.map((c) => [c.composite, Number(c.n), Number(c.sum_x)])).toEqual([
      ['E1', 1, 1],
      ['E2', 1, 1],
      ['E3', 1, 1],
      ['E4', 1, 1],
      ['E5', 1, 0],
      ['overall', 1, 0.8],
    ])
  })
})

describe('reseeding the templates', () => {
  it('keeps a published version word for word and adds only the templates that are missing', async () => {
    const fresh = await createTestDatabase({ seed: 'none' })
    try {
      const oldWording = 'Thời hạn giải quyết ghi trên giấy hẹn là đúng quy định'
      const old = {
        ...SIPAS_2017,
        elements: SIPAS_2017.elements.map((e) => ({
          ...e,
          items: e.items.map((i) => (i.code === 'E2.5' ? { ...i, labelVi: oldWording } : i)),
        })),
      }
      const now = '2025-01-01T00:00:00.000Z'
      await fresh.db.transaction().execute(async (trx) => {
        const q = await insertQuestionnaire(trx, old, now)
        await publishVersion(trx, await insertVersion(trx, q, old, now), now)
      })
      expect(await seedTemplates(fresh.db)).toEqual([SIPAS_SHORT.code, 'ND61-DOSSIER'])
      const e25 = await fresh.db
        .selectFrom('questionnaire_item')
        .select('label_vi')
        .where('code', '=', 'E2.5')
        .execute()
      expect(e25).toEqual([{ label_vi: oldWording }])
      expect(await seedTemplates(fresh.db)).toEqual([])
    } finally {
      await fresh.cleanup()
    }
  })
})
