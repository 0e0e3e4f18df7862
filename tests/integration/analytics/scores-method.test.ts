/**
 * The web scores follow one stated method (issue #16, docs/statistics.md): every cell is a domain of the
 * full design (all counted responses of the period, every agency), strata honoured, post-strata the units
 * as they were across the 2025 merger (unless `collapse`), and a change column that says why it is empty.
 * Checked against the microdata path, `hailong analyze` (createDesign / postStratify / estimateBy), on the
 * very responses submitted here, at 1e-9.
 *
 * 2024 (before the merger; current successor in brackets), strata A, B and none (''):
 *   DEMO-AL-SNV          12 × S (w 1, A) · 8 × U (w 2, B) · 6 × H (w 1.5, none)
 *   DEMO-BS-SNV          9 × S (w 1, A) · 5 × U (w 3, B)                         [DEMO-AL-SNV]
 *   DEMO-AL-H-ANLAC      10 × H (w 1, A) · 7 × S (w 2, B)                        [DEMO-AL-P-ANLAC]
 *   DEMO-BS-H-BINHMINH   11 × U (w 1, B) · 6 × S (w 2, A) · 3 × H (w 1, none)    [DEMO-AL-X-BINHMINH]
 * 2023: DEMO-AL-SNV 30 × S, with no population counts (the change column of 2024, post-stratified).
 */
import crypto from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { analyzeCommand } from '../../../scripts/cli/commands/analyze.ts'
import type { CliIO } from '../../../scripts/cli/command.ts'
import { parseAnalyticsQuery } from '#app/.server/analytics/query.ts'
import { scoresForScope } from '#app/.server/analytics/scores-for-user.ts'
import { listAllAgencies } from '#app/.server/repos/agency-tree.ts'
import { upsertPopulationCount } from '#app/.server/repos/population-counts.ts'
import { computeScores, type ScoresRequest, type ScoresResult, successorMap } from '#app/.server/services/scores.ts'
import { submitResponse } from '#app/.server/services/submit-response.ts'
import { parsePeriod } from '#app/domain/period.ts'
import { respondentComposites } from '#app/domain/scoring/contributions.ts'
import { loader as responsesLoader } from '#app/routes/analytics.responses.$format.ts'
import { parse } from 'csv-parse/sync'
import { makeContext, run, signIn } from '#tests/helpers/remix.ts'
import type { ScoreCell } from '#app/domain/scoring/score-table.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { agencyId, answersFor, type Profile, sipasVersion } from './support.ts'

interface Batch {
  agency: string
  successor: string
  year: number
  profile: Profile
  count: number
  weight: number
  stratum: string | null
}
const b = (
  agency: string,
  successor: string,
  profile: Profile,
  count: number,
  weight: number,
  stratum: string | null,
) => ({ agency, successor, year: 2024, profile, count, weight, stratum }) satisfies Batch
const BATCHES: Batch[] = [
  b('DEMO-AL-SNV', 'DEMO-AL-SNV', 'S', 12, 1, 'A'),
  b('DEMO-AL-SNV', 'DEMO-AL-SNV', 'U', 8, 2, 'B'),
  b('DEMO-AL-SNV', 'DEMO-AL-SNV', 'H', 6, 1.5, null),
  b('DEMO-BS-SNV', 'DEMO-AL-SNV', 'S', 9, 1, 'A'),
  b('DEMO-BS-SNV', 'DEMO-AL-SNV', 'U', 5, 3, 'B'),
  b('DEMO-AL-H-ANLAC', 'DEMO-AL-P-ANLAC', 'H', 10, 1, 'A'),
  b('DEMO-AL-H-ANLAC', 'DEMO-AL-P-ANLAC', 'S', 7, 2, 'B'),
  b('DEMO-BS-H-BINHMINH', 'DEMO-AL-X-BINHMINH', 'U', 11, 1, 'B'),
  b('DEMO-BS-H-BINHMINH', 'DEMO-AL-X-BINHMINH', 'S', 6, 2, 'A'),
  b('DEMO-BS-H-BINHMINH', 'DEMO-AL-X-BINHMINH', 'H', 3, 1, null),
]
const POPULATION_2024: Record<string, number> = {
  'DEMO-AL-SNV': 400,
  'DEMO-BS-SNV': 150,
  'DEMO-AL-H-ANLAC': 300,
  'DEMO-BS-H-BINHMINH': 250,
}
/** Each profile's overall index, E1 element index and E2.1 criterion (satisfied = 4 or 5). */
const VALUES: Record<Profile, { overall: number; E1: number; 'E2.1': number }> = {
  S: { overall: 1, E1: 1, 'E2.1': 1 },
  U: { overall: 0, E1: 0, 'E2.1': 0 },
  H: { overall: 0.6, E1: 1, 'E2.1': 0 },
}

let t: TestDatabase
const scratch = mkdtempSync(join(tmpdir(), 'hailong-scores-method-'))

beforeAll(async () => {
  t = await createTestDatabase()
  const version = await sipasVersion(t)
  const all = [...BATCHES, { ...b('DEMO-AL-SNV', 'DEMO-AL-SNV', 'S', 30, 1, null), year: 2023 }]
  let k = 0
  for (const batch of all) {
    const id = await agencyId(t, batch.agency)
    for (let i = 0; i < batch.count; i++) {
      k += 1
      const result = await submitResponse(t.db, {
        clientSubmissionId: `scores-method-${k}-${crypto.randomUUID()}`,
        version,
        context: { agencyId: id, procedureId: null, channel: 'counter', linkId: null, invitationId: null },
        answers: answersFor(batch.profile),
        submittedAt: new Date(`${batch.year}-0${1 + (i % 9)}-10T03:00:00Z`),
        weightMicro: Math.round(batch.weight * 1e6),
        stratum: batch.stratum,
      })
      if (result.status !== 'stored') throw new Error(`not stored: ${result.status}`)
    }
  }
  const now = new Date().toISOString()
  for (const [agency, count] of Object.entries(POPULATION_2024))
    await upsertPopulationCount(
      t.db,
      { agencyId: await agencyId(t, agency), period: '2024', count, source: 'test' },
      now,
    )
})
afterAll(async () => {
  await t?.cleanup()
})

type Ok = Extract<ScoresResult, { ok: true }>
async function scores(extra: Partial<ScoresRequest> = {}): Promise<Ok> {
  const result = await computeScores(t.db, {
    questionnaireCode: 'SIPAS-2017',
    rootAgencyCode: 'DEMO-AL',
    period: parsePeriod('2024')!,
    boundaries: 'current',
    ...extra,
  })
  if (!result.ok) throw new Error(`computeScores failed: ${result.error} ${result.detail ?? ''}`)
  return result
}
const row = (r: Ok, code: string) => {
  const found = r.rows.find((x) => x.agency.code === code)
  if (!found) throw new Error(`no row ${code}`)
  return found
}

/** The 2024 respondents as microdata, one CSV row each ('_' for no stratum: one stratum of its own). */
function microdata() {
  const header = 'unit,current,in_al,stratum,w,overall,E1,E2_1'
  const lines = BATCHES.flatMap((batch) =>
    Array.from({ length: batch.count }, () => {
      const v = VALUES[batch.profile]
      const inAl = batch.successor.startsWith('DEMO-AL') ? 'yes' : 'no'
      return [batch.agency, batch.successor, inAl, batch.stratum ?? '_', batch.weight, v.overall, v.E1, v['E2.1']]
    }).map((cells) => cells.join(',')),
  )
  const path = join(scratch, 'microdata.csv')
  writeFileSync(path, `${header}\n${lines.join('\n')}\n`)
  return path
}

interface Analyzed {
  group: string
  estimate: number
  se: number
  ci: { lower: number; upper: number }
  n: number
}
async function analyze(args: string[], input = microdata()): Promise<Map<string, Analyzed>> {
  const out: string[] = []
  const io: CliIO = {
    stdout: (s) => out.push(s),
    stderr: () => {},
    readStdin: async () => '',
    env: { ...process.env },
    cwd: scratch,
  }
  expect(await analyzeCommand.run(['--input', input, '--strata', 'stratum', ...args, '--json'], io)).toBe(0)
  return new Map((JSON.parse(out.join('')) as Analyzed[]).map((r) => [r.group, r]))
}
const population = Object.entries(POPULATION_2024)
  .map(([unit, n]) => `${unit}=${n}`)
  .join(',')

function expectSame(cell: ScoreCell, micro: Analyzed | undefined) {
  expect(micro).toBeDefined()
  expect(cell.n).toBe(micro!.n)
  expect(Math.abs(cell.estimate! - micro!.estimate)).toBeLessThan(1e-9)
  expect(Math.abs(cell.se! - micro!.se)).toBeLessThan(1e-9)
  expect(Math.abs(cell.ci!.lower - micro!.ci.lower)).toBeLessThan(1e-9)
  expect(Math.abs(cell.ci!.upper - micro!.ci.upper)).toBeLessThan(1e-9)
}

const VARIABLES = [
  ['overall', (r: ReturnType<typeof row>) => r.overall],
  ['E1', (r: ReturnType<typeof row>) => r.elements.E1!],
  ['E2_1', (r: ReturnType<typeof row>) => r.criteria['E2.1']!],
] as const

describe('post-strata across the merger (item 1)', () => {
  it('a merged-away unit is a post-stratum of its own inside its successor: as postStratify on the units', async () => {
    const ps = await scores({ options: { weighting: 'poststratified' } })
    const design = await scores({ options: { weighting: 'design' } })
    expect(ps.options.collapse).toBe(false)
    // DEMO-AL-SNV: (400 · θ_AL-SNV + 150 · θ_BS-SNV) / 550, not the design-weighted pooled share.
    const thetaOwn = (12 + 6 * 1.5 * 0.6) / (12 + 16 + 9)
    const thetaMerged = 9 / (9 + 15)
    expect(row(ps, 'DEMO-AL-SNV').overall.estimate).toBeCloseTo((400 * thetaOwn + 150 * thetaMerged) / 550, 12)
    expect(
      Math.abs(row(ps, 'DEMO-AL-SNV').overall.estimate! - row(design, 'DEMO-AL-SNV').overall.estimate!),
    ).toBeGreaterThan(0.01)
    for (const [variable, cell] of VARIABLES) {
      const byCurrent = await analyze([
        '--value',
        variable,
        '--weights',
        'w',
        '--by',
        'current',
        '--poststrata',
        'unit',
        '--population',
        population,
      ])
      for (const code of ['DEMO-AL-SNV', 'DEMO-AL-P-ANLAC', 'DEMO-AL-X-BINHMINH'])
        expectSame(cell(row(ps, code)), byCurrent.get(code))
      const rollup = await analyze([
        '--value',
        variable,
        '--weights',
        'w',
        '--by',
        'in_al',
        '--poststrata',
        'unit',
        '--population',
        population,
      ])
      expectSame(cell(row(ps, 'DEMO-AL')), rollup.get('yes'))
    }
  })

  it('collapse=true pools the merged-away units into the successor cell: one cell, the design-weighted share', async () => {
    const collapsed = await scores({ options: { weighting: 'poststratified', collapse: true } })
    const design = await scores({ options: { weighting: 'design' } })
    expect(collapsed.options.collapse).toBe(true)
    expect(row(collapsed, 'DEMO-AL-SNV').overall.estimate).toBeCloseTo(row(design, 'DEMO-AL-SNV').overall.estimate!, 12)
  })
})

describe('the collapse query parameter', () => {
  it('collapse=1 reaches the scores and is stated in their options; default off; other values refused', async () => {
    const query = (qs: string) => {
      const parsed = parseAnalyticsQuery(new URLSearchParams(qs))
      if (!parsed.ok) throw new Error(parsed.error)
      return parsed.query
    }
    expect(query('period=2024').collapse).toBe(false)
    expect(parseAnalyticsQuery(new URLSearchParams('collapse=yes'))).toEqual({
      ok: false,
      error: 'analytics.errors.query',
    })
    const on = await scoresForScope(t.db, { scopePath: null }, query('period=2024&weighting=poststratified&collapse=1'))
    const off = await scoresForScope(t.db, { scopePath: null }, query('period=2024&weighting=poststratified'))
    if (!on.ok || !off.ok) throw new Error('scores failed')
    expect([on.options.collapse, off.options.collapse]).toEqual([true, false])
    const snv = (r: Ok) => row(r, 'DEMO-AL-SNV').overall.estimate
    expect(snv(on)).not.toBeCloseTo(snv(off)!, 6)
  })
})

describe('the change column says why it is empty (item 6)', () => {
  it('post-stratified without counts for 2023: change null and changeUnavailable', async () => {
    const ps = await scores({ options: { weighting: 'poststratified' } })
    expect(ps.rows.every((r) => r.change === null)).toBe(true)
    expect(ps.changeUnavailable).toBe('previousPopulationIncomplete')
    const design = await scores()
    expect(design.changeUnavailable).toBeNull()
    expect(row(design, 'DEMO-AL-SNV').change).not.toBeNull()
  })
})

describe('strata and domains of the full design (items 2 and 3): the same as hailong analyze', () => {
  it.each(['design', 'unweighted'] as const)(
    '%s weights, current boundaries: every cell, SE and interval',
    async (weighting) => {
      const r = await scores({ options: { weighting } })
      const weights = weighting === 'design' ? ['--weights', 'w'] : []
      for (const [variable, cell] of VARIABLES) {
        const byCurrent = await analyze(['--value', variable, ...weights, '--by', 'current'])
        for (const code of ['DEMO-AL-SNV', 'DEMO-AL-P-ANLAC', 'DEMO-AL-X-BINHMINH'])
          expectSame(cell(row(r, code)), byCurrent.get(code))
        expectSame(
          cell(row(r, 'DEMO-AL')),
          (await analyze(['--value', variable, ...weights, '--by', 'in_al'])).get('yes'),
        )
      }
    },
  )

  it('historical boundaries: each unit as it was, a domain of the same design', async () => {
    const r = await scores({ rootAgencyCode: null, boundaries: 'historical', options: { weighting: 'design' } })
    for (const [variable, cell] of VARIABLES) {
      const byUnit = await analyze(['--value', variable, '--weights', 'w', '--by', 'unit'])
      for (const code of ['DEMO-AL-SNV', 'DEMO-BS-SNV', 'DEMO-AL-H-ANLAC', 'DEMO-BS-H-BINHMINH'])
        expectSame(cell(row(r, code)), byUnit.get(code))
    }
  })
})

describe('the full raw export through hailong analyze --by agency (item 3)', () => {
  it('the web scores and analyze on the exported responses agree at 1e-9, n exact', async () => {
    const context = makeContext(t)
    const national = await signIn(context, 'method-national@example.vn', 'admin', null)
    await t.db.updateTable('user').set({ can_export_microdata: 1 }).where('id', '=', national.userId).execute()
    const out = await run(() =>
      responsesLoader({
        request: new Request('http://localhost/analytics/responses/csv?q=SIPAS-2017&period=2024', {
          headers: { Cookie: national.cookie },
        }),
        context,
        params: { format: 'csv' },
      }),
    )
    expect(out.status).toBe(200)
    const exported = parse(out.text, { bom: true, columns: true }) as Array<Record<string, string>>
    expect(exported).toHaveLength(BATCHES.reduce((sum, x) => sum + x.count, 0))
    // The export's own columns: the unit, its weight and stratum, the answers; the composite as defined.
    const version = await sipasVersion(t)
    const successors = await successorMap(t.db)
    const agencies = await listAllAgencies(t.db)
    const codeOf = new Map(agencies.map((a) => [a.id, a.code]))
    const idOf = new Map(agencies.map((a) => [a.code, a.id]))
    const lines = exported.map((r) => {
      const answers = Object.fromEntries(
        version.elements
          .flatMap((e) => e.items.map((i) => [i.code, r[i.code]]))
          .filter(([, v]) => v !== '' && v !== undefined)
          .map(([k, v]) => [k, Number(v)]),
      )
      const overall = respondentComposites(version.elements, answers).overall
      const unit = idOf.get(r.agency_code!)!
      const current = codeOf.get(successors.get(unit) ?? unit)
      return [current, r.stratum || '_', r.weight, overall].join(',')
    })
    const input = join(scratch, 'raw-export.csv')
    writeFileSync(input, `current,stratum,w,overall\n${lines.join('\n')}\n`)
    const web = await scores({ rootAgencyCode: null, options: { weighting: 'design' } })
    const byAgency = await analyze(['--value', 'overall', '--weights', 'w', '--by', 'current'], input)
    for (const code of ['DEMO-AL-SNV', 'DEMO-AL-P-ANLAC', 'DEMO-AL-X-BINHMINH'])
      expectSame(row(web, code).overall, byAgency.get(code))
  })
})
