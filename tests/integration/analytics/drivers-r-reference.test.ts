/**
 * GET /api/v1/drivers against plain R (issue #19): the seeded database is exported through the app's own
 * raw export, scripts/r-reference/drivers-reference.R recomputes the element scores and criterion
 * indicators from the answers, LMG of the elements by all-subsets lm() and the criteria's relative weights
 * from cov.wt() and eigen(), and every importance (share of R²), R² and n must agree with the API to 1e-6
 * (n exactly). Bootstrap intervals depend on the generator and are not compared (unit tests cover them).
 * Without Rscript the test is skipped with a warning; HAILONG_REQUIRE_R=1 makes that a failure.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiToken } from '#app/.server/auth/api-token.ts'
import { listAllAgencies, listTakeovers } from '#app/.server/repos/agency-tree.ts'
import { loader as responsesLoader } from '#app/routes/analytics.responses.$format.ts'
import { loader as driversLoader } from '#app/routes/api.v1.drivers.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run, signIn } from '#tests/helpers/remix.ts'
import { DRIVER_BATCHES, seedDriverData } from './drivers-support.ts'
import { agencyId, sipasVersion } from './support.ts'

const R_MISSING = 'Rscript not found: install R (apt-get install r-base-core)'
const hasR = spawnSync('Rscript', ['--version']).status === 0
if (!hasR) {
  if (process.env.HAILONG_REQUIRE_R === '1') throw new Error(`${R_MISSING}; HAILONG_REQUIRE_R=1 asks for it`)
  console.warn(`drivers-r-reference: skipped. ${R_MISSING}.`)
}

const SCRIPT = join(import.meta.dirname, '../../../scripts/r-reference/drivers-reference.R')
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

const csv = (rows: Array<Array<string | number | null>>) =>
  `${rows.map((r) => r.map((c) => `"${String(c ?? '').replaceAll('"', '""')}"`).join(',')).join('\n')}\n`

describe.skipIf(!hasR)('GET /api/v1/drivers reproduces all-subsets regression in R', () => {
  beforeAll(async () => {
    t = await createTestDatabase()
    context = makeContext(t)
    dir = mkdtempSync(join(tmpdir(), 'hailong-drivers-r-'))
    await seedDriverData(t, DRIVER_BATCHES)
    const national = await signIn(context, 'national@example.vn', 'admin', null)
    await t.db.updateTable('user').set({ can_export_microdata: 1 }).where('id', '=', national.userId).execute()
    const agencies = await listAllAgencies(t.db)
    const codeOf = new Map(agencies.map((a) => [a.id, a.code]))
    writeFileSync(join(dir, 'agencies.csv'), csv([['code', 'path'], ...agencies.map((a) => [a.code, a.path])]))
    writeFileSync(
      join(dir, 'successions.csv'),
      csv([
        ['predecessor', 'successor'],
        ...(await listTakeovers(t.db)).map((s) => [codeOf.get(s.predecessorId)!, codeOf.get(s.successorId)!]),
      ]),
    )
    const version = await sipasVersion(t)
    writeFileSync(
      join(dir, 'criteria.csv'),
      csv([
        ['element', 'element_weight', 'criterion', 'threshold'],
        ...version.elements.flatMap((e) =>
          e.items
            .filter((i) => i.countsInIndex && i.satisfiedThreshold !== null)
            .map((i) => [e.code, e.weight, i.code, i.satisfiedThreshold]),
        ),
      ]),
    )
    writeFileSync(join(dir, 'cases.csv'), csv([['root', 'outcome'], ...ROOTS.map((r) => [r, 'O.overall'])]))
    const out = await run(() =>
      responsesLoader({
        request: new Request('http://localhost/analytics/responses/csv?q=SIPAS-2017&period=2025', {
          headers: { Cookie: national.cookie },
        }),
        context,
        params: { format: 'csv' },
      }),
    )
    expect(out.status).toBe(200)
    writeFileSync(join(dir, 'responses.csv'), out.text)
    const result = spawnSync('Rscript', [SCRIPT, dir, join(dir, 'out.json')], { encoding: 'utf8' })
    if (result.status !== 0) throw new Error(`Rscript failed (files in ${dir}):\n${result.stderr}\n${result.stdout}`)
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
    if (process.env.HAILONG_KEEP_R_REFERENCE) console.info(`drivers-r-reference: files in ${dir}`)
    else if (dir) rmSync(dir, { recursive: true, force: true })
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
