/** The demo province as seeded: agency tree with its 2025 reorganisation, procedures, poster links; idempotent. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DB } from '#db/client.ts'
import type { Agency } from '#db/schema.ts'
import { seedAll, seedDemoProvince } from '#app/.server/services/seed.ts'
import { createTestDatabase, rowCount, type TestDatabase } from '#tests/helpers/db.ts'

const ALL_TABLES = [
  'agency',
  'agency_succession',
  'procedure',
  'questionnaire',
  'questionnaire_version',
  'questionnaire_element',
  'questionnaire_item',
  'agency_assignment',
  'survey_link',
  'invitation',
  'response',
  'answer',
  'item_aggregate',
  'composite_aggregate',
  'population_count',
  'user',
  'session',
  'setup_token',
  'api_token',
  'audit_log',
] as const

let t: TestDatabase
let db: DB
let agencies: Agency[]
const byCode = (code: string) => agencies.find((a) => a.code === code)!
const current = () => agencies.filter((a) => a.valid_to === null)

async function tableCounts() {
  const out: Record<string, number> = {}
  for (const table of ALL_TABLES) out[table] = await rowCount(db, table)
  return out
}

beforeAll(async () => {
  t = await createTestDatabase({ seed: 'demo' })
  db = t.db
  agencies = await db.selectFrom('agency').selectAll().orderBy('id').execute()
})
afterAll(async () => t?.cleanup())

describe('demo province', () => {
  it('has exactly one current province, Tỉnh An Lạc (mẫu), at the root', () => {
    const provinces = current().filter((a) => a.level === 'province')
    expect(provinces).toHaveLength(1)
    expect(provinces[0]).toMatchObject({ code: 'DEMO-AL', name_vi: 'Tỉnh An Lạc (mẫu)', parent_id: null, active: 1 })
    expect(provinces[0]!.name_en).toMatch(/demo/i)
  })

  it('marks every agency as demo data in both languages', () => {
    for (const a of agencies) {
      expect(a.code.startsWith('DEMO-')).toBe(true)
      expect(a.name_vi).toContain('(mẫu')
      expect(a.name_en).toContain('(demo')
    }
  })

  it('has current departments and communes under the province', () => {
    const province = byCode('DEMO-AL')
    const departments = current().filter((a) => a.level === 'department')
    const communes = current().filter((a) => a.level === 'commune')
    expect(departments.length).toBeGreaterThanOrEqual(3)
    expect(communes.length).toBeGreaterThanOrEqual(3)
    for (const a of [...departments, ...communes]) expect(a.parent_id).toBe(province.id)
    // No district level exists any more after 1 July 2025.
    expect(current().filter((a) => a.level === 'district')).toEqual([])
  })

  it('keeps the former districts, closed on 2025-06-30 and inactive', () => {
    const districts = agencies.filter((a) => a.level === 'district')
    expect(districts.length).toBeGreaterThanOrEqual(3)
    for (const d of districts) expect(d).toMatchObject({ valid_to: '2025-06-30', active: 0 })
    const former = agencies.filter((a) => a.valid_to !== null)
    for (const a of former) expect(a).toMatchObject({ valid_to: '2025-06-30', active: 0 })
    for (const a of current()) expect(a.active).toBe(1)
  })

  it('records a merged_into succession from every former unit to a current one, effective 2025-07-01', async () => {
    const rows = await db.selectFrom('agency_succession').selectAll().execute()
    const former = agencies.filter((a) => a.valid_to !== null)
    expect(rows.length).toBe(former.length)
    for (const r of rows) {
      expect(r.kind).toBe('merged_into')
      expect(r.effective_date).toBe('2025-07-01')
      const from = agencies.find((a) => a.id === r.predecessor_id)!
      const to = agencies.find((a) => a.id === r.successor_id)!
      expect(from.valid_to).toBe('2025-06-30')
      expect(to.valid_to).toBeNull()
      if (from.level === 'district') expect(to.level).toBe('commune')
    }
    expect(new Set(rows.map((r) => r.predecessor_id))).toEqual(new Set(former.map((a) => a.id)))
    // The former province of Bình Sơn merged into An Lạc.
    expect(rows).toContainEqual(
      expect.objectContaining({ predecessor_id: byCode('DEMO-BS').id, successor_id: byCode('DEMO-AL').id }),
    )
  })

  it('stores materialised paths that follow the parent chain', () => {
    for (const a of agencies) {
      const parent = a.parent_id === null ? null : agencies.find((p) => p.id === a.parent_id)!
      expect(a.path).toBe(`${parent ? parent.path : '/'}${a.id}/`)
    }
  })

  it('has procedures with folded, diacritic-free search text', async () => {
    const procedures = await db.selectFrom('procedure').selectAll().execute()
    expect(procedures.length).toBeGreaterThanOrEqual(5)
    for (const p of procedures) {
      expect(p.active).toBe(1)
      expect(p.name_vi.trim()).not.toBe('')
      expect(p.name_en.trim()).not.toBe('')
      expect(p.search_text).toBe(p.search_text.toLowerCase())
      expect(p.search_text).not.toMatch(/[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/)
      // Codes are folded like words: "DEMO-TTHC-001" is found as "demo tthc 001".
      expect(p.search_text).toContain(p.code.toLowerCase().replaceAll('-', ' '))
    }
    const birth = procedures.find((p) => p.name_vi === 'Đăng ký khai sinh')
    expect(birth?.search_text).toContain('dang ky khai sinh')
  })

  it('has exactly one active SIPAS poster link per current agency and none for former units', async () => {
    const sipas = await db
      .selectFrom('questionnaire')
      .select('id')
      .where('code', '=', 'SIPAS-2017')
      .executeTakeFirstOrThrow()
    const links = await db.selectFrom('survey_link').selectAll().execute()
    expect(links.length).toBe(current().length)
    for (const a of current()) {
      const mine = links.filter((l) => l.agency_id === a.id)
      expect(mine).toHaveLength(1)
      expect(mine[0]).toMatchObject({ kind: 'poster', active: 1, questionnaire_id: sipas.id, procedure_id: null })
      expect(mine[0]!.code).toMatch(/^[a-z0-9]{6,}$/)
    }
    expect(new Set(links.map((l) => l.code)).size).toBe(links.length)
  })
})

describe('seeding again', () => {
  it('changes nothing: seedDemoProvince refuses and seedAll reports nothing new', async () => {
    const before = await tableCounts()
    expect(before.agency).toBe(agencies.length)
    expect(await seedDemoProvince(db)).toBe(false)
    expect(await seedAll(db)).toEqual({ templates: [], demoProvince: false, demoResponses: 0 })
    expect(await tableCounts()).toEqual(before)
    expect(await db.selectFrom('agency').selectAll().orderBy('id').execute()).toEqual(agencies)
  })

  it('refuses the demo province without templates', async () => {
    const empty = await createTestDatabase({ seed: 'none' })
    try {
      await expect(seedDemoProvince(empty.db)).rejects.toThrow(/templates/)
      expect(
        Number(
          (
            await empty.db
              .selectFrom('agency')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        ),
      ).toBe(0)
    } finally {
      await empty.cleanup()
    }
  })
})
