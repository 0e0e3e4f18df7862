/**
 * One question per screen on a 360 px phone (issue #18): a toggle the citizen can press (and a link
 * setting, ?step=1), "Câu 3/8" progress, focus on each new question, the whole form answered and sent
 * screen by screen; a refused attempt shows the first missing question; without JavaScript the whole
 * form shows as before.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { itemAnchor } from '#app/components/survey/ItemField.tsx'
import { fieldName } from '#app/domain/survey/response-schema.ts'
import { openPage } from '#tests/helpers/browser.ts'
import type { RunningServer } from '#scripts/support/server-process.ts'
import {
  closeSession,
  expectStored,
  openSurveySession,
  radio,
  SURVEY_TEXTS,
  type ServerDb,
  type SurveySession,
  sampleAnswers,
  waitForHydration,
} from './support.ts'

let server: RunningServer
let browser: Browser
let sdb: ServerDb
let code: string
let procedure: string

let session: SurveySession | undefined
beforeAll(async () => {
  session = await openSurveySession()
  ;({ server, browser, sdb, code, procedure } = session)
}, 180_000)
afterAll(() => closeSession(session))

const T = { timeout: 120_000 }
const PHONE_360 = { viewport: { width: 360, height: 640 } }
const vi = SURVEY_TEXTS.vi
const progress = (current: number, total: number) =>
  vi.oneByOne.progress.replace('{{current}}', String(current)).replace('{{total}}', String(total))
/** The question controls of the form: fieldsets of choices, text boxes and number boxes. */
const QUESTIONS = '#survey-form fieldset.item, #survey-form textarea, #survey-form input[type=number]'

async function visibleQuestions(page: Page) {
  return page
    .locator(QUESTIONS)
    .evaluateAll((els) => els.filter((el) => (el as HTMLElement).offsetParent !== null).map((el) => el.id))
}

describe('one question per screen at 360 px', () => {
  it('a link setting (?step=1) shows one question, "Câu 1/N", and nothing wider than the screen', T, async () => {
    const { context, page, errors } = await openPage(browser, PHONE_360)
    await page.goto(`${server.url}/s/${code}?step=1`)
    await waitForHydration(page)
    const total = await page.locator(QUESTIONS).count()
    expect(total).toBeGreaterThan(1)
    await expect.poll(() => page.locator('#step-progress').textContent()).toBe(progress(1, total))
    expect(await visibleQuestions(page)).toHaveLength(1)
    expect(await page.getByRole('button', { name: vi.oneByOne.toggle }).getAttribute('aria-pressed')).toBe('true')
    // The submit button waits for the last screen; "previous" is off on the first.
    expect(await page.locator('#survey-form button[type=submit]').isVisible()).toBe(false)
    expect(await page.getByRole('button', { name: vi.oneByOne.previous }).isDisabled()).toBe(true)
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    )
    expect(overflow).toBeLessThanOrEqual(0)
    expect(errors, errors.join('\n')).toEqual([])
    await context.close()
  })

  it('the keyboard moves screen by screen and the focus lands on each new question', T, async () => {
    const { context, page } = await openPage(browser, PHONE_360)
    await page.goto(`${server.url}/s/${code}?step=1`)
    await waitForHydration(page)
    const total = await page.locator(QUESTIONS).count()
    const [first] = await visibleQuestions(page)
    await page.getByRole('button', { name: vi.oneByOne.next }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('#step-progress').textContent()).toBe(progress(2, total))
    const [second] = await visibleQuestions(page)
    expect(second).not.toBe(first)
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(second)
    // The progress is announced politely to a screen reader.
    expect(await page.locator('#step-progress').getAttribute('aria-live')).toBe('polite')
    await page.getByRole('button', { name: vi.oneByOne.previous }).click()
    await expect.poll(() => page.locator('#step-progress').textContent()).toBe(progress(1, total))
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(first)
    await context.close()
  })

  it('the toggle turns it on and off; the whole form comes back', T, async () => {
    const { context, page } = await openPage(browser, PHONE_360)
    await page.goto(`${server.url}/s/${code}`)
    await waitForHydration(page)
    const total = await page.locator(QUESTIONS).count()
    expect(await visibleQuestions(page)).toHaveLength(total)
    const toggle = page.getByRole('button', { name: vi.oneByOne.toggle })
    expect(await toggle.getAttribute('aria-pressed')).toBe('false')
    await toggle.click()
    expect(await toggle.getAttribute('aria-pressed')).toBe('true')
    expect(await visibleQuestions(page)).toHaveLength(1)
    await toggle.click()
    expect(await visibleQuestions(page)).toHaveLength(total)
    await context.close()
  })

  it('answered and sent screen by screen: every answer is stored', T, async () => {
    const { context, page } = await openPage(browser, PHONE_360)
    await page.goto(`${server.url}/s/${code}?step=1`)
    await waitForHydration(page)
    const answers = sampleAnswers(procedure)
    await page.check(`input[name="_procedure"][value="${procedure}"]`)
    const byAnchor = new Map<string, () => Promise<void>>()
    for (const [c, v] of [...Object.entries(answers.criteria), ...Object.entries(answers.optional)])
      byAnchor.set(itemAnchor(c), () => page.check(radio(c, v)))
    byAnchor.set(itemAnchor('X.expectations'), async () => {
      for (const v of answers.expectations)
        await page.check(`input[name="${fieldName('X.expectations')}"][value="${v}"]`)
    })
    byAnchor.set(itemAnchor('S.suggestion'), () =>
      page.fill(`textarea[name="${fieldName('S.suggestion')}"]`, answers.suggestion!),
    )
    const total = await page.locator(QUESTIONS).count()
    for (let screen = 1; screen <= total; screen++) {
      await expect.poll(() => page.locator('#step-progress').textContent()).toBe(progress(screen, total))
      const [current] = await visibleQuestions(page)
      await byAnchor.get(current!)?.()
      if (screen < total) await page.getByRole('button', { name: vi.oneByOne.next }).click()
    }
    await page.locator('#survey-form button[type=submit]').click()
    await page.waitForURL(new RegExp(`/s/${code}/thanks`))
    await expectStored(sdb, answers)
    await context.close()
  })

  it('sending with answers missing shows the screen of the first missing question', T, async () => {
    const { context, page } = await openPage(browser, PHONE_360)
    await page.goto(`${server.url}/s/${code}?step=1`)
    await waitForHydration(page)
    const total = await page.locator(QUESTIONS).count()
    for (let screen = 1; screen < total; screen++) await page.getByRole('button', { name: vi.oneByOne.next }).click()
    await page.locator('#survey-form button[type=submit]').click()
    await page.locator('.error-summary').waitFor()
    await expect.poll(() => page.locator('#step-progress').textContent()).toBe(progress(1, total))
    expect(await page.locator('#survey-form .error-message:visible').count()).toBe(1)
    await context.close()
  })
})

describe('without JavaScript', () => {
  it('?step=1 still shows the whole form, with its submit button and no step controls', T, async () => {
    const { context, page } = await openPage(browser, { ...PHONE_360, javaScriptEnabled: false })
    await page.goto(`${server.url}/s/${code}?step=1`)
    const total = await page.locator(QUESTIONS).count()
    expect(await visibleQuestions(page)).toHaveLength(total)
    expect(await page.locator('#step-progress').count()).toBe(0)
    expect(await page.getByRole('button', { name: vi.oneByOne.toggle }).count()).toBe(0)
    expect(await page.locator('#survey-form button[type=submit]').isVisible()).toBe(true)
    await context.close()
  })
})
