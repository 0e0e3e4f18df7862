/**
 * Shrunk scores in GET /api/v1/scores (issue #19 point 2): each published row carries `shrunk`, between its
 * own direct estimate and its siblings' mean, and `rank=shrunk` ranks siblings by it. A row whose direct
 * value is withheld (under the thresholds, or as a complement) has none and is not in the model (ADR 0053).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiToken } from '#app/.server/auth/api-token.ts'
import { computeScores } from '#app/.server/services/scores.ts'
import { fayHerriot } from '#app/domain/insight/shrinkage.ts'
import { parsePeriod } from '#app/domain/period.ts'
import AgencyAnalytics, { loader as agencyPageLoader } from '#app/routes/analytics.agency.$code.tsx'
import { loader as scoresLoader } from '#app/routes/api.v1.scores.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run, signIn } from '#tests/helpers/remix.ts'
import { renderPage } from '#tests/helpers/render-page.ts'
import { args, get } from '../admin/support.ts'
import { seedDriverData } from './drivers-support.ts'
import { agencyId } from './support.ts'

let t: TestDatabase
let context: AppLoadContext
let token: string

/**
 * The departments published in 2025. STP (8 respondents) is under the thresholds, and P-ANLAC, the
 * smallest published child of DEMO-AL, is withheld as its complement: neither is shrunk nor in the fit.
 */
const SHRUNK = ['DEMO-AL-SNV', 'DEMO-AL-SXD', 'DEMO-AL-SNNMT']

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  await seedDriverData(t, [
    { agency: 'DEMO-AL-SNV', at: '2025-03-10T03:00:00Z', count: 60, offset: 0 },
    { agency: 'DEMO-AL-STP', at: '2025-05-10T03:00:00Z', count: 8, offset: 1 },
    { agency: 'DEMO-AL-SXD', at: '2025-05-10T03:00:00Z', count: 40, offset: 2 },
    { agency: 'DEMO-AL-SNNMT', at: '2025-06-10T03:00:00Z', count: 50, offset: 3 },
    { agency: 'DEMO-AL-P-ANLAC', at: '2025-08-10T03:00:00Z', count: 38, offset: 4 },
  ])
  token = await createApiToken(t.db, await agencyId(t, 'DEMO-AL'), 'BI tool', 'test')
}, 120_000)
afterAll(async () => {
  await t?.cleanup()
})

const scores = (search: string) =>
  run(() =>
    scoresLoader({
      request: new Request(`http://localhost/api/v1/scores${search}`, {
        headers: { Authorization: `Bearer ${token}` },
      }),
      context,
      params: {},
    }),
  )

interface Row {
  agency: { code: string }
  overall: { estimate: number | null; status: string; n: number }
  shrunk: { estimate: number; lower: number; upper: number } | null
  rank: number | null
  rankOf: number
}

describe('shrunk scores in the API', () => {
  it('published departments get a shrunk score; not a withheld one, nor the province', async () => {
    const r = await scores('?agency=DEMO-AL&period=2025')
    expect(r.status).toBe(200)
    const rows = (r.body as { rows: Row[] }).rows
    const byCode = new Map(rows.map((x) => [x.agency.code, x]))
    expect(byCode.get('DEMO-AL')!.shrunk).toBeNull()
    for (const code of SHRUNK) expect(byCode.get(code)!.shrunk, code).not.toBeNull()
    for (const code of SHRUNK) {
      const s = byCode.get(code)!.shrunk!
      expect(s.lower).toBeLessThanOrEqual(s.estimate)
      expect(s.upper).toBeGreaterThanOrEqual(s.estimate)
    }
    // Withheld direct value, withheld shrunk value, for the same reason (the row's status).
    expect(byCode.get('DEMO-AL-P-ANLAC')!.overall).toMatchObject({ status: 'suppressed-complement', estimate: null })
    expect(byCode.get('DEMO-AL-P-ANLAC')!.shrunk).toBeNull()
    expect(byCode.get('DEMO-AL-STP')!.overall).toMatchObject({ status: 'insufficient', estimate: null, n: 8 })
    expect(byCode.get('DEMO-AL-STP')!.shrunk).toBeNull()
    // Departments without responses (n = 0) are not in the model and get none.
    expect(byCode.get('DEMO-AL-STNMT')?.shrunk ?? null).toBeNull()
  })

  it('the shrunk value is the Fay–Herriot fit of the direct estimates and their design variances', async () => {
    const direct = await computeScores(t.db, {
      questionnaireCode: 'SIPAS-2017',
      rootAgencyCode: 'DEMO-AL',
      period: parsePeriod('2025')!,
      boundaries: 'current',
      options: { weighting: 'design', interval: 'beta' },
    })
    if (!direct.ok) throw new Error(direct.error)
    const units = direct.rows
      .filter((x) => SHRUNK.includes(x.agency.code))
      .map((x) => ({
        key: x.agency.code,
        estimate: x.overall.estimate!,
        variance: x.overall.se! ** 2,
        nEff: x.overall.nEff,
      }))
    // The published departments alone: STP's withheld estimate is not in the fit.
    const fit = fayHerriot(units)!
    const api = (await scores('?agency=DEMO-AL&period=2025')).body as { rows: Row[] }
    for (const code of SHRUNK) {
      const row = api.rows.find((x) => x.agency.code === code)!
      expect(row.shrunk!.estimate).toBeCloseTo(fit.units.get(code)!.estimate, 12)
      // Each moves toward the mean, between its direct value and the mean.
      const own = direct.rows.find((x) => x.agency.code === code)!.overall.estimate!
      expect(Math.abs(row.shrunk!.estimate - fit.mean)).toBeLessThanOrEqual(Math.abs(own - fit.mean) + 1e-12)
    }
  })

  it('rank=shrunk ranks siblings by the shrunk value, withheld units not ranked', async () => {
    const r = await scores('?agency=DEMO-AL&period=2025&rank=shrunk')
    expect(r.status).toBe(200)
    const body = r.body as { rankedBy: string; rows: Row[] }
    expect(body.rankedBy).toBe('shrunk')
    const departments = body.rows.filter((x) => SHRUNK.includes(x.agency.code))
    expect(departments.every((x) => x.rankOf === 3 && x.rank !== null)).toBe(true)
    expect(body.rows.find((x) => x.agency.code === 'DEMO-AL-STP')!.rank).toBeNull()
    const order = [...departments].sort((a, b) => a.rank! - b.rank!).map((x) => x.shrunk!.estimate)
    expect(order).toEqual([...order].sort((a, b) => b - a))
  })

  it('400 with a translated message for an unknown ranking', async () => {
    expect(await scores('?agency=DEMO-AL&period=2025&rank=best')).toMatchObject({
      status: 400,
      body: { error: 'invalid_query', message: 'Bộ lọc không hợp lệ.' },
    })
  })

  it("the agency page shows a unit's shrunk score beside its direct one; none where the direct is withheld", async () => {
    const api = (await scores('?agency=DEMO-AL&period=2025')).body as { rows: Row[] }
    const pageOf = async (code: string) => {
      const analyst = await signIn(context, `analyst-${code}@example.vn`, 'analyst', code)
      const page = await run(() =>
        agencyPageLoader(args(context, get(`/analytics/agency/${code}?period=2025`, analyst.cookie), { code })),
      )
      expect(page.status).toBe(200)
      const html = (lng: 'vi' | 'en') =>
        renderPage({
          page: AgencyAnalytics,
          path: `/analytics/agency/${code}`,
          data: page.body,
          lng,
          namespace: 'analytics',
        })
      return { body: page.body as { shrunk: unknown }, html }
    }
    const percent = (v: number, sep: string) => `${(Math.round(v * 10000) / 100).toFixed(2).replace('.', sep)}%`
    const snv = await pageOf('DEMO-AL-SNV')
    const expected = api.rows.find((x) => x.agency.code === 'DEMO-AL-SNV')!.shrunk!
    expect(snv.body.shrunk).toEqual(expected)
    expect(await snv.html('vi')).toContain(
      `Ước lượng co về các đơn vị cùng cấp (Fay–Herriot): ${percent(expected.estimate, ',')}`,
    )
    expect(await snv.html('en')).toContain(
      `Shrunk toward units of the same level (Fay–Herriot): ${percent(expected.estimate, '.')}`,
    )
    // STP, under the thresholds: the page says why its value is withheld and shows no shrunk one either.
    const stp = await pageOf('DEMO-AL-STP')
    expect(stp.body.shrunk).toBeNull()
    expect(await stp.html('vi')).not.toContain('Ước lượng co về các đơn vị cùng cấp')
    expect(await stp.html('en')).not.toContain('Shrunk toward units of the same level')
  })
})

const hasR = spawnSync('Rscript', ['--version']).status === 0
if (!hasR && process.env.HAILONG_REQUIRE_R === '1')
  throw new Error('Rscript not found; HAILONG_REQUIRE_R=1 asks for it')

describe.skipIf(!hasR)('shrunk scores against plain R (scripts/r-reference/shrinkage-reference.R)', () => {
  it('every shrunk estimate and bound agrees with R to 1e-6', async () => {
    const direct = await computeScores(t.db, {
      questionnaireCode: 'SIPAS-2017',
      rootAgencyCode: 'DEMO-AL',
      period: parsePeriod('2025')!,
      boundaries: 'current',
      options: { weighting: 'design', interval: 'beta' },
    })
    if (!direct.ok) throw new Error(direct.error)
    // The units the model takes (docs/method.md §13: published, 5 or more respondents), grouped by parent
    // and level; R does the rest.
    const units = direct.rows.filter((x) => x.overall.status === 'published' && x.overall.n >= 5)
    const dir = mkdtempSync(join(tmpdir(), 'hailong-shrinkage-r-'))
    try {
      writeFileSync(
        join(dir, 'units.csv'),
        `group,key,estimate,variance,n_eff\n${units
          .map(
            (x) =>
              `"${x.agency.parentId}|${x.agency.level}","${x.agency.code}",${x.overall.estimate},${x.overall.se! ** 2},${x.overall.nEff}`,
          )
          .join('\n')}\n`,
      )
      const script = join(import.meta.dirname, '../../../scripts/r-reference/shrinkage-reference.R')
      const result = spawnSync('Rscript', [script, join(dir, 'units.csv'), join(dir, 'out.csv')], { encoding: 'utf8' })
      if (result.status !== 0) throw new Error(result.stderr)
      const lines = readFileSync(join(dir, 'out.csv'), 'utf8').trim().split('\n').slice(1)
      const api = (await scores('?agency=DEMO-AL&period=2025')).body as { rows: Row[] }
      expect(lines.length).toBe(3)
      for (const line of lines) {
        const [key, estimate, lower, upper] = line.split(',').map((c) => c.replaceAll('"', ''))
        const shrunk = api.rows.find((x) => x.agency.code === key)!.shrunk!
        expect(Math.abs(shrunk.estimate - Number(estimate))).toBeLessThan(1e-6)
        expect(Math.abs(shrunk.lower - Number(lower))).toBeLessThan(1e-6)
        expect(Math.abs(shrunk.upper - Number(upper))).toBeLessThan(1e-6)
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
