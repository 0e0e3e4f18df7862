/**
 * GET /api/v1/drivers as another system calls it: the token's scope, translated 4xx for bad input, a
 * clear status for a unit with too few respondents, the published scores beside the importances, and
 * the same numbers on every call (the bootstrap is seeded). R agreement: drivers-r-reference.test.ts.
 */
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseAnalyticsQuery } from '#app/.server/analytics/query.ts'
import { createApiToken } from '#app/.server/auth/api-token.ts'
import { EVERYTHING } from '#app/.server/auth/scope.ts'
import { driversForScope } from '#app/.server/services/drivers.ts'
import { loader as driversLoader } from '#app/routes/api.v1.drivers.ts'
import { loader as openApiLoader } from '#app/routes/api.v1.openapi[.]json.ts'
import { loader as scoresLoader } from '#app/routes/api.v1.scores.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run } from '#tests/helpers/remix.ts'
import { DRIVER_BATCHES, seedDriverData } from './drivers-support.ts'
import { agencyId } from './support.ts'

let t: TestDatabase
let context: AppLoadContext
let alToken: string
let snvToken: string

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  await seedDriverData(t, DRIVER_BATCHES)
  alToken = await createApiToken(t.db, await agencyId(t, 'DEMO-AL'), 'BI tool', 'test')
  snvToken = await createApiToken(t.db, await agencyId(t, 'DEMO-AL-SNV'), 'one-stop shop', 'test')
}, 120_000)
afterAll(async () => {
  await t?.cleanup()
})

const get = (path: string, search: string, token: string | null = alToken, headers: Record<string, string> = {}) =>
  run(() =>
    (path === 'drivers' ? driversLoader : scoresLoader)({
      request: new Request(`http://localhost/api/v1/${path}${search}`, {
        headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
      }),
      context,
      params: {},
    }),
  )

interface Analysis {
  status: string
  method?: string
  n: number
  needed?: number
  replicates?: number
  rSquared?: number
  items: Array<{
    code: string
    importance: number
    importanceCi: { lower: number; upper: number }
    score: number | null
  }>
}
interface Body {
  outcome: { kind: string; code: string | null }
  weighting: string
  elements: Analysis
  criteria: Analysis
}

describe('GET /api/v1/drivers', () => {
  it('401 without a token', async () => {
    const r = await get('drivers', '?period=2025', null)
    expect(r.status).toBe(401)
    expect(r.body).toMatchObject({ error: 'unauthorized' })
  })

  it('per element and criterion: importance (share of R²), its bootstrap interval and the published score', async () => {
    const r = await get('drivers', '?agency=DEMO-AL&period=2025')
    expect(r.status).toBe(200)
    const body = r.body as Body
    expect(body.outcome).toEqual({ kind: 'overall-question', code: 'O.overall' })
    expect(body.weighting).toBe('design')
    expect(body.elements).toMatchObject({ status: 'ok', method: 'lmg', replicates: 200 })
    expect(body.criteria).toMatchObject({ status: 'ok', method: 'relative-weights' })
    expect(body.elements.items.map((i) => i.code)).toEqual(['E1', 'E2', 'E3', 'E4', 'E5'])
    expect(body.criteria.items).toHaveLength(22)
    for (const analysis of [body.elements, body.criteria]) {
      expect(analysis.items.reduce((s, i) => s + i.importance, 0)).toBeCloseTo(1, 12)
      for (const i of analysis.items) {
        expect(i.importanceCi.lower).toBeLessThanOrEqual(i.importance)
        expect(i.importanceCi.upper).toBeGreaterThanOrEqual(i.importance)
      }
    }
    // The score is the scores API's published estimate for the same agency and period.
    const scores = (await get('scores', '?agency=DEMO-AL&period=2025')).body as {
      rows: Array<{
        agency: { code: string }
        elements: Record<string, { estimate: number }>
        criteria: Record<string, { estimate: number }>
      }>
    }
    const row = scores.rows.find((x) => x.agency.code === 'DEMO-AL')!
    for (const i of body.elements.items) expect(i.score).toBe(row.elements[i.code]!.estimate)
    for (const i of body.criteria.items) expect(i.score).toBe(row.criteria[i.code]!.estimate)
    // Seeded: the same request gives the same intervals.
    expect((await get('drivers', '?agency=DEMO-AL&period=2025')).body).toEqual(body)
  })

  it('analyses every respondent up to the limit, and an even subsample of a larger unit, saying so', async () => {
    const query = parseAnalyticsQuery(new URLSearchParams('agency=DEMO-AL&period=2025'))
    if (!query.ok) throw new Error(query.error)
    const all = await driversForScope(t.db, EVERYTHING, query.query)
    if (!all.ok || all.elements.status !== 'ok') throw new Error('the full analysis failed')
    expect(all.sample).toBeNull()
    expect((await get('drivers', '?agency=DEMO-AL&period=2025')).body).toMatchObject({ sample: null })

    const sampled = await driversForScope(t.db, EVERYTHING, query.query, 100)
    if (!sampled.ok || sampled.elements.status !== 'ok') throw new Error('the sampled analysis failed')
    // DEMO-AL counts 2025's respondents of its subtree (its merged-away unit included): 312 of them.
    const counted = (await get('scores', '?agency=DEMO-AL&period=2025')).body as {
      rows: Array<{ agency: { code: string }; overall: { n: number } }>
    }
    const n = counted.rows.find((r) => r.agency.code === 'DEMO-AL')!.overall.n
    expect(sampled.sample).toEqual({ counted: n, every: Math.ceil(n / 100) })
    // Every k-th response by id: about n / k of them (the ids of one unit are not evenly spread).
    const every = sampled.sample!.every
    expect(sampled.elements.n).toBeGreaterThan((0.7 * n) / every)
    expect(sampled.elements.n).toBeLessThan((1.3 * n) / every)
    expect(sampled.elements.n).toBeLessThanOrEqual(all.elements.n)
    expect(sampled.elements.items.map((i) => i.code)).toEqual(['E1', 'E2', 'E3', 'E4', 'E5'])
    expect(sampled.elements.items.reduce((s, i) => s + i.importance, 0)).toBeCloseTo(1, 12)
  })

  it("defaults to the token's agency", async () => {
    const own = (await get('drivers', '?period=2025', snvToken)).body as Body
    const asked = (await get('drivers', '?agency=DEMO-AL-SNV&period=2025')).body as Body
    expect(own.elements.n).toBe(160)
    expect(own).toEqual(asked)
  })

  it('a unit with too few respondents: insufficient, with how many are needed, and no numbers', async () => {
    const r = await get('drivers', '?agency=DEMO-AL-STP&period=2025')
    expect(r.status).toBe(200)
    const body = r.body as Body
    expect(body.elements).toMatchObject({ status: 'insufficient', n: 12, needed: 30, items: [] })
    expect(body.criteria).toMatchObject({ status: 'insufficient', n: 12, needed: 110, items: [] })
    // A period without any response at all: the same clear status.
    const empty = (await get('drivers', '?agency=DEMO-AL&period=2023')).body as Body
    expect(empty.elements).toMatchObject({ status: 'insufficient', n: 0 })
  })

  it("403 outside the token's subtree, 404 for an unknown agency or questionnaire", async () => {
    // Bình Sơn merged into An Lạc on 2025-07-01: An Lạc's token reads it for earlier periods only (ADR 0046).
    expect(await get('drivers', '?agency=DEMO-BS&period=2026-Q1')).toMatchObject({
      status: 403,
      body: { error: 'forbidden', message: 'Cơ quan này nằm ngoài phạm vi bạn được xem.' },
    })
    expect(await get('drivers', '?agency=DEMO-AL&period=2025', snvToken)).toMatchObject({ status: 403 })
    expect(await get('drivers', '?agency=NOPE&period=2025')).toMatchObject({
      status: 404,
      body: { error: 'unknownAgency' },
    })
    expect(await get('drivers', '?questionnaire=NOPE&period=2025')).toMatchObject({
      status: 404,
      body: { error: 'unknownQuestionnaire' },
    })
  })

  it('400 with a translated message for a bad period or filter', async () => {
    expect(await get('drivers', '?period=2025-Q9')).toMatchObject({
      status: 400,
      body: { error: 'invalid_query', message: 'Kỳ báo cáo không hợp lệ. Dùng dạng 2026, 2026-Q3 hoặc 2026-09.' },
    })
    expect(await get('drivers', '?period=2025-Q9', alToken, { 'Accept-Language': 'en' })).toMatchObject({
      status: 400,
      body: { message: 'The period is not valid. Use 2026, 2026-Q3 or 2026-09.' },
    })
    expect(await get('drivers', '?period=2025&boundaries=sideways')).toMatchObject({
      status: 400,
      body: { error: 'invalid_query', message: 'Cách chọn địa giới không hợp lệ.' },
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
    expect(doc.paths['/drivers']!.get.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(['agency', 'period', 'questionnaire']),
    )
    expect(Object.keys(doc.components.schemas.DriverAnalysis!.properties)).toEqual(
      expect.arrayContaining(['status', 'items', 'rSquared', 'method']),
    )
  })
})
