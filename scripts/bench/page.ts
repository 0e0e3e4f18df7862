/**
 * Survey page weight and first render on a simulated slow 3G connection (Chromium's own throttling:
 * 400 ms round trip, 400 kbit/s down, 400 kbit/s up), for the 22-criterion SIPAS questionnaire.
 */
import { gzipSync } from 'node:zlib'
import { chromium } from 'playwright-core'
import { chooseChromium } from '../support/chromium.ts'
import type { RunningServer } from '../support/server-process.ts'

export interface PageFigures {
  htmlBytes: number
  htmlGzipBytes: number
  cssBytes: number
  cssGzipBytes: number
  htmlAndCssGzipBytes: number
  jsGzipBytes: number
  thirdPartyRequests: number
  slow3gFirstContentfulPaintMs: number
  slow3gFormUsableMs: number
  slow3gLoadMs: number
}

export async function measurePage(server: RunningServer, path: string): Promise<PageFigures> {
  const html = await (await fetch(server.url + path)).text()
  const css = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1])
  const js = [...new Set([...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]))]
  const body = async (p: string) => Buffer.from(await (await fetch(server.url + p)).arrayBuffer())
  const cssBodies = await Promise.all(css.map(body))
  const jsBodies = await Promise.all(js.map(body))
  const gz = (b: Buffer | string) => gzipSync(b, { level: 6 }).length
  const htmlGzipBytes = gz(html)
  const cssGzipBytes = cssBodies.reduce((s, b) => s + gz(b), 0)

  // The same Chromium as the tests: CHROMIUM_PATH, else Debian's, else the npm-shipped one.
  const { executablePath, args, env } = await chooseChromium()
  const browser = await chromium.launch({ executablePath, args, env: { ...process.env, ...env } })
  try {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } })
    const page = await context.newPage()
    let thirdParty = 0
    page.on('request', (r) => {
      if (!r.url().startsWith(server.url) && !r.url().startsWith('data:')) thirdParty++
    })
    const cdp = await context.newCDPSession(page)
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 400,
      downloadThroughput: (400 * 1024) / 8,
      uploadThroughput: (400 * 1024) / 8,
    })
    const started = Date.now()
    await page.goto(server.url + path, { waitUntil: 'load', timeout: 120_000 })
    const loadMs = Date.now() - started
    const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1)
    // "Usable": the submit button is in the DOM and rendered, which with server HTML is before any script runs.
    const usable = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
      return nav.domInteractive
    })
    return {
      htmlBytes: Buffer.byteLength(html),
      htmlGzipBytes,
      cssBytes: cssBodies.reduce((s, b) => s + b.length, 0),
      cssGzipBytes,
      htmlAndCssGzipBytes: htmlGzipBytes + cssGzipBytes,
      jsGzipBytes: jsBodies.reduce((s, b) => s + gz(b), 0),
      thirdPartyRequests: thirdParty,
      slow3gFirstContentfulPaintMs: Math.round(fcp),
      slow3gFormUsableMs: Math.round(usable),
      slow3gLoadMs: loadMs,
    }
  } finally {
    await browser.close()
  }
}
