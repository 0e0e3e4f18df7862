// The survey must work in a 320 px wide viewport and with text at 200%: nothing wider than the screen,
// every answer reachable and tap targets at least 44 px tall.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPage } from '#tests/helpers/browser.ts'
import type { RunningServer } from '#scripts/support/server-process.ts'
import { closeSession, openSurveySession, type SurveySession } from './support.ts'

let server: RunningServer
let browser: Browser
let code: string

let session: SurveySession | undefined
beforeAll(async () => {
  session = await openSurveySession()
  ;({ server, browser, code } = session)
}, 180_000)
afterAll(() => closeSession(session))

describe('a small phone with large text', () => {
  for (const zoom of ['100%', '200%']) {
    it(`fits 320 px with text at ${zoom}, with tap targets of at least 44 px`, async () => {
      const { page, context } = await openPage(browser, { viewport: { width: 320, height: 640 } })
      await page.goto(`${server.url}/s/${code}`)
      // Text zoom as a browser setting does it: the root font size, which the stylesheet's rem units follow.
      await page.evaluate((size) => (document.documentElement.style.fontSize = size), zoom)
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      )
      expect(overflow).toBeLessThanOrEqual(0)
      const smallest = await page.evaluate(() =>
        Math.min(
          ...[...document.querySelectorAll('label.choice, button.button')].map(
            (el) => el.getBoundingClientRect().height,
          ),
        ),
      )
      expect(smallest).toBeGreaterThanOrEqual(44)
      // The last answer of the form is reachable and clickable.
      const last = page.locator('input[type=radio][name="q:E5:4"]').last()
      await last.scrollIntoViewIfNeeded()
      await last.check()
      expect(await last.isChecked()).toBe(true)
      await context.close()
    }, 60_000)
  }
})
