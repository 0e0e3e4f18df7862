/**
 * Questionnaire administration through the real route actions: create (template / scratch), save drafts
 * (invalid ones refused with translated issue keys and nothing changed), publish (immutable afterwards),
 * new drafts with their history, assignment to agencies (the survey link follows), deletion, audit.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadVersionDefinition } from '#app/.server/repos/questionnaires.ts'
import { createLink } from '#app/.server/services/links-admin.ts'
import { BUILT_IN_TEMPLATES } from '#app/.server/services/seed.ts'
import { diffDefinitions } from '#app/domain/questionnaire/diff.ts'
import type { QuestionnaireDefinition } from '#app/domain/questionnaire/definition.ts'
import { action as questionnaireAction, loader as questionnaireLoader } from '#app/routes/admin.questionnaires.$id.tsx'
import { action as createAction, loader as listLoader } from '#app/routes/admin.questionnaires._index.tsx'
import { action as versionAction, loader as versionLoader } from '#app/routes/admin.versions.$id.tsx'
import { loader as linkLoader } from '#app/routes/s.$code.tsx'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { ROOT } from '#scripts/support/root.ts'
import { makeContext, run, type SignedIn, signIn } from '#tests/helpers/remix.ts'
import { args, auditActions, get, idOf, lastAuditId, post } from './support.ts'

let t: TestDatabase
let context: AppLoadContext
let admin: SignedIn

const FIRST_ITEM = BUILT_IN_TEMPLATES.find((x) => x.code === 'SIPAS-2017')!.elements[0]!.items[0]!.code
const LOCALES = Object.fromEntries(
  ['vi', 'en'].map((l) => [l, JSON.parse(fs.readFileSync(path.join(ROOT, `locales/${l}/admin.json`), 'utf8'))]),
)
/** The translation of an admin-namespace key, or undefined when the key is missing. */
const translate = (lng: 'vi' | 'en', key: string): unknown =>
  key
    .split('.')
    .reduce<unknown>(
      (o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
      LOCALES[lng],
    )

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  admin = await signIn(context, 'designer@q.vn', 'admin', null)
})
afterAll(async () => {
  await t?.cleanup()
})

type Definition = Omit<QuestionnaireDefinition, never>
async function definitionOf(versionId: number): Promise<Definition> {
  const { items: _i, versionId: _v, ...definition } = await loadVersionDefinition(t.db, versionId)
  // Database ids are storage, not definition.
  return JSON.parse(
    JSON.stringify(definition, (k, v) => (k === 'id' || k === 'elementId' ? undefined : v)),
  ) as Definition
}
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T

async function create(fields: Record<string, string>) {
  return run(() => createAction(args(context, post('/admin/questionnaires', fields, admin.cookie))))
}
async function save(versionId: number, definition: unknown) {
  return run(() =>
    versionAction(
      args(
        context,
        post(
          `/admin/versions/${versionId}`,
          { intent: 'save', definition: typeof definition === 'string' ? definition : JSON.stringify(definition) },
          admin.cookie,
        ),
        { id: String(versionId) },
      ),
    ),
  )
}
async function versionIntent(versionId: number, intent: string, extra: Record<string, string | string[]> = {}) {
  return run(() =>
    versionAction(
      args(context, post(`/admin/versions/${versionId}`, { intent, ...extra }, admin.cookie), {
        id: String(versionId),
      }),
    ),
  )
}
async function questionnaireIntent(questionnaireId: number, intent: string, versionId: number) {
  return run(() =>
    questionnaireAction(
      args(
        context,
        post(`/admin/questionnaires/${questionnaireId}`, { intent, versionId: String(versionId) }, admin.cookie),
        { id: String(questionnaireId) },
      ),
    ),
  )
}
const versionIdFrom = (location: string | null) => Number(/^\/admin\/versions\/(\d+)$/.exec(location ?? '')?.[1])

/** Everything stored for a version: a save that is refused must leave it exactly as it was. */
async function snapshot(versionId: number) {
  return {
    version: await t.db.selectFrom('questionnaire_version').selectAll().where('id', '=', versionId).executeTakeFirst(),
    elements: await t.db
      .selectFrom('questionnaire_element')
      .selectAll()
      .where('version_id', '=', versionId)
      .orderBy('id')
      .execute(),
    items: await t.db
      .selectFrom('questionnaire_item')
      .selectAll()
      .where('version_id', '=', versionId)
      .orderBy('id')
      .execute(),
  }
}

describe('creating a questionnaire', () => {
  it('from the SIPAS-2017 template: a draft with the template’s elements and items, audited', async () => {
    const since = await lastAuditId(t)
    const outcome = await create({
      code: 'TPL-A',
      nameVi: 'Khảo sát từ mẫu',
      nameEn: 'From template',
      template: 'SIPAS-2017',
    })
    expect(outcome.status).toBe(302)
    const versionId = versionIdFrom(outcome.location)
    expect(versionId).toBeGreaterThan(0)
    const version = await t.db
      .selectFrom('questionnaire_version')
      .selectAll()
      .where('id', '=', versionId)
      .executeTakeFirstOrThrow()
    expect(version).toMatchObject({
      status: 'draft',
      version_number: 1,
      created_from_version_id: null,
      published_at: null,
    })
    const def = await definitionOf(versionId)
    const template = BUILT_IN_TEMPLATES.find((x) => x.code === 'SIPAS-2017')!
    expect(def).toMatchObject({
      code: 'TPL-A',
      nameVi: 'Khảo sát từ mẫu',
      nameEn: 'From template',
      indexMethod: template.indexMethod,
    })
    expect(def.elements).toEqual(template.elements)
    expect(def.extraItems).toEqual(template.extraItems)
    expect(diffDefinitions(template, def)).toEqual([])
    expect(await auditActions(t, since)).toEqual(['questionnaire.create'])
    const listed = await run(() => listLoader(args(context, get('/admin/questionnaires', admin.cookie))))
    expect((listed.body as { questionnaires: Array<{ code: string }> }).questionnaires.map((q) => q.code)).toContain(
      'TPL-A',
    )
  })

  it('from scratch: an empty draft', async () => {
    const outcome = await create({ code: 'SCRATCH-A', nameVi: 'Trống', nameEn: 'Empty', template: '' })
    expect(outcome.status).toBe(302)
    const def = await definitionOf(versionIdFrom(outcome.location))
    expect(def).toMatchObject({ code: 'SCRATCH-A', elements: [], extraItems: [], indexMethod: 'respondent-composite' })
  })

  it('a code already taken → 409 (also the seeded SIPAS-2017); a bad code or missing name → 400; an unknown template → 400', async () => {
    const count = async () =>
      Number(
        (
          await t.db
            .selectFrom('questionnaire')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    const before = await count()
    for (const code of ['TPL-A', 'SIPAS-2017']) {
      const taken = await create({ code, nameVi: 'Lại', nameEn: 'Again', template: '' })
      expect(taken.status).toBe(409)
      expect(taken.body).toEqual({ errors: { code: 'designer.errors.codeTaken' } })
    }
    const bad = await create({ code: 'có dấu', nameVi: '', nameEn: 'x', template: '' })
    expect(bad.status).toBe(400)
    expect(bad.body).toEqual({ errors: { code: 'designer.errors.code', nameVi: 'designer.errors.labelRequired' } })
    const unknown = await create({ code: 'NEW-X', nameVi: 'x', nameEn: 'x', template: 'NO-SUCH' })
    expect(unknown.status).toBe(400)
    expect(unknown.body).toEqual({ errors: { code: 'designer.errors.unknownTemplate' } })
    expect(await count()).toBe(before)
  })
})

describe('saving a draft', () => {
  let versionId: number
  let base: Definition
  beforeAll(async () => {
    const outcome = await create({ code: 'SAVE-A', nameVi: 'Lưu', nameEn: 'Save', template: 'SIPAS-2017' })
    versionId = versionIdFrom(outcome.location)
    base = await definitionOf(versionId)
  })

  const invalid: Array<[string, (d: Definition) => unknown, Array<{ path: string; message: string }>]> = [
    [
      'a weight of 0',
      (d) => {
        d.elements[0]!.weight = 0
      },
      [{ path: 'elements.0.weight', message: 'designer.errors.weightPositive' }],
    ],
    [
      'a negative weight',
      (d) => {
        d.elements[1]!.weight = -2
      },
      [{ path: 'elements.1.weight', message: 'designer.errors.weightPositive' }],
    ],
    [
      'a weight that is not a number',
      (d) => {
        ;(d.elements[0] as { weight: unknown }).weight = 'nặng'
      },
      [{ path: 'elements.0.weight', message: 'designer.errors.weightPositive' }],
    ],
    [
      'two items with the same code',
      (d) => {
        d.elements[1]!.items[0]!.code = d.elements[0]!.items[0]!.code
      },
      [{ path: `items.${FIRST_ITEM}`, message: 'designer.errors.duplicateItemCode' }],
    ],
    [
      // Vietnamese is required; English is optional (a case of its own below).
      'a missing Vietnamese label',
      (d) => {
        d.elements[0]!.items[1]!.labelVi = '   '
      },
      [{ path: 'elements.0.items.1.labelVi', message: 'designer.errors.labelRequired' }],
    ],
    [
      'a missing Vietnamese element title',
      (d) => {
        d.elements[2]!.titleVi = ''
      },
      [{ path: 'elements.2.titleVi', message: 'designer.errors.labelRequired' }],
    ],
    [
      'two elements with the same code',
      (d) => {
        d.elements[1]!.code = d.elements[0]!.code
      },
      [{ path: 'elements.1.code', message: 'designer.errors.duplicateElementCode' }],
    ],
    [
      'a scale item without options',
      (d) => {
        d.elements[0]!.items[0]!.options = []
      },
      [{ path: `items.${FIRST_ITEM}`, message: 'designer.errors.optionsRequired' }],
    ],
    [
      'an option without a value',
      (d) => {
        d.elements[0]!.items[0]!.options![0]!.value = ''
      },
      [{ path: 'elements.0.items.0.options.0.value', message: 'designer.errors.badOptions' }],
    ],
    [
      'options that are not a list',
      (d) => {
        ;(d.elements[0]!.items[0] as { options: unknown }).options = '1 | Rất tệ | Very bad'
      },
      [{ path: 'elements.0.items.0.options', message: 'designer.errors.badOptions' }],
    ],
    [
      'an option without a Vietnamese label',
      (d) => {
        d.elements[0]!.items[0]!.options![2]!.labelVi = ''
      },
      [{ path: 'elements.0.items.0.options.2.labelVi', message: 'designer.errors.labelRequired' }],
    ],
    [
      'an item code with spaces',
      (d) => {
        d.elements[0]!.items[0]!.code = 'E 1'
      },
      [{ path: 'elements.0.items.0.code', message: 'designer.errors.code' }],
    ],
    [
      'a counted item without a threshold',
      (d) => {
        d.elements[0]!.items[0]!.satisfiedThreshold = null
      },
      [{ path: `items.${FIRST_ITEM}`, message: 'designer.errors.thresholdRequired' }],
    ],
    [
      'no elements at all',
      (d) => {
        d.elements = []
      },
      [{ path: 'elements', message: 'designer.errors.elementRequired' }],
    ],
  ]

  for (const [name, mutate, issues] of invalid) {
    it(`${name} → 400 with the translated issue keys, nothing changed`, async () => {
      const before = await snapshot(versionId)
      const since = await lastAuditId(t)
      const def = clone(base)
      mutate(def)
      const outcome = await save(versionId, def)
      expect(outcome.status).toBe(400)
      const body = outcome.body as { ok: boolean; error: string; issues: Array<{ path: string; message: string }> }
      expect(body.ok).toBe(false)
      expect(body.error).toBe('designer.errors.invalid')
      expect(body.issues).toEqual(issues)
      // Every message is a key the designer can show in both languages.
      for (const issue of body.issues) {
        expect(typeof translate('vi', issue.message), issue.message).toBe('string')
        expect(typeof translate('en', issue.message), issue.message).toBe('string')
      }
      expect(await snapshot(versionId)).toEqual(before)
      expect(await auditActions(t, since)).toEqual([])
    })
  }

  it('a body that is not JSON → 400 designer.errors.invalid, nothing changed', async () => {
    const before = await snapshot(versionId)
    const outcome = await save(versionId, '{"elements": [')
    expect(outcome.status).toBe(400)
    expect(outcome.body).toMatchObject({ ok: false, error: 'designer.errors.invalid' })
    expect(await snapshot(versionId)).toEqual(before)
  })

  it('a valid definition is stored exactly, with the questionnaire’s names, and audited', async () => {
    const since = await lastAuditId(t)
    const def = clone(base)
    def.nameVi = 'Lưu (đã sửa)'
    def.elements[0]!.items[0]!.labelVi = 'Nơi tiếp nhận hồ sơ có đủ chỗ ngồi — đã sửa'
    def.elements[1]!.weight = 2.5
    def.elements[4]!.items.pop()
    def.extraItems.push({
      code: 'X.new',
      type: 'text',
      role: 'other',
      labelVi: 'Câu mới',
      labelEn: 'New question',
      required: false,
      countsInIndex: false,
      satisfiedThreshold: null,
      options: null,
      maxLength: 300,
    })
    const outcome = await save(versionId, def)
    expect(outcome.status).toBe(200)
    // A first version has no published wording to compare with: nothing to decide.
    expect(outcome.body).toEqual({ ok: true, issues: [], rewordings: [] })
    expect(await definitionOf(versionId)).toEqual(def)
    expect(
      await t.db.selectFrom('questionnaire').select(['name_vi']).where('code', '=', 'SAVE-A').executeTakeFirstOrThrow(),
    ).toEqual({ name_vi: 'Lưu (đã sửa)' })
    expect(await auditActions(t, since)).toEqual(['questionnaire.save_draft'])
  })
})

describe('publishing, new drafts, history, assignment, deletion', () => {
  let questionnaireId: number
  let v1: number
  let v2: number
  let v1Def: Definition
  let v2Def: Definition
  const links = { stp: '', snv: '' }
  let since: number

  beforeAll(async () => {
    since = await lastAuditId(t)
    const outcome = await create({ code: 'PUB-A', nameVi: 'Ban hành', nameEn: 'Publish', template: 'SIPAS-2017' })
    v1 = versionIdFrom(outcome.location)
    questionnaireId = await idOf(t, 'questionnaire', 'PUB-A')
    const adminUser = { id: admin.userId, email: admin.email, role: 'admin' as const, agencyId: null, scopePath: null }
    for (const [key, code] of [
      ['stp', 'DEMO-AL-STP'],
      ['snv', 'DEMO-AL-SNV'],
    ] as const) {
      const created = await createLink(t.db, adminUser, {
        agencyId: await idOf(t, 'agency', code),
        questionnaireId,
        procedureId: null,
        counterLabel: null,
        kind: 'poster',
      })
      if (!created.ok) throw new Error('link')
      links[key] = (
        await t.db.selectFrom('survey_link').select('code').where('id', '=', created.id).executeTakeFirstOrThrow()
      ).code
    }
  })

  const surveyVersion = async (code: string) => {
    const outcome = await run(() => linkLoader(args(context, get(`/s/${code}`), { code })))
    return {
      status: outcome.status,
      versionId: (outcome.body as { survey?: { version: { versionId: number } } }).survey?.version.versionId,
      body: outcome.body,
    }
  }

  it('a link to a questionnaire with nothing published yet answers 404', async () => {
    expect((await surveyVersion(links.stp)).status).toBe(404)
  })

  it('an empty draft cannot be published (400)', async () => {
    const scratch = await create({ code: 'PUB-EMPTY', nameVi: 'Trống', nameEn: 'Empty', template: '' })
    const id = versionIdFrom(scratch.location)
    const outcome = await versionIntent(id, 'publish')
    expect(outcome.status).toBe(400)
    expect(outcome.body).toMatchObject({
      ok: false,
      error: 'designer.errors.invalid',
      issues: [{ path: 'elements', message: 'designer.errors.elementRequired' }],
    })
    expect(
      (await t.db.selectFrom('questionnaire_version').select('status').where('id', '=', id).executeTakeFirstOrThrow())
        .status,
    ).toBe('draft')
  })

  it('publish → the version is immutable: saving, publishing or deleting it again → 409', async () => {
    v1Def = await definitionOf(v1)
    const outcome = await questionnaireIntent(questionnaireId, 'publish', v1)
    expect(outcome.status).toBe(302)
    expect(outcome.location).toBe(`/admin/questionnaires/${questionnaireId}`)
    const row = await t.db
      .selectFrom('questionnaire_version')
      .selectAll()
      .where('id', '=', v1)
      .executeTakeFirstOrThrow()
    expect(row.status).toBe('published')
    expect(row.published_at).not.toBeNull()

    const before = await snapshot(v1)
    const changed = clone(v1Def)
    changed.elements[0]!.items[0]!.labelVi = 'Không được sửa'
    const saved = await save(v1, changed)
    expect(saved.status).toBe(409)
    expect(saved.body).toMatchObject({ ok: false, error: 'designer.errors.published' })
    for (const intent of ['publish', 'deleteDraft']) {
      const again = await questionnaireIntent(questionnaireId, intent, v1)
      expect(again.status, intent).toBe(409)
    }
    expect(await snapshot(v1)).toEqual(before)
    // The survey now shows it.
    expect(await surveyVersion(links.stp)).toMatchObject({ status: 200, versionId: v1 })
  })

  it('newDraft clones the published version (created_from_version_id), once', async () => {
    const outcome = await versionIntent(v1, 'newDraft')
    expect(outcome.status).toBe(302)
    v2 = versionIdFrom(outcome.location)
    expect(v2).not.toBe(v1)
    const row = await t.db
      .selectFrom('questionnaire_version')
      .selectAll()
      .where('id', '=', v2)
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      status: 'draft',
      version_number: 2,
      created_from_version_id: v1,
      questionnaire_id: questionnaireId,
    })
    expect(await definitionOf(v2)).toEqual(v1Def)
    // Asking again (from either page) leads to the same draft, not a second one.
    expect(versionIdFrom((await versionIntent(v1, 'newDraft')).location)).toBe(v2)
    expect(versionIdFrom((await questionnaireIntent(questionnaireId, 'newDraft', v1)).location)).toBe(v2)
    expect(
      await t.db
        .selectFrom('questionnaire_version')
        .select('id')
        .where('questionnaire_id', '=', questionnaireId)
        .execute(),
    ).toHaveLength(2)
  })

  it('the history lists the draft’s changes against the version it came from', async () => {
    const def = clone(v1Def)
    const firstItem = def.elements[0]!.items[0]!
    firstItem.labelVi = 'Câu đã đổi cách hỏi'
    // Reworded under its code: the administrator records that it is the same question (else no publishing).
    firstItem.sameMeaning = true
    def.elements[1]!.weight = 3
    const removed = def.elements[2]!.items.pop()!
    def.elements[0]!.items.push({
      ...firstItem,
      sameMeaning: undefined,
      code: 'E1.new',
      labelVi: 'Câu thêm',
      labelEn: 'Added question',
    })
    def.indexMethod = 'mean-of-item-indices'
    expect((await save(v2, def)).status).toBe(200)
    v2Def = await definitionOf(v2)

    const outcome = await run(() =>
      questionnaireLoader(
        args(context, get(`/admin/questionnaires/${questionnaireId}`, admin.cookie), { id: String(questionnaireId) }),
      ),
    )
    expect(outcome.status).toBe(200)
    const { history } = outcome.body as {
      history: Array<{ id: number; number: number; status: string; basedOn: number | null; changes: unknown[] | null }>
    }
    expect(history.map((h) => [h.number, h.status])).toEqual([
      [2, 'draft'],
      [1, 'published'],
    ])
    expect(history[1]!.changes).toBeNull()
    expect(history[0]!.basedOn).toBe(1)
    const expected = diffDefinitions(v1Def, v2Def)
    expect(history[0]!.changes).toEqual(expected)
    expect(expected).toEqual(
      expect.arrayContaining([
        { kind: 'method-changed', from: 'respondent-composite', to: 'mean-of-item-indices' },
        { kind: 'element-changed', code: def.elements[1]!.code, fields: ['weight'] },
        { kind: 'item-changed', code: firstItem.code, fields: ['labelVi'] },
        { kind: 'item-added', code: 'E1.new' },
        { kind: 'item-removed', code: removed.code },
      ]),
    )
    expect(expected).toHaveLength(5)
    // The published version itself was not touched.
    expect(await definitionOf(v1)).toEqual(v1Def)
  })

  it('assigning: a draft cannot be assigned (409); unknown agencies → 400', async () => {
    const draft = await versionIntent(v2, 'assign', { agencyId: [String(await idOf(t, 'agency', 'DEMO-AL-STP'))] })
    expect(draft.status).toBe(409)
    const unknown = await versionIntent(v1, 'assign', { agencyId: ['999999'] })
    expect(unknown.status).toBe(400)
    const inactive = await versionIntent(v1, 'assign', { agencyId: [String(await idOf(t, 'agency', 'DEMO-BS'))] })
    expect(inactive.status).toBe(400)
    expect(
      await t.db.selectFrom('agency_assignment').selectAll().where('questionnaire_id', '=', questionnaireId).execute(),
    ).toEqual([])
  })

  it('after publishing v2 the links show v2; assigning v1 to DEMO-AL-STP keeps that agency on v1 only', async () => {
    expect((await versionIntent(v2, 'publish')).status).toBe(302)
    expect(await surveyVersion(links.stp)).toMatchObject({ status: 200, versionId: v2 })
    expect(await surveyVersion(links.snv)).toMatchObject({ status: 200, versionId: v2 })

    const stp = await idOf(t, 'agency', 'DEMO-AL-STP')
    const outcome = await versionIntent(v1, 'assign', { agencyId: [String(stp)] })
    expect(outcome.status).toBe(302)
    expect(outcome.location).toBe(`/admin/versions/${v1}?assigned=1`)
    expect(
      await t.db
        .selectFrom('agency_assignment')
        .select(['agency_id', 'questionnaire_id', 'version_id'])
        .where('questionnaire_id', '=', questionnaireId)
        .execute(),
    ).toEqual([{ agency_id: stp, questionnaire_id: questionnaireId, version_id: v1 }])
    const atStp = await surveyVersion(links.stp)
    expect(atStp).toMatchObject({ status: 200, versionId: v1 })
    // The rendered form is v1's: its first item still has the old wording.
    const items = (
      atStp.body as { survey: { version: { elements: Array<{ items: Array<{ code: string; labelVi: string }> }> } } }
    ).survey.version.elements[0]!.items
    expect(items[0]!.labelVi).toBe(v1Def.elements[0]!.items[0]!.labelVi)
    expect(items.map((i) => i.code)).not.toContain('E1.new')
    expect(await surveyVersion(links.snv)).toMatchObject({ status: 200, versionId: v2 })

    const page = await run(() =>
      versionLoader(args(context, get(`/admin/versions/${v1}`, admin.cookie), { id: String(v1) })),
    )
    expect((page.body as { assigned: number[] }).assigned).toEqual([stp])
  })

  it('assigning v2 to both agencies replaces the row (one per agency and questionnaire)', async () => {
    const stp = await idOf(t, 'agency', 'DEMO-AL-STP')
    const snv = await idOf(t, 'agency', 'DEMO-AL-SNV')
    const outcome = await versionIntent(v2, 'assign', { agencyId: [String(stp), String(snv)] })
    expect(outcome.location).toBe(`/admin/versions/${v2}?assigned=2`)
    const rows = await t.db
      .selectFrom('agency_assignment')
      .select(['agency_id', 'version_id'])
      .where('questionnaire_id', '=', questionnaireId)
      .orderBy('agency_id')
      .execute()
    expect(rows).toEqual([
      { agency_id: Math.min(stp, snv), version_id: v2 },
      { agency_id: Math.max(stp, snv), version_id: v2 },
    ])
    expect(await surveyVersion(links.stp)).toMatchObject({ versionId: v2 })
    expect(await surveyVersion(links.snv)).toMatchObject({ versionId: v2 })
    const survey = (await surveyVersion(links.stp)).body as {
      survey: { version: { elements: Array<{ items: Array<{ labelVi: string }> }> } }
    }
    expect(survey.survey.version.elements[0]!.items[0]!.labelVi).toBe('Câu đã đổi cách hỏi')
  })

  it('a new draft can be deleted (its elements and items with it); a published one cannot', async () => {
    const v3 = versionIdFrom((await questionnaireIntent(questionnaireId, 'newDraft', v2)).location)
    expect(
      (
        await t.db
          .selectFrom('questionnaire_version')
          .select('created_from_version_id')
          .where('id', '=', v3)
          .executeTakeFirstOrThrow()
      ).created_from_version_id,
    ).toBe(v2)
    expect((await snapshot(v3)).items.length).toBeGreaterThan(0)
    const outcome = await questionnaireIntent(questionnaireId, 'deleteDraft', v3)
    expect(outcome.status).toBe(302)
    expect(outcome.location).toBe(`/admin/questionnaires/${questionnaireId}`)
    expect(await snapshot(v3)).toEqual({ version: undefined, elements: [], items: [] })
    expect((await questionnaireIntent(questionnaireId, 'deleteDraft', v2)).status).toBe(409)
    // A version of another questionnaire is not reachable through this one's page.
    const other = await idOf(t, 'questionnaire', 'SIPAS-2017')
    expect((await questionnaireIntent(other, 'deleteDraft', v2)).status).toBe(404)
  })

  it('every change is in the audit log, with its version', async () => {
    const rows = await t.db
      .selectFrom('audit_log')
      .select(['action', 'entity', 'entity_id', 'user_id', 'actor'])
      .where('id', '>', since)
      .orderBy('id')
      .execute()
    const mine = rows.filter((r) => r.action.startsWith('questionnaire.'))
    expect(mine.map((r) => r.action)).toEqual([
      'questionnaire.create',
      'questionnaire.create', // PUB-EMPTY
      'questionnaire.publish',
      'questionnaire.new_draft',
      'questionnaire.save_draft',
      'questionnaire.publish',
      'questionnaire.assign',
      'questionnaire.assign',
      'questionnaire.new_draft',
      'questionnaire.delete_draft',
    ])
    expect(mine.every((r) => r.user_id === admin.userId && r.actor === admin.email)).toBe(true)
    expect(mine.filter((r) => r.action === 'questionnaire.publish').map((r) => Number(r.entity_id))).toEqual([v1, v2])
    expect(mine.filter((r) => r.action === 'questionnaire.assign').map((r) => Number(r.entity_id))).toEqual([v1, v2])
    expect(Number(mine.find((r) => r.action === 'questionnaire.new_draft')!.entity_id)).toBe(v2)
  })
})
