/**
 * axe-core on the citizen's pages as a phone shows them: the survey and the thank-you page, in both
 * languages, with and without an error summary, with and without JavaScript. Zero violations allowed.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, launchBrowser, openPage } from '#tests/helpers/browser.ts'
import { ROOT, type RunningServer } from '#tests/helpers/server.ts'
import { fill, firstProcedure, sampleAnswers, ServerDb, startBuiltServer, waitForHydration } from './support.ts'

const texts = {
  vi: JSON.parse(fs.readFileSync(path.join(ROOT, 'locales/vi/survey.json'), 'utf8')),
  en: JSON.parse(fs.readFileSync(path.join(ROOT, 'locales/en/survey.json'), 'utf8')),
}

let server: RunningServer
let browser: Browser
let sdb: ServerDb
let code: string
let procedure: string

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startBuiltServer({ RATE_LIMIT: 'off' }), launchBrowser()])
  sdb = new ServerDb(server.databaseFile)
  code = sdb.linkCode()
  procedure = firstProcedure(sdb)
})
afterAll(async () => {
  sdb?.close()
  await browser?.close()
  await server?.stop()
})

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
    expect(await page.locator('.error-summary h2').textContent()).toBe(texts[lng].errorSummary.replace('{{count}}', '2'))
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
    expect(await page.locator('.error-summary h2').textContent()).toBe(texts[lng].errorSummary.replace('{{count}}', '22'))
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
    expect(res?.status()).toBe(410)
    expect(await page.locator('main').innerText()).toContain(texts[lng].errors.invitationUsed)
    expect(await axeViolations(page)).toEqual([])
    await context.close()
  })
})
