/**
 * The citizen's survey in a real headless Chromium on a phone-sized screen, against the real production
 * server: answered with and without JavaScript, refused with errors, retried, on a kiosk, in English.
 * Every check of what was stored reads the server's own database file.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPage } from '#tests/helpers/browser.ts'
import type { RunningServer } from '#scripts/support/server-process.ts'
import { fieldName } from '#app/domain/survey/response-schema.ts'
import {
  closeSession,
  expectStored,
  fill,
  openSurveySession,
  radio,
  sampleAnswers,
  SURVEY_TEXTS,
  type ServerDb,
  type SurveySession,
  waitForHydration,
} from './support.ts'

const { vi, en } = SURVEY_TEXTS

let server: RunningServer
let browser: Browser
let sdb: ServerDb
let code: string
let procedure: string

let session: SurveySession | undefined
beforeAll(async () => {
  session = await openSurveySession()
  ;({ server, browser, sdb, code, procedure } = session)
})
afterAll(() => closeSession(session))

const T = { timeout: 60_000 }
const submitButton = (page: Page) => page.locator('#survey-form button[type="submit"]')
/** The thank-you page itself, not just its address: its heading and no form left on screen. */
async function expectThanksPage(page: Page, lng: 'vi' | 'en') {
  const texts = lng === 'vi' ? vi : en
  await expect.poll(() => page.locator('h1').first().textContent(), { timeout: 10_000 }).toBe(texts.thanks.title)
  expect(await page.locator('#survey-form').count()).toBe(0)
}
const thanksUrl = (c: string, kind = 's') => new RegExp(`/${kind}/${c}/thanks(\\?|$)`)

describe('with JavaScript', () => {
  it('stores the whole survey exactly as answered and shows the thank-you page', T, async () => {
    const { context, page, errors } = await openPage(browser)
    const before = sdb.responseCount()
    await page.goto(`${server.url}/s/${code}`)
    await waitForHydration(page)
    const answers = sampleAnswers(procedure)
    await fill(page, answers)
    await expect
      .poll(() => page.locator('label[for="survey-progress"]').textContent())
      .toBe('Đã trả lời 22/22 câu bắt buộc')
    await submitButton(page).click()
    await page.waitForURL(thanksUrl(code))
    await expect.poll(() => sdb.responseCount()).toBe(before + 1)
    const response = await expectStored(sdb, answers, { channel: 'counter', invitation_id: null })
    expect(JSON.parse(String(response.profile_json))).toEqual({ 'P.age': '26-40' })
    // The answers left the device with the response.
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('hailong:')))).toEqual([])
    expect(errors, errors.join('\n')).toEqual([])
    await expectThanksPage(page, 'vi')
    await context.close()
  })

  it(
    'shows inline errors and the error summary before anything is sent when a required item is missing',
    T,
    async () => {
      const { context, page, errors } = await openPage(browser)
      const posts: string[] = []
      page.on('request', (r) => r.method() === 'POST' && posts.push(r.url()))
      const before = sdb.responseCount()
      await page.goto(`${server.url}/s/${code}`)
      await waitForHydration(page)
      await fill(page, sampleAnswers(procedure), ['E3.4'])
      await submitButton(page).click()
      const summary = page.locator('.error-summary')
      await summary.waitFor()
      expect(await summary.locator('h2').textContent()).toBe(vi.errorSummary.replace('{{count}}', '1'))
      expect(await summary.locator('a').getAttribute('href')).toBe('#item-E3-4')
      expect(await page.locator('#item-E3-4-error').textContent()).toBe(vi.errors.required)
      expect(await page.locator('#item-E3-4').getAttribute('aria-describedby')).toBe('item-E3-4-error')
      expect(await page.locator('.error-message').count()).toBe(1)
      // Focus moves to the summary so a screen reader announces it.
      await expect.poll(() => page.evaluate(() => document.activeElement?.className)).toContain('error-summary')
      expect(posts).toEqual([])
      expect(sdb.responseCount()).toBe(before)

      // Answering the item clears its error, and the survey then goes through.
      await page.check(radio('E3.4', '5'))
      await submitButton(page).click()
      await page.waitForURL(thanksUrl(code))
      expect(sdb.responseCount()).toBe(before + 1)
      expect(sdb.answersOf(sdb.latestResponse().id)['E3.4']).toBe(5)
      expect(errors, errors.join('\n')).toEqual([])
      await context.close()
    },
  )

  it('stores a double-clicked submission once', T, async () => {
    const { context, page } = await openPage(browser)
    const posts: string[] = []
    page.on('request', (r) => r.method() === 'POST' && posts.push(r.postData() ?? ''))
    const before = sdb.responseCount()
    await page.goto(`${server.url}/s/${code}`)
    await waitForHydration(page)
    const answers = sampleAnswers(procedure, 'Bấm hai lần')
    await fill(page, answers)
    await submitButton(page).dblclick()
    await page.waitForURL(thanksUrl(code))
    await page.waitForLoadState('networkidle')
    expect(sdb.responseCount()).toBe(before + 1)
    await expectStored(sdb, answers)
    // Whatever reached the server carried one submission id.
    expect(new Set(posts.map((p) => new URLSearchParams(p).get('_sid'))).size).toBe(1)
    await context.close()
  })

  it(
    'restores unsent answers from local storage after a reload, and sends them as the same submission',
    T,
    async () => {
      const { context, page } = await openPage(browser)
      await page.goto(`${server.url}/s/${code}`)
      await waitForHydration(page)
      await page.check(radio('E1.1', '2'))
      await page.check(radio('E4.2', '5'))
      await page.check(`input[name="${fieldName('X.expectations')}"][value="time"]`)
      await page.fill(`textarea[name="${fieldName('S.suggestion')}"]`, 'Giữ lại sau khi tải lại')
      const savedSid = await page.inputValue('input[name="_sid"]')
      await expect
        .poll(() => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('hailong:')).length))
        .toBe(1)

      await page.reload()
      await waitForHydration(page)
      await page.getByText(vi.restored).waitFor()
      expect(await page.isChecked(radio('E1.1', '2'))).toBe(true)
      expect(await page.isChecked(radio('E4.2', '5'))).toBe(true)
      expect(await page.isChecked(`input[name="${fieldName('X.expectations')}"][value="time"]`)).toBe(true)
      expect(await page.inputValue(`textarea[name="${fieldName('S.suggestion')}"]`)).toBe('Giữ lại sau khi tải lại')
      expect(await page.inputValue('input[name="_sid"]')).toBe(savedSid)

      const answers = sampleAnswers(procedure, 'Giữ lại sau khi tải lại')
      answers.criteria['E1.1'] = '2'
      answers.criteria['E4.2'] = '5'
      answers.expectations = ['time']
      await fill(page, { ...answers, expectations: [] })
      await submitButton(page).click()
      await page.waitForURL(thanksUrl(code))
      const response = await expectStored(sdb, answers)
      expect(response.client_submission_id).toBe(savedSid)
      expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('hailong:')))).toEqual([])
      await context.close()
    },
  )

  it('on a kiosk keeps nothing on the device and returns to an empty form after the thank-you page', T, async () => {
    const { context, page } = await openPage(browser)
    const before = sdb.responseCount()
    await page.goto(`${server.url}/s/${code}?kiosk=1`)
    await waitForHydration(page)
    const answers = sampleAnswers(procedure, 'Ki-ốt')
    await fill(page, answers)
    // Give the form the chance to save, as it does off a kiosk.
    await page.waitForTimeout(300)
    expect(await page.evaluate(() => localStorage.length)).toBe(0)
    await submitButton(page).click()
    await page.waitForURL(thanksUrl(code))
    expect(page.url()).toContain('kiosk=1')
    // Checked at the end, so that the return to an empty form is tested whatever this page shows.
    const kioskNotice = page
      .getByText(vi.thanks.kiosk.replace('{{seconds}}', '8'))
      .waitFor({ timeout: 5000 })
      .then(
        () => true,
        () => false,
      )
    expect(sdb.responseCount()).toBe(before + 1)
    await expectStored(sdb, answers, { channel: 'kiosk' })
    const noticeShown = await kioskNotice

    await page.waitForURL(`${server.url}/s/${code}?kiosk=1`, { timeout: 15_000 })
    await waitForHydration(page)
    expect(await page.locator('#survey-form input:checked').count()).toBe(0)
    expect(await page.inputValue(`textarea[name="${fieldName('S.suggestion')}"]`)).toBe('')
    expect(await page.evaluate(() => localStorage.length)).toBe(0)
    expect(noticeShown, 'the thank-you page announced the return to a new form').toBe(true)
    await context.close()
  })

  it('switches to English labels and thanks in English', T, async () => {
    const { context, page } = await openPage(browser)
    await page.goto(`${server.url}/s/${code}`)
    await page.click('a.lang-switch')
    await page.waitForURL(/lng=en/)
    await waitForHydration(page)
    expect(await page.getAttribute('html', 'lang')).toBe('en')
    expect(await page.locator('h1').textContent()).toBe('Satisfaction with public administrative services (SIPAS)')
    expect(await page.locator('#item-E1-1 legend').textContent()).toBe(
      'There were enough seats while waiting (required)',
    )
    expect(await page.locator(`label:has(${radio('E1.1', '5')})`).textContent()).toBe('Very satisfied')
    expect(await submitButton(page).textContent()).toBe(en.submit)
    expect(await page.locator('#procedure-heading').textContent()).toBe(en.procedure.label)
    await fill(page, sampleAnswers(procedure, 'In English'))
    await submitButton(page).click()
    await page.waitForURL(thanksUrl(code))
    await expectThanksPage(page, 'en')
    await context.close()
  })
})

describe('without JavaScript', () => {
  const noJs = { javaScriptEnabled: false }

  it('stores the whole survey exactly as answered through the native form post', T, async () => {
    const { context, page } = await openPage(browser, noJs)
    const before = sdb.responseCount()
    await page.goto(`${server.url}/s/${code}`)
    const answers = sampleAnswers(procedure, '  Không có JavaScript vẫn gửi được.  ')
    await fill(page, answers)
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      submitButton(page).click(),
    ])
    expect(response.status()).toBe(303)
    await page.waitForURL(thanksUrl(code))
    expect(sdb.responseCount()).toBe(before + 1)
    await expectStored(sdb, answers, { channel: 'counter' })
    await expectThanksPage(page, 'vi')
    await context.close()
  })

  it('shows the server-rendered errors next to the item and keeps the other answers', T, async () => {
    const { context, page } = await openPage(browser, noJs)
    const before = sdb.responseCount()
    await page.goto(`${server.url}/s/${code}`)
    const answers = sampleAnswers(procedure, 'Giữ nguyên góp ý')
    await fill(page, answers, ['E2.5'])
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      submitButton(page).click(),
    ])
    expect(response.status()).toBe(400)
    await page.waitForLoadState()
    expect(await page.locator('.error-summary h2').textContent()).toBe(vi.errorSummary.replace('{{count}}', '1'))
    expect(await page.locator('#item-E2-5-error').textContent()).toBe(vi.errors.required)
    expect(await page.locator('#item-E2-5.has-error').count()).toBe(1)
    for (const [c, v] of Object.entries(answers.criteria))
      if (c !== 'E2.5') expect(await page.isChecked(radio(c, v)), c).toBe(true)
    for (const [c, v] of Object.entries(answers.optional)) expect(await page.isChecked(radio(c, v)), c).toBe(true)
    expect(await page.isChecked(`input[name="${fieldName('X.expectations')}"][value="online"]`)).toBe(true)
    expect(await page.inputValue(`textarea[name="${fieldName('S.suggestion')}"]`)).toBe('Giữ nguyên góp ý')
    expect(await page.isChecked(`input[name="_procedure"][value="${procedure}"]`)).toBe(true)
    expect(sdb.responseCount()).toBe(before)

    // Completing the item sends the whole survey.
    await page.check(radio('E2.5', '4'))
    await Promise.all([page.waitForURL(thanksUrl(code)), submitButton(page).click()])
    expect(sdb.responseCount()).toBe(before + 1)
    await expectStored(sdb, { ...answers, criteria: { ...answers.criteria, 'E2.5': '4' } })
    await context.close()
  })

  it('stores nothing when the honeypot is filled, and says so in plain words', T, async () => {
    const { context, page } = await openPage(browser, noJs)
    const before = sdb.responseCount()
    await page.goto(`${server.url}/s/${code}`)
    await fill(page, sampleAnswers(procedure, 'robot'))
    await page.evaluate(() => ((document.getElementById('_website') as HTMLInputElement).value = 'http://spam.example'))
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      submitButton(page).click(),
    ])
    expect(response.status()).toBe(400)
    await page.waitForLoadState()
    expect(sdb.responseCount()).toBe(before)
    const text = await page.locator('main').textContent()
    expect(text).not.toContain('survey.errors')
    expect(text).toContain(vi.errors.rejected)
    await context.close()
  })

  it('stores a resubmitted form (double click, then the same data posted again) once', T, async () => {
    const { context, page } = await openPage(browser, noJs)
    const before = sdb.responseCount()
    await page.goto(`${server.url}/s/${code}`)
    const answers = sampleAnswers(procedure, 'Gửi lại cùng dữ liệu')
    await fill(page, answers)
    const fields = await page.evaluate(() =>
      [...new FormData(document.getElementById('survey-form') as HTMLFormElement)].map(([k, v]) => [k, String(v)]),
    )
    await submitButton(page).dblclick()
    await page.waitForURL(thanksUrl(code))
    await page.waitForLoadState('networkidle')
    expect(sdb.responseCount()).toBe(before + 1)

    // The same form data again, as a browser re-posting the form would send it.
    const again = await context.request.post(`${server.url}/s/${code}`, {
      form: undefined,
      data: new URLSearchParams(fields).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      maxRedirects: 0,
    })
    expect(again.status()).toBe(303)
    // The same response, so the same reference code.
    expect(again.headers().location).toBe(new URL(page.url()).pathname + new URL(page.url()).search)
    expect(sdb.responseCount()).toBe(before + 1)
    await expectStored(sdb, answers)
    await context.close()
  })

  it('returns a kiosk to an empty form by the meta refresh alone', T, async () => {
    const { context, page } = await openPage(browser, noJs)
    await page.goto(`${server.url}/s/${code}?kiosk=1`)
    await fill(page, sampleAnswers(procedure, 'Ki-ốt không JS'))
    await Promise.all([page.waitForURL(thanksUrl(code)), submitButton(page).click()])
    expect(page.url()).toContain('kiosk=1')
    await expectStored(sdb, sampleAnswers(procedure, 'Ki-ốt không JS'), { channel: 'kiosk' })
    await page.waitForURL(`${server.url}/s/${code}?kiosk=1`, { timeout: 15_000 })
    expect(await page.locator('#survey-form input:checked').count()).toBe(0)
    await context.close()
  })
})

describe('invitations', () => {
  it('are answered once; opening a used invitation thanks instead of showing the form', T, async () => {
    const invitation = `E2E-INV-${Date.now()}`
    sdb.insertInvitation(invitation)
    const { context, page } = await openPage(browser)
    await page.goto(`${server.url}/r/${invitation}`)
    await waitForHydration(page)
    const answers = sampleAnswers(procedure, 'Qua lời mời')
    await fill(page, answers)
    await submitButton(page).click()
    await page.waitForURL(thanksUrl(invitation, 'r'))
    await expectStored(sdb, answers, { channel: 'counter', link_id: null })
    expect(sdb.invitationUsedAt(invitation)).not.toBeNull()

    for (const js of [true, false]) {
      const other = await openPage(browser, { javaScriptEnabled: js })
      const res = await other.page.goto(`${server.url}/r/${invitation}`)
      expect(res?.status()).toBe(200)
      expect(other.page.url()).toContain(`/r/${invitation}/thanks?rated=1`)
      expect(await other.page.locator('h1').textContent()).toBe(vi.errors.invitationUsed)
      expect(await other.page.locator('#survey-form').count()).toBe(0)
      await other.context.close()
    }
    const english = await openPage(browser, { locale: 'en-US' })
    const res = await english.page.goto(`${server.url}/r/${invitation}?lng=en`)
    expect(res?.status()).toBe(200)
    expect(await english.page.locator('main').textContent()).toContain(en.errors.invitationUsed)
    await english.context.close()
    await context.close()
  })
})
