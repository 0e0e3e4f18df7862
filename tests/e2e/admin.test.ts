/**
 * The administrator's path in a real headless Chromium against the real production server: sign in,
 * create a questionnaire from the SIPAS template, reword one item in the designer (after the designer's
 * own validation refused an empty label), publish, assign to one agency, create a poster link, download
 * its QR code; then a citizen on a phone answers through that link and the response is stored against
 * the new version while earlier responses keep theirs.
 */
import fs from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fieldName } from '#app/domain/survey/response-schema.ts'
import { openPage, type PageSession } from '#tests/helpers/browser.ts'
import type { RunningServer } from '#scripts/support/server-process.ts'
import {
  addDemoData,
  CRITERIA,
  closeSession,
  type E2eSession,
  openSession,
  signInThroughForm,
  waitForHydration,
} from './support.ts'

const EMAIL = 'e2e-admin@example.vn'
const PASSWORD = 'mật-khẩu-quản-trị-2026'
const DESKTOP = { viewport: { width: 1366, height: 900 }, isMobile: false, hasTouch: false, locale: 'vi-VN' }
const CODE = 'E2E-SIPAS'
const NEW_WORDING = 'Nơi tiếp nhận hồ sơ rộng rãi, thoáng mát (bản sửa E2E)'
const T = { timeout: 120_000 }

let session: E2eSession | undefined
let server: RunningServer
let browser: Browser
let admin: PageSession
let citizen: PageSession | undefined

/** State carried from one step to the next: the steps run in order, like the person at the keyboard. */
const state = {
  versionId: 0,
  questionnaireId: 0,
  stpId: 0,
  linkId: 0,
  linkCode: '',
  oldVersionId: 0,
  seededIds: [] as number[],
}

const one = <T>(sql: string, ...params: unknown[]) => session!.sdb.db.prepare(sql).get(...params) as T
const all = <T>(sql: string, ...params: unknown[]) => session!.sdb.db.prepare(sql).all(...params) as T[]

beforeAll(async () => {
  session = await openSession()
  ;({ server, browser } = session)
  await addDemoData(server, { responses: 5, user: { email: EMAIL, password: PASSWORD, role: 'admin' } })
  state.stpId = one<{ id: number }>("select id from agency where code = 'DEMO-AL-STP'").id
  state.oldVersionId = one<{ id: number }>(
    "select v.id from questionnaire_version v join questionnaire q on q.id = v.questionnaire_id where q.code = 'SIPAS-2017' and v.status = 'published'",
  ).id
  state.seededIds = all<{ id: number; version_id: number }>('select id, version_id from response order by id').map(
    (r) => r.id,
  )
  admin = await openPage(browser, { ...DESKTOP, acceptDownloads: true })
  admin.page.on('dialog', (d) => void d.accept())
}, 180_000)
afterAll(async () => {
  await citizen?.context.close()
  await admin?.context.close()
  await closeSession(session)
})

/** React has attached its handlers to the element: before that, a click would do a plain HTML submit. */
async function waitForReact(page: Page, selector: string) {
  await page.waitForFunction((s) => {
    const el = document.querySelector(s)
    return !!el && Object.keys(el).some((k) => k.startsWith('__reactProps'))
  }, selector)
}

const DESIGNER = 'form[aria-labelledby="designer-heading"]'
const firstItemLabel = '#elements-0-items-0-labelVi'

describe('administrator: from template to a printed QR code', () => {
  it('signs in and is sent back to the page asked for', T, async () => {
    const { page } = admin
    await signInThroughForm(page, server, '/admin/questionnaires', EMAIL, PASSWORD)
    await page.getByRole('heading', { level: 1, name: 'Bộ câu hỏi' }).waitFor()
  })

  it('creates a questionnaire from the SIPAS template on the “Bộ câu hỏi” page', T, async () => {
    const { page } = admin
    await page.locator('#q-code').fill(CODE)
    await page.locator('#q-nameVi').fill('Khảo sát SIPAS thử nghiệm')
    await page.locator('#q-nameEn').fill('Trial SIPAS survey')
    expect(await page.locator('#q-template').inputValue()).toBe('SIPAS-2017')
    await Promise.all([
      page.waitForURL(/\/admin\/versions\/\d+$/),
      page.locator('form.grid-form button[type="submit"]').click(),
    ])
    state.versionId = Number(/\/admin\/versions\/(\d+)$/.exec(page.url())![1])
    const row = one<{ questionnaire_id: number; status: string; items: number }>(
      'select v.questionnaire_id, v.status, (select count(*) from questionnaire_item i where i.version_id = v.id) as items from questionnaire_version v where v.id = ?',
      state.versionId,
    )
    expect(row.status).toBe('draft')
    expect(row.items).toBeGreaterThan(CRITERIA.length)
    state.questionnaireId = row.questionnaire_id
    expect(one<{ code: string }>('select code from questionnaire where id = ?', state.questionnaireId).code).toBe(CODE)
  })

  it('the designer refuses an empty label on the client: error summary shown, nothing saved', T, async () => {
    const { page } = admin
    await waitForReact(page, DESIGNER)
    const original = await page.locator(firstItemLabel).inputValue()
    expect(original.length).toBeGreaterThan(0)
    const saves = () =>
      one<{ n: number }>("select count(*) as n from audit_log where action = 'questionnaire.save_draft'").n
    const before = saves()
    let posted = 0
    const onRequest = (r: { method(): string }) => {
      if (r.method() === 'POST') posted++
    }
    page.on('request', onRequest)
    await page.locator(firstItemLabel).fill('')
    await page.locator(`${DESIGNER} button[type="submit"]`).click()
    const summary = page.locator(`${DESIGNER} .error-summary[role="alert"]`)
    await summary.waitFor()
    expect(await summary.textContent()).toContain('Cần nhập nội dung tiếng Việt.')
    // The place in words, not as a code path (elements.0.items.0.labelVi).
    expect(await summary.textContent()).toContain('Yếu tố 1, tiêu chí 1, nội dung tiếng Việt')
    page.off('request', onRequest)
    expect(posted).toBe(0)
    expect(saves()).toBe(before)
    expect(
      one<{ label_vi: string }>(
        "select label_vi from questionnaire_item where version_id = ? and code = 'E1.1'",
        state.versionId,
      ).label_vi,
    ).toBe(original)
  })

  it('rewords one item in Vietnamese and saves the draft', T, async () => {
    const { page } = admin
    await page.locator(firstItemLabel).fill(NEW_WORDING)
    // The preview follows the edit as it is typed.
    await page.locator('.designer-preview').getByText(NEW_WORDING).waitFor()
    await Promise.all([
      page.waitForResponse(
        (r) => r.request().method() === 'POST' && r.url().includes(`/admin/versions/${state.versionId}`),
      ),
      page.locator(`${DESIGNER} button[type="submit"]`).click(),
    ])
    await page.locator(`${DESIGNER} .notice[role="status"]`).getByText('Đã lưu bản nháp.').waitFor()
    expect(await page.locator(`${DESIGNER} .error-summary`).count()).toBe(0)
    expect(
      one<{ label_vi: string }>(
        "select label_vi from questionnaire_item where version_id = ? and code = 'E1.1'",
        state.versionId,
      ).label_vi,
    ).toBe(NEW_WORDING)
  })

  it('“Thêm câu hỏi” inserts before the element’s overall question, not after it', T, async () => {
    const { page } = admin
    const element = page.locator('fieldset.designer-element').first()
    const codes = () =>
      element
        .locator('input[id^="elements-0-items-"][id$="-code"]')
        .evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value))
    const before = await codes()
    expect(before.at(-1)).toBe('E1.overall')
    await element.getByRole('button', { name: 'Thêm câu hỏi', exact: true }).click()
    const after = await codes()
    expect(after).toHaveLength(before.length + 1)
    expect(after.at(-1)).toBe('E1.overall')
    expect(before).not.toContain(after.at(-2))
    // "Chèn câu hỏi ở dưới" on the first question puts the next one right below it.
    await element.getByRole('button', { name: 'Chèn câu hỏi ở dưới' }).first().click()
    const inserted = await codes()
    expect(inserted[0]).toBe(before[0])
    expect(before).not.toContain(inserted[1])
    expect(inserted.at(-1)).toBe('E1.overall')
  })

  it('publishes it (accepting the confirmation), after which it is read-only', T, async () => {
    const { page } = admin
    await page.locator('button[name="intent"][value="publish"]').click()
    await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Đã ban hành' }).waitFor()
    expect(
      one<{ status: string; published_at: string | null }>(
        'select status, published_at from questionnaire_version where id = ?',
        state.versionId,
      ),
    ).toMatchObject({ status: 'published', published_at: expect.any(String) })
    expect(await page.locator(DESIGNER).count()).toBe(0)
  })

  it('assigns it to one agency', T, async () => {
    const { page } = admin
    await waitForReact(page, 'button[name="intent"][value="assign"]')
    await page.locator(`input[name="agencyId"][value="${state.stpId}"]`).check()
    await Promise.all([page.waitForURL(/\?assigned=1$/), page.locator('button[name="intent"][value="assign"]').click()])
    await page.getByText('Đã áp dụng cho 1 cơ quan.').waitFor()
    expect(
      all('select agency_id, version_id from agency_assignment where questionnaire_id = ?', state.questionnaireId),
    ).toEqual([{ agency_id: state.stpId, version_id: state.versionId }])
  })

  it('creates a poster link for that agency and questionnaire and downloads its QR code as SVG', T, async () => {
    const { page } = admin
    await page.goto(`${server.url}/admin/links`)
    await waitForReact(page, 'form.grid-form')
    await page.locator('#l-agency').selectOption(String(state.stpId))
    await page.locator('#l-q').selectOption(String(state.questionnaireId))
    await page.locator('#l-kind').selectOption('poster')
    await Promise.all([
      page.waitForURL(/\/admin\/links\?done=created#link-\d+$/),
      page.locator('form.grid-form button[type="submit"]').click(),
    ])
    state.linkId = Number(/#link-(\d+)$/.exec(page.url())![1])
    const link = one<{ code: string; agency_id: number; questionnaire_id: number; kind: string; active: number }>(
      'select code, agency_id, questionnaire_id, kind, active from survey_link where id = ?',
      state.linkId,
    )
    expect(link).toMatchObject({
      agency_id: state.stpId,
      questionnaire_id: state.questionnaireId,
      kind: 'poster',
      active: 1,
    })
    state.linkCode = link.code
    const row = page.locator(`tr#link-${state.linkId}`)
    expect(await row.getAttribute('data-link-code')).toBe(link.code)

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('link', { name: 'Mã QR (SVG)' }).click(),
    ])
    expect(download.suggestedFilename()).toBe(`qr-${link.code}.svg`)
    const svg = fs.readFileSync((await download.path())!, 'utf8')
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*<\/svg>\s*$/)
    expect(svg).toContain('<path')
  })

  it('the A4 poster shows the agency and an inline SVG QR code', T, async () => {
    const { page } = admin
    await page.goto(`${server.url}/admin/links/${state.linkId}/poster`)
    await page.getByText('Sở Tư pháp tỉnh An Lạc (mẫu)').first().waitFor()
    expect(await page.locator('svg path').count()).toBeGreaterThan(0)
    expect(await page.content()).toContain(`/s/${state.linkCode}`)
  })
})

describe('citizen on a phone', () => {
  it('sees the new wording through the link, answers every required item and submits', T, async () => {
    expect(state.linkCode).not.toBe('')
    citizen = await openPage(browser)
    const { page, errors } = citizen
    expect(page.viewportSize()).toEqual({ width: 360, height: 740 })
    const before = one<{ n: number }>('select count(*) as n from response').n
    await page.goto(`${server.url}/s/${state.linkCode}`)
    await waitForHydration(page)
    await page.getByText(NEW_WORDING).waitFor()
    for (const [i, code] of CRITERIA.entries())
      await page.check(`input[name="${fieldName(code)}"][value="${(i % 5) + 1}"]`)
    await Promise.all([
      page.waitForURL(new RegExp(`/s/${state.linkCode}/thanks(\\?|$)`)),
      page.locator('#survey-form button[type="submit"]').click(),
    ])
    expect(one<{ n: number }>('select count(*) as n from response').n).toBe(before + 1)
    expect(errors, errors.join('\n')).toEqual([])
  })

  it('the new response is attached to the NEW version; the responses stored before keep the old one', T, async () => {
    const latest = one<{ id: number; version_id: number; agency_id: number; link_id: number; source: string }>(
      'select id, version_id, agency_id, link_id, source from response order by id desc limit 1',
    )
    expect(latest).toMatchObject({
      version_id: state.versionId,
      agency_id: state.stpId,
      link_id: state.linkId,
      source: 'web',
    })
    expect(latest.version_id).not.toBe(state.oldVersionId)
    const answers = all<{ code: string; value_number: number }>(
      'select i.code, a.value_number from answer a join questionnaire_item i on i.id = a.item_id where a.response_id = ? order by i.position',
      latest.id,
    )
    expect(answers.map((a) => a.code)).toEqual(CRITERIA)
    // Every answer points at an item of the new version.
    expect(
      one<{ n: number }>(
        'select count(*) as n from answer a join questionnaire_item i on i.id = a.item_id where a.response_id = ? and i.version_id = ?',
        latest.id,
        state.versionId,
      ).n,
    ).toBe(CRITERIA.length)

    expect(state.seededIds).toHaveLength(5)
    const seeded = all<{ version_id: number }>(
      `select version_id from response where id in (${state.seededIds.map(() => '?').join(',')})`,
      ...state.seededIds,
    )
    expect(seeded).toEqual(state.seededIds.map(() => ({ version_id: state.oldVersionId })))
    expect(
      one<{ n: number }>(
        'select count(*) as n from answer a join questionnaire_item i on i.id = a.item_id join response r on r.id = a.response_id where r.id in (' +
          state.seededIds.join(',') +
          ') and i.version_id != r.version_id',
      ).n,
    ).toBe(0)
  })
})
