/**
 * The Content-Security-Policy in a real Chromium against the production server: the pages hydrate with
 * their nonced scripts and nothing is reported as blocked, while a script injected without the nonce
 * (what a stored cross-site scripting flaw would inject) does not run.
 */
import type { ConsoleMessage } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPage } from '#tests/helpers/browser.ts'
import { closeSession, openSurveySession, type SurveySession, waitForHydration } from './support.ts'

let session: SurveySession | undefined
beforeAll(async () => {
  session = await openSurveySession()
})
afterAll(() => closeSession(session))

const T = { timeout: 60_000 }
const violation = (m: ConsoleMessage) => /Content Security Policy/i.test(m.text())

describe('Content-Security-Policy with nonces', () => {
  it('the survey, home and sign-in pages hydrate with nothing blocked', T, async () => {
    const { server, browser, code } = session!
    const { context, page, errors } = await openPage(browser)
    const blocked: string[] = []
    page.on('console', (m) => {
      if (violation(m)) blocked.push(m.text())
    })
    await page.goto(`${server.url}/s/${code}`)
    await waitForHydration(page)
    for (const path of ['/', '/login']) {
      await page.goto(`${server.url}${path}`, { waitUntil: 'networkidle' })
      await page.waitForFunction(() => 'matchMedia' in window && '__remixRouter' in window)
    }
    expect(blocked).toEqual([])
    expect(errors, errors.join('\n')).toEqual([])
    await context.close()
  })

  it('an inline script without the nonce is blocked', T, async () => {
    const { server, browser } = session!
    const { context, page } = await openPage(browser)
    const blocked: string[] = []
    page.on('console', (m) => {
      if (violation(m)) blocked.push(m.text())
    })
    await page.goto(`${server.url}/login`, { waitUntil: 'networkidle' })
    const ran = await page.evaluate(async () => {
      const script = document.createElement('script')
      script.textContent = 'window.injected = true'
      document.body.append(script)
      await new Promise((resolve) => setTimeout(resolve, 100))
      return (window as unknown as { injected?: boolean }).injected === true
    })
    expect(ran).toBe(false)
    await expect.poll(() => blocked.length).toBeGreaterThan(0)
    await context.close()
  })
})
