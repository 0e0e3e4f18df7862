/**
 * GET /api/v1/scores against R's survey package (issue #16): a seeded database is exported through the
 * app's own raw export (/analytics/responses/csv), scripts/r-reference/scores-reference.R recomputes every
 * published cell from that file with svydesign / postStratify / subset / svymean / degf and Korn–Graubard,
 * and each number must agree with the API to 1e-9 (n exactly). The side file written here carries only
 * what the export does not: the agency tree and successions, the population counts and the questionnaire's
 * criteria, thresholds and element weights, read with the app's repos; nothing statistical is computed in
 * TypeScript. One Rscript run serves every case. Without Rscript the test is skipped with a warning (.ci/run
 * installs R where apt-get works); HAILONG_REQUIRE_R=1 makes a missing Rscript a failure.
 *
 * The data (2025 and 2024, SIPAS-2017), two strata "A"/"B" and design weights 1, 1.5, 2, 3.25 in turn:
 *   2025  DEMO-AL-SNV 40 · DEMO-AL-STP 32, every answer 5 (a 100 % cell) · DEMO-AL-H-ANLAC 40 (merged into
 *         DEMO-AL-P-ANLAC on 2025-07-01, with its own population count) · DEMO-AL-P-ANLAC 40 ·
 *         DEMO-BS-H-BINHMINH 40 (outside DEMO-AL on historical boundaries: in the design, in no displayed row)
 *   2024  DEMO-AL-SNV 40 · DEMO-AL-H-ANLAC 40 · DEMO-BS-SNV 36
 * Some respondents skip a criterion, so criterion domains are smaller than element domains.
 */
import crypto from 'node:crypto'
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiToken } from '#app/.server/auth/api-token.ts'
import { populationCountsOf, upsertPopulationCount } from '#app/.server/repos/population-counts.ts'
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

const hasR = rAvailable('scores-r-reference')

const PERIODS = [
  { period: '2025', from: '2025-01', to: '2025-12' },
  { period: '2024', from: '2024-01', to: '2024-12' },
]
const WEIGHTINGS = ['unweighted', 'design', 'poststratified'] as const
const BOUNDARIES = ['current', 'historical'] as const
const ROOT = 'DEMO-AL'
const WEIGHT_CYCLE = [1, 1.5, 2, 3.25]

interface Batch {
  agency: string
  at: string
  count: number
  /** Every answer 5, weight 1, stratum "A". */
  allFive?: boolean
  offset: number
}
const BATCHES: Batch[] = [
  { agency: 'DEMO-AL-SNV', at: '2025-03-10T03:00:00Z', count: 20, offset: 0 },
  { agency: 'DEMO-AL-SNV', at: '2025-09-10T03:00:00Z', count: 20, offset: 1 },
  { agency: 'DEMO-AL-STP', at: '2025-05-10T03:00:00Z', count: 32, allFive: true, offset: 0 },
  { agency: 'DEMO-AL-H-ANLAC', at: '2025-04-10T03:00:00Z', count: 40, offset: 2 },
  { agency: 'DEMO-AL-P-ANLAC', at: '2025-09-12T03:00:00Z', count: 40, offset: 3 },
  { agency: 'DEMO-BS-H-BINHMINH', at: '2025-03-12T03:00:00Z', count: 40, offset: 4 },
  { agency: 'DEMO-AL-SNV', at: '2024-06-10T03:00:00Z', count: 40, offset: 5 },
  { agency: 'DEMO-AL-H-ANLAC', at: '2024-06-11T03:00:00Z', count: 40, offset: 6 },
  { agency: 'DEMO-BS-SNV', at: '2024-06-12T03:00:00Z', count: 36, offset: 7 },
]
const POPULATION: Array<[period: string, agency: string, count: number]> = [
  ['2025', 'DEMO-AL-SNV', 5200],
  ['2025', 'DEMO-AL-STP', 1800],
  ['2025', 'DEMO-AL-H-ANLAC', 2600],
  ['2025', 'DEMO-AL-P-ANLAC', 1500],
  ['2025', 'DEMO-BS-H-BINHMINH', 3100],
  ['2024', 'DEMO-AL-SNV', 4800],
  ['2024', 'DEMO-AL-H-ANLAC', 2100],
  ['2024', 'DEMO-BS-SNV', 2900],
]

interface RCell {
  period: string
  boundaries: string
  weighting: string
  collapse: boolean
  agency: string
  kind: 'overall' | 'element' | 'criterion'
  column: string
  estimate: number | null
  se: number | null
  lower: number | null
  upper: number | null
  n: number
  nEff: number
  df: number | null
}
interface ApiCell {
  estimate: number | null
  se: number | null
  ci: { lower: number; upper: number } | null
  n: number
  nEff: number
  status: string
}
interface ApiRow {
  agency: { code: string }
  overall: ApiCell
  elements: Record<string, ApiCell>
  criteria: Record<string, ApiCell>
}

let t: TestDatabase
let context: AppLoadContext
let token: string
let dir: string
let reference: { r: string; survey: string; cells: RCell[] }
const api = new Map<string, ApiRow[]>()

/** Answers varying by respondent; one respondent in eleven skips a criterion. */
function answers(criteria: string[], k: number, offset: number, allFive: boolean) {
  const out: Record<string, number> = {}
  criteria.forEach((code, j) => {
    if (!allFive && (k + j + offset) % 11 === 0) return
    out[code] = allFive ? 5 : 1 + ((k * 3 + j * 2 + offset + Math.floor(k / 5)) % 5)
  })
  return out
}

async function seedData() {
  const version = await sipasVersion(t)
  const criteria = version.elements.flatMap((e) => e.items.filter((i) => i.countsInIndex).map((i) => i.code))
  let counter = 0
  for (const b of BATCHES) {
    const id = await agencyId(t, b.agency)
    for (let k = 0; k < b.count; k++) {
      counter += 1
      const result = await submitResponse(t.db, {
        clientSubmissionId: `r-reference-${counter}-${crypto.randomUUID()}`,
        version,
        context: { agencyId: id, procedureId: null, channel: 'counter', linkId: null, invitationId: null },
        answers: answers(criteria, k, b.offset, b.allFive ?? false),
        submittedAt: new Date(b.at),
        weightMicro: Math.round((b.allFive ? 1 : WEIGHT_CYCLE[(k + b.offset) % 4]!) * 1e6),
        stratum: b.allFive || (k + b.offset) % 2 === 0 ? 'A' : 'B',
      })
      if (result.status !== 'stored') throw new Error(`not stored: ${result.status}`)
    }
  }
  const now = new Date().toISOString()
  for (const [period, agency, count] of POPULATION)
    await upsertPopulationCount(t.db, { agencyId: await agencyId(t, agency), period, count, source: 'test' }, now)
}

/** What the raw export does not carry, read with the app's repos (no statistics). */
async function writeSideFiles(cookie: string) {
  const codeOf = await writeStructure(t, dir, await sipasVersion(t))
  const population: Array<Array<string | number>> = [['period', 'agency', 'count']]
  for (const p of PERIODS)
    for (const c of await populationCountsOf(t.db, p.period))
      population.push([p.period, codeOf.get(c.agencyId)!, c.count])
  writeFileSync(join(dir, 'population.csv'), csvText(population))
  // The raw responses of the whole database (a national analyst), one export per period.
  for (const p of PERIODS) await writeRawExport(context, cookie, p.period, join(dir, `responses-${p.period}.csv`))
  writeFileSync(
    join(dir, 'periods.csv'),
    csvText([
      ['period', 'from_month', 'to_month', 'file'],
      ...PERIODS.map((p) => [p.period, p.from, p.to, `responses-${p.period}.csv`]),
    ]),
  )
  writeFileSync(
    join(dir, 'cases.csv'),
    csvText([
      ['period', 'boundaries', 'weighting', 'collapse', 'root'],
      ...CASES.map((c) => [c.period, c.boundaries, c.weighting, c.collapse ? '1' : '0', ROOT]),
    ]),
  )
}

/** Every period × boundaries × weighting, plus post-strata collapsed into successors (collapse=1, today's boundaries). */
const CASES = PERIODS.flatMap((p) => [
  ...BOUNDARIES.flatMap((b) =>
    WEIGHTINGS.map((w) => ({ period: p.period, boundaries: b, weighting: w, collapse: false })),
  ),
  { period: p.period, boundaries: 'current', weighting: 'poststratified', collapse: true },
])
const caseKey = (c: { period: string; boundaries: string; weighting: string; collapse: boolean }) =>
  `${c.period}|${c.boundaries}|${c.weighting}|${c.collapse}`

describe.skipIf(!hasR)('GET /api/v1/scores reproduces R survey on a raw export', () => {
  beforeAll(async () => {
    t = await createTestDatabase()
    context = makeContext(t)
    dir = newFolder('scores-r')
    await seedData()
    await writeSideFiles(await nationalExporter(t, context))
    runReference('scores-reference.R', dir, join(dir, 'out.json'))
    reference = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'))
    token = await createApiToken(t.db, await agencyId(t, ROOT), 'R reference', 'test')
    for (const c of CASES) {
      const query = `q=SIPAS-2017&period=${c.period}&boundaries=${c.boundaries}&weighting=${c.weighting}&method=respondent-composite${c.collapse ? '&collapse=1' : ''}`
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
      api.set(caseKey(c), (out.body as { rows: ApiRow[] }).rows)
    }
  }, 120_000)
  afterAll(async () => {
    await t?.cleanup()
    // HAILONG_KEEP_R_REFERENCE=1 keeps the side files and R's output for a look (the folder is printed).
    removeFolder('scores-r-reference', dir)
  })

  /** Every difference between R and the API for the cells selected; [] when they agree. */
  function compare(select: (c: RCell) => boolean) {
    const differences: string[] = []
    let compared = 0
    for (const r of reference.cells.filter(select)) {
      const rows = api.get(caseKey(r))!
      const row = rows.find((x) => x.agency.code === r.agency)
      const where = `${r.period} ${r.boundaries} ${r.weighting}${r.collapse ? ' collapsed' : ''} ${r.agency} ${r.column}`
      if (!row) {
        differences.push(`${where}: no row in the API`)
        continue
      }
      const cell =
        r.kind === 'overall' ? row.overall : r.kind === 'element' ? row.elements[r.column] : row.criteria[r.column]
      if (!cell) {
        differences.push(`${where}: no cell in the API`)
        continue
      }
      if (cell.n !== r.n) differences.push(`${where}: n ${cell.n} vs R ${r.n}`)
      // A cell the API withholds (under the thresholds, or a complement) carries no estimate: nothing to
      // compare but n. A published cell must have one exactly when R has one.
      if (cell.estimate === null || r.estimate === null) {
        if ((cell.estimate === null) !== (r.estimate === null) && cell.status === 'published')
          differences.push(`${where}: estimate ${cell.estimate} vs R ${r.estimate}`)
        continue
      }
      compared += 1
      const pairs: Array<[string, number | null | undefined, number | null]> = [
        ['estimate', cell.estimate, r.estimate],
        ['se', cell.se, r.se],
        ['lower', cell.ci?.lower, r.lower],
        ['upper', cell.ci?.upper, r.upper],
      ]
      for (const [what, a, b] of pairs)
        if (a == null || b === null || !(Math.abs(a - b) <= 1e-9)) differences.push(`${where}: ${what} ${a} vs R ${b}`)
      if (!(Math.abs(cell.nEff - r.nEff) <= 1e-9 * Math.max(1, r.nEff)))
        differences.push(`${where}: nEff ${cell.nEff} vs R ${r.nEff}`)
    }
    if (process.env.HAILONG_KEEP_R_REFERENCE && differences.length)
      appendFileSync(join(dir, 'differences.txt'), `${differences.join('\n')}\n`)
    return { differences, compared }
  }

  for (const boundaries of BOUNDARIES)
    for (const weighting of WEIGHTINGS)
      it(`${weighting} weights on ${boundaries} boundaries: every cell of both periods, to 1e-9`, () => {
        const { differences, compared } = compare(
          (c) => c.boundaries === boundaries && c.weighting === weighting && !c.collapse,
        )
        expect(differences).toEqual([])
        expect(compared).toBeGreaterThan(100)
      })

  it('post-strata collapsed into successors on request (collapse=1): every cell, to 1e-9', () => {
    const { differences, compared } = compare((c) => c.collapse)
    expect(differences).toEqual([])
    expect(compared).toBeGreaterThan(100)
    // Collapsing moves the successor's estimate: the merged unit's count no longer weighs its own responses.
    const successor = (collapse: boolean) =>
      reference.cells.find(
        (c) =>
          c.agency === 'DEMO-AL-P-ANLAC' &&
          c.period === '2025' &&
          c.boundaries === 'current' &&
          c.weighting === 'poststratified' &&
          c.collapse === collapse &&
          c.kind === 'overall',
      )!.estimate!
    expect(Math.abs(successor(true) - successor(false))).toBeGreaterThan(1e-4)
  })

  it('the rollup (DEMO-AL) pools its subtree, as a domain of the whole design', () => {
    const { differences, compared } = compare((c) => c.agency === ROOT)
    expect(differences).toEqual([])
    expect(compared).toBe(CASES.length * (1 + 5 + 22))
  })

  it('the merged-away unit: its own row on historical boundaries, inside its successor on current ones', () => {
    const own = compare((c) => c.agency === 'DEMO-AL-H-ANLAC' && c.boundaries === 'historical')
    const successor = compare((c) => c.agency === 'DEMO-AL-P-ANLAC' && c.period === '2025')
    expect([...own.differences, ...successor.differences]).toEqual([])
    expect(own.compared).toBeGreaterThan(0)
    expect(successor.compared).toBeGreaterThan(0)
    // On current boundaries the successor's 2025 cell holds both units' respondents.
    const overall = reference.cells.find(
      (c) =>
        c.agency === 'DEMO-AL-P-ANLAC' && c.boundaries === 'current' && c.kind === 'overall' && c.period === '2025',
    )
    expect(overall?.n).toBe(80)
  })

  it('the 100 % cell: estimate 1, no variance, Clopper–Pearson on n', () => {
    const { differences, compared } = compare((c) => c.agency === 'DEMO-AL-STP' && c.period === '2025')
    expect(differences).toEqual([])
    expect(compared).toBe((CASES.length / PERIODS.length) * (1 + 5 + 22))
    const cell = reference.cells.find((c) => c.agency === 'DEMO-AL-STP' && c.kind === 'overall' && c.period === '2025')!
    expect([cell.estimate, cell.se, cell.upper]).toEqual([1, 0, 1])
  })

  it('the design has two strata: a domain spanning both has n − 2 degrees of freedom', () => {
    const root = reference.cells.filter((c) => c.agency === ROOT && c.kind === 'overall')
    expect(root).toHaveLength(CASES.length)
    for (const c of root) expect(c.df).toBe(c.n - 2)
  })
})
