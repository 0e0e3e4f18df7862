/**
 * Bulk synthetic data for benchmarks: a province of ~60 agencies and N SIPAS responses, written in large
 * batches straight to the tables (the per-response service would take an hour at 1M), then the
 * aggregates are built by the real rebuild service so they match what the live path would store.
 * The responses come from a seeded generator, so SQLite and PostgreSQL get the same answers; each
 * database has its own writer, the fastest way it offers to take a batch.
 */
import crypto from 'node:crypto'
import type BetterSqlite3 from 'better-sqlite3'
import { type Kysely, sql } from 'kysely'
import type { Database } from '#db/schema.ts'
import { periodMonthOf } from '#app/domain/period.ts'
import { insertAgency } from '#app/.server/repos/agencies.ts'
import { findQuestionnaireByCode, latestPublishedVersion } from '#app/.server/repos/questionnaires.ts'
import { seededRandom } from '#app/.server/services/seed.ts'
import { getVersionDefinition } from '#app/.server/services/survey-definition.ts'

const BATCH = 20_000

export async function createBenchProvince(db: Kysely<Database>, departments = 20, communes = 39): Promise<number[]> {
  const now = new Date().toISOString()
  const province = await insertAgency(
    db,
    {
      code: 'BENCH',
      nameVi: 'Tỉnh Đo Kiểm (benchmark)',
      nameEn: 'Benchmark Province',
      level: 'province',
      parentId: null,
      validFrom: '2025-07-01',
      validTo: null,
    },
    now,
  )
  const ids = [province]
  for (let i = 1; i <= departments; i++)
    ids.push(
      await insertAgency(
        db,
        {
          code: `BENCH-S${i}`,
          nameVi: `Sở số ${i}`,
          nameEn: `Department ${i}`,
          level: 'department',
          parentId: province,
          validFrom: '2025-07-01',
          validTo: null,
        },
        now,
      ),
    )
  for (let i = 1; i <= communes; i++)
    ids.push(
      await insertAgency(
        db,
        {
          code: `BENCH-X${i}`,
          nameVi: `Xã số ${i}`,
          nameEn: `Commune ${i}`,
          level: 'commune',
          parentId: province,
          validFrom: '2025-07-01',
          validTo: null,
        },
        now,
      ),
    )
  return ids
}

/** One synthetic response: `values[k]` answers the version's k-th criterion. */
export interface SyntheticResponse {
  agencyId: number
  submittedAt: string
  periodMonth: string
  values: number[]
}

/** Writes one batch of responses of `versionId`, whose criteria have the ids `itemIds`, in one transaction. */
export type SyntheticWriter = (versionId: number, itemIds: number[], batch: SyntheticResponse[]) => Promise<void>

/** SQLite: prepared statements in one transaction; in process, a statement per row costs next to nothing. */
export function sqliteWriter(sqlite: BetterSqlite3.Database): SyntheticWriter {
  const insertResponse = sqlite.prepare(
    `insert into response (client_submission_id, version_id, agency_id, procedure_id, channel, link_id, invitation_id, submitted_at, period_month, weight_micro, stratum, cluster, external_id, profile_json, source)
     values (?, ?, ?, null, 'counter', null, null, ?, ?, 1000000, null, null, null, null, 'synthetic')`,
  )
  const insertKey = sqlite.prepare('insert into submission_key (client_submission_id, response_id) values (?, ?)')
  const insertAnswer = sqlite.prepare(
    'insert into answer (response_id, item_id, value_number, value_text, agency_id, period_month) values (?, ?, ?, null, ?, ?)',
  )
  const write = sqlite.transaction((versionId: number, itemIds: number[], batch: SyntheticResponse[]) => {
    for (const r of batch) {
      const submissionId = crypto.randomUUID()
      const { lastInsertRowid } = insertResponse.run(submissionId, versionId, r.agencyId, r.submittedAt, r.periodMonth)
      insertKey.run(submissionId, lastInsertRowid)
      for (const [k, value] of r.values.entries())
        insertAnswer.run(lastInsertRowid, itemIds[k], value, r.agencyId, r.periodMonth)
    }
  })
  return async (versionId, itemIds, batch) => write(versionId, itemIds, batch)
}

/** A PostgreSQL array literal of numbers: pg's own serialiser is ten times slower on 440,000 elements. */
const numbers = (values: number[]) => `{${values.join(',')}}`

/**
 * PostgreSQL: each table's rows as a few arrays expanded by unnest, one statement per table, so a batch
 * of 20,000 responses is two round trips instead of 460,000. The ids are drawn from the table's own
 * sequence first, so the answers can name their response without reading anything back.
 */
export function postgresWriter(db: Kysely<Database>): SyntheticWriter {
  return (versionId, itemIds, batch) =>
    db.transaction().execute(async (trx) => {
      const ids = (
        await sql<{
          id: number
        }>`select nextval(pg_get_serial_sequence('response', 'id')) as id from generate_series(1, ${batch.length})`.execute(
          trx,
        )
      ).rows.map((r) => r.id)
      await sql`insert into response (id, client_submission_id, version_id, agency_id, channel, submitted_at, period_month, weight_micro, source)
        select id, 'synthetic-' || id, ${versionId}, agency_id, 'counter', submitted_at, period_month, 1000000, 'synthetic'
        from unnest(${numbers(ids)}::bigint[], ${numbers(batch.map((r) => r.agencyId))}::integer[], ${batch.map((r) => r.submittedAt)}::text[], ${batch.map((r) => r.periodMonth)}::text[])
          as t(id, agency_id, submitted_at, period_month)`.execute(trx)
      await sql`insert into submission_key (client_submission_id, response_id) select 'synthetic-' || id, id from unnest(${numbers(ids)}::bigint[]) as t(id)`.execute(
        trx,
      )
      const each = <T>(value: (r: SyntheticResponse, i: number) => T) =>
        batch.flatMap((r, i) => r.values.map(() => value(r, i)))
      const answerItems = batch.flatMap((r) => r.values.map((_, k) => itemIds[k]))
      await sql`insert into answer (response_id, item_id, value_number, agency_id, period_month)
        select * from unnest(${numbers(each((_, i) => ids[i]))}::bigint[], ${numbers(answerItems)}::integer[], ${numbers(batch.flatMap((r) => r.values))}::double precision[],
          ${numbers(each((r) => r.agencyId))}::integer[], ${each((r) => r.periodMonth)}::text[])`.execute(trx)
    })
}

/**
 * Runs a bulk load into `tables` with their foreign keys set aside, then puts the same constraints back.
 * Checked row by row, the two keys of each answer cost PostgreSQL more than twice the insert itself; added
 * back afterwards, each is validated in one pass over the table, so the data is still proven consistent.
 */
export async function withForeignKeysAfterwards<T>(
  db: Kysely<Database>,
  tables: string[],
  load: () => Promise<T>,
): Promise<T> {
  const { rows: keys } = await sql<{ table: string; name: string; definition: string }>`
    select conrelid::regclass::text as table, conname as name, pg_get_constraintdef(oid) as definition
    from pg_constraint where contype = 'f' and conrelid::regclass::text = any(${tables})`.execute(db)
  for (const key of keys) await sql`alter table ${sql.table(key.table)} drop constraint ${sql.id(key.name)}`.execute(db)
  const result = await load()
  for (const key of keys)
    await sql`alter table ${sql.table(key.table)} add constraint ${sql.id(key.name)} ${sql.raw(key.definition)}`.execute(
      db,
    )
  return result
}

/** `count` responses spread over `agencyIds` and the 12 months of `year`, the same for the same year. */
function* syntheticBatches(
  agencyIds: number[],
  criteria: number,
  count: number,
  year: number,
): Generator<SyntheticResponse[]> {
  const random = seededRandom(year)
  const start = Date.UTC(year, 0, 1) - 7 * 3600_000
  const span = Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)
  for (let done = 0; done < count; ) {
    const batch: SyntheticResponse[] = []
    for (const end = Math.min(count, done + BATCH); done < end; done++) {
      const a = Math.floor(random() * agencyIds.length)
      // Agencies differ in how satisfied their citizens are, so the scores differ too.
      const propensity = 0.7 + (0.25 * ((a * 7) % agencyIds.length)) / agencyIds.length
      const at = new Date(start + random() * span)
      const values = Array.from({ length: criteria }, () =>
        random() < propensity ? 4 + Math.floor(random() * 2) : 1 + Math.floor(random() * 3),
      )
      batch.push({ agencyId: agencyIds[a], submittedAt: at.toISOString(), periodMonth: periodMonthOf(at), values })
    }
    yield batch
  }
}

/** Inserts `count` responses to the SIPAS questionnaire spread over `agencyIds` and the 12 months of `year`. */
export async function insertSyntheticResponses(
  db: Kysely<Database>,
  write: SyntheticWriter,
  agencyIds: number[],
  count: number,
  year: number,
  progress?: (done: number) => void,
) {
  const questionnaire = await findQuestionnaireByCode(db, 'SIPAS-2017')
  const versionRow = await latestPublishedVersion(db, questionnaire!.id)
  const version = await getVersionDefinition(db, versionRow!.id, 'published')
  const itemIds = version.items.filter((i) => i.role === 'criterion').map((i) => i.id)
  let done = 0
  for (const batch of syntheticBatches(agencyIds, itemIds.length, count, year)) {
    await write(version.versionId, itemIds, batch)
    done += batch.length
    progress?.(done)
  }
}
