/**
 * Issue 16's last item (and issue 19's "significant change"): the change column carries its interval (the
 * variances of the two periods added) and whether it leaves out zero, against the previous period or the
 * same period a year earlier; each rank carries the range of ranks its siblings' intervals allow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { computeScores, type ScoresRequest, type ScoresResult } from '#app/.server/services/scores.ts'
import { parsePeriod } from '#app/domain/period.ts'
import AgencyAnalytics, { loader as agencyPageLoader } from '#app/routes/analytics.agency.$code.tsx'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run, signIn } from '#tests/helpers/remix.ts'
import { renderPage } from '#tests/helpers/render-page.ts'
import { visibleText } from '#tests/helpers/wording-leaks.ts'
import { args, get } from '../admin/support.ts'
import { seedFixture } from './fixture.ts'

let t: TestDatabase
beforeAll(async () => {
  t = await createTestDatabase()
  await seedFixture(t)
})
afterAll(async () => t?.cleanup())

type Ok = Extract<ScoresResult, { ok: true }>
async function scores(period: string, extra: Partial<ScoresRequest> = {}): Promise<Ok> {
  const result = await computeScores(t.db, {
    questionnaireCode: 'SIPAS-2017',
    rootAgencyCode: null,
    period: parsePeriod(period)!,
    boundaries: 'current',
    ...extra,
  })
  if (!result.ok) throw new Error(result.error)
  return result
}

/** The interval written out: (θ₁ − θ₀) ± z₀.₉₇₅ √(SE₁² + SE₀²), in points to the published decimals (2). */
const expected = (
  a: { estimate: number | null; se: number | null },
  b: { estimate: number | null; se: number | null },
) => {
  const half = 1.959963984540054 * Math.sqrt(a.se! ** 2 + b.se! ** 2)
  const round = (x: number) => (Math.sign(x) * Math.round(Math.abs(x) * 100)) / 100
  return {
    lower: round((a.estimate! - b.estimate! - half) * 100),
    upper: round((a.estimate! - b.estimate! + half) * 100),
  }
}

describe('change with its interval', () => {
  const cases: Array<[period: string, compare: 'previous' | 'year', compared: string]> = [
    ['2026-Q1', 'previous', '2025-Q4'],
    ['2026-Q1', 'year', '2025-Q1'],
    ['2026', 'previous', '2025'],
  ]
  for (const [period, compare, compared] of cases) {
    it(`${period} against ${compared}`, async () => {
      const now = await scores(period, { compare })
      expect(now.options.rules.decimals).toBe(2)
      expect(now.comparedWith).toBe(compare)
      expect(now.previousPeriod).toBe(compared)
      const before = await scores(now.previousPeriod)
      let withChange = 0
      for (const r of now.rows) {
        const p = before.rows.find((x) => x.agency.id === r.agency.id)
        if (r.change === null) {
          expect(r.changeCi).toBeNull()
          expect(r.changeSignificant).toBeNull()
          continue
        }
        withChange++
        expect(r.changeCi).toEqual(expected(r.overall, p!.overall))
        const half = 1.959963984540054 * Math.sqrt(r.overall.se! ** 2 + p!.overall.se! ** 2)
        const diff = r.overall.estimate! - p!.overall.estimate!
        expect(r.changeSignificant).toBe(Math.abs(diff) > half)
      }
      if (compare === 'previous' && period === '2026') expect(withChange).toBeGreaterThan(0)
    })
  }
})

describe('rank uncertainty', () => {
  it('every ranked unit has a range of ranks holding its rank, within its siblings', async () => {
    const r = await scores('2026-Q1')
    const ranked = r.rows.filter((x) => x.rank !== null)
    expect(ranked.length).toBeGreaterThan(1)
    for (const x of ranked) {
      expect(x.rankRange).not.toBeNull()
      expect(x.rankRange!.best).toBeLessThanOrEqual(x.rank!)
      expect(x.rankRange!.worst).toBeGreaterThanOrEqual(x.rank!)
      expect(x.rankRange!.worst).toBeLessThanOrEqual(x.rankOf)
    }
    for (const x of r.rows.filter((y) => y.rank === null)) expect(x.rankRange).toBeNull()
  })
})

describe('on the agency page', () => {
  it('states the change against the previous period, its interval and whether it is significant, in both languages', async () => {
    const now = await scores('2026')
    const changed = now.rows.filter((r) => r.change !== null && r.changeCi)
    expect(changed.length).toBeGreaterThan(0)
    const context = makeContext(t)
    const analyst = await signIn(context, 'change-admin@example.vn', 'admin', null)
    for (const row of changed) {
      const code = row.agency.code
      const page = await run(() =>
        agencyPageLoader(args(context, get(`/analytics/agency/${code}?period=2026`, analyst.cookie), { code })),
      )
      expect(page.status).toBe(200)
      const data = page.body as { row: { change: number; changeSignificant: boolean }; previousPeriod: string }
      expect(data.previousPeriod).toBe('2025')
      expect(data.row.change).toBe(row.change)
      for (const lng of ['vi', 'en'] as const) {
        const html = await renderPage({
          page: AgencyAnalytics,
          path: `/analytics/agency/${code}`,
          data,
          lng,
          namespace: 'analytics',
        })
        const text = visibleText(html)
        const sign = (x: number) => (x > 0 ? '+' : x < 0 ? '−' : '±')
        const points = (x: number) =>
          `${sign(x)}${Math.abs(x)
            .toFixed(2)
            .replace('.', lng === 'vi' ? ',' : '.')}`
        expect(text).toContain(lng === 'vi' ? 'So với Năm 2025:' : 'Against Year 2025:')
        expect(text).toContain(points(row.change!))
        expect(text).toContain(points(row.changeCi!.lower))
        expect(text).toContain(points(row.changeCi!.upper))
        const verdict = row.changeSignificant
          ? lng === 'vi'
            ? 'Thay đổi có ý nghĩa thống kê.'
            : 'A statistically significant change.'
          : lng === 'vi'
            ? 'Chưa đủ bằng chứng về thay đổi'
            : 'Not enough evidence of a change'
        expect(text).toContain(verdict)
        expect(html.includes('data-change-significant=""')).toBe(row.changeSignificant)
      }
    }
  })
})
