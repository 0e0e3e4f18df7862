/** The built-in questionnaire templates as stored by seedTemplates: SIPAS 2017 and the ND61 dossier rating. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DB } from '#db/client.ts'
import type { QuestionnaireItem } from '#db/schema.ts'
import { insertQuestionnaire, insertVersion, publishVersion } from '#app/.server/repos/questionnaires.ts'
import { seedTemplates } from '#app/.server/services/seed.ts'
import { DOSSIER_RATING_V1 } from '#app/domain/questionnaire/templates/dossier-rating.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'

const FIVE_VI = ['Rất không hài lòng', 'Không hài lòng', 'Bình thường', 'Hài lòng', 'Rất hài lòng']
const FIVE_EN = ['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied']

let t: TestDatabase
let db: DB

async function publishedVersion(code: string) {
  return db
    .selectFrom('questionnaire_version as v')
    .innerJoin('questionnaire as q', 'q.id', 'v.questionnaire_id')
    .selectAll('v')
    .where('q.code', '=', code)
    .execute()
}

beforeAll(async () => {
  t = await createTestDatabase({ seed: 'none' })
  db = t.db
  expect(await seedTemplates(db, '2026-11-28T03:00:00.000Z')).toEqual(['SIPAS-2017', 'SIPAS-SHORT', 'ND61-DOSSIER'])
})
afterAll(async () => t?.cleanup())

describe('SIPAS-2017 template', () => {
  let versionId: number
  let items: QuestionnaireItem[]
  let elements: Array<{
    id: number
    code: string
    position: number
    weight: number
    title_vi: string
    title_en: string
  }>

  beforeAll(async () => {
    const versions = await publishedVersion('SIPAS-2017')
    expect(versions).toHaveLength(1)
    versionId = versions[0]!.id
    items = await db
      .selectFrom('questionnaire_item')
      .selectAll()
      .where('version_id', '=', versionId)
      .orderBy('position')
      .execute()
    elements = await db
      .selectFrom('questionnaire_element')
      .select(['id', 'code', 'position', 'weight', 'title_vi', 'title_en'])
      .where('version_id', '=', versionId)
      .orderBy('position')
      .execute()
  })

  it('is seeded as version 1, published, with its index method', async () => {
    const [v] = await publishedVersion('SIPAS-2017')
    expect(v).toMatchObject({
      version_number: 1,
      status: 'published',
      index_method: 'respondent-composite',
      published_at: '2026-11-28T03:00:00.000Z',
    })
    const q = await db
      .selectFrom('questionnaire')
      .selectAll()
      .where('code', '=', 'SIPAS-2017')
      .executeTakeFirstOrThrow()
    expect(q.name_vi).toMatch(/hài lòng/i)
    expect(q.name_en).toMatch(/satisfaction/i)
  })

  it('has the five elements E1–E5, each of weight 1 with titles in both languages', () => {
    expect(elements.map((e) => [e.code, e.position, e.weight])).toEqual([
      ['E1', 1, 1],
      ['E2', 2, 1],
      ['E3', 3, 1],
      ['E4', 4, 1],
      ['E5', 5, 1],
    ])
    for (const e of elements) {
      expect(e.title_vi.trim()).not.toBe('')
      expect(e.title_en.trim()).not.toBe('')
    }
  })

  it('has 22 criteria: scale5, required, counting in the index, satisfied from 4 (4/5/6/3/4 per element)', () => {
    const criteria = items.filter((i) => i.role === 'criterion')
    expect(criteria).toHaveLength(22)
    for (const c of criteria) {
      expect(c).toMatchObject({ type: 'scale5', counts_in_index: 1, satisfied_threshold: 4, required: 1 })
      expect(c.element_id).not.toBeNull()
    }
    const perElement = elements.map((e) => criteria.filter((c) => c.element_id === e.id).length)
    expect(perElement).toEqual([4, 5, 6, 3, 4])
    // Criterion codes follow their element: E3.1 … E3.6 are in E3.
    for (const e of elements) {
      const codes = criteria.filter((c) => c.element_id === e.id).map((c) => c.code)
      expect(codes).toEqual(codes.map((_, k) => `${e.code}.${k + 1}`))
    }
  })

  it('only criteria count in the index', () => {
    expect(items.filter((i) => i.counts_in_index === 1).every((i) => i.role === 'criterion')).toBe(true)
  })

  it('labels every five-level item in Vietnamese and English, from Rất không hài lòng to Rất hài lòng', () => {
    const scale = items.filter((i) => i.type === 'scale5')
    expect(scale.length).toBe(22 + 5 + 1)
    for (const item of scale) {
      const options = JSON.parse(item.options_json!) as Array<{ value: string; labelVi: string; labelEn: string }>
      expect(options.map((o) => o.value)).toEqual(['1', '2', '3', '4', '5'])
      expect(options.map((o) => o.labelVi)).toEqual(FIVE_VI)
      expect(options.map((o) => o.labelEn)).toEqual(FIVE_EN)
    }
  })

  it('asks an overall question per element, not counting in the index', () => {
    const perElement = items.filter((i) => i.role === 'element_overall')
    expect(perElement.map((i) => i.code)).toEqual([
      'E1.overall',
      'E2.overall',
      'E3.overall',
      'E4.overall',
      'E5.overall',
    ])
    for (const [k, item] of perElement.entries()) {
      expect(item).toMatchObject({ type: 'scale5', counts_in_index: 0, element_id: elements[k]!.id })
      expect(item.label_vi).toMatch(/^Mức độ hài lòng chung của Ông\/Bà về /)
      expect(item.label_en).toMatch(/^Your overall satisfaction with /)
    }
  })

  it('asks one overall question outside the elements', () => {
    const overall = items.filter((i) => i.role === 'overall')
    expect(overall).toHaveLength(1)
    expect(overall[0]).toMatchObject({ code: 'O.overall', type: 'scale5', element_id: null, counts_in_index: 0 })
  })

  it('asks the expectations question as a multiple choice with bilingual options', () => {
    const expectations = items.filter((i) => i.role === 'expectation')
    expect(expectations).toHaveLength(1)
    const [x] = expectations
    expect(x).toMatchObject({
      code: 'X.expectations',
      type: 'multiple',
      element_id: null,
      counts_in_index: 0,
      satisfied_threshold: null,
    })
    const options = JSON.parse(x!.options_json!) as Array<{ value: string; labelVi: string; labelEn: string }>
    expect(options.length).toBeGreaterThanOrEqual(5)
    expect(new Set(options.map((o) => o.value)).size).toBe(options.length)
    for (const o of options) {
      expect(o.labelVi.trim()).not.toBe('')
      expect(o.labelEn.trim()).not.toBe('')
    }
  })

  it('gives every item a unique code, consecutive positions and labels in both languages', () => {
    expect(new Set(items.map((i) => i.code)).size).toBe(items.length)
    expect(items.map((i) => i.position)).toEqual(items.map((_, k) => k + 1))
    for (const i of items) {
      expect(i.label_vi.trim()).not.toBe('')
      expect(i.label_en.trim()).not.toBe('')
    }
  })
})

describe('ND61-DOSSIER template', () => {
  const itemsOf = (versionId: number) =>
    db.selectFrom('questionnaire_item').selectAll().where('version_id', '=', versionId).orderBy('position').execute()

  it('version 1 as first seeded: nine points210 indicators and two three-level questions', async () => {
    const versions = await publishedVersion('ND61-DOSSIER')
    expect(versions.map((v) => [v.version_number, v.status])).toEqual([
      [1, 'published'],
      [2, 'published'],
    ])
    expect(versions[0]).toMatchObject({ index_method: 'mean-of-item-indices' })
    const items = await itemsOf(versions[0]!.id)
    const criteria = items.filter((i) => i.role === 'criterion')
    expect(criteria.map((i) => i.code)).toEqual(['D1', 'D2', 'D3', 'D4', 'D5', 'D6', 'D7', 'D8', 'D9'])
    for (const c of criteria) {
      expect(c).toMatchObject({ type: 'points210', counts_in_index: 1, satisfied_threshold: 1 })
      expect((JSON.parse(c.options_json!) as Array<{ value: string }>).map((o) => o.value)).toEqual(['2', '1', '0'])
    }
    expect(items.filter((i) => i.type === 'scale3').map((i) => i.code)).toEqual(['R.convenience', 'R.overall'])
  })

  it('version 2 asks only what a citizen knows, with "Không rõ" where it applies (issue #18)', async () => {
    const versions = await publishedVersion('ND61-DOSSIER')
    const items = await itemsOf(versions[1]!.id)
    const criteria = items.filter((i) => i.role === 'criterion')
    // Time, contacts and agencies come from the one-stop shop's dossier data; the time at each agency is gone.
    expect(criteria.map((i) => i.code)).toEqual(['D5', 'D6', 'D7', 'D8', 'D9'])
    const options = (code: string) =>
      (
        JSON.parse(criteria.find((c) => c.code === code)!.options_json!) as Array<{ value: string; labelVi: string }>
      ).map((o) => `${o.value}:${o.labelVi}`)
    expect(options('D6')).toContain('unknown:Không rõ')
    expect(options('D9')).toContain('unknown:Không rõ')
    expect(options('D7')).not.toContain('unknown:Không rõ')
    expect(items.filter((i) => i.type === 'scale3').map((i) => i.code)).toEqual(['R.convenience', 'R.overall'])
  })

  it('a database seeded with version 1 only gets version 2 at the next seed; one with its own version does not', async () => {
    for (const ownDraft of [false, true]) {
      const other = await createTestDatabase({ seed: 'none' })
      try {
        // As a database seeded before version 2 existed: version 1 alone (and maybe an administrator's draft).
        const id = await insertQuestionnaire(other.db, DOSSIER_RATING_V1, '2026-11-28T03:00:00.000Z')
        await publishVersion(
          other.db,
          await insertVersion(other.db, id, DOSSIER_RATING_V1, '2026-11-28T03:00:00.000Z'),
          '2026-11-28T03:00:00.000Z',
        )
        if (ownDraft) await insertVersion(other.db, id, DOSSIER_RATING_V1, '2026-11-29T03:00:00.000Z', null)
        const seeded = await seedTemplates(other.db)
        const versions = await other.db
          .selectFrom('questionnaire_version')
          .select(['version_number', 'status'])
          .where('questionnaire_id', '=', id)
          .orderBy('version_number')
          .execute()
        if (ownDraft) {
          expect(seeded).toEqual(['SIPAS-2017', 'SIPAS-SHORT'])
          expect(versions.map((v) => v.status)).toEqual(['published', 'draft'])
        } else {
          expect(seeded).toEqual(['SIPAS-2017', 'SIPAS-SHORT', 'ND61-DOSSIER'])
          expect(versions.map((v) => v.status)).toEqual(['published', 'published'])
          expect(await seedTemplates(other.db)).toEqual([])
        }
      } finally {
        await other.cleanup()
      }
    }
  })
})

describe('SIPAS-SHORT template', () => {
  it('is published with one required criterion per element, a required overall question and a suggestion', async () => {
    const versions = await publishedVersion('SIPAS-SHORT')
    expect(versions).toHaveLength(1)
    expect(versions[0]).toMatchObject({ status: 'published', index_method: 'respondent-composite' })
    const items = await db
      .selectFrom('questionnaire_item')
      .selectAll()
      .where('version_id', '=', versions[0]!.id)
      .orderBy('position')
      .execute()
    expect(items.length).toBeLessThanOrEqual(8)
    expect(items.map((i) => [i.code, i.role, i.required, i.counts_in_index])).toEqual([
      ['E1.overall', 'criterion', 1, 1],
      ['E2.overall', 'criterion', 1, 1],
      ['E3.overall', 'criterion', 1, 1],
      ['E4.overall', 'criterion', 1, 1],
      ['E5.overall', 'criterion', 1, 1],
      ['O.overall', 'overall', 1, 0],
      ['S.suggestion', 'suggestion', 0, 0],
    ])
    expect(items[0]!.label_vi).toMatch(/^Mức độ hài lòng chung của Ông\/Bà về /)
  })
})

describe('seedTemplates', () => {
  it('is idempotent: a second run adds nothing', async () => {
    const countOf = async (
      table: 'questionnaire' | 'questionnaire_version' | 'questionnaire_element' | 'questionnaire_item',
    ) =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    const before = [
      await countOf('questionnaire'),
      await countOf('questionnaire_version'),
      await countOf('questionnaire_element'),
      await countOf('questionnaire_item'),
    ]
    expect(before[0]).toBe(3)
    expect(await seedTemplates(db)).toEqual([])
    expect([
      await countOf('questionnaire'),
      await countOf('questionnaire_version'),
      await countOf('questionnaire_element'),
      await countOf('questionnaire_item'),
    ]).toEqual(before)
  })
})
