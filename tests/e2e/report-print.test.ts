/**
 * The printable report in a real headless Chromium (docs/publication.md, "The printed report"): rendered
 * with print media at the width A4 portrait leaves inside 15 mm margins (180 mm), nothing reaches past
 * that width — no table, chart or text — the navigation is gone, and Chromium prints it to an A4 PDF.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatPeriod, type Period } from '#app/domain/period.ts'
import { openPage, type PageSession } from '#tests/helpers/browser.ts'
import type { RunningServer } from '#scripts/support/server-process.ts'
import { addDemoData, closeSession, type E2eSession, openSession, signInThroughForm } from './support.ts'

const EMAIL = 'e2e-report@example.vn'
const PASSWORD = 'báo cáo quý 2026'
/** 180 mm at CSS's 96 px per inch: the printable width of A4 portrait with 15 mm margins. */
const A4_CONTENT_PX = Math.floor((180 / 25.4) * 96)

let e2e: E2eSession | undefined
let server: RunningServer
let browser: Browser
let session: PageSession

/** A quarter ~80 days ago (Vietnam time): the demo data has responses in it. */
function recentQuarter(): Period {
  const d = new Date(Date.now() + 7 * 3600_000 - 80 * 86_400_000)
  return { kind: 'quarter', year: d.getUTCFullYear(), quarter: (Math.floor(d.getUTCMonth() / 3) + 1) as 1 | 2 | 3 | 4 }
}

beforeAll(async () => {
  e2e = await openSession()
  ;({ server, browser } = e2e)
  await addDemoData(server, {
    responses: 800,
    user: { email: EMAIL, password: PASSWORD, role: 'analyst', agency: 'DEMO-AL' },
  })
  session = await openPage(browser, {
    viewport: { width: A4_CONTENT_PX, height: 1000 },
    isMobile: false,
    hasTouch: false,
    locale: 'vi-VN',
  })
})
afterAll(async () => {
  await session?.context.close()
  await closeSession(e2e)
})

const T = { timeout: 120_000 }

describe('the printed report', () => {
  it('fits the A4 width in print media and prints to an A4 PDF', T, async () => {
    const { page, errors } = session
    // The year around the recent quarter: enough responses for several units to be published and drawn.
    const period = formatPeriod({ kind: 'year', year: (recentQuarter() as { year: number }).year })
    const path = `/analytics/report?period=${period}`
    await signInThroughForm(page, server, '/analytics', EMAIL, PASSWORD)
    const response = await page.goto(`${server.url}${path}`, { timeout: 100_000 })
    expect(response!.status()).toBe(200)
    await page.emulateMedia({ media: 'print' })
    expect(await page.locator('h1').first().textContent()).toBe('Báo cáo kết quả đo lường sự hài lòng')
    expect(await page.locator('.report svg.chart').count()).toBeGreaterThanOrEqual(2)
    expect(await page.locator('.report table').count()).toBeGreaterThanOrEqual(4)
    // Navigation and links to elsewhere are not printed.
    expect(await page.locator('.site-header').isVisible()).toBe(false)
    expect(await page.locator('.report-actions').isVisible()).toBe(false)
    const overflow = await page.evaluate((limit) => {
      const wide: string[] = []
      for (const el of document.querySelectorAll('.report, .report *')) {
        const box = el.getBoundingClientRect()
        if (box.width > 0 && box.right > limit + 0.5)
          wide.push(`${el.tagName.toLowerCase()}.${el.className} right=${Math.round(box.right)}`)
      }
      return { wide, scrollWidth: document.documentElement.scrollWidth }
    }, A4_CONTENT_PX)
    expect(overflow.wide).toEqual([])
    expect(overflow.scrollWidth).toBeLessThanOrEqual(A4_CONTENT_PX)
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true })
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    // A4 portrait: 595 × 842 points on every page.
    const boxes = [...pdf.toString('latin1').matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)]
    expect(boxes.length).toBeGreaterThan(0)
    for (const [, width, height] of boxes) {
      expect(Math.abs(Number(width) - 595.28)).toBeLessThan(1)
      expect(Math.abs(Number(height) - 841.89)).toBeLessThan(1)
    }
    expect(errors, errors.join('\n')).toEqual([])
  })
})
