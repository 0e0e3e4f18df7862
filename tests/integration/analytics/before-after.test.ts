/**
 * "Trước/sau sắp xếp" on the analytics agency page (docs/mergers.md), through the real loader on this
 * file's own units: a province (BA-OLD) merged into BA-NEW on 2025-07-01, with responses on both sides.
 *
 * 2025-Q1: BA-OLD 30 × S, BA-NEW 30 × S.                        rebased: 60/60 = 100 %
 * 2025-Q2: BA-OLD 20 × S + 10 × U (66,67 %), BA-NEW 30 × S.      rebased: 50/60 = 83,33 %
 * 2025-Q3: BA-NEW 24 × S + 6 × U → 80 %   ⇒ change 80 − 83,33 = −3,33 points
 * 2025-Q4: BA-NEW 30 × S → 100 %          ⇒ change +16,67 points
 */
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertAgency } from '#app/.server/repos/agencies.ts'
import { insertSuccession } from '#app/.server/repos/successions.ts'
import type { BeforeAfter } from '#app/domain/before-after.ts'
import AgencyAnalytics, { loader as agencyPageLoader } from '#app/routes/analytics.agency.$code.tsx'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run, type SignedIn, signIn } from '#tests/helpers/remix.ts'
import { renderPage } from '#tests/helpers/render-page.ts'
import { args, get } from '../admin/support.ts'
import { seed } from './support.ts'

let t: TestDatabase
let context: AppLoadContext
let analyst: SignedIn

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  const now = new Date().toISOString()
  const unit = (code: string, validTo: string | null) =>
    insertAgency(
      t.db,
      {
        code,
        nameVi: `Tỉnh ${code}`,
        nameEn: `${code} Province`,
        level: 'province',
        parentId: null,
        validFrom: '2015-01-01',
        validTo,
      },
      now,
    )
  const next = await unit('BA-NEW', null)
  const old = await unit('BA-OLD', '2025-06-30')
  await insertSuccession(t.db, {
    predecessorId: old,
    successorId: next,
    kind: 'merged_into',
    effectiveDate: '2025-07-01',
  })
  await seed(t, [
    { agency: 'BA-OLD', at: '2025-02-10T03:00:00Z', profile: 'S', count: 30 },
    { agency: 'BA-NEW', at: '2025-02-10T03:00:00Z', profile: 'S', count: 30 },
    { agency: 'BA-OLD', at: '2025-05-10T03:00:00Z', profile: 'S', count: 20 },
    { agency: 'BA-OLD', at: '2025-05-11T03:00:00Z', profile: 'U', count: 10 },
    { agency: 'BA-NEW', at: '2025-05-10T03:00:00Z', profile: 'S', count: 30 },
    { agency: 'BA-NEW', at: '2025-08-10T03:00:00Z', profile: 'S', count: 24 },
    { agency: 'BA-NEW', at: '2025-08-11T03:00:00Z', profile: 'U', count: 6 },
    { agency: 'BA-NEW', at: '2025-11-10T03:00:00Z', profile: 'S', count: 30 },
  ])
  analyst = await signIn(context, 'analyst-ba@ba.vn', 'analyst', 'BA-NEW')
})
afterAll(async () => {
  await t?.cleanup()
})

const open = (code: string, search = '?period=2025-Q4') =>
  run(() => agencyPageLoader(args(context, get(`/analytics/agency/${code}${search}`, analyst.cookie), { code })))

describe('before/after the reorganisation', () => {
  it('shows the predecessors’ last quarters before, the re-based quarters, and the unit after with the change', async () => {
    const page = await open('BA-NEW')
    expect(page.status).toBe(200)
    const b = (page.body as { reorganisation: BeforeAfter }).reorganisation
    expect(b.date).toBe('2025-07-01')
    expect(b.before).toEqual(['2025-Q1', '2025-Q2'])
    const unit = (code: string) => b.units.find((u) => u.code === code)!
    expect(unit('BA-OLD').kind).toBe('merged_into')
    expect(unit('BA-NEW').kind).toBe('self')
    expect(unit('BA-OLD').cells.map((c) => [c?.n, c?.estimate])).toEqual([
      [30, 1],
      [30, 20 / 30],
    ])
    expect(unit('BA-OLD').cells[1]!.ci).not.toBeNull()
    expect(unit('BA-NEW').cells.map((c) => c?.n)).toEqual([30, 30])
    expect(b.rebased.map((c) => [c?.n, c?.estimate])).toEqual([
      [60, 1],
      [60, 50 / 60],
    ])
    expect(b.comparedWith).toBe('2025-Q2')
    expect(b.after.map((a) => [a.period, a.overall?.n, a.overall?.estimate])).toEqual([
      ['2025-Q3', 30, 0.8],
      ['2025-Q4', 30, 1],
    ])
    expect(b.after.map((a) => a.change)).toEqual([-3.33, 16.67])
    for (const a of b.after) {
      expect(a.changeCi).not.toBeNull()
      expect(a.changeCi!.lower).toBeLessThan(a.change!)
      expect(a.changeCi!.upper).toBeGreaterThan(a.change!)
    }
  })

  it('renders the numbers on the page, in Vietnamese and in English', async () => {
    const data = (await open('BA-NEW')).body
    const vi = await renderPage({
      page: AgencyAnalytics,
      path: '/analytics/agency/BA-NEW',
      data,
      lng: 'vi',
      namespace: 'analytics',
    })
    expect(vi).toContain('Trước/sau sắp xếp')
    expect(vi).toContain('01/07/2025')
    expect(vi).toContain('83,33%')
    expect(vi).toContain('−3,33')
    expect(vi).toContain('+16,67')
    expect(vi).toContain('Cộng dồn theo đơn vị hiện nay')
    expect(vi).toContain('Quý II/2025')
    const en = await renderPage({
      page: AgencyAnalytics,
      path: '/analytics/agency/BA-NEW',
      data,
      lng: 'en',
      namespace: 'analytics',
    })
    expect(en).toContain('Before/after the reorganisation')
    expect(en).toContain('83.33%')
  })

  it('a unit without predecessors has no such section', async () => {
    const page = await open('BA-NEW', '?period=2025-Q4').then(async () => {
      const other = await insertAgency(
        t.db,
        {
          code: 'BA-NEW-X',
          nameVi: 'Xã BA',
          nameEn: 'BA Commune',
          level: 'commune',
          parentId: (
            await t.db.selectFrom('agency').select('id').where('code', '=', 'BA-NEW').executeTakeFirstOrThrow()
          ).id,
          validFrom: '2025-07-01',
          validTo: null,
        },
        new Date().toISOString(),
      )
      expect(other).toBeGreaterThan(0)
      return open('BA-NEW-X')
    })
    expect(page.status).toBe(200)
    expect((page.body as { reorganisation: unknown }).reorganisation).toBeNull()
  })
})
