/** Headless Chromium for the end-to-end tests: one browser per test file, a fresh context per test. */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core'
import { chooseChromium } from '#scripts/support/chromium.ts'

/** A phone: the survey is answered on one. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 360, height: 740 },
  deviceScaleFactor: 1,
  isMobile: true,
  hasTouch: true,
  locale: 'vi-VN',
}

export async function launchBrowser(): Promise<Browser> {
  const { executablePath, args, env } = await chooseChromium()
  return chromium.launch({ executablePath, args, env: { ...process.env, ...env } })
}

export interface PageSession {
  context: BrowserContext
  page: Page
  errors: string[]
}

/** A new context and page; uncaught page errors are collected so a test can assert there were none. */
export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<PageSession> {
  const context = await browser.newContext({ ...PHONE, ...options })
  context.setDefaultTimeout(20_000)
  context.setDefaultNavigationTimeout(30_000)
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(String(e)))
  return { context, page, errors }
}

const require = createRequire(import.meta.url)
export const AXE_PATH = require.resolve('axe-core/axe.min.js')

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: Array<{ target: unknown; failureSummary?: string }>
}

/** Runs axe-core in the page and returns its violations, printed readably. */
export async function axeViolations(page: Page, options: { disableRules?: string[] } = {}): Promise<AxeViolation[]> {
  // Evaluated, not added as a <script>: the pages' Content-Security-Policy blocks inline scripts without
  // their nonce, and a test must not weaken the policy it runs under.
  await page.evaluate(fs.readFileSync(AXE_PATH, 'utf8'))
  const rules = Object.fromEntries((options.disableRules ?? []).map((id) => [id, { enabled: false }]))
  const violations = (await page.evaluate(async (rules) => {
    const result = await (
      window as unknown as { axe: { run: (ctx?: unknown, opts?: unknown) => Promise<{ violations: unknown[] }> } }
    ).axe.run(document, { resultTypes: ['violations'], rules })
    return result.violations
  }, rules)) as AxeViolation[]
  if (violations.length) {
    console.log(
      `axe violations on ${page.url()}:\n` +
        violations
          .map(
            (v) =>
              `- ${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join('\n')}`,
          )
          .join('\n'),
    )
  }
  return violations
}
