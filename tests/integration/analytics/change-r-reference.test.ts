/**
 * The change column's interval (`changeCi`, `changeSignificant` of GET /api/v1/scores; docs/method.md §8)
 * against R's survey package (issue #19): the seeded database is exported through the app's raw export,
 * one file per period, and scripts/r-reference/change-reference.R puts both periods in one design (each
 * period its own strata), takes svyby(~overall, ~period, …) over each displayed agency's domain and
 * svycontrast(current − previous) for the change and its standard error, and the normal 95 % interval.
 * The API rounds the change and its bounds to the published decimals (2, in points): each bound must equal
 * R's bound rounded half away from zero (within 1e-6 of R's unrounded bound plus half the last decimal), and
 * `changeSignificant` must be R's verdict on the unrounded bounds. Both comparisons (the period before and
 * the same period a year earlier), design and unit weights, today's boundaries (a merged unit's earlier
 * responses count for its successor). Without Rscript the test is skipped with a warning;
 * HAILONG_REQUIRE_R=1 makes that a failure.
 *
 * The data, SIPAS-2017, two strata "A"/"B", design weights 1, 1.5, 2, 3.25 in turn:
 *   2025-Q3  SNV 64 (answers one point higher) · STP 60 · P-ANLAC 70
 *   2025-Q2  SNV 60 · STP 56 · P-ANLAC 26 + H-ANLAC 34 (merged into P-ANLAC on 2025-07-01) · SXD 40
 *   2024-Q3  SNV 30 + BS-SNV 30 (merged into SNV), answers one point lower · STP 62 · P-ANLAC 20 + H-ANLAC 40
 * SXD has no respondents in 2025-Q3: no change, though it is in the earlier design.
 */
import crypto from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AppLoadContext } from '@remix-run/node'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiToken } from '#app/.server/auth/api-token.ts'
import { submitResponse } from '#app/.server/services/submit-response.ts'
import { loader as scoresLoader } from '#app/routes/api.v1.scores.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run } from '#tests/helpers/remix.ts'
import {
  csvText,
  nationalExporter,
  newFolder,
  rAvailable,
  removeFolder,
  runReference,
  writeRawExport,
  writeStructure,
} from './r-reference-support.ts'
import { agencyId, sipasVersion } from './support.ts'

const hasR = rAvailable('change-r-reference')

const ROOT = 'DEMO-AL'
const PERIOD = '2025-Q3'
const COMPARISONS = [
  { compare: 'previous', previous: '2025-Q2' },
  { compare: 'year', previous: '2024-Q3' },
] as const
const WEIGHTINGS = ['design', 'unweighted'] as const
const WEIGHT_CYCLE = [1, 1.5, 2, 3.25]
/** How far R's unrounded bound may sit from the API's rounded one: half the last decimal, and 1e-6. */
const TOLERANCE = 0.005 + 1e-6

interface Batch {
  agency: string
  at: string
  count: number
  offset: number
  /** Added to every answer (clipped to 1–5): moves the unit's satisfaction between periods. */
  lift?: number
}
const BATCHES: Batch[] = [
  { agency: 'DEMO-AL-SNV', at: '2025-08-10T03:00:00Z', count: 64, offset: 0, lift: 1 },
  { agency: 'DEMO-AL-STP', at: '2025-08-11T03:00:00Z', count: 60, offset: 3 },
  { agency: 'DEMO-AL-P-ANLAC', at: '2025-09-12T03:00:00Z', count: 70, offset: 6 },
  { agency: 'DEMO-AL-SNV', at: '2025-05-10T03:00:00Z', count: 60, offset: 1 },
  { agency: 'DEMO-AL-STP', at: '2025-05-11T03:00:00Z', count: 56, offset: 4 },
  { agency: 'DEMO-AL-P-ANLAC', at: '2025-05-12T03:00:00Z', count: 26, offset: 7 },
  { agency: 'DEMO-AL-H-ANLAC', at: '2025-04-12T03:00:00Z', count: 34, offset: 8 },
  { agency: 'DEMO-AL-SXD', at: '2025-04-13T03:00:00Z', count: 40, offset: 10 },
  { agency: 'DEMO-AL-SNV', at: '2024-08-10T03:00:00Z', count: 30, offset: 2, lift: -1 },
  { agency: 'DEMO-BS-SNV', at: '2024-08-11T03:00:00Z', count: 30, offset: 11, lift: -1 },
  { agency: 'DEMO-AL-STP', at: '2024-08-12T03:00:00Z', count: 62, offset: 5 },
  { agency: 'DEMO-AL-P-ANLAC', at: '2024-09-12T03:00:00Z', count: 20, offset: 12 },
  { agency: 'DEMO-AL-H-ANLAC', at: '2024-07-12T03:00:00Z', count: 40, offset: 13 },
]

interface RChange {
  current: string
  previous: string
  weighting: string
  agency: string
  change: number
  se: number
  lower: number
  upper: number
  significant: boolean
  estimate_current: number
  estimate_previous: number
}
interface ApiRow {
  agency: { code: string }
  overall: { estimate: number | null; status: string }
  change: number | null
  changeCi: { lower: number; upper: number } | null
  changeSignificant: boolean | null
}

let t: TestDatabase
let context: AppLoadContext
let dir: string
let reference: RChange[]
const api = new Map<string, ApiRow[]>()
const key = (previous: string, weighting: string) => `${previous}|${weighting}`

function answers(criteria: string[], k: number, offset: number, lift: number) {
  const out: Record<string, number> = {}
  criteria.forEach((code, j) => {
    if ((k + j + offset) % 13 === 0) return
    const base = 1 + ((k * 3 + j * 2 + offset + Math.floor(k / 5)) % 5)
    out[code] = Math.min(5, Math.max(1, base + lift))
  })
  return out
}

/** Half away from zero to two decimals, as the published change (docs/method.md §8). */
const round2 = (x: number) => (Math.sign(x) * Math.round(Math.abs(x) * 100)) / 100

describe.skipIf(!hasR)('the change interval of GET /api/v1/scores reproduces R survey', () => {
  beforeAll(async () => {
    t = await createTestDatabase()
    context = makeContext(t)
    dir = newFolder('change-r')
    const version = await sipasVersion(t)
    const criteria = version.elements.flatMap((e) => e.items.filter((i) => i.countsInIndex).map((i) => i.code))
    let counter = 0
    for (const b of BATCHES) {
      const id = await agencyId(t, b.agency)
      for (let k = 0; k < b.count; k++) {
        counter += 1
        const result = await submitResponse(t.db, {
          clientSubmissionId: `change-r-${counter}-${crypto.randomUUID()}`,
          version,
          context: { agencyId: id, procedureId: null, channel: 'counter', linkId: null, invitationId: null },
          answers: answers(criteria, k, b.offset, b.lift ?? 0),
          submittedAt: new Date(b.at),
          weightMicro: Math.round(WEIGHT_CYCLE[(k + b.offset) % 4]! * 1e6),
          stratum: (k + b.offset) % 2 === 0 ? 'A' : 'B',
        })
        if (result.status !== 'stored') throw new Error(`not stored: ${result.status}`)
      }
    }
    const cookie = await nationalExporter(t, context)
    await writeStructure(t, dir, version)
    const periods = [PERIOD, ...COMPARISONS.map((c) => c.previous)]
    for (const period of periods) await writeRawExport(context, cookie, period, join(dir, `responses-${period}.csv`))
    writeFileSync(
      join(dir, 'periods.csv'),
      csvText([['period', 'file'], ...periods.map((p) => [p, `responses-${p}.csv`])]),
    )
    writeFileSync(
      join(dir, 'cases.csv'),
      csvText([
        ['current', 'previous', 'weighting', 'root'],
        ...COMPARISONS.flatMap((c) => WEIGHTINGS.map((w) => [PERIOD, c.previous, w, ROOT])),
      ]),
    )
    runReference('change-reference.R', dir, join(dir, 'out.csv'))
    reference = (parse(readFileSync(join(dir, 'out.csv'), 'utf8'), { columns: true }) as Record<string, string>[]).map(
      (r) => ({
        current: r.current!,
        previous: r.previous!,
        weighting: r.weighting!,
        agency: r.agency!,
        change: Number(r.change),
        se: Number(r.se),
        lower: Number(r.lower),
        upper: Number(r.upper),
        significant: r.significant === 'TRUE',
        estimate_current: Number(r.estimate_current),
        estimate_previous: Number(r.estimate_previous),
      }),
    )
    const token = await createApiToken(t.db, await agencyId(t, ROOT), 'R reference', 'test')
    for (const c of COMPARISONS)
      for (const weighting of WEIGHTINGS) {
        const query = `q=SIPAS-2017&period=${PERIOD}&compare=${c.compare}&weighting=${weighting}&method=respondent-composite`
        const out = await run(() =>
          scoresLoader({
            request: new Request(`http://localhost/api/v1/scores?${query}`, {
              headers: { Authorization: `Bearer ${token}` },
            }),
            context,
            params: {},
          }),
        )
        expect(out.status, `${query}: ${JSON.stringify(out.body)}`).toBe(200)
        const body = out.body as { previousPeriod: string; rows: ApiRow[] }
        expect(body.previousPeriod).toBe(c.previous)
        api.set(key(c.previous, weighting), body.rows)
      }
  }, 300_000)
  afterAll(async () => {
    await t?.cleanup()
    removeFolder('change-r-reference', dir)
  })

  for (const c of COMPARISONS)
    for (const weighting of WEIGHTINGS)
      it(`${PERIOD} against ${c.previous} (compare=${c.compare}), ${weighting} weights: every interval as R's`, () => {
        const rows = api.get(key(c.previous, weighting))!
        const differences: string[] = []
        let compared = 0
        for (const row of rows) {
          const r = reference.find(
            (x) => x.previous === c.previous && x.weighting === weighting && x.agency === row.agency.code,
          )
          if (row.changeCi === null) {
            // No change is shown where either period is withheld; R may still have one.
            expect(row.change).toBeNull()
            expect(row.changeSignificant).toBeNull()
            continue
          }
          const where = `${row.agency.code}`
          if (!r) {
            differences.push(`${where}: a change in the API, none in R`)
            continue
          }
          compared += 1
          for (const [what, a, b] of [
            ['lower', row.changeCi.lower, r.lower],
            ['upper', row.changeCi.upper, r.upper],
          ] as const) {
            if (!(Math.abs(a - b) <= TOLERANCE)) differences.push(`${where}: ${what} ${a} vs R ${b}`)
            // Exactly R's bound rounded, unless R's bound sits on a rounding edge.
            const edge = Math.abs((Math.abs(b * 100) % 1) - 0.5) < 1e-6
            if (!edge && a !== round2(b)) differences.push(`${where}: ${what} ${a} vs R rounded ${round2(b)}`)
          }
          if (row.changeSignificant !== r.significant)
            differences.push(`${where}: significant ${row.changeSignificant} vs R ${r.significant}`)
          // The change itself: the difference of the two rounded published percentages (an estimate on a
          // rounding edge, such as 39.425 %, may round either way in floating point: one hundredth apart).
          const change = round2(round2(r.estimate_current * 100) - round2(r.estimate_previous * 100))
          const onEdge = [r.estimate_current, r.estimate_previous].some((x) => Math.abs(((x * 1e4) % 1) - 0.5) < 1e-6)
          if (row.change === null || Math.abs(row.change - change) > (onEdge ? 0.01 + 1e-9 : 1e-9))
            differences.push(`${where}: change ${row.change} vs R ${change}`)
        }
        expect(differences).toEqual([])
        // The province, SNV, STP and P-ANLAC (with its merged predecessor's responses) at least.
        expect(compared).toBeGreaterThanOrEqual(4)
      })

  it('the data hold both verdicts, and the merged unit is counted in its successor', () => {
    const design = reference.filter((r) => r.weighting === 'design')
    expect(design.some((r) => r.significant)).toBe(true)
    expect(design.some((r) => !r.significant)).toBe(true)
    const snvYear = api.get(key('2024-Q3', 'design'))!.find((r) => r.agency.code === 'DEMO-AL-SNV')!
    expect(snvYear.changeSignificant).toBe(true)
    // P-ANLAC had 26 respondents of its own in 2025-Q2: published only with H-ANLAC's 34.
    const anlac = api.get(key('2025-Q2', 'design'))!.find((r) => r.agency.code === 'DEMO-AL-P-ANLAC')!
    expect(anlac.changeCi).not.toBeNull()
    expect(api.get(key('2025-Q2', 'design'))!.find((r) => r.agency.code === 'DEMO-AL-SXD')!.changeCi).toBeNull()
  })
})
