/**
 * The quarantine page in a real headless Chromium against the real production server: three responses
 * posted without a form token are stored quarantined; an administrator finds their group on
 * /admin/quarantine and releases it with the keyboard alone (Tab to the group's button, Enter, Tab to the
 * confirmation's button, Enter). The responses are counted afterwards and the move is audited. Without
 * JavaScript, the GET filter form and the confirmation page do the same.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fieldName } from '#app/domain/survey/response-schema.ts'
import { openPage, type PageSession } from '#tests/helpers/browser.ts'
import type { RunningServer } from '#scripts/support/server-process.ts'
import { addDemoData, CRITERIA, closeSession, type E2eSession, openSession, signInThroughForm } from './support.ts'

const EMAIL = 'e2e-quarantine@example.vn'
const PASSWORD = 'mật-khẩu-cách-ly-2026'
const T = { timeout: 120_000 }

let session: E2eSession | undefined
let server: RunningServer
let browser: Browser
let admin: PageSession
let code = ''

const one = <R>(sql: string, ...params: unknown[]) => session!.sdb.db.prepare(sql).get(...params) as R
const quarantined = () =>
  one<{ n: number }>(
    'select count(*) as n from response r join survey_link l on l.id = r.link_id where l.code = ? and r.quarantine_reason is not null',
    code,
  ).n

let version = 0
/** A script that never fetched the page: no form token, so each response is thanked and quarantined. */
async function postWithoutToken(n: number) {
  for (let i = 0; i < n; i++) {
    const body = new URLSearchParams([
      ['_sid', `e2e-quarantine-${Date.now()}-${i}`],
      ['_version', String(version)],
      ['_website', ''],
      ...CRITERIA.map((c): [string, string] => [fieldName(c), '1']),
    ])
    const res = await fetch(`${server.url}/s/${code}`, { method: 'POST', body, redirect: 'manual' })
    expect(res.status).toBe(303)
  }
}

beforeAll(async () => {
  session = await openSession()
  ;({ server, browser } = session)
  await addDemoData(server, { responses: 2, user: { email: EMAIL, password: PASSWORD, role: 'admin' } })
  code = session.sdb.linkCode()
  version = one<{ id: number }>(
    "select v.id from questionnaire_version v join questionnaire q on q.id = v.questionnaire_id where q.code = 'SIPAS-2017' and v.status = 'published'",
  ).id
  await postWithoutToken(3)
  expect(quarantined()).toBe(3)
  admin = await openPage(browser, { viewport: { width: 1366, height: 900 }, locale: 'vi-VN' })
}, 180_000)
afterAll(async () => {
  await admin?.context.close()
  await closeSession(session)
})

/** Presses Tab until the focused element's text includes `text`; fails after `limit` presses. */
async function tabTo(page: Page, text: string, limit = 80) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab')
    const focused = await page.evaluate(() => document.activeElement?.textContent ?? '')
    if (focused.includes(text)) return
  }
  throw new Error(`no focusable element with “${text}” within ${limit} Tabs`)
}

describe('administrator: releasing quarantined responses with the keyboard', () => {
  it('lists the group of the link, translated, with its count', T, async () => {
    const { page } = admin
    await signInThroughForm(page, server, '/admin/quarantine', EMAIL, PASSWORD)
    await page.getByRole('heading', { level: 1, name: 'Phiếu bị cách ly' }).waitFor()
    const row = page.locator('tbody tr', { hasText: code })
    await expect(row.locator('td').nth(1).textContent()).resolves.toBe('Thiếu mã biểu mẫu')
    await expect(row.locator('td').nth(2).textContent()).resolves.toBe('3')
  })

  it('releases the group: Tab, Enter, confirm with Tab and Enter; counted and audited', T, async () => {
    const { page } = admin
    await tabTo(page, 'Đưa 3 phiếu vào tính điểm')
    await page.keyboard.press('Enter')
    const confirmation = page.getByRole('heading', { level: 2, name: 'Đưa 3 phiếu vào tính điểm?' })
    await confirmation.waitFor()
    // Nothing moves before the confirmation.
    expect(quarantined()).toBe(3)
    await tabTo(page, 'Đưa vào tính điểm', 5)
    await page.keyboard.press('Enter')
    await page.getByRole('status').filter({ hasText: 'Đã đưa 3 phiếu vào tính điểm.' }).waitFor()
    expect(quarantined()).toBe(0)
    const audit = one<{ details_json: string }>(
      "select details_json from audit_log where action = 'responses.release' order by id desc limit 1",
    )
    expect(JSON.parse(audit.details_json).count).toBe(3)
    await expect.poll(() => page.locator('tbody tr', { hasText: code }).count()).toBe(0)
  })

  it('filters and releases without JavaScript: a GET filter form, a confirmation page', T, async () => {
    await postWithoutToken(2)
    const noJs = await openPage(browser, {
      viewport: { width: 1366, height: 900 },
      locale: 'vi-VN',
      javaScriptEnabled: false,
    })
    try {
      const { page } = noJs
      await noJs.context.addCookies(await admin.context.cookies())
      await page.goto(`${server.url}/admin/quarantine`)
      await page.locator('#q-link').fill(code)
      await Promise.all([
        page.waitForURL((u) => u.searchParams.get('link') === code),
        page.locator('#q-link').press('Enter'),
      ])
      await page.getByText('(2 phiếu bị cách ly)').waitFor()
      await page.getByRole('button', { name: 'Đưa cả 2 phiếu theo bộ lọc vào tính điểm' }).click()
      await page.getByRole('heading', { level: 2, name: 'Đưa 2 phiếu vào tính điểm?' }).waitFor()
      expect(quarantined()).toBe(2)
      await page.getByRole('button', { name: 'Đưa vào tính điểm', exact: true }).click()
      await page.getByRole('status').filter({ hasText: 'Đã đưa 2 phiếu vào tính điểm.' }).waitFor()
      expect(quarantined()).toBe(0)
    } finally {
      await noJs.context.close()
    }
  })
})
