/**
 * The drivers section of the analytics agency page (docs/insight.md), through the real loader and the
 * server-rendered page: the summary in plain words, the importance–performance chart with its data
 * table and quadrants, in Vietnamese and English; a unit with too few respondents says so.
 */
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import AgencyAnalytics, { loader as agencyPageLoader } from '#app/routes/analytics.agency.$code.tsx'
import { loader as driversLoader } from '#app/routes/api.v1.drivers.ts'
import { createApiToken } from '#app/.server/auth/api-token.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run, type SignedIn, signIn } from '#tests/helpers/remix.ts'
import { renderPage } from '#tests/helpers/render-page.ts'
import { leaks, visibleText } from '#tests/helpers/wording-leaks.ts'
import { args, get } from '../admin/support.ts'
import { DRIVER_BATCHES, seedDriverData } from './drivers-support.ts'
import { agencyId } from './support.ts'

let t: TestDatabase
let context: AppLoadContext
let analyst: SignedIn

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  await seedDriverData(t, DRIVER_BATCHES)
  analyst = await signIn(context, 'analyst@example.vn', 'analyst', 'DEMO-AL')
}, 120_000)
afterAll(async () => {
  await t?.cleanup()
})

const open = (code: string, search = '?period=2025') =>
  run(() => agencyPageLoader(args(context, get(`/analytics/agency/${code}${search}`, analyst.cookie), { code })))
const render = (data: unknown, code: string, lng: 'vi' | 'en') =>
  renderPage({ page: AgencyAnalytics, path: `/analytics/agency/${code}`, data, lng, namespace: 'analytics' })

describe('drivers on the agency page', () => {
  it('the same analysis as the API, with labels', async () => {
    const page = await open('DEMO-AL')
    expect(page.status).toBe(200)
    const drivers = (
      page.body as { drivers: { elements: unknown; criteria: unknown; labels: { elements: unknown[] } } }
    ).drivers
    const token = await createApiToken(t.db, await agencyId(t, 'DEMO-AL'), 'page check', 'test')
    const api = await run(() =>
      driversLoader({
        request: new Request('http://localhost/api/v1/drivers?agency=DEMO-AL&period=2025', {
          headers: { Authorization: `Bearer ${token}` },
        }),
        context,
        params: {},
      }),
    )
    const body = api.body as { elements: unknown; criteria: unknown }
    expect(drivers.elements).toEqual(body.elements)
    expect(drivers.criteria).toEqual(body.criteria)
    expect(drivers.labels.elements).toHaveLength(5)
  })

  it('renders the summary, the chart, its data table and the quadrants in Vietnamese and English', async () => {
    const data = (await open('DEMO-AL')).body as {
      drivers: { elements: { items: Array<{ code: string; importance: number; score: number }> } }
    }
    const items = data.drivers.elements.items
    const top = [...items].sort((a, b) => b.importance - a.importance)[0]!
    expect(top.code).toBe('E3')
    const vi = await render(data, 'DEMO-AL', 'vi')
    expect(vi).toContain('Điều gì tác động đến mức hài lòng chung')
    expect(vi).toMatch(/<svg[^>]*aria-hidden="true"[^>]*class="chart"/)
    expect(vi).toContain('Bảng số liệu: mức quan trọng và điểm của từng lĩnh vực')
    expect(vi).toContain('phân rã Shapley (LMG) chính xác')
    expect(vi).toContain('trọng số tương đối của Johnson')
    // Every element's row carries its quadrant, as the domain places it.
    for (const i of items) expect(vi).toMatch(new RegExp(`data-driver="${i.code}" data-quadrant="[a-zA-Z]+"`))
    // The summary names the most important element in plain words, with a quadrant in words.
    const summary = vi.match(/<ul data-drivers-summary="">(.*?)<\/ul>/)![1]!
    expect(summary).toMatch(/quan trọng (nhất|thứ \d)/)
    expect(summary).toMatch(/→ (ưu tiên cải thiện|duy trì|ít ưu tiên|có thể đang đầu tư quá mức)/)
    // No raw code or English UI word in the Vietnamese section (the wording crawler's rule, issue 18).
    const section = vi.match(/<section aria-labelledby="drivers".*?<\/section>/)![0]
    expect(leaks(visibleText(section))).toEqual([])
    const en = await render(data, 'DEMO-AL', 'en')
    expect(en).toContain('What drives overall satisfaction')
    expect(en).toMatch(/→ (fix first|keep up|lower priority|possible overkill)/)
    expect(en).toMatch(/Fix first|Keep up|Lower priority|Possible overkill/)
  })

  it('a unit with too few respondents shows why there is no analysis', async () => {
    const data = (await open('DEMO-AL-STP')).body
    const vi = await render(data, 'DEMO-AL-STP', 'vi')
    expect(vi).toContain('Chưa đủ dữ liệu để phân tích: 12 người trả lời đủ các câu, cần ít nhất 30.')
    expect(vi).not.toContain('class="chart" data-ip')
    const en = await render(data, 'DEMO-AL-STP', 'en')
    expect(en).toContain('Not enough data to analyse: 12 respondents answered every question, at least 30 are needed.')
  })
})
