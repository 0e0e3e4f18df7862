/**
 * What the tests comparing the API with R (scores-, change- and drivers-r-reference.test.ts) share: whether
 * R is here, the side files describing the province and the questionnaire, the app's own raw export of a
 * period, and running a script of scripts/r-reference/. Only repos and the export route feed R: no
 * statistics of the app's reach the reference.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AppLoadContext } from '@remix-run/node'
import { expect } from 'vitest'
import { listAllAgencies, listTakeovers } from '#app/.server/repos/agency-tree.ts'
import type { VersionDefinition } from '#app/.server/services/survey-definition.ts'
import { loader as responsesLoader } from '#app/routes/analytics.responses.$format.ts'
import type { TestDatabase } from '#tests/helpers/db.ts'
import { run, signIn } from '#tests/helpers/remix.ts'

const SCRIPTS = join(import.meta.dirname, '../../../scripts/r-reference')

/**
 * True when Rscript runs. Without it the caller skips its tests with a warning naming `test`, unless
 * HAILONG_REQUIRE_R=1 asks for R (then this throws).
 */
export function rAvailable(
  test: string,
  needs = 'R and the survey package (apt-get install r-base-core r-cran-survey)',
) {
  if (spawnSync('Rscript', ['--version']).status === 0) return true
  const missing = `Rscript not found: install ${needs}`
  if (process.env.HAILONG_REQUIRE_R === '1') throw new Error(`${missing}; HAILONG_REQUIRE_R=1 asks for it`)
  console.warn(`${test}: skipped. ${missing}.`)
  return false
}

/** Rows as CSV, every cell quoted, as R's read.csv takes them. */
export const csvText = (rows: Array<Array<string | number | null>>) =>
  `${rows.map((r) => r.map((c) => `"${String(c ?? '').replaceAll('"', '""')}"`).join(',')).join('\n')}\n`

/** A folder for one comparison's files, removed by `removeFolder` unless HAILONG_KEEP_R_REFERENCE is set. */
export const newFolder = (test: string) => mkdtempSync(join(tmpdir(), `hailong-${test}-`))
export function removeFolder(test: string, dir: string | undefined) {
  if (process.env.HAILONG_KEEP_R_REFERENCE) console.info(`${test}: files in ${dir}`)
  else if (dir) rmSync(dir, { recursive: true, force: true })
}

/** The national administrator, allowed to download microdata, signed in: the cookie for the raw export. */
export async function nationalExporter(t: TestDatabase, context: AppLoadContext): Promise<string> {
  const national = await signIn(context, 'national@example.vn', 'admin', null)
  await t.db.updateTable('user').set({ can_export_microdata: 1 }).where('id', '=', national.userId).execute()
  return national.cookie
}

/**
 * agencies.csv (code, path, valid_from, valid_to), successions.csv (predecessor, successor) and
 * criteria.csv (element, element_weight, criterion, threshold): what scripts/r-reference/common.R reads.
 */
export async function writeStructure(t: TestDatabase, dir: string, version: VersionDefinition) {
  const agencies = await listAllAgencies(t.db)
  const codeOf = new Map(agencies.map((a) => [a.id, a.code]))
  writeFileSync(
    join(dir, 'agencies.csv'),
    csvText([
      ['code', 'path', 'valid_from', 'valid_to'],
      ...agencies.map((a) => [a.code, a.path, a.validFrom, a.validTo]),
    ]),
  )
  writeFileSync(
    join(dir, 'successions.csv'),
    csvText([
      ['predecessor', 'successor'],
      ...(await listTakeovers(t.db)).map((s) => [codeOf.get(s.predecessorId)!, codeOf.get(s.successorId)!]),
    ]),
  )
  writeFileSync(
    join(dir, 'criteria.csv'),
    csvText([
      ['element', 'element_weight', 'criterion', 'threshold'],
      ...version.elements.flatMap((e) =>
        e.items
          .filter((i) => i.countsInIndex && i.satisfiedThreshold !== null)
          .map((i) => [e.code, e.weight, i.code, i.satisfiedThreshold]),
      ),
    ]),
  )
  return codeOf
}

/** The raw export of SIPAS-2017 for `period` (the whole database, as the national exporter), into `file`. */
export async function writeRawExport(context: AppLoadContext, cookie: string, period: string, file: string) {
  const out = await run(() =>
    responsesLoader({
      request: new Request(`http://localhost/analytics/responses/csv?q=SIPAS-2017&period=${period}`, {
        headers: { Cookie: cookie },
      }),
      context,
      params: { format: 'csv' },
    }),
  )
  expect(out.status).toBe(200)
  writeFileSync(file, out.text)
}

/** Runs scripts/r-reference/`script` on the side folder `dir`, writing `out`; throws with R's words if it fails. */
export function runReference(script: string, dir: string, out: string) {
  const result = spawnSync('Rscript', [join(SCRIPTS, script), dir, out], { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`Rscript failed (files in ${dir}):\n${result.stderr}\n${result.stdout}`)
}
