// The survey page's script budget (issue #20): every JavaScript file a real browser fetches for the survey
// and its thank-you page, gzip-compressed, totals at most 100 KB; none of it is the i18n runtime, a
// validation library or react-hook-form (ADR 0055). Sizes, not timings: the same build gives the same figure.
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
    page.on('request', (r) => {
      if (r.resourceType() === 'script' || new URL(r.url()).pathname.endsWith('.js')) urls.add(r.url())
    })
    await page.goto(server.url + path, { waitUntil: 'networkidle' })
    await waitForHydration(page)
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
