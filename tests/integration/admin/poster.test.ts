/**
 * Issue 18, posters: an editable letterhead (unit, "Bộ phận Một cửa", hotline) kept per agency, the reviewed
 * title, and a visible warning when PUBLIC_URL is an address citizens' phones cannot open.
 */
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import Poster, { action, loader } from '#app/routes/admin_.links.$id.poster.tsx'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run, type SignedIn, signIn } from '#tests/helpers/remix.ts'
import { renderPage } from '#tests/helpers/render-page.ts'
import { args, get, idOf, post } from './support.ts'

let t: TestDatabase
let context: AppLoadContext
let admin: SignedIn
let managerSTP: SignedIn
let managerSNV: SignedIn
let linkSTP: number
let otherLinkSTP: number

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  admin = await signIn(context, 'quantri@poster.vn', 'admin', null)
  managerSTP = await signIn(context, 'quanly.stp@poster.vn', 'manager', 'DEMO-AL-STP')
  managerSNV = await signIn(context, 'quanly.snv@poster.vn', 'manager', 'DEMO-AL-SNV')
  const stp = await idOf(t, 'agency', 'DEMO-AL-STP')
  const questionnaire = await t.db.selectFrom('questionnaire').select('id').executeTakeFirstOrThrow()
  const now = new Date().toISOString()
  const insert = (code: string, counter: string | null) =>
    t.db
      .insertInto('survey_link')
      .values({
        code,
        agency_id: stp,
        questionnaire_id: questionnaire.id,
        procedure_id: null,
        counter_label: counter,
        kind: 'poster',
        active: 1,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  linkSTP = (await insert('posterstp1', 'Quầy 2')).id
  otherLinkSTP = (await insert('posterstp2', null)).id
})
afterAll(() => t?.cleanup())

const path = (id: number) => `/admin/links/${id}/poster`
const load = (id: number, user: SignedIn, ctx = context) =>
  run(() => loader(args(ctx, get(path(id), user.cookie), { id: String(id) })))
const save = (id: number, user: SignedIn, fields: Record<string, string>) =>
  run(() => action(args(context, post(path(id), { intent: 'header', ...fields }, user.cookie), { id: String(id) })))
const render = (data: unknown, lng: 'vi' | 'en' = 'vi') =>
  renderPage({ page: Poster, path: '/admin/links/:id/poster', data, lng, namespace: 'admin' })

describe('the poster letterhead', () => {
  it('without a header, prints the agency name, "Bộ phận Một cửa", the reviewed title and no hotline', async () => {
    const outcome = await load(linkSTP, admin)
    expect(outcome.status).toBe(200)
    const html = await render(outcome.data)
    expect(html).toContain('<p class="poster-unit">Sở Tư pháp tỉnh An Lạc (mẫu)</p>')
    expect(html).toContain('<p class="poster-office">Bộ phận Một cửa — Quầy 2</p>')
    expect(html).toContain('<h1>Mời Ông/Bà đánh giá sự phục vụ của chúng tôi</h1>')
    expect(html).not.toContain('poster-hotline')
  })

  it("the agency's manager saves a header; every poster of the agency prints it, audited", async () => {
    const saved = await save(linkSTP, managerSTP, {
      unitName: 'Sở Tư pháp tỉnh An Lạc',
      officeName: 'Bộ phận Một cửa Sở Tư pháp',
      hotline: '0236 3 822 111',
    })
    expect(saved.status).toBe(302)
    expect(saved.location).toBe(`${path(linkSTP)}?saved=1`)
    for (const id of [linkSTP, otherLinkSTP]) {
      const html = await render((await load(id, admin)).data)
      expect(html).toContain('<p class="poster-unit">Sở Tư pháp tỉnh An Lạc</p>')
      expect(html).toContain('Bộ phận Một cửa Sở Tư pháp')
      expect(html).toContain('<p class="poster-hotline">Đường dây nóng: 0236 3 822 111</p>')
    }
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['actor', 'entity'])
      .where('action', '=', 'poster.header')
      .execute()
    expect(audit).toEqual([{ actor: managerSTP.email, entity: 'agency' }])
  })

  it('the English page keeps the poster in Vietnamese and the form in English', async () => {
    const html = await render((await load(linkSTP, admin)).data, 'en')
    expect(html).toContain('<h1>Mời Ông/Bà đánh giá sự phục vụ của chúng tôi</h1>')
    expect(html).toContain('Đường dây nóng: 0236 3 822 111')
    expect(html).toContain('Poster header')
  })

  it('emptied fields fall back to the defaults', async () => {
    expect((await save(linkSTP, admin, { unitName: '', officeName: '', hotline: '' })).status).toBe(302)
    const html = await render((await load(linkSTP, admin)).data)
    expect(html).toContain('<p class="poster-unit">Sở Tư pháp tỉnh An Lạc (mẫu)</p>')
    expect(html).not.toContain('poster-hotline')
  })

  it('refuses a bad hotline with a translated 400 and stores nothing', async () => {
    await save(linkSTP, admin, { unitName: 'Giữ nguyên', officeName: '', hotline: '' })
    const refused = await save(linkSTP, admin, { unitName: 'Đổi', officeName: '', hotline: 'gọi tôi<script>' })
    expect(refused.status).toBe(400)
    expect(refused.data).toMatch(/^Số đường dây nóng chỉ gồm chữ số/)
    const row = await t.db.selectFrom('poster_header').select('unit_name').executeTakeFirstOrThrow()
    expect(row.unit_name).toBe('Giữ nguyên')
    const tooLong = await save(linkSTP, admin, { unitName: 'x'.repeat(161), officeName: '', hotline: '' })
    expect(tooLong.status).toBe(400)
  })

  it("another agency's manager can neither see nor change the header", async () => {
    expect((await load(linkSTP, managerSNV)).status).toBe(403)
    expect((await save(linkSTP, managerSNV, { unitName: 'Không', officeName: '', hotline: '' })).status).toBe(403)
    const row = await t.db.selectFrom('poster_header').select('unit_name').executeTakeFirstOrThrow()
    expect(row.unit_name).toBe('Giữ nguyên')
  })
})

describe('the local-address warning', () => {
  it.each([
    ['http://localhost:3000', true],
    ['http://127.0.0.1:8080', true],
    ['http://192.168.1.20', true],
    ['https://danhgia.anlac.gov.vn', false],
  ])('PUBLIC_URL=%s → warning %s', async (publicUrl, warned) => {
    const outcome = await load(linkSTP, admin, makeContext(t, { PUBLIC_URL: publicUrl }))
    expect(outcome.status).toBe(200)
    const html = await render(outcome.data)
    expect(html.includes('chỉ mở được trên máy chủ hoặc mạng nội bộ')).toBe(warned)
    // The warning is for the administrator: it never prints.
    if (warned) expect(html).toMatch(/<div class="error-summary no-print" role="alert">/)
  })
})
