/**
 * axe-core on the citizen's pages as a phone shows them: the survey and the thank-you page, in both
 * languages, with and without an error summary, with and without JavaScript. Zero violations allowed.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, openPage } from '#tests/helpers/browser.ts'
import type { RunningServer } from '#scripts/support/server-process.ts'
import {
  closeSession,
  fill,
  openSurveySession,
  sampleAnswers,
  SURVEY_TEXTS,
  type ServerDb,
  type SurveySession,
  waitForHydration,
} from './support.ts'

const texts = SURVEY_TEXTS
/** "Còn N câu bắt buộc chưa trả lời." in the page's language (English has a plural form). */
const missingSummary = (lng: 'vi' | 'en', count: number) =>
  (lng === 'en' ? texts.en.errorSummary_other : texts.vi.errorSummary).replace('{{count}}', String(count))

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
const LANGS = ['vi', 'en'] as const
const query = (lng: 'vi' | 'en') => (lng === 'en' ? '?lng=en' : '')
const submit = (page: Page) => page.click('#survey-form button[type="submit"]')

/**
 * The page as a browser without JavaScript gets it: the server's HTML with the app's scripts kept out.
 * (axe itself needs JavaScript, so the context keeps it and only the app bundle is refused.)
 */
async function openWithoutAppScripts() {
  const session = await openPage(browser)
  await session.context.route(/\/assets\/.*\.js(\?.*)?$/, (route) => route.abort())
  return session
}

describe.each(LANGS)('in %s', (lng) => {
  it('the survey page has no violations', T, async () => {
    const { context, page } = await openPage(browser)
    await page.goto(`${server.url}/s/${code}${query(lng)}`)
    await waitForHydration(page)
    expect(await page.getAttribute('html', 'lang')).toBe(lng)
    expect(await axeViolations(page)).toEqual([])
    await context.close()
  })

  it('the survey page with the error summary (JavaScript) has no violations', T, async () => {
    const { context, page } = await openPage(browser)
    await page.goto(`${server.url}/s/${code}${query(lng)}`)
    await waitForHydration(page)
    await fill(page, sampleAnswers(procedure), ['E1.2', 'E5.1'])
    await submit(page)
    await page.locator('.error-summary').waitFor()
    expect(await page.locator('.error-summary h2').textContent()).toBe(missingSummary(lng, 2))
    expect(await axeViolations(page)).toEqual([])
    await context.close()
  })

  it('the server-rendered error page (no JavaScript) has no violations', T, async () => {
    const { context, page } = await openWithoutAppScripts()
    await page.goto(`${server.url}/s/${code}${query(lng)}`)
    const [res] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), submit(page)])
    expect(res.status()).toBe(400)
    await page.waitForLoadState('load')
    expect(await page.locator('#survey-form').getAttribute('novalidate')).toBeNull()
    expect(await page.locator('.error-summary h2').textContent()).toBe(missingSummary(lng, 22))
    expect(await page.locator('.error-message').count()).toBe(22)
    expect(await axeViolations(page)).toEqual([])
    await context.close()
  })

  it('the thank-you page has no violations', T, async () => {
    const { context, page } = await openPage(browser)
    await page.goto(`${server.url}/s/${code}${query(lng)}`)
    await waitForHydration(page)
    await fill(page, sampleAnswers(procedure))
    await submit(page)
    await page.waitForURL(new RegExp(`/s/${code}/thanks`))
    await page.waitForLoadState('networkidle')
    expect(await axeViolations(page)).toEqual([])
    expect(await page.locator('h1').first().textContent()).toBe(texts[lng].thanks.title)
    await context.close()
  })

  it('the kiosk thank-you page (no JavaScript) has no violations', T, async () => {
    const { context, page } = await openWithoutAppScripts()
    await page.goto(`${server.url}/s/${code}/thanks?kiosk=1${lng === 'en' ? '&lng=en' : ''}`)
    // The kiosk's timed return to an empty form is the specified behaviour (announced on the page, with a
    // "start now" button), so axe's meta-refresh rule is the one rule not applied here.
    expect(await page.locator('meta[http-equiv="refresh"]').getAttribute('content')).toBe(`8;url=/s/${code}?kiosk=1`)
    expect(await axeViolations(page, { disableRules: ['meta-refresh'] })).toEqual([])
    expect(await page.locator('h1').first().textContent()).toBe(texts[lng].thanks.title)
    await context.close()
  })

  it('the used-invitation page has no violations', T, async () => {
    const invitation = `A11Y-${lng}-${Date.now()}`
    sdb.insertInvitation(invitation, { usedAt: new Date().toISOString() })
    const { context, page } = await openPage(browser)
    const res = await page.goto(`${server.url}/r/${invitation}${query(lng)}`)
    expect(res?.status()).toBe(200)
    expect(await page.locator('main').textContent()).toContain(texts[lng].errors.invitationUsed)
    expect(await axeViolations(page)).toEqual([])
    await context.close()
  })
})
