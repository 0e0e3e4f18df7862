/**
 * The analyst's scores page in a real headless Chromium against the real production server: sign in,
 * change the filters, read Vietnamese-formatted numbers that match computeScores on the server's own
 * database, and download the CSV and XLSX through the page's links.
 */
import fs from 'node:fs'
import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { computeScores } from '#app/.server/services/scores.ts'
import { formatNumber, formatPercent } from '#app/domain/format.ts'
import { formatPeriod, formatPeriodVi, parsePeriod, type Period } from '#app/domain/period.ts'
import { createDb, type DB } from '#db/client.ts'
import { openPage, type PageSession } from '#tests/helpers/browser.ts'
import type { RunningServer } from '#scripts/support/server-process.ts'
import { addDemoData, closeSession, type E2eSession, openSession, signInThroughForm } from './support.ts'

const EMAIL = 'e2e-analyst@example.vn'
const PASSWORD = 'ruộng bậc thang 2026'
const DESKTOP = { viewport: { width: 1366, height: 900 }, isMobile: false, hasTouch: false, locale: 'vi-VN' }

let e2e: E2eSession | undefined
let server: RunningServer
let browser: Browser
let db: DB
let session: PageSession

/** The quarter (Vietnam time) that ended most recently or is running ~80 days ago: it holds seeded responses. */
function recentQuarter(): Period {
  const d = new Date(Date.now() + 7 * 3600_000 - 80 * 86_400_000)
  return { kind: 'quarter', year: d.getUTCFullYear(), quarter: (Math.floor(d.getUTCMonth() / 3) + 1) as 1 | 2 | 3 | 4 }
}

beforeAll(async () => {
  e2e = await openSession()
  ;({ server, browser } = e2e)
  await addDemoData(server, {
    responses: 600,
    user: { email: EMAIL, password: PASSWORD, role: 'analyst', agency: 'DEMO-AL' },
  })
  db = createDb({ dialect: 'sqlite', file: server.databaseFile })
  session = await openPage(browser, DESKTOP)
})
afterAll(async () => {
  await session?.context.close()
  await db?.destroy()
  await closeSession(e2e)
})

const T = { timeout: 90_000 }

async function expected(period: Period, weighting: 'design' | 'unweighted') {
  const r = await computeScores(db, {
    questionnaireCode: 'SIPAS-2017',
    rootAgencyCode: 'DEMO-AL',
    period,
    boundaries: 'current',
    options: { weighting },
  })
  if (!r.ok) throw new Error(r.error)
  return r
}

describe('the scores page in a browser', () => {
  it('signs in, filters, shows Vietnamese numbers and downloads CSV and XLSX', T, async () => {
    const { page, errors } = session
    await signInThroughForm(page, server, '/analytics', EMAIL, PASSWORD)
    // The default view: the current year, design weights.
    await expect
      .poll(() => page.locator('table caption').textContent())
      .toContain(String(new Date(Date.now() + 7 * 3600_000).getUTCFullYear()))

    // Change the period and the weighting, then apply.
    const quarter = recentQuarter()
    const label = formatPeriod(quarter)
    await page.locator('#f-period').fill(label)
    await page.locator('#f-weighting').selectOption('unweighted')
    await Promise.all([
      page.waitForURL(
        (url) => url.searchParams.get('period') === label && url.searchParams.get('weighting') === 'unweighted',
      ),
      page.locator('form.filters button[type="submit"]').click(),
    ])
    // The caption names the period as reports do ("Quý III/2026"); the box keeps the canonical text.
    await expect.poll(() => page.locator('table caption').textContent()).toContain(formatPeriodVi(quarter))
    expect(await page.locator('#f-period').inputValue()).toBe(label)
    expect(await page.locator('#f-weighting').inputValue()).toBe('unweighted')

    // The province row: the same numbers as computeScores, formatted the Vietnamese way.
    const want = await expected(quarter, 'unweighted')
    const al = want.rows.find((r) => r.agency.code === 'DEMO-AL')!
    expect(al.overall.status).toBe('published')
    const cells = page.locator('tr[data-agency="DEMO-AL"] td')
    const overallText = (await cells.nth(0).textContent())!.trim()
    expect(overallText).toMatch(/^\d{1,3},\d{2}%$/)
    expect(overallText).toBe(formatPercent(al.overall.estimate, 'vi'))
    expect((await cells.nth(1).textContent())!.trim()).toMatch(/^\d{1,3},\d{2}% – \d{1,3},\d{2}%$/)
    expect((await cells.nth(2).textContent())!.trim()).toBe(formatNumber(al.overall.n, 'vi'))
    expect((await cells.nth(3).textContent())!.trim()).toBe(formatNumber(al.overall.nEff, 'vi', 1))
    expect((await cells.nth(3).textContent())!.trim()).toMatch(/,\d$/)
    // Every current unit under DEMO-AL has a row.
    for (const r of want.rows) expect(await page.locator(`tr[data-agency="${r.agency.code}"]`).count()).toBe(1)

    // CSV through the page's link: BOM, header, the same published value (decimal point in the file).
    const [csvDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('a[href^="/analytics/export/csv"]:not([href*="csv=vi"])').click(),
    ])
    expect(csvDownload.suggestedFilename()).toBe(`hailong-SIPAS-2017-${label}-all.csv`)
    const csvBytes = fs.readFileSync((await csvDownload.path())!)
    expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const csvRows: string[][] = parse(csvBytes, { bom: true })
    expect(csvRows[0].slice(0, 6).join(',')).toBe('agency_code,agency_name,level,depth,status,overall_index_pct')
    const alCsvRow = csvRows.find((r) => r[0] === 'DEMO-AL')!
    expect(alCsvRow[5]).toBe(String(Math.round(al.overall.estimate! * 10000) / 100))

    // XLSX through the page's link, read back.
    const [xlsxDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('a[href^="/analytics/export/xlsx"]').click(),
    ])
    expect(xlsxDownload.suggestedFilename()).toBe(`hailong-SIPAS-2017-${label}-all.xlsx`)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile((await xlsxDownload.path())!)
    // The report-ready workbook in Vietnamese: percentages are shares with a percent format.
    expect(workbook.worksheets.map((w) => w.name)).toContain('Tổng hợp')
    const sheet = workbook.getWorksheet('Tổng hợp')!
    expect(sheet.getRow(3).getCell(1).value).toBe('Mã đơn vị')
    const alRow = sheet.getRows(4, sheet.rowCount - 3)!.find((r) => r.getCell(1).value === 'DEMO-AL')!
    expect(alRow.getCell(4).value).toBe(Math.round(al.overall.estimate! * 10000) / 10000)
    expect(alRow.getCell(4).numFmt).toBe('0.00%')
    expect(alRow.getCell(7).value).toBe(al.overall.n)
    const about = new Map<string, string>()
    workbook
      .getWorksheet('Ghi chú kỹ thuật')!
      .eachRow((r) => about.set(String(r.getCell(1).value), String(r.getCell(2).value)))
    expect(about.get('period')).toBe(label)
    expect(about.get('weighting')).toBe('unweighted')
    expect(about.get('filters')).toContain(`period=${label}`)

    expect(errors, errors.join('\n')).toEqual([])
  })

  it('refuses a bad period with the translated message', T, async () => {
    const { page } = session
    const response = await page.goto(`${server.url}/analytics?period=2026-Q9`)
    expect(response!.status()).toBe(400)
    expect(await page.locator('body').textContent()).toContain('Kỳ báo cáo không hợp lệ')
  })

  it('shows the design-weighted year by default with ranks "x/N"', T, async () => {
    const { page } = session
    const year = parsePeriod(String(new Date(Date.now() + 7 * 3600_000).getUTCFullYear()))!
    await page.goto(`${server.url}/analytics`)
    const want = await expected(year, 'design')
    const ranked = want.rows.filter((r) => r.rank !== null && r.agency.code !== 'DEMO-AL')
    expect(ranked.length).toBeGreaterThan(0)
    for (const r of ranked) {
      const cells = page.locator(`tr[data-agency="${r.agency.code}"] td`)
      expect((await cells.nth(0).textContent())!.trim()).toBe(formatPercent(r.overall.estimate, 'vi'))
      expect(await page.locator(`tr[data-agency="${r.agency.code}"] td[data-rank]`).textContent()).toContain(
        String(r.rankOf),
      )
    }
  })
})
