import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { analyzeCommand } from '../../scripts/cli/commands/analyze.ts'
import { UsageError, type CliIO } from '../../scripts/cli/command.ts'
import { runCli } from '#scripts/support/cli.ts'
import { respondentComposites } from '#app/domain/scoring/contributions.ts'
import { DEFAULT_SCORE_OPTIONS, scoreAgency } from '#app/domain/scoring/score-table.ts'
import { API_DATA_DIR } from '#tests/helpers/api-data.ts'
import { agencySums, elements, scaleItem } from '#tests/unit/scoring/support.ts'

const root = resolve(import.meta.dirname, '../..')
const api = API_DATA_DIR
const apistrat = ['--input', `${api}/apistrat.csv`]
/** The R survey package's two api designs: stratified (dstrat) and one-stage cluster (dclus1). */
const dstrat = [...apistrat, '--weights', 'pw', '--strata', 'stype', '--fpc', 'fpc']
const dclus1 = ['--input', `${api}/apiclus1.csv`, '--weights', 'pw', '--cluster', 'dnum', '--fpc', 'fpc']

function fakeIo(cwd = root) {
  const out: string[] = []
  const err: string[] = []
  const io: CliIO = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readStdin: async () => '',
    env: { ...process.env },
    cwd,
  }
  return { io, out, err }
}

async function runJson(argv: string[], cwd?: string) {
  const { io, out } = fakeIo(cwd)
  expect(await analyzeCommand.run(argv, io)).toBe(0)
  return JSON.parse(out.join('')) as Array<{
    group: string | null
    estimate: number
    se: number
    ci: { lower: number; upper: number }
    n: number
    nEff: number
    df: number
    intervalMethod: string | null
  }>
}

const scratch = mkdtempSync(join(tmpdir(), 'hailong-analyze-'))
function csv(name: string, text: string) {
  const path = join(scratch, name)
  writeFileSync(path, text)
  return path
}

describe('hailong analyze (run function)', () => {
  it('reproduces svymean(~api00, dstrat): 662.29, SE 9.4089 (cran/survey tests/api.Rout.save)', async () => {
    const [result] = await runJson([...dstrat, '--value', 'api00', '--json'])
    expect(result!.group).toBeNull()
    expect(result!.estimate).toBeCloseTo(662.29, 2)
    expect(result!.se).toBeCloseTo(9.4089, 4)
    expect(result!.n).toBe(200)
    expect(result!.df).toBe(197)
    expect(result!.ci.lower).toBeLessThan(result!.estimate)
    expect(result!.ci.upper - result!.estimate).toBeCloseTo(result!.estimate - result!.ci.lower, 8)
  })

  it('domains with --by over a cluster design (svyby ell by stype, inst/doc/survey.tex)', async () => {
    const results = await runJson([...dclus1, '--value', 'ell', '--by', 'stype', '--json'])
    const byGroup = Object.fromEntries(results.map((r) => [r.group, r]))
    expect(byGroup.E!.estimate).toBeCloseTo(29.69444, 4)
    expect(byGroup.E!.se).toBeCloseTo(1.411617, 5)
    expect(byGroup.H!.se).toBeCloseTo(5.347065, 5)
  })

  it('post-stratifies and rakes (cran/survey tests/api.Rout.save, tests/rakecheck.Rout.save)', async () => {
    const base = [...dclus1, '--value', 'api00', '--json']
    const [ps] = await runJson([...base, '--poststrata', 'stype', '--population', 'E=4421,H=755,M=1018'])
    expect(ps!.estimate).toBeCloseTo(642.31, 2)
    const [raked] = await runJson([
      ...base,
      '--rake',
      'stype=E:4421,H:755,M:1018',
      '--rake',
      'sch.wide=No:1072,Yes:5122',
    ])
    expect(raked!.estimate).toBeCloseTo(641.23, 2)
    expect(raked!.se).toBeCloseTo(23.704, 3)
  })

  it('0/1 values are a proportion with a Korn–Graubard interval by default; NA dropped', async () => {
    const path = csv('satisfied.csv', 'satisfied,w\n1,1\n1,1\n1,1\n1,1\n1,1\n1,1\n1,1\n1,1\n1,1\n1,1\nNA,1\n,2\n')
    const [result] = await runJson(['--input', path, '--value', 'satisfied', '--json'])
    expect(result!.n).toBe(10)
    expect(result!.estimate).toBe(1)
    expect(result!.ci.lower).toBeCloseTo(0.691503, 6) // docs/statistics.md: Clopper–Pearson 10/10
    expect(result!.ci.upper).toBe(1)
    expect(result!.intervalMethod).toBe('beta')
    // Survey-adjusted Wilson: t on the design's 9 degrees of freedom (the normal quantile gave 0.722467).
    const [wilson] = await runJson(['--input', path, '--value', 'satisfied', '--ci', 'wilson', '--json'])
    expect(wilson!.ci.lower).toBeCloseTo(0.661491, 6)
    expect(wilson!.intervalMethod).toBe('wilson')
    const [mean] = await runJson(['--input', path, '--value', 'satisfied', '--ci', 'mean', '--level', '0.9', '--json'])
    expect(mean!.ci).toEqual({ lower: 1, upper: 1 })
    expect(mean!.intervalMethod).toBe('mean')
    // Logit is undefined at 100 %: the row says which interval it got instead.
    const [logit] = await runJson(['--input', path, '--value', 'satisfied', '--ci', 'logit', '--json'])
    expect(logit!.intervalMethod).toBe('beta')
    expect(logit!.ci.lower).toBeCloseTo(0.691503, 6)
  })

  it('composites (means of shares, in [0, 1]) get the interval the score pages publish them with', async () => {
    const els = elements([
      ['A', 1, ['A1', 'A2']],
      ['B', 1, ['B1']],
    ])
    const answers: Array<Record<string, number>> = [
      { A1: 5, A2: 5, B1: 5 },
      { A1: 5, B1: 2 },
      { A1: 2, A2: 4, B1: 4 },
      { A2: 1, B1: 5 },
      { A1: 4, A2: 2, B1: 1 },
      { A1: 3, A2: 5, B1: 4 },
    ]
    const items = els.map((e) => ({ ...e, items: e.criteria.map((c) => scaleItem(c.code)) }))
    const overall = answers.map((a) => respondentComposites(items, a).overall)
    const path = csv('composites.csv', `overall\n${overall.join('\n')}\n`)
    const data = new Map([
      [
        1,
        agencySums(
          els,
          answers.map((a) => ({ answers: a })),
        ),
      ],
    ])
    for (const ci of ['beta', 'logit', 'wilson'] as const) {
      const [row] = await runJson(['--input', path, '--value', 'overall', '--ci', ci, '--json'])
      const page = scoreAgency(data, els, { ...DEFAULT_SCORE_OPTIONS, weighting: 'design', interval: ci }).overall
      expect(row!.intervalMethod).toBe(ci)
      expect(row!.intervalMethod).toBe(page.intervalMethod)
      expect(row!.estimate).toBeCloseTo(page.estimate!, 12)
      expect(row!.ci.lower).toBeCloseTo(page.ci!.lower, 12)
      expect(row!.ci.upper).toBeCloseTo(page.ci!.upper, 12)
    }
    // Values outside [0, 1] are not shares: the t interval whatever was asked, and the row says so.
    const scores = csv('answers.csv', 'answer\n5\n4\n2\n3\n')
    const [t] = await runJson(['--input', scores, '--value', 'answer', '--ci', 'beta', '--json'])
    expect(t!.intervalMethod).toBe('mean')
  })

  it('quoted fields and the docs/statistics.md weights check vector', async () => {
    const rows = [5, 4, 4, 3, 5, 2, 5, 4].map((a, i) => `"r${i}, quoted",${a},${[1, 1, 2, 2, 1, 3, 1, 1][i]}`)
    const path = csv('scores.csv', `"name",answer,weight\n${rows.join('\n')}\n`)
    const [result] = await runJson(['--input', path, '--value', 'answer', '--weights', 'weight', '--json'])
    expect(result!.estimate).toBeCloseTo(3.5833333, 7)
    expect(result!.se).toBeCloseTo(0.4959047, 7)
    expect(result!.nEff).toBeCloseTo(6.545455, 6)
  })

  it('--help prints usage and returns 0', async () => {
    const { io, out } = fakeIo()
    expect(await analyzeCommand.run(['--help'], io)).toBe(0)
    expect(out.join('')).toContain('--input FILE.csv')
  })

  it.each([
    [['--value', 'x', '--json'], /--input/],
    [['--input', 'missing.csv', '--value', 'x', '--json'], /cannot read missing.csv/],
    [[...apistrat, '--value', 'nope', '--json'], /unknown column "nope"/],
    [[...apistrat, '--value', 'stype', '--json'], /"E" is not a number/],
    [
      [...apistrat, '--value', 'api00', '--poststrata', 'stype', '--population', 'E=4421,H=oops', '--json'],
      /--population/,
    ],
    [
      [...apistrat, '--value', 'api00', '--poststrata', 'stype', '--population', 'E=4421,H=755', '--json'],
      /sample cell "M" is missing/,
    ],
    [[...apistrat, '--value', 'api00', '--bogus', '--json'], /Unknown option/],
    [[...apistrat, '--value', 'api00', '--ci', 'wald', '--json'], /--ci must be one of/],
    [[...apistrat, '--value', 'api00', '--level', '95', '--json'], /--level/],
  ])('bad input %j is a UsageError', async (argv, message) => {
    const { io } = fakeIo()
    await expect(analyzeCommand.run(argv as string[], io)).rejects.toThrow(UsageError)
    await expect(analyzeCommand.run(argv as string[], io)).rejects.toThrow(message)
  })
})

// Through the command line's dispatcher (scripts/cli/main.ts): exit statuses, stdout and stderr.
describe('hailong analyze', () => {
  const hailong = (args: string[]) => runCli(['analyze', ...args])

  it('prints one JSON array and exits 0', async () => {
    const result = await hailong([...dclus1, '--value', 'api00', '--json'])
    expect(result.status).toBe(0)
    const [estimate] = JSON.parse(result.stdout)
    expect(estimate.estimate).toBeCloseTo(644.17, 2)
    expect(estimate.se).toBeCloseTo(23.542, 3)
  })

  it('exits 2 with a message on stderr for an unknown column', async () => {
    const result = await hailong(['--input', `${api}/apiclus1.csv`, '--value', 'nope', '--json'])
    expect(result.status).toBe(2)
    expect(result.stderr).toContain('unknown column "nope"')
  })
})
