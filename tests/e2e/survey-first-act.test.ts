/**
 * The survey page's scripts wait for the citizen's first act (ADR 0064): none is fetched while the page
 * loads and paints; the first touch, key, scroll or moving pointer starts them; they start at once when the
 * first screen needs them (unsent answers kept on this device, one question per screen asked by a link or
 * remembered); and what the citizen did before they arrived is taken up, not lost.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPage } from '#tests/helpers/browser.ts'
import {
  closeSession,
  openSurveySession,
  radio,
  type SurveySession,
  sampleAnswers,
  waitForEnhancement,
  waitForHydration,
} from './support.ts'

let session: SurveySession | undefined
beforeAll(async () => {
  session = await openSurveySession()
}, 180_000)
afterAll(() => closeSession(session))

const T = { timeout: 60_000 }

/** Counts the scripts the page fetches from now on. */
function countScripts(page: Page) {
  const urls: string[] = []
  page.on('request', (r) => {
    if (r.resourceType() === 'script') urls.push(r.url())
  })
  return urls
}

describe('the survey page before and after the first act', () => {
  it('fetches no script while it loads; the first answer starts them and the page takes over', T, async () => {
    const { server, code, procedure } = session!
    const { context, page, errors } = await openPage(session!.browser)
    const scripts = countScripts(page)
    await page.goto(`${server.url}/s/${code}`, { waitUntil: 'networkidle' })
    expect(scripts).toEqual([])
    expect(await page.evaluate(() => (document.getElementById('survey-form') as HTMLFormElement).noValidate)).toBe(
      false,
    )
    const [item, value] = Object.entries(sampleAnswers(procedure).criteria)[0]!
    await page.check(radio(item, value))
    await waitForEnhancement(page)
    expect(scripts.some((url) => /\/assets\/entry\.client-[\w-]+\.js$/.test(url))).toBe(true)
    expect(errors, errors.join('\n')).toEqual([])
    await context.close()
  })

  it('a scroll is a first act too', T, async () => {
    const { server, code } = session!
    const { context, page, errors } = await openPage(session!.browser)
    const scripts = countScripts(page)
    await page.goto(`${server.url}/s/${code}`, { waitUntil: 'networkidle' })
    expect(scripts).toEqual([])
    await page.mouse.wheel(0, 400)
    await waitForEnhancement(page)
    expect(errors, errors.join('\n')).toEqual([])
    await context.close()
  })

  it('takes a pointer that moved for an act, not one the browser moved by itself', T, async () => {
    const { server, code } = session!
    const { context, page, errors } = await openPage(session!.browser)
    const scripts = countScripts(page)
    await page.goto(`${server.url}/s/${code}`, { waitUntil: 'networkidle' })
    // A browser sends a move without movement when the layout shifts under a resting cursor; headless
    // Chromium's shell did so on every load, and the scripts came with the page.
    const move = (movementX: number, movementY: number) =>
      page.evaluate(
        ([x, y]) =>
          document.body.dispatchEvent(new PointerEvent('pointermove', { bubbles: true, movementX: x, movementY: y })),
        [movementX, movementY],
      )
    await move(0, 0)
    await page.waitForLoadState('networkidle')
    expect(scripts).toEqual([])
    await move(3, -2)
    await waitForEnhancement(page)
    expect(scripts.length).toBeGreaterThan(0)
    expect(errors, errors.join('\n')).toEqual([])
    await context.close()
  })

  it('starts at once when this device kept unsent answers, and puts them back', T, async () => {
    const { server, code, procedure } = session!
    const { context, page, errors } = await openPage(session!.browser)
    const [item, value] = Object.entries(sampleAnswers(procedure).criteria)[0]!
    await page.goto(`${server.url}/s/${code}`)
    await waitForHydration(page)
    await page.check(radio(item, value))
    await expect.poll(() => page.evaluate((key) => localStorage.getItem(key), `hailong:s:${code}`)).not.toBeNull()
    // The citizen comes back later, on the same device: nothing touched, the answer is back.
    const again = await context.newPage()
    await again.goto(`${server.url}/s/${code}`)
    await waitForEnhancement(again)
    expect(await again.isChecked(radio(item, value))).toBe(true)
    await expect.poll(() => again.locator('.notice[role="status"]').count()).toBe(1)
    expect(errors, errors.join('\n')).toEqual([])
    await context.close()
  })

  it('starts at once for one question per screen, asked by a link or remembered on the device', T, async () => {
    const { server, code } = session!
    const { context, page, errors } = await openPage(session!.browser)
    await page.goto(`${server.url}/s/${code}?step=1`)
    await waitForEnhancement(page)
    await expect.poll(() => page.locator('#step-progress').count()).toBe(1)
    // Remembered: the toggle's choice is kept on the device, and the next visit shows it without a touch.
    const again = await context.newPage()
    await again.goto(`${server.url}/s/${code}`)
    await waitForHydration(again)
    await again.locator('.one-by-one button').click()
    await expect.poll(() => again.evaluate(() => localStorage.getItem('hailong:oneByOne'))).toBe('1')
    const third = await context.newPage()
    await third.goto(`${server.url}/s/${code}`)
    await waitForEnhancement(third)
    await expect.poll(() => third.locator('#step-progress').count()).toBe(1)
    expect(errors, errors.join('\n')).toEqual([])
    await context.close()
  })

  it('keeps a procedure chosen before the script arrived, through a search that does not find it', T, async () => {
    const { server, code, procedure } = session!
    const { context, page, errors } = await openPage(session!.browser)
    const choice = `input[name="_procedure"][value="${procedure}"]`
    await page.goto(`${server.url}/s/${code}`, { waitUntil: 'networkidle' })
    // The first act: the citizen picks the procedure; the script arrives after it.
    await page.check(choice)
    await waitForEnhancement(page)
    await expect.poll(() => new URL(page.url()).searchParams.get('procedure')).toBe(procedure)
    await page.fill('#procedure-search', 'zzzz không có thủ tục này')
    await expect.poll(() => page.locator('#procedure-none-found').count()).toBe(1)
    expect(await page.isChecked(choice)).toBe(true)
    expect(errors, errors.join('\n')).toEqual([])
    await context.close()
  })
})
