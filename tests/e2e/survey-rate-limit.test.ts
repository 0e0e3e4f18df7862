/** The rate limit as a citizen meets it: a server started with RATE_LIMIT_PER_CLIENT=2 refuses the third survey. */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPage } from '#tests/helpers/browser.ts'
import type { RunningServer } from '#scripts/support/server-process.ts'
import {
  closeSession,
  fill,
  openSurveySession,
  SURVEY_TEXTS,
  sampleAnswers,
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
  session = await openSurveySession({ RATE_LIMIT: 'on', RATE_LIMIT_PER_CLIENT: '2', RATE_LIMIT_WINDOW_SECONDS: '600' })
  ;({ server, browser, sdb, code, procedure } = session)
})
afterAll(() => closeSession(session))

const T = { timeout: 60_000 }

describe('rate limit', () => {
  it('shows the 429 page on the third survey from one client, and the message inline with JavaScript', T, async () => {
    const { context, page } = await openPage(browser, { javaScriptEnabled: false })
    for (let i = 0; i < 2; i++) {
      await page.goto(`${server.url}/s/${code}`)
      await fill(page, sampleAnswers(procedure, `Phiếu ${i + 1}`))
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.click('#survey-form button[type="submit"]'),
      ])
      expect(res.status()).toBe(303)
    }
    expect(sdb.responsesForLink(code)).toBe(2)

    await page.goto(`${server.url}/s/${code}`)
    await fill(page, sampleAnswers(procedure, 'Phiếu 3'))
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('#survey-form button[type="submit"]'),
    ])
    expect(res.status()).toBe(429)
    await page.waitForLoadState()
    expect(await page.locator('main').textContent()).toContain(vi.errors.rateLimited)
    expect(await page.locator('#survey-form').count()).toBe(0)
    expect(sdb.responsesForLink(code)).toBe(2)
    await context.close()

    // The same client with JavaScript, in English: the refusal is shown on the form, nothing stored.
    const js = await openPage(browser, { locale: 'en-US' })
    await js.page.goto(`${server.url}/s/${code}?lng=en`)
    await waitForHydration(js.page)
    await fill(js.page, sampleAnswers(procedure, 'Fourth'))
    const [jsonRes] = await Promise.all([
      js.page.waitForResponse((r) => r.url().endsWith('/submit')),
      js.page.click('#survey-form button[type="submit"]'),
    ])
    expect(jsonRes.status()).toBe(429)
    await js.page.locator('.error-summary').waitFor()
    expect(await js.page.locator('.error-summary').textContent()).toContain(en.errors.rateLimited)
    expect(sdb.responsesForLink(code)).toBe(2)
    await js.context.close()
  })

  it('counts each link separately', T, async () => {
    const other = sdb.linkCode(1)
    const { context, page } = await openPage(browser, { javaScriptEnabled: false })
    await page.goto(`${server.url}/s/${other}`)
    await fill(page, sampleAnswers(procedure))
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('#survey-form button[type="submit"]'),
    ])
    expect(res.status()).toBe(303)
    expect(sdb.responsesForLink(other)).toBe(1)
    await context.close()
  })
})
