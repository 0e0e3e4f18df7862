/**
 * A hand faster than the page: a click at the moment React has been handed the page and has not yet rendered
 * it. React 18 then hydrates synchronously; when Remix's first render was still waiting for the page's data
 * (single fetch), the root could not complete and React threw error #345 into the page, leaving it
 * unhydrated (app/entry.client.tsx). On a slow phone a quick tap meets that moment; here the test makes it.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fieldName } from '#app/domain/survey/response-schema.ts'
import { openPage } from '#tests/helpers/browser.ts'
import {
  addDemoData,
  closeSession,
  radio,
  type SurveySession,
  openSurveySession,
  SURVEY_TEXTS,
  sampleAnswers,
  waitForHydration,
} from './support.ts'

const EMAIL = 'e2e-early@example.vn'
const PASSWORD = 'ruộng bậc thang 2026'

let session: SurveySession | undefined
beforeAll(async () => {
  session = await openSurveySession()
  await addDemoData(session.server, {
    responses: 10,
    user: { email: EMAIL, password: PASSWORD, role: 'analyst', agency: 'DEMO-AL' },
  })
})
afterAll(() => closeSession(session))

const T = { timeout: 60_000 }

/**
 * Clicks `selector` at the worst moment: React has just been handed the page (`hydrateRoot`) and has not yet
 * begun to render it. A message-channel loop checks for the moment between two tasks, before React's own
 * first render task runs.
 */
async function clickWhenHydrationStarts(page: Page, selector: string) {
  await page.addInitScript((target) => {
    const w = window as unknown as { clickedEarly?: boolean }
    const channel = new MessageChannel()
    channel.port1.onmessage = () => {
      if (!Object.keys(document).some((key) => key.startsWith('__reactContainer$'))) {
        channel.port2.postMessage(null)
        return
      }
      // Once per document, and only where the target is (the script also runs on the pages that follow).
      const element = document.querySelector<HTMLElement>(target)
      element?.click()
      w.clickedEarly = element !== null
    }
    channel.port2.postMessage(null)
  }, selector)
}

const clickedEarly = (page: Page) =>
  page.waitForFunction(() => (window as unknown as { clickedEarly?: boolean }).clickedEarly === true)

describe('input before the page is ready', () => {
  it('signs in after a click that came as the page began to hydrate', T, async () => {
    const { server } = session!
    const { context, page, errors } = await openPage(session!.browser)
    await clickWhenHydrationStarts(page, '#email')
    await page.goto(`${server.url}/login?redirectTo=%2Fanalytics`)
    await clickedEarly(page)
    await page.locator('#email').fill(EMAIL)
    await page.locator('#password').fill(PASSWORD)
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/analytics'),
      page.locator('form[method="post"] button[type="submit"]').click(),
    ])
    expect(errors, errors.join('\n')).toEqual([])
    await context.close()
  })

  it('keeps the answer that started the script and one ticked as the page began to hydrate', T, async () => {
    const { server, code, procedure } = session!
    const { context, page, errors } = await openPage(session!.browser)
    const [[first, a], [second, b]] = Object.entries(sampleAnswers(procedure).criteria)
    await clickWhenHydrationStarts(page, radio(second!, b!))
    await page.goto(`${server.url}/s/${code}`)
    // The page's scripts wait for the citizen's first act (ADR 0064): this first answer starts them.
    await page.check(radio(first!, a!))
    await clickedEarly(page)
    await waitForHydration(page)
    expect(await page.isChecked(radio(first!, a!))).toBe(true)
    expect(await page.isChecked(radio(second!, b!))).toBe(true)
    // Both given before the script ran, both counted and kept on the device as soon as it did.
    const total = await page.locator('#survey-progress').getAttribute('max')
    await expect
      .poll(() => page.locator('label[for="survey-progress"]').textContent())
      .toBe(SURVEY_TEXTS.vi.progressStatus.replace('{{answered}}', '2').replace('{{total}}', total!))
    const kept = await page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null'), `hailong:s:${code}`)
    expect(kept?.values).toMatchObject({ [fieldName(first!)]: a, [fieldName(second!)]: b })
    expect(errors, errors.join('\n')).toEqual([])
    await context.close()
  })
})
