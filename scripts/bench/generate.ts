/**
 * Bulk synthetic data for benchmarks: a province of ~60 agencies and N SIPAS responses, written with
 * prepared statements in large transactions (the per-response service would take an hour at 1M), then
 * the aggregates are built by the real rebuild service so they match what the live path would store.
 */
import crypto from 'node:crypto'
import type BetterSqlite3 from 'better-sqlite3'
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { periodMonthOf } from '#app/domain/period.ts'
import { insertAgency } from '#app/.server/repos/agencies.ts'
import { findQuestionnaireByCode, latestPublishedVersion } from '#app/.server/repos/questionnaires.ts'
import { seededRandom } from '#app/.server/services/seed.ts'
import { getVersionDefinition } from '#app/.server/services/survey-definition.ts'

export async function createBenchProvince(db: Kysely<Database>, departments = 20, communes = 39): Promise<number[]> {
  const now = new Date().toISOString()
  const province = await insertAgency(db, { code: 'BENCH', nameVi: 'Tỉnh Đo Kiểm (benchmark)', nameEn: 'Benchmark Province', level: 'province', parentId: null, validFrom: '2025-07-01', validTo: null }, now)
  const ids = [province]
  for (let i = 1; i <= departments; i++) ids.push(await insertAgency(db, { code: `BENCH-S${i}`, nameVi: `Sở số ${i}`, nameEn: `Department ${i}`, level: 'department', parentId: province, validFrom: '2025-07-01', validTo: null }, now))
  for (let i = 1; i <= communes; i++) ids.push(await insertAgency(db, { code: `BENCH-X${i}`, nameVi: `Xã số ${i}`, nameEn: `Commune ${i}`, level: 'commune', parentId: province, validFrom: '2025-07-01', validTo: null }, now))
  return ids
}

/** Inserts `count` responses spread over `agencyIds` and the 12 months of `year`. */
export async function insertSyntheticResponses(db: Kysely<Database>, sqlite: BetterSqlite3.Database, agencyIds: number[], count: number, year: number, progress?: (done: number) => void) {
  const questionnaire = await findQuestionnaireByCode(db, 'SIPAS-2017')
  const versionRow = await latestPublishedVersion(db, questionnaire!.id)
  const version = await getVersionDefinition(db, versionRow!.id, 'published')
  const criteria = version.items.filter((i) => i.role === 'criterion')
  const insertResponse = sqlite.prepare(
    `insert into response (client_submission_id, version_id, agency_id, procedure_id, channel, link_id, invitation_id, submitted_at, period_month, weight_micro, stratum, cluster, external_id, profile_json, source)
     values (?, ?, ?, null, 'counter', null, null, ?, ?, 1000000, null, null, null, null, 'synthetic')`,
  )
  const insertAnswer = sqlite.prepare('insert into answer (response_id, item_id, value_number, value_text) values (?, ?, ?, null)')
  const random = seededRandom(year)
  const start = Date.UTC(year, 0, 1) - 7 * 3600_000
  const span = Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)
  const batch = sqlite.transaction((n: number) => {
    for (let k = 0; k < n; k++) {
      const a = Math.floor(random() * agencyIds.length)
      const propensity = 0.7 + 0.25 * ((a * 7) % agencyIds.length) / agencyIds.length
      const at = new Date(start + random() * span)
      const { lastInsertRowid } = insertResponse.run(crypto.randomUUID(), version.versionId, agencyIds[a], at.toISOString(), periodMonthOf(at))
      for (const item of criteria) insertAnswer.run(lastInsertRowid, item.id, random() < propensity ? 4 + Math.floor(random() * 2) : 1 + Math.floor(random() * 3))
    }
  })
  for (let done = 0; done < count; ) {
    const n = Math.min(20_000, count - done)
    batch(n)
    done += n
    progress?.(done)
  }
}
