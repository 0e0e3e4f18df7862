// The survey page's script budget (issue #20): every JavaScript file a real browser fetches for the survey
// and its thank-you page, gzip-compressed, totals at most 100 KB; none of it is the i18n runtime, a
// validation library or react-hook-form (ADR 0055). Sizes, not timings: the same build gives the same figure.
// And two causes of a low Lighthouse score, counted rather than timed (ADR 0059): no layout shift when the
// page hydrates, and no Intl number formatter built while it starts (the first loads the locale's data).
import { gzipSync } from 'node:zlib'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPage } from '#tests/helpers/browser.ts'
import type { RunningServer } from '#scripts/support/server-process.ts'
import { closeSession, openSurveySession, type SurveySession, waitForHydration } from './support.ts'

const BUDGET = 100 * 1024

let server: RunningServer
let browser: Browser
let code: string
let session: SurveySession | undefined
beforeAll(async () => {
  session = await openSurveySession()
  ;({ server, browser, code } = session)
}, 180_000)
afterAll(() => closeSession(session))

/** Every script the page fetched until the network fell quiet, with its gzip size and text. */
async function scriptsOf(path: string) {
  const { page, context } = await openPage(browser)
  try {
    const urls = new Set<string>()
    let inFlight = 0
    let lastSettled = Date.now()
    page.on('request', (r) => {
      inFlight++
      if (r.resourceType() === 'script' || new URL(r.url()).pathname.endsWith('.js')) urls.add(r.url())
    })
    const settled = () => {
      inFlight--
      lastSettled = Date.now()
    }
    page.on('requestfinished', settled)
    page.on('requestfailed', settled)
    await page.goto(server.url + path, { waitUntil: 'networkidle' })
    // The scripts wait for a first act (ADR 0064); then everything they fetch, lazy imports too, until the
    // network has been quiet for half a second.
    await waitForHydration(page)
    await expect.poll(() => inFlight === 0 && Date.now() - lastSettled > 500, { interval: 100 }).toBe(true)
    const files = await Promise.all(
      [...urls].map(async (url) => {
        const body = Buffer.from(await (await fetch(url)).arrayBuffer())
        return { url, gzip: gzipSync(body, { level: 6 }).length, text: body.toString('utf8') }
      }),
    )
    return files
  } finally {
    await context.close()
  }
}

describe('the survey page script budget', () => {
  it('is at most 100 KB of gzip JavaScript, without i18next, zod or react-hook-form', async () => {
    const files = await scriptsOf(`/s/${code}`)
    const total = files.reduce((s, f) => s + f.gzip, 0)
    expect(files.length).toBeGreaterThan(2)
    expect(total, files.map((f) => `${f.url} ${f.gzip}`).join('\n')).toBeLessThanOrEqual(BUDGET)
    const all = files.map((f) => f.text).join('\n')
    // Strings that only these libraries' code contains.
    expect(all).not.toContain('i18next:')
    expect(all).not.toContain('_zod')
    expect(all).not.toContain('shouldUnregister')
  })
})

describe('the survey page as it starts', () => {
  it('moves nothing on the screen when it hydrates', async () => {
    const { page, context } = await openPage(browser, { viewport: { width: 412, height: 823 } })
    try {
      await page.addInitScript(() => {
        const w = window as unknown as { __shifts: { value: number; sources: string[] }[] }
        w.__shifts = []
        new PerformanceObserver((list) => {
          for (const e of list.getEntries() as unknown as { value: number; sources?: { node?: Node }[] }[])
            w.__shifts.push({ value: e.value, sources: (e.sources ?? []).map((s) => s.node?.nodeName ?? '?') })
        }).observe({ type: 'layout-shift', buffered: true })
      })
      await page.goto(`${server.url}/s/${code}`, { waitUntil: 'networkidle' })
      await waitForHydration(page)
      // The hydrated page shows its toggle where the server's HTML kept its place.
      await page.locator('.one-by-one:not([data-pending])').waitFor()
      const shifts = await page.evaluate(() => (window as unknown as { __shifts: unknown[] }).__shifts)
      expect(shifts).toEqual([])
    } finally {
      await context.close()
    }
  })

  it('builds no Intl number formatter', async () => {
    const { page, context } = await openPage(browser)
    try {
      await page.addInitScript(() => {
        const w = window as unknown as { __numberFormats: number }
        w.__numberFormats = 0
        Intl.NumberFormat = new Proxy(Intl.NumberFormat, {
          construct(target, args) {
            w.__numberFormats++
            return Reflect.construct(target, args)
          },
          apply(target, self, args) {
            w.__numberFormats++
            return Reflect.apply(target, self, args)
          },
        })
        const original = Number.prototype.toLocaleString
        Number.prototype.toLocaleString = function (this: number, ...args: []) {
          w.__numberFormats++
          return original.apply(this, args)
        }
      })
      await page.goto(`${server.url}/s/${code}`, { waitUntil: 'networkidle' })
      await waitForHydration(page)
      // An answer updates the progress count ("1/22"): still without Intl.
      await page.locator('#survey-form input[type=radio]').first().check()
      expect(await page.evaluate(() => (window as unknown as { __numberFormats: number }).__numberFormats)).toBe(0)
    } finally {
      await context.close()
    }
  })
})
