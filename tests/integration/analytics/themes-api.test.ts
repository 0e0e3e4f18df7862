/**
 * GET /api/v1/themes and the themes on the agency page, with suggestions submitted through the real
 * submission path: counts per theme and month, the "< 5" rule, masked examples (phone and e-mail masked on
 * storing, names on showing), the expectations with their denominator and Wilson interval, scope and 4xx.
 */
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiToken } from '#app/.server/auth/api-token.ts'
import { loader as openApiLoader } from '#app/routes/api.v1.openapi[.]json.ts'
import { loader as themesLoader } from '#app/routes/api.v1.themes.ts'
import AgencyPage, { loader as agencyLoader } from '#app/routes/analytics.agency.$code.tsx'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run, signIn } from '#tests/helpers/remix.ts'
import { renderPage } from '#tests/helpers/render-page.ts'
import { agencyId, type Batch, seed } from './support.ts'

let t: TestDatabase
let context: AppLoadContext
let alToken: string
let snvToken: string

// March 2025 (Vietnam time), one-stop shop of An Lạc: 6 about waiting (with and without accents), 2 about
// fees (hidden), 2 with no theme. January: one more about waiting. Expectations: all 10 March respondents
// want shorter processing time, 4 of them online services too.
const MARCH = '2025-03-10T03:00:00Z'
const suggestion = (text: string, expectations: string[] = ['time']): Batch => ({
  agency: 'DEMO-AL-SNV',
  at: MARCH,
  profile: 'S',
  count: 1,
  extra: { 'S.suggestion': text, 'X.expectations': expectations },
})
const BATCHES: Batch[] = [
  // The newest two: the examples are the newest suggestions of a theme.
  {
    ...suggestion('Phải chờ đợi quá lâu, gọi 0912 345 678 cho chị Lan hỏi', ['time', 'online']),
    at: '2025-03-20T03:00:00Z',
  },
  suggestion('phai cho doi lau qua, nen them quay', ['time', 'online']),
  { ...suggestion('Xếp hàng lâu, gửi ý kiến tới a.b@gmail.com', ['time', 'online']), at: '2025-03-19T03:00:00Z' },
  suggestion('Lấy số thứ tự mà vẫn chờ lâu', ['time', 'online']),
  suggestion('cho lau, dong nguoi qua'),
  suggestion('Thời gian chờ quá dài'),
  suggestion('Lệ phí hơi cao'),
  suggestion('le phi cao'),
  suggestion('Rất hài lòng'),
  suggestion('Cảm ơn'),
  { ...suggestion('Chờ đợi lâu'), at: '2025-01-15T03:00:00Z' },
]

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  await seed(t, BATCHES)
  alToken = await createApiToken(t.db, await agencyId(t, 'DEMO-AL'), 'BI tool', 'test')
  snvToken = await createApiToken(t.db, await agencyId(t, 'DEMO-AL-SNV'), 'one-stop shop', 'test')
}, 120_000)
afterAll(async () => {
  await t?.cleanup()
})

const get = (search: string, token: string | null = alToken, headers: Record<string, string> = {}) =>
  run(() =>
    themesLoader({
      request: new Request(`http://localhost/api/v1/themes${search}`, {
        headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
      }),
      context,
      params: {},
    }),
  )

interface Body {
  period: string
  months: string[]
  minCount: number
  total: number
  unthemed: number | null
  themes: Array<{
    code: string
    count: number | null
    suppressed: boolean
    byMonth: Array<{ month: string; count: number | null }>
    examples: Array<{ text: string; month: string }>
  }>
  phrases: Array<{ text: string; count: number }>
  expectations: {
    denominator: number
    level: number
    method: string
    items: Array<{ value: string; share: number; n: number; ci: { lower: number; upper: number } }>
  }
}

/** The textbook Wilson interval, written out here independently of app/domain/statistics. */
function wilson(p: number, n: number) {
  const z = 1.959963984540054
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n)
  const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) }
}

describe('GET /api/v1/themes', () => {
  it('401 without a token', async () => {
    expect(await get('?period=2025-Q1', null)).toMatchObject({ status: 401, body: { error: 'unauthorized' } })
  })

  it('counts per theme over the period and per month, hiding themes and cells under five', async () => {
    const r = await get('?agency=DEMO-AL-SNV&period=2025-Q1')
    expect(r.status).toBe(200)
    const body = r.body as Body
    expect(body.period).toBe('2025-Q1')
    // Six months ending with the period's last, so a quarter is seen against the one before.
    expect(body.months).toEqual(['2024-10', '2024-11', '2024-12', '2025-01', '2025-02', '2025-03'])
    expect(body.minCount).toBe(5)
    expect(body.total).toBe(11)
    const waiting = body.themes.find((x) => x.code === 'waiting')!
    expect(waiting).toMatchObject({ count: 7, suppressed: false })
    expect(waiting.byMonth).toEqual([
      { month: '2024-10', count: 0 },
      { month: '2024-11', count: 0 },
      { month: '2024-12', count: 0 },
      { month: '2025-01', count: null },
      { month: '2025-02', count: 0 },
      { month: '2025-03', count: 6 },
    ])
    // Two about fees: hidden, with no count, no month and no example.
    const fees = body.themes.find((x) => x.code === 'fees')!
    expect(fees).toMatchObject({ count: null, suppressed: true, examples: [] })
    expect(fees.byMonth.every((m) => m.count === null)).toBe(true)
    expect(body.themes.map((x) => x.code)).toEqual([
      'waiting',
      'attitude',
      'procedures',
      'fees',
      'online',
      'facilities',
      'information',
      'processing',
    ])
    // Two without a theme ("Rất hài lòng", "Cảm ơn"): under five too.
    expect(body.unthemed).toBeNull()
  })

  it('examples with phone numbers, e-mails and names masked', async () => {
    const body = (await get('?agency=DEMO-AL-SNV&period=2025-Q1')).body as Body
    const examples = body.themes.find((x) => x.code === 'waiting')!.examples
    expect(examples).toHaveLength(3)
    const all = JSON.stringify(body)
    expect(all).not.toContain('0912')
    expect(all).not.toContain('gmail')
    expect(all).not.toContain('Lan')
    expect(all).not.toContain('responseId')
    const texts = examples.map((e) => e.text)
    expect(texts.slice(0, 2)).toEqual([
      'Phải chờ đợi quá lâu, gọi [SĐT] cho chị [tên] hỏi',
      'Xếp hàng lâu, gửi ý kiến tới [email]',
    ])
  })

  it('the shares of expectations with their denominator and Wilson interval', async () => {
    const body = (await get('?agency=DEMO-AL-SNV&period=2025-Q1')).body as Body
    // Eleven respondents answered the item over the quarter (ten in March, one in January).
    expect(body.expectations).toMatchObject({ denominator: 11, level: 0.95, method: 'wilson' })
    const byValue = new Map(body.expectations.items.map((x) => [x.value, x]))
    expect(byValue.get('time')).toMatchObject({ share: 1, n: 11 })
    expect(byValue.get('online')).toMatchObject({ n: 4 })
    expect(byValue.get('online')!.share).toBeCloseTo(4 / 11, 12)
    for (const value of ['time', 'online']) {
      const x = byValue.get(value)!
      const expected = wilson(x.share, 11)
      expect(x.ci.lower).toBeCloseTo(expected.lower, 9)
      expect(x.ci.upper).toBeCloseTo(expected.upper, 9)
    }
    expect(byValue.get('seating')).toMatchObject({ share: 0, n: 0 })
  })

  it("defaults to the token's agency, and a parent sees its subtree", async () => {
    const own = (await get('?period=2025-Q1', snvToken)).body as Body
    const asked = (await get('?agency=DEMO-AL-SNV&period=2025-Q1')).body as Body
    expect(own).toEqual(asked)
    const parent = (await get('?agency=DEMO-AL&period=2025-Q1')).body as Body
    expect(parent.themes.find((x) => x.code === 'waiting')!.count).toBe(7)
  })

  it('a period with fewer than five suggestions hides every theme', async () => {
    const body = (await get('?agency=DEMO-AL-SNV&period=2025-01')).body as Body
    expect(body.total).toBe(1)
    expect(body.themes.find((x) => x.code === 'waiting')).toMatchObject({ count: null, suppressed: true })
    // A theme nobody wrote about says 0: a zero identifies nobody.
    expect(body.themes.every((x) => x.suppressed && (x.count ?? 0) === 0 && x.examples.length === 0)).toBe(true)
    // One respondent: the expectations are withheld as well, the denominator still said.
    expect(body.expectations).toMatchObject({ denominator: 1, items: [] })
  })

  it("403 outside the token's subtree, 404 for an unknown agency or questionnaire", async () => {
    expect(await get('?agency=DEMO-AL&period=2025-Q1', snvToken)).toMatchObject({
      status: 403,
      body: { error: 'forbidden', message: 'Cơ quan này nằm ngoài phạm vi bạn được xem.' },
    })
    expect(await get('?agency=NOPE&period=2025-Q1')).toMatchObject({ status: 404, body: { error: 'unknownAgency' } })
    expect(await get('?questionnaire=NOPE&period=2025-Q1')).toMatchObject({
      status: 404,
      body: { error: 'unknownQuestionnaire' },
    })
  })

  it('400 with a translated message for a bad period', async () => {
    expect(await get('?period=2025-Q9')).toMatchObject({
      status: 400,
      body: { error: 'invalid_query', message: 'Kỳ báo cáo không hợp lệ. Dùng dạng 2026, 2026-Q3 hoặc 2026-09.' },
    })
    expect(await get('?period=2025-Q9', alToken, { 'Accept-Language': 'en' })).toMatchObject({
      status: 400,
      body: { message: 'The period is not valid. Use 2026, 2026-Q3 or 2026-09.' },
    })
  })

  it('is described in the OpenAPI document', async () => {
    const doc = (
      await run(() =>
        openApiLoader({ request: new Request('http://localhost/api/v1/openapi.json'), context, params: {} }),
      )
    ).body as {
      paths: Record<string, { get: { parameters: Array<{ name: string }> } }>
      components: { schemas: Record<string, { properties: Record<string, unknown> }> }
    }
    expect(doc.paths['/themes']!.get.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(['agency', 'period', 'questionnaire']),
    )
    expect(Object.keys(doc.components.schemas.Themes!.properties)).toEqual(
      expect.arrayContaining(['months', 'themes', 'phrases', 'expectations']),
    )
  })
})

describe('the agency page', () => {
  it('shows the themes per month, "< 5" for hidden ones, masked examples and the expectations with intervals', async () => {
    const analyst = await signIn(context, 'analyst@themes.vn', 'analyst', 'DEMO-AL')
    const agency = await run(() =>
      agencyLoader({
        request: new Request('http://localhost/analytics/agency/DEMO-AL-SNV?period=2025-Q1', {
          headers: { Cookie: analyst.cookie },
        }),
        context,
        params: { code: 'DEMO-AL-SNV' },
      } as never),
    )
    expect(agency.status).toBe(200)
    const page = (lng: 'vi' | 'en') =>
      renderPage({
        page: AgencyPage,
        path: '/analytics/agency/DEMO-AL-SNV',
        data: agency.data,
        lng,
        namespace: 'analytics',
      })
    const vi = await page('vi')
    expect(vi).toContain('Người dân viết gì')
    const waitingRow = /<tr data-theme="waiting">(.*?)<\/tr>/.exec(vi)![1]!
    expect(waitingRow).toContain('Thời gian chờ đợi')
    expect(waitingRow).toContain('>7<')
    expect(waitingRow).toContain('>6<')
    expect(waitingRow).toContain('&lt; 5')
    const feesRow = /<tr data-theme="fees">(.*?)<\/tr>/.exec(vi)![1]!
    expect(feesRow).toContain('&lt; 5')
    expect(feesRow).not.toContain('>2<')
    expect(vi).toContain('Phải chờ đợi quá lâu, gọi [SĐT] cho chị [tên] hỏi')
    // No example of a hidden theme; the newest-suggestions list below masks names too.
    expect(vi).not.toContain('data-theme-examples="fees"')
    expect(vi).toContain('data-theme-examples="waiting"')
    expect(vi).not.toContain('0912')
    expect(vi).not.toContain('chị Lan')
    // Expectations: share, interval, chosen and the denominator (11 answered).
    const time = /<tr data-expectation="time">(.*?)<\/tr>/.exec(vi)![1]!
    expect(time).toContain('100,00%')
    expect(time).toContain('>11<')
    expect(vi).toContain('Tỷ lệ trên 11 người trả lời câu hỏi mong đợi')
    const en = await page('en')
    expect(en).toContain('What citizens write')
    expect(en).toContain('Waiting time')
    expect(en).toContain('95% Wilson intervals')
  })
})
