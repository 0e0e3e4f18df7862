/**
 * Recording a merger by keyboard in a real browser against the built server (docs/mergers.md): the
 * administrator opens a unit's "Sáp nhập, chia tách, đổi tên" page, chooses "sáp nhập vào", the other unit
 * and the date with the keyboard only, submits with Enter, sees the record; a refused record (the same
 * pair again) shows the translated error; deleting asks for confirmation first. The units are this test's own.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPage, type PageSession } from '#tests/helpers/browser.ts'
import type { RunningServer } from '#scripts/support/server-process.ts'
import { addDemoData, closeSession, type E2eSession, openSession, signInThroughForm } from './support.ts'

const EMAIL = 'e2e-successions@example.vn'
const PASSWORD = 'mật-khẩu-sáp-nhập-2026'
const DESKTOP = { viewport: { width: 1366, height: 900 }, isMobile: false, hasTouch: false, locale: 'vi-VN' }
const T = { timeout: 120_000 }

let session: E2eSession | undefined
let server: RunningServer
let browser: Browser
let admin: PageSession
const dialogs: string[] = []

function addUnit(code: string, name: string) {
  const db = session!.sdb.db
  const { id } = db
    .prepare(
      "insert into agency (code, name_vi, name_en, level, parent_id, valid_from, valid_to, active, created_at, path) values (?, ?, ?, 'province', null, '2015-01-01', null, 1, ?, '') returning id",
    )
    .get(code, name, name, new Date().toISOString()) as { id: number }
  db.prepare('update agency set path = ? where id = ?').run(`/${id}/`, id)
}
const successions = () =>
  session!.sdb.db
    .prepare(
      "select p.code as p, n.code as n, s.kind, s.effective_date as d from agency_succession s join agency p on p.id = s.predecessor_id join agency n on n.id = s.successor_id where p.code like 'E2E-%'",
    )
    .all()

beforeAll(async () => {
  session = await openSession()
  ;({ server, browser } = session)
  await addDemoData(server, { responses: 1, user: { email: EMAIL, password: PASSWORD, role: 'admin' } })
  addUnit('E2E-OLD', 'Tỉnh Cũ (E2E)')
  addUnit('E2E-NEW', 'Tỉnh Mới (E2E)')
  admin = await openPage(browser, DESKTOP)
  admin.page.on('dialog', (d) => {
    dialogs.push(d.message())
    void d.accept()
  })
}, 180_000)
afterAll(async () => {
  await admin?.context.close()
  await closeSession(session)
})

describe('successions by keyboard', () => {
  it('records "sáp nhập vào" with the keyboard only', T, async () => {
    const page = admin.page
    await signInThroughForm(page, server, '/admin/agencies/E2E-OLD/successions', EMAIL, PASSWORD)
    await page.focus('#s-relation')
    await page.keyboard.type('sáp') // the first option, "sáp nhập vào"
    await page.keyboard.press('Tab')
    await page.keyboard.type('E2E-NEW')
    await page.keyboard.press('Tab')
    // The date keeps its default, 01/07/2025; Enter in it submits the form (its one button, "Ghi nhận").
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('s-date')
    await page.keyboard.press('Enter')
    await page.getByRole('status').filter({ hasText: 'Đã ghi nhận.' }).waitFor()
    expect(successions()).toEqual([{ p: 'E2E-OLD', n: 'E2E-NEW', kind: 'merged_into', d: '2025-07-01' }])
    await expect
      .poll(() => page.locator('[data-kind="merged_into"]').first().textContent())
      .toContain('sáp nhập vào Tỉnh Mới (E2E)')
    expect(await page.locator('main, body').first().textContent()).toContain('kết thúc hoạt động ngày 30/06/2025')
  })

  it('the same pair again is refused with the translated error, nothing stored', T, async () => {
    const page = admin.page
    await page.focus('#s-relation')
    await page.keyboard.type('đổi')
    await page.keyboard.press('Tab')
    await page.keyboard.type('E2E-NEW')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await page.getByRole('alert').filter({ hasText: 'Hai đơn vị này đã có ghi nhận; hãy sửa ghi nhận đó.' }).waitFor()
    expect(successions()).toHaveLength(1)
  })

  it('deleting asks first, then removes the record', T, async () => {
    const page = admin.page
    await page.locator('tr[data-succession] summary').focus()
    await page.keyboard.press('Enter')
    await page.getByRole('button', { name: 'Xóa ghi nhận' }).focus()
    await page.keyboard.press('Enter')
    await page.getByRole('status').filter({ hasText: 'Đã xóa ghi nhận.' }).waitFor()
    expect(dialogs.at(-1)).toContain('Xóa ghi nhận này?')
    expect(successions()).toEqual([])
  })
})
