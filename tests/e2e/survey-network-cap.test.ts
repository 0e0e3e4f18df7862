/**
 * The network cap as a citizen meets it: a server started with NETWORK_CAP_PER_HOUR=2 thanks the third
 * survey from one client like the first two (no refusal, with or without JavaScript), stores it, and
 * leaves it out of the counts as quarantined.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPage } from '#tests/helpers/browser.ts'
import type { RunningServer } from '#scripts/support/server-process.ts'
import {
  closeSession,
  fill,
  openSurveySession,
  sampleAnswers,
  type ServerDb,
  type SurveySession,
  waitForHydration,
} from './support.ts'

let server: RunningServer
let browser: Browser
let sdb: ServerDb
let code: string
let procedure: string

let session: SurveySession | undefined
beforeAll(async () => {
  session = await openSurveySession({ RATE_LIMIT: 'on', NETWORK_CAP_PER_HOUR: '2' })
  ;({ server, browser, sdb, code, procedure } = session)
})
afterAll(() => closeSession(session))

const T = { timeout: 60_000 }

const quarantined = (code: string) =>
  (
    sdb.db
      .prepare(
        'select count(*) as n from response r join survey_link l on l.id = r.link_id where l.code = ? and r.quarantine_reason is not null',
      )
      .get(code) as { n: number }
  ).n

describe('network cap', () => {
  it('thanks the third survey from one client and stores it quarantined, with and without JavaScript', T, async () => {
    const { context, page } = await openPage(browser, { javaScriptEnabled: false })
    for (let i = 0; i < 3; i++) {
      await page.goto(`${server.url}/s/${code}`)
      await fill(page, sampleAnswers(procedure, `Phiếu ${i + 1}`))
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.click('#survey-form button[type="submit"]'),
      ])
      expect(res.status()).toBe(303)
    }
    expect(sdb.responsesForLink(code)).toBe(3)
    expect(quarantined(code)).toBe(1)
    await context.close()

    const js = await openPage(browser, { locale: 'en-US' })
    await js.page.goto(`${server.url}/s/${code}?lng=en`)
    await waitForHydration(js.page)
    await fill(js.page, sampleAnswers(procedure, 'Fourth'))
    const [jsonRes] = await Promise.all([
      js.page.waitForResponse((r) => r.url().endsWith('/submit')),
      js.page.click('#survey-form button[type="submit"]'),
    ])
    expect(jsonRes.status()).toBe(200)
    await js.page.waitForURL(/\/thanks/)
    expect(sdb.responsesForLink(code)).toBe(4)
    expect(quarantined(code)).toBe(2)
    await js.context.close()
  })

  it('counts each link separately', T, async () => {
    const other = sdb.linkCode(1)
    const { context, page } = await openPage(browser, { javaScriptEnabled: false })
    await page.goto(`${server.url}/s/${other}`)
    // Another agency's link offers its own procedures first; the choice is optional and not what is tested.
    await fill(page, sampleAnswers(''))
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('#survey-form button[type="submit"]'),
    ])
    expect(res.status()).toBe(303)
    expect(quarantined(other)).toBe(0)
    await context.close()
  })
})
