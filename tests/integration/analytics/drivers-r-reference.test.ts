/**
 * GET /api/v1/drivers against plain R (issue #19): the seeded database is exported through the app's own
 * raw export, scripts/r-reference/drivers-reference.R recomputes the element scores and criterion
 * indicators from the answers, LMG of the elements by all-subsets lm() and the criteria's relative weights
 * from cov.wt() and eigen(), and every importance (share of R²), R² and n must agree with the API to 1e-6
 * (n exactly). Bootstrap intervals depend on the generator and are not compared (unit tests cover them).
 * Without Rscript the test is skipped with a warning; HAILONG_REQUIRE_R=1 makes that a failure.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiToken } from '#app/.server/auth/api-token.ts'
import { loader as driversLoader } from '#app/routes/api.v1.drivers.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run } from '#tests/helpers/remix.ts'
import { DRIVER_BATCHES, seedDriverData } from './drivers-support.ts'
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

const hasR = rAvailable('drivers-r-reference', 'R (apt-get install r-base-core)')

/** The province, a unit holding a merged-away unit's responses on today's boundaries, and a plain unit. */
const ROOTS = ['DEMO-AL', 'DEMO-AL-P-ANLAC', 'DEMO-AL-SNV']
const TOLERANCE = 1e-6

interface RRow {
  root: string
  kind: 'element' | 'criterion'
  method: string
  code: string
  importance: number
  rSquared: number
  n: number
}
interface ApiAnalysis {
  status: string
  method: string
  n: number
  rSquared: number
  items: Array<{ code: string; importance: number; importanceCi: { lower: number; upper: number } | null }>
}

let t: TestDatabase
let context: AppLoadContext
let dir: string
let reference: RRow[]
const api = new Map<string, { elements: ApiAnalysis; criteria: ApiAnalysis }>()

describe.skipIf(!hasR)('GET /api/v1/drivers reproduces all-subsets regression in R', () => {
  beforeAll(async () => {
    t = await createTestDatabase()
    context = makeContext(t)
    dir = newFolder('drivers-r')
    await seedDriverData(t, DRIVER_BATCHES)
    const cookie = await nationalExporter(t, context)
    await writeStructure(t, dir, await sipasVersion(t))
    writeFileSync(join(dir, 'cases.csv'), csvText([['root', 'outcome'], ...ROOTS.map((r) => [r, 'O.overall'])]))
    await writeRawExport(context, cookie, '2025', join(dir, 'responses.csv'))
    runReference('drivers-reference.R', dir, join(dir, 'out.json'))
    reference = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')).rows

    const token = await createApiToken(t.db, await agencyId(t, 'DEMO-AL'), 'R reference', 'test')
    for (const root of ROOTS) {
      const response = await run(() =>
        driversLoader({
          request: new Request(`http://localhost/api/v1/drivers?agency=${root}&period=2025`, {
            headers: { Authorization: `Bearer ${token}` },
          }),
          context,
          params: {},
        }),
      )
      expect(response.status, JSON.stringify(response.body)).toBe(200)
      api.set(root, response.body as { elements: ApiAnalysis; criteria: ApiAnalysis })
    }
  }, 300_000)
  afterAll(async () => {
    await t?.cleanup()
    removeFolder('drivers-r-reference', dir)
  })

  for (const root of ROOTS)
    for (const kind of ['element', 'criterion'] as const)
      it(`${root}: every ${kind}'s importance, R² and n agree with R to ${TOLERANCE}`, () => {
        const analysis = kind === 'element' ? api.get(root)!.elements : api.get(root)!.criteria
        const rows = reference.filter((r) => r.root === root && r.kind === kind)
        expect(analysis.status).toBe('ok')
        expect(rows.length).toBe(kind === 'element' ? 5 : 22)
        expect(analysis.method).toBe(rows[0]!.method)
        expect(analysis.n).toBe(rows[0]!.n)
        expect(Math.abs(analysis.rSquared - rows[0]!.rSquared)).toBeLessThan(TOLERANCE)
        const differences: string[] = []
        for (const r of rows) {
          const item = analysis.items.find((i) => i.code === r.code)
          if (!item || !(Math.abs(item.importance - r.importance) < TOLERANCE))
            differences.push(`${r.code}: API ${item?.importance} vs R ${r.importance}`)
        }
        expect(differences).toEqual([])
      })

  it('the data have drivers to find: E3 leads, and the shares of R² add up to 1', () => {
    const elements = api.get('DEMO-AL')!.elements
    const sorted = [...elements.items].sort((a, b) => b.importance - a.importance)
    expect(sorted[0]!.code).toBe('E3')
    expect(elements.items.reduce((s, i) => s + i.importance, 0)).toBeCloseTo(1, 12)
    // On today's boundaries DEMO-AL-P-ANLAC holds the merged unit's 70 respondents too.
    expect(api.get('DEMO-AL-P-ANLAC')!.elements.n).toBe(140)
  })
})
