// `hailong analyze` against R's survey package at full precision. The expected numbers are in
// tests/fixtures/r-survey/api-reference.json, written by scripts/r-reference/api-reference.R
// (`npm run r-reference`, R 4.2 with survey 4.1-1 from Debian's packages); each case carries the
// R code that produced it. R is not needed to run this test.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { analyzeCommand } from '../../scripts/cli/commands/analyze.ts'
import type { CliIO } from '../../scripts/cli/command.ts'
import { API_DATA_DIR } from '#tests/helpers/api-data.ts'

interface ResultRow {
  group: string | null
  estimate: number | null
  se: number | null
  ci: { lower: number | null; upper: number | null }
  df: number
}
interface Case {
  id: string
  r: string
  argv: string[]
  expected: ResultRow[]
}
const reference = JSON.parse(
  readFileSync(join(import.meta.dirname, '../fixtures/r-survey/api-reference.json'), 'utf8'),
) as {
  r: string
  survey: string
  cases: Case[]
}

// The same indicator columns the R script adds: `sch.wide_Yes` is 1 when sch.wide is "Yes".
const INDICATORS = ['sch.wide', 'comp.imp', 'both', 'awards', 'yr.rnd']
const dataDir = mkdtempSync(join(tmpdir(), 'hailong-r-reference-'))
for (const name of ['apistrat', 'apiclus1']) {
  const rows = parse(readFileSync(join(API_DATA_DIR, `${name}.csv`)), { columns: true }) as Record<string, string>[]
  for (const row of rows) for (const column of INDICATORS) row[`${column}_Yes`] = row[column] === 'Yes' ? '1' : '0'
  const quote = (cell: string) => `"${cell.replaceAll('"', '""')}"`
  const header = Object.keys(rows[0]!)
  const lines = [header, ...rows.map((row) => header.map((column) => row[column]!))].map((cells) =>
    cells.map(quote).join(','),
  )
  writeFileSync(join(dataDir, `${name}.csv`), `${lines.join('\n')}\n`)
}

async function analyze(argv: string[]): Promise<ResultRow[]> {
  const out: string[] = []
  const io: CliIO = {
    stdout: (t) => out.push(t),
    stderr: () => {},
    readStdin: async () => '',
    env: { ...process.env },
    cwd: dataDir,
  }
  expect(await analyzeCommand.run([...argv, '--json'], io)).toBe(0)
  return JSON.parse(out.join('')) as ResultRow[]
}

/** Agreement to 1e-9 relative: what is left is floating-point summation order. */
function expectSame(actual: number | null, expected: number | null, what: string) {
  if (expected === null) return expect(actual, what).toBeNull()
  expect(actual, what).not.toBeNull()
  expect(Math.abs(actual! - expected), `${what}: ${actual} vs R ${expected}`).toBeLessThanOrEqual(
    1e-9 * Math.max(1, Math.abs(expected)),
  )
}

describe(`hailong analyze reproduces ${reference.r}, survey ${reference.survey}`, () => {
  it('covers every kind of design the command accepts', () => {
    const flags = new Set(reference.cases.flatMap((c) => c.argv.filter((a) => a.startsWith('--'))))
    for (const flag of [
      '--weights',
      '--strata',
      '--cluster',
      '--fpc',
      '--by',
      '--poststrata',
      '--rake',
      '--ci',
      '--level',
    ])
      expect(flags).toContain(flag)
  })

  it.each(reference.cases.map((c) => [c.id, c] as const))('%s', async (_, testCase) => {
    const actual = await analyze(testCase.argv)
    expect(actual.map((row) => row.group)).toEqual(testCase.expected.map((row) => row.group))
    testCase.expected.forEach((expected, k) => {
      const row = actual[k]!
      const label = `${testCase.r} [${expected.group ?? 'all'}]`
      expectSame(row.estimate, expected.estimate, `${label} estimate`)
      expectSame(row.se, expected.se, `${label} se`)
      expectSame(row.ci.lower, expected.ci.lower, `${label} ci.lower`)
      expectSame(row.ci.upper, expected.ci.upper, `${label} ci.upper`)
      expect(row.df, `${label} df`).toBe(expected.df)
    })
  })
})
