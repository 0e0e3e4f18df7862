/**
 * Survey page weight and first render on a simulated slow 3G connection (Chromium's own throttling:
 * 400 ms round trip, 400 kbit/s down, 400 kbit/s up), for the 22-criterion SIPAS questionnaire; and the
 * main thread's long tasks with the CPU slowed four times, as Lighthouse's mobile profile does. The blocking
 * time here is a proxy for Lighthouse's TBT (the sum over tasks longer than 50 ms of their excess), counted
 * from navigation until the network is quiet (`npm run bench -- lighthouse` runs Lighthouse itself).
 *
 * The page's scripts wait for the citizen's first act (ADR 0064), which Lighthouse never makes; so each
 * measurement here also ticks the first answer and reports what that costs: the scripts fetched, the long
 * tasks while they take the page over, and the time until they have.
 */
import { gzipSync } from 'node:zlib'
import { type Browser, chromium, type Page } from 'playwright-core'
import { chooseChromium } from '../support/chromium.ts'
import type { RunningServer } from '../support/server-process.ts'

export interface PageFigures {
  htmlBytes: number
  htmlGzipBytes: number
  cssBytes: number
  cssGzipBytes: number
  htmlAndCssGzipBytes: number
  /** Scripts the HTML names (module scripts and preloads, held until the citizen's first act: ADR 0064). */
  jsGzipBytes: number
  /** Scripts the browser fetched before anyone touched the page (none while they are held). */
  jsBeforeActGzipBytes: number
  /** Every script the browser fetched after a first answer, until the network was quiet (lazy ones too). */
  jsLoadedGzipBytes: number
  jsFiles: number
  /** CPU slowed 4×, from navigation to a quiet network: the sum of long tasks' time beyond 50 ms, their count and the longest (a TBT proxy). */
  cpu4xBlockingMs: number
  cpu4xLongTasks: number
  cpu4xLongestTaskMs: number
  /** The same after the first answer, while the script loads and takes the page over, and the time that took. */
  cpu4xAfterActBlockingMs: number
  cpu4xAfterActLongestTaskMs: number
  cpu4xActToEnhancedMs: number
  thirdPartyRequests: number
  slow3gFirstContentfulPaintMs: number
  slow3gFormUsableMs: number
  slow3gLoadMs: number
  /** On slow 3G: from the first answer until the script has taken the form over (it works natively before). */
  slow3gActToEnhancedMs: number
}

/** The citizen's first act in these measurements: ticking the form's first answer. */
const FIRST_ANSWER = '#survey-form input[type="radio"]'

/** Whether the page's script has taken the form over (the tests' waitForHydration asks the same). */
const enhanced = () => (document.getElementById('survey-form') as HTMLFormElement | null)?.noValidate === true

/** Ticks the first answer and waits until the script has taken the form over; the milliseconds that took. */
async function firstAct(page: Page): Promise<number> {
  const started = Date.now()
  await page.check(FIRST_ANSWER)
  await page.waitForFunction(enhanced, null, { timeout: 120_000 })
  return Date.now() - started
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

  // CHROMIUM_PATH, else Debian's full browser (not the tests' headless shell), else the npm-shipped one.
  const { executablePath, args, env } = await chooseChromium('measure')
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
    const actToEnhanced = await firstAct(page)
    await context.close()
    const loaded = await loadedScripts(browser, server.url + path)
    return {
      htmlBytes: Buffer.byteLength(html),
      htmlGzipBytes,
      cssBytes: cssBodies.reduce((s, b) => s + b.length, 0),
      cssGzipBytes,
      htmlAndCssGzipBytes: htmlGzipBytes + cssGzipBytes,
      jsGzipBytes: jsBodies.reduce((s, b) => s + gz(b), 0),
      jsBeforeActGzipBytes: loaded.beforeActGzipBytes,
      jsLoadedGzipBytes: loaded.gzipBytes,
      jsFiles: loaded.files,
      ...(await blockingTime(browser, server.url + path)),
      thirdPartyRequests: thirdParty,
      slow3gFirstContentfulPaintMs: Math.round(fcp),
      slow3gFormUsableMs: Math.round(usable),
      slow3gLoadMs: loadMs,
      slow3gActToEnhancedMs: actToEnhanced,
    }
  } finally {
    await browser.close()
  }
}

/** The scripts a page fetches before anyone acts, then all of them once a first answer is given, gzip-compressed. */
async function loadedScripts(browser: Browser, url: string) {
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    const urls = new Set<string>()
    page.on('request', (r) => {
      if (r.resourceType() === 'script') urls.add(r.url())
    })
    const gzipped = async (list: Iterable<string>) => {
      let bytes = 0
      for (const u of list) bytes += gzipSync(Buffer.from(await (await fetch(u)).arrayBuffer()), { level: 6 }).length
      return bytes
    }
    await page.goto(url, { waitUntil: 'networkidle' })
    const beforeActGzipBytes = await gzipped(urls)
    await firstAct(page)
    await page.waitForLoadState('networkidle')
    return { beforeActGzipBytes, gzipBytes: await gzipped(urls), files: urls.size }
  } finally {
    await context.close()
  }
}

/** Long tasks with the CPU slowed 4× (CDP Emulation.setCPUThrottlingRate), on a phone-sized viewport. */
async function blockingTime(browser: Browser, url: string) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true })
  try {
    const page = await context.newPage()
    await page.addInitScript(() => {
      const w = window as unknown as { __longTasks: number[] }
      w.__longTasks = []
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longTasks.push(e.duration)
      }).observe({ type: 'longtask', buffered: true })
    })
    const cdp = await context.newCDPSession(page)
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 })
    await page.goto(url, { waitUntil: 'networkidle', timeout: 120_000 })
    // Hydration runs after the scripts arrive; give the main thread a moment to report its last tasks.
    await page.waitForTimeout(1000)
    const longTasks = () => page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks.splice(0))
    const tasks = await longTasks()
    const actToEnhanced = await firstAct(page)
    await page.waitForTimeout(1000)
    const afterAct = await longTasks()
    const blocking = (list: number[]) => Math.round(list.reduce((s, d) => s + Math.max(0, d - 50), 0))
    return {
      cpu4xBlockingMs: blocking(tasks),
      cpu4xLongTasks: tasks.length,
      cpu4xLongestTaskMs: Math.round(Math.max(0, ...tasks)),
      cpu4xAfterActBlockingMs: blocking(afterAct),
      cpu4xAfterActLongestTaskMs: Math.round(Math.max(0, ...afterAct)),
      cpu4xActToEnhancedMs: actToEnhanced,
    }
  } finally {
    await context.close()
  }
}
