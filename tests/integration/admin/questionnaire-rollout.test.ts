/**
 * Issue #18, the questionnaire designer and versions, through the real route actions:
 * - Vietnamese required, English optional; English readers get the Vietnamese where English is missing;
 * - a wording changed under an old code must be decided (new code, or a recorded "same meaning") before
 *   publishing;
 * - a version published to chosen agencies (and subtrees) from a day; the others keep theirs; links pick
 *   the version in force for their agency at the time; refused choices store nothing; all audited.
 */
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseAnalyticsQuery } from '#app/.server/analytics/query.ts'
import { EVERYTHING } from '#app/.server/auth/scope.ts'
import { currentVersionFor, loadVersionDefinition } from '#app/.server/repos/questionnaires.ts'
import { agencyPage } from '#app/.server/services/agency-page.ts'
import { computeScores } from '#app/.server/services/scores.ts'
import { createLink } from '#app/.server/services/links-admin.ts'
import { submitResponse } from '#app/.server/services/submit-response.ts'
import { getVersionDefinition } from '#app/.server/services/survey-definition.ts'
import type { QuestionnaireDefinition } from '#app/domain/questionnaire/definition.ts'
import { startOfVietnamDay, vietnamToday } from '#app/domain/questionnaire/rollout.ts'
import { action as createAction } from '#app/routes/admin.questionnaires._index.tsx'
import { action as versionAction, loader as versionLoader } from '#app/routes/admin.versions.$id.tsx'
import { loader as linkLoader } from '#app/routes/s.$code.tsx'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run, type SignedIn, signIn } from '#tests/helpers/remix.ts'
import { args, get, idOf, lastAuditId, post } from './support.ts'

let t: TestDatabase
let context: AppLoadContext
let admin: SignedIn

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  admin = await signIn(context, 'rollout@q.vn', 'admin', null)
})
afterAll(async () => {
  await t?.cleanup()
})

type Definition = QuestionnaireDefinition
const versionIdFrom = (location: string | null) => Number(/^\/admin\/versions\/(\d+)/.exec(location ?? '')?.[1])

async function create(fields: Record<string, string>) {
  return run(() => createAction(args(context, post('/admin/questionnaires', fields, admin.cookie))))
}
async function intent(versionId: number, name: string, extra: Record<string, string | string[]> = {}) {
  return run(() =>
    versionAction(
      args(context, post(`/admin/versions/${versionId}`, { intent: name, ...extra }, admin.cookie), {
        id: String(versionId),
      }),
    ),
  )
}
const save = (versionId: number, def: Definition) => intent(versionId, 'save', { definition: JSON.stringify(def) })
async function stored(versionId: number): Promise<Definition> {
  const { items: _i, versionId: _v, ...definition } = await loadVersionDefinition(t.db, versionId)
  return JSON.parse(
    JSON.stringify(definition, (k, v) => (k === 'id' || k === 'elementId' ? undefined : v)),
  ) as Definition
}
async function linkFor(agencyCode: string, questionnaireId: number) {
  const adminUser = { id: admin.userId, email: admin.email, role: 'admin' as const, agencyId: null, scopePath: null }
  const created = await createLink(t.db, adminUser, {
    agencyId: await idOf(t, 'agency', agencyCode),
    questionnaireId,
    procedureId: null,
    counterLabel: null,
    kind: 'poster',
  })
  if (!created.ok) throw new Error('link')
  return (await t.db.selectFrom('survey_link').select('code').where('id', '=', created.id).executeTakeFirstOrThrow())
    .code
}
async function surveyVersionId(code: string): Promise<number | undefined> {
  const outcome = await run(() => linkLoader(args(context, get(`/s/${code}`), { code })))
  return (outcome.body as { survey?: { version: { versionId: number } } }).survey?.version.versionId
}
const statusOf = async (id: number) =>
  (await t.db.selectFrom('questionnaire_version').select('status').where('id', '=', id).executeTakeFirstOrThrow())
    .status
const countRollouts = async () =>
  Number(
    (
      await t.db
        .selectFrom('version_rollout')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('English is optional', () => {
  it('a questionnaire is created without an English name, and saved without English texts', async () => {
    const outcome = await create({ code: 'EN-OPT', nameVi: 'Chỉ tiếng Việt', nameEn: '', template: 'SIPAS-2017' })
    expect(outcome.status).toBe(302)
    const versionId = versionIdFrom(outcome.location)
    const def = await stored(versionId)
    def.nameEn = ''
    def.elements[0]!.titleEn = ''
    def.elements[0]!.items[0]!.labelEn = ''
    def.elements[0]!.items[0]!.options![0]!.labelEn = ''
    const saved = await save(versionId, def)
    expect(saved.status).toBe(200)
    expect(await stored(versionId)).toEqual(def)
  })

  it('the Vietnamese stays required: a blank Vietnamese label → 400 with the translated key, nothing stored', async () => {
    const outcome = await create({
      code: 'EN-OPT-2',
      nameVi: 'Bắt buộc tiếng Việt',
      nameEn: '',
      template: 'SIPAS-2017',
    })
    const versionId = versionIdFrom(outcome.location)
    const before = await stored(versionId)
    const def = structuredClone(before)
    def.elements[0]!.items[0]!.labelVi = ' '
    def.elements[0]!.items[0]!.labelEn = 'Only English'
    const saved = await save(versionId, def)
    expect(saved.status).toBe(400)
    expect(saved.body).toMatchObject({
      issues: [{ path: 'elements.0.items.0.labelVi', message: 'designer.errors.labelRequired' }],
    })
    expect(await stored(versionId)).toEqual(before)
  })

  it('readers (survey, analytics, exports) get the Vietnamese where English is missing', async () => {
    const questionnaireId = await idOf(t, 'questionnaire', 'EN-OPT')
    const versionId = (
      await t.db
        .selectFrom('questionnaire_version')
        .select('id')
        .where('questionnaire_id', '=', questionnaireId)
        .executeTakeFirstOrThrow()
    ).id
    expect((await intent(versionId, 'publish')).status).toBe(302)
    const read = await getVersionDefinition(t.db, versionId, 'published')
    expect(read.nameEn).toBe('Chỉ tiếng Việt')
    expect(read.elements[0]!.titleEn).toBe(read.elements[0]!.titleVi)
    const first = read.elements[0]!.items[0]!
    expect(first.labelEn).toBe(first.labelVi)
    expect(first.options![0]!.labelEn).toBe(first.options![0]!.labelVi)
    expect(read.items[0]!.labelEn).toBe(first.labelVi)
    // Texts that were written in English stay English.
    expect(read.elements[1]!.titleEn).not.toBe(read.elements[1]!.titleVi)
    // The survey page in English shows the same fallback.
    const code = await linkFor('DEMO-AL-SXD', questionnaireId)
    const page = await run(() =>
      linkLoader(args(context, get(`/s/${code}?lng=en`, undefined, { 'Accept-Language': 'en' }), { code })),
    )
    const survey = (page.body as { survey: { version: Definition } }).survey
    expect(survey.version.elements[0]!.items[0]!.labelEn).toBe(first.labelVi)
    // The designer still edits the stored texts: the English stays empty there.
    const designer = await run(() =>
      versionLoader(args(context, get(`/admin/versions/${versionId}`, admin.cookie), { id: String(versionId) })),
    )
    expect((designer.body as { definition: Definition }).definition.elements[0]!.items[0]!.labelEn).toBe('')
  })
})

describe('a wording changed under an old code', () => {
  let v1: number
  let v2: number
  let reworded: string
  let questionnaireId: number

  beforeAll(async () => {
    v1 = versionIdFrom(
      (await create({ code: 'WORD-A', nameVi: 'Đổi lời', nameEn: '', template: 'SIPAS-2017' })).location,
    )
    questionnaireId = await idOf(t, 'questionnaire', 'WORD-A')
    expect((await intent(v1, 'publish')).status).toBe(302)
    v2 = versionIdFrom((await intent(v1, 'newDraft')).location)
  })

  it('saving warns with the item, its old and new wording; publishing is refused (409), nothing published', async () => {
    const def = await stored(v2)
    const item = def.elements[0]!.items[0]!
    reworded = item.code
    const before = item.labelVi
    item.labelVi = `${before} (cách hỏi mới)`
    // English-only or spacing changes are not rewordings.
    def.elements[0]!.items[1]!.labelEn = 'Reworded in English only'
    const saved = await save(v2, def)
    expect(saved.status).toBe(200)
    expect((saved.body as { rewordings: unknown[] }).rewordings).toEqual([
      { code: reworded, before, after: `${before} (cách hỏi mới)`, sameMeaning: false },
    ])
    const since = await lastAuditId(t)
    const refused = await intent(v2, 'publish')
    expect(refused.status).toBe(409)
    expect(refused.body).toMatchObject({
      error: 'designer.errors.rewordedUndecided',
      issues: [{ path: reworded, message: 'designer.errors.rewordedUndecided' }],
    })
    expect(await statusOf(v2)).toBe('draft')
    expect(await t.db.selectFrom('audit_log').select('id').where('id', '>', since).execute()).toEqual([])
  })

  it('"same meaning" is recorded (stored on the item, in the audit) and publishing then goes through', async () => {
    const def = await stored(v2)
    def.elements[0]!.items[0]!.sameMeaning = true
    // A "same meaning" on an item whose wording did not change means nothing and is not kept.
    def.elements[0]!.items[2]!.sameMeaning = true
    const since = await lastAuditId(t)
    const saved = await save(v2, def)
    expect((saved.body as { rewordings: Array<{ sameMeaning: boolean }> }).rewordings).toMatchObject([
      { code: reworded, sameMeaning: true },
    ])
    const items = await t.db
      .selectFrom('questionnaire_item')
      .select(['code', 'same_meaning'])
      .where('version_id', '=', v2)
      .where('same_meaning', '=', 1)
      .execute()
    expect(items).toEqual([{ code: reworded, same_meaning: 1 }])
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'details_json'])
      .where('id', '>', since)
      .executeTakeFirstOrThrow()
    expect(audit.action).toBe('questionnaire.save_draft')
    expect(JSON.parse(String(audit.details_json))).toEqual({ sameMeaning: [reworded] })
    expect((await intent(v2, 'publish')).status).toBe(302)
    expect(await statusOf(v2)).toBe('published')
  })

  it('a new code instead needs no decision; the next draft starts with no "same meaning" carried over', async () => {
    const v3 = versionIdFrom((await intent(v2, 'newDraft')).location)
    const carried = await stored(v3)
    expect(carried.elements[0]!.items[0]!.sameMeaning).toBeUndefined()
    const item = carried.elements[0]!.items[1]!
    item.labelVi = 'Một câu hỏi khác hẳn'
    item.code = `${item.code}.b`
    const saved = await save(v3, carried)
    expect((saved.body as { rewordings: unknown[] }).rewordings).toEqual([])
    expect((await intent(v3, 'publish')).status).toBe(302)
    expect(questionnaireId).toBeGreaterThan(0)
  })
})

describe('publishing to chosen agencies from a day', () => {
  let v1: number
  let v2: number
  let questionnaireId: number
  const links: Record<string, string> = {}
  const ids: Record<string, number> = {}

  beforeAll(async () => {
    v1 = versionIdFrom(
      (await create({ code: 'ROLL-A', nameVi: 'Áp dụng dần', nameEn: '', template: 'SIPAS-2017' })).location,
    )
    questionnaireId = await idOf(t, 'questionnaire', 'ROLL-A')
    for (const code of ['DEMO-AL', 'DEMO-AL-STP', 'DEMO-AL-SNV', 'DEMO-AL-SXD', 'DEMO-BS'])
      ids[code] = await idOf(t, 'agency', code)
    for (const code of ['DEMO-AL-STP', 'DEMO-AL-SNV', 'DEMO-AL-SXD']) links[code] = await linkFor(code, questionnaireId)
    expect((await intent(v1, 'publish')).status).toBe(302)
    v2 = versionIdFrom((await intent(v1, 'newDraft')).location)
  })

  it('refused choices → 400, nothing published, nothing rolled out', async () => {
    const before = await countRollouts()
    const cases: Array<Record<string, string | string[]>> = [
      { audience: 'chosen', effectiveDate: '2026-02-30', rolloutAgency: [String(ids['DEMO-AL-STP'])] },
      { audience: 'chosen', effectiveDate: 'ngày mai', rolloutAgency: [String(ids['DEMO-AL-STP'])] },
      { audience: 'chosen', effectiveDate: vietnamToday() },
      { audience: 'chosen', effectiveDate: vietnamToday(), rolloutAgency: ['999999'] },
      // A unit merged away cannot receive a version.
      { audience: 'chosen', effectiveDate: vietnamToday(), rolloutAgency: [String(ids['DEMO-BS'])] },
    ]
    for (const extra of cases) {
      const outcome = await intent(v2, 'publish', extra)
      expect(outcome.status).toBe(400)
      expect(typeof outcome.body).toBe('string')
    }
    expect(await statusOf(v2)).toBe('draft')
    expect(await countRollouts()).toBe(before)
  })

  it('published to one agency from today: its link shows v2, the others keep v1', async () => {
    const since = await lastAuditId(t)
    const outcome = await intent(v2, 'publish', {
      audience: 'chosen',
      effectiveDate: vietnamToday(),
      rolloutAgency: [String(ids['DEMO-AL-STP'])],
    })
    expect(outcome.status).toBe(302)
    expect(await surveyVersionId(links['DEMO-AL-STP']!)).toBe(v2)
    expect(await surveyVersionId(links['DEMO-AL-SNV']!)).toBe(v1)
    expect(await surveyVersionId(links['DEMO-AL-SXD']!)).toBe(v1)
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'details_json'])
      .where('id', '>', since)
      .executeTakeFirstOrThrow()
    expect(audit.action).toBe('questionnaire.publish')
    expect(JSON.parse(String(audit.details_json))).toEqual({
      rollout: [
        {
          agencyId: ids['DEMO-AL-STP'],
          includeSubtree: false,
          effectiveDate: vietnamToday(),
          effectiveAt: startOfVietnamDay(vietnamToday()),
        },
      ],
    })
  })

  it('extended to the whole province from a later day: in force there from that day only', async () => {
    const later = '2099-01-01'
    const outcome = await intent(v2, 'rollout', { effectiveDate: later, rolloutSubtree: [String(ids['DEMO-AL'])] })
    expect(outcome.status).toBe(302)
    expect(outcome.location).toBe(`/admin/versions/${v2}?rolledOut=1`)
    // Today: unchanged.
    expect(await surveyVersionId(links['DEMO-AL-SNV']!)).toBe(v1)
    const at = (iso: string) => new Date(iso)
    const version = async (code: string, when: string) =>
      (await currentVersionFor(t.db, ids[code]!, questionnaireId, at(when)))?.id
    // 23:59 on 31/12/2098 in Vietnam is still before; midnight in Vietnam is the start.
    expect(await version('DEMO-AL-SNV', '2098-12-31T16:59:00Z')).toBe(v1)
    expect(await version('DEMO-AL-SNV', '2098-12-31T17:00:00Z')).toBe(v2)
    expect(await version('DEMO-AL-SXD', '2099-06-01T00:00:00Z')).toBe(v2)
    expect(await version('DEMO-AL-STP', '2099-06-01T00:00:00Z')).toBe(v2)
    const page = await run(() =>
      versionLoader(args(context, get(`/admin/versions/${v2}`, admin.cookie), { id: String(v2) })),
    )
    expect((page.body as { rollouts: unknown[] }).rollouts).toMatchObject([
      { agency: { code: 'DEMO-AL-STP' }, includeSubtree: false, effectiveDate: vietnamToday() },
      { agency: { code: 'DEMO-AL' }, includeSubtree: true, effectiveDate: later },
    ])
  })

  it('answers keep the version they were given to', async () => {
    // A response stored on v1 before the switch still names v1; nothing rewrites it.
    const rows = await t.db.selectFrom('response').select('version_id').where('version_id', 'in', [v1, v2]).execute()
    expect(rows.every((r) => r.version_id === v1 || r.version_id === v2)).toBe(true)
    expect(await loadVersionDefinition(t.db, v1)).toMatchObject({ versionId: v1 })
  })

  it('a version published to every agency cannot be narrowed by a rollout (409)', async () => {
    const outcome = await intent(v1, 'rollout', {
      effectiveDate: vietnamToday(),
      rolloutAgency: [String(ids['DEMO-AL-SNV'])],
    })
    expect(outcome.status).toBe(409)
  })

  it('a later version published to every agency reaches them all, the rolled-out one included', async () => {
    const v3 = versionIdFrom((await intent(v2, 'newDraft')).location)
    expect((await intent(v3, 'publish', { audience: 'all' })).status).toBe(302)
    for (const code of ['DEMO-AL-STP', 'DEMO-AL-SNV', 'DEMO-AL-SXD'])
      expect(await surveyVersionId(links[code]!)).toBe(v3)
  })
})

describe('analytics label each period with the wording its answers were given to', () => {
  let v1: number
  let v2: number
  let oldWording: string
  const newWording = 'Cách hỏi mới của tiêu chí đầu tiên'
  let firstCode: string

  async function answer(versionId: number, month: string) {
    const version = await getVersionDefinition(t.db, versionId, 'published')
    const answers = Object.fromEntries(version.items.filter((i) => i.type === 'scale5').map((i) => [i.code, 4]))
    const stored = await submitResponse(t.db, {
      clientSubmissionId: crypto.randomUUID(),
      version,
      answers,
      submittedAt: new Date(`${month}-10T03:00:00Z`),
      context: {
        agencyId: await idOf(t, 'agency', 'DEMO-AL-SXD'),
        procedureId: null,
        channel: 'counter',
        linkId: null,
        invitationId: null,
      },
    })
    expect(stored.status).toBe('stored')
  }
  async function criteriaOf(period: string) {
    const parsed = parseAnalyticsQuery(new URLSearchParams({ q: 'WORD-P', period, weighting: 'unweighted' }))
    if (!parsed.ok) throw new Error(parsed.error)
    const page = await agencyPage(t.db, EVERYTHING, 'DEMO-AL-SXD', parsed.query)
    if (!page.ok) throw new Error(page.error)
    return page.elements.flatMap((e) => e.criteria).find((c) => c.code === firstCode)!
  }

  beforeAll(async () => {
    v1 = versionIdFrom(
      (await create({ code: 'WORD-P', nameVi: 'Nhãn theo kỳ', nameEn: '', template: 'SIPAS-2017' })).location,
    )
    expect((await intent(v1, 'publish')).status).toBe(302)
    v2 = versionIdFrom((await intent(v1, 'newDraft')).location)
    const def = await stored(v2)
    const item = def.elements[0]!.items[0]!
    firstCode = item.code
    oldWording = item.labelVi
    item.labelVi = newWording
    item.sameMeaning = true
    expect((await save(v2, def)).status).toBe(200)
    expect((await intent(v2, 'publish')).status).toBe(302)
    await answer(v1, '2025-01')
    await answer(v1, '2025-03')
    await answer(v2, '2025-03')
    await answer(v2, '2025-09')
  })

  it('a period answered only on the old version shows the old wording, not today’s', async () => {
    const c = await criteriaOf('2025-01')
    expect(c.labelVi).toBe(oldWording)
    expect(c.variants).toHaveLength(1)
  })

  it('a period answered on both wordings says so, with each wording’s versions and responses', async () => {
    const c = await criteriaOf('2025-Q1')
    expect(c.labelVi).toBe(newWording)
    expect(c.variants).toEqual([
      { versionNumbers: [1], labelVi: oldWording, labelEn: expect.any(String), responses: 2 },
      { versionNumbers: [2], labelVi: newWording, labelEn: expect.any(String), responses: 1 },
    ])
  })

  it('a period answered only on the new version shows the new wording alone', async () => {
    const c = await criteriaOf('2025-Q3')
    expect(c.labelVi).toBe(newWording)
    expect(c.variants).toHaveLength(1)
  })
})

describe('exports and score tables name a questionnaire without English by its Vietnamese name', () => {
  it('computeScores gives the Vietnamese name as the English one', async () => {
    const scores = await computeScores(t.db, {
      questionnaireCode: 'WORD-P',
      rootAgencyCode: null,
      period: { kind: 'year', year: 2025 },
      boundaries: 'current',
      options: {},
    } as never)
    if (!scores.ok) throw new Error(scores.error)
    expect(scores.questionnaire.nameEn).toBe('Nhãn theo kỳ')
    expect(scores.elements[0]!.criteria[0]!.labelEn.length).toBeGreaterThan(0)
  })
})
