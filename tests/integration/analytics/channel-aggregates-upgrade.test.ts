import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { Migrator, sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { createDb, type DB } from '#db/client.ts'
import { migrateToLatest } from '#db/migrate.ts'
import { migrationProvider } from '#db/migrations/index.ts'
import type { EntryChannel } from '#db/schema.ts'
import { rebuildAggregates, rebuildAggregatesIfMissing } from '#app/.server/services/rebuild-aggregates.ts'
import { seedDemoProvince, seedTemplates } from '#app/.server/services/seed.ts'
import { runCli } from '#scripts/support/cli.ts'
import { aggregateSnapshot } from '#tests/helpers/aggregates.ts'
import { createEmptyDatabase, testDialect } from '#tests/helpers/db.ts'

const BEFORE = '2026-11-29T2110_microdata_permission'
const THIS = '2026-11-30T0100_channel_in_aggregates'
const RECIPE = resolve(import.meta.dirname, '../../../db/postgres/partition-by-month.sql')
const CHANNELS: EntryChannel[] = ['invitation', 'open_link', 'kiosk', 'import']
const drops: Array<() => Promise<void>> = []

/** The URL of every database made here, by label, for the CLI. */
const urls = new Map<string, string>()

async function emptyDatabase(label: string): Promise<DB> {
  const empty = await createEmptyDatabase(label)
  urls.set(label, empty.url)
  drops.push(empty.drop)
  return empty.db
}

/** A database at the migration before this one, with 24 responses (3 quarantined) and stale aggregates. */
async function oldDatabase(label: string, partitioned = false) {
  const db = await emptyDatabase(label)
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo(BEFORE)
  if (error) throw error
  if (partitioned) await sql.raw(readFileSync(RECIPE, 'utf8')).execute(db)
  await seedTemplates(db)
  await seedDemoProvince(db)
  const version = await db
    .selectFrom('questionnaire_version as v')
    .innerJoin('questionnaire as q', 'q.id', 'v.questionnaire_id')
    .select('v.id')
    .where('q.code', '=', 'SIPAS-2017')
    .where('v.status', '=', 'published')
    .executeTakeFirstOrThrow()
  const items = await db
    .selectFrom('questionnaire_item')
    .select('id')
    .where('version_id', '=', version.id)
    .where('role', '=', 'criterion')
    .orderBy('position')
    .execute()
  const agencies = await db
    .selectFrom('agency')
    .select('id')
    .where('valid_to', 'is', null)
    .orderBy('id')
    .limit(2)
    .execute()
  const counted = new Map<EntryChannel, number>()
  for (let k = 0; k < 24; k++) {
    const agencyId = agencies[k % 2]!.id
    const month = k % 3 ? '2026-10' : '2026-11'
    const channel = CHANNELS[k % 4]!
    const quarantined = k % 8 === 3
    if (!quarantined) counted.set(channel, (counted.get(channel) ?? 0) + 1)
    const { rows } = await sql<{ id: number }>`insert into response
      (client_submission_id, version_id, agency_id, channel, submitted_at, period_month, weight_micro, source, entry_channel, quarantine_reason)
      values (${`old-${k}`}, ${version.id}, ${agencyId}, 'counter', ${`${month}-10T03:00:00.000Z`}, ${month},
        ${1_000_000 + k * 50_000}, ${channel === 'import' ? 'import' : 'web'}, ${channel}, ${quarantined ? 'network cap' : null})
      returning id`.execute(db)
    const id = Number(rows[0]!.id)
    for (const [position, item] of items.entries())
      await sql`insert into answer (response_id, item_id, value_number, agency_id, period_month)
        values (${id}, ${item.id}, ${1 + ((k * 3 + position) % 5)}, ${agencyId}, ${month})`.execute(db)
  }
  // Stale rows without a channel, as the live path kept them: they must not survive the upgrade.
  await sql`insert into item_aggregate (agency_id, period_month, item_id, answer_value, stratum, n, sum_w_micro, sum_w2)
    values (${agencies[0]!.id}, '2026-10', ${items[0]!.id}, 5, '', 999, 999000000, 999)`.execute(db)
  await sql`insert into composite_aggregate (agency_id, period_month, version_id, composite, stratum, n, sum_w_micro,
    sum_w2, sum_wx, sum_wx2, sum_w2x, sum_w2x2, sum_x, sum_x2)
    values (${agencies[0]!.id}, '2026-10', ${version.id}, 'overall', '', 999, 999000000, 999, 1, 1, 1, 1, 1, 1)`.execute(
    db,
  )
  return { db, counted }
}

/** The migrate step of `hailong migrate` and the server start. */
async function migrateStep(db: DB) {
  const applied = await migrateToLatest(db)
  const rebuilt = await rebuildAggregatesIfMissing(db)
  return { applied, rebuilt }
}

async function overallByChannel(db: DB) {
  const rows = await db
    .selectFrom('composite_aggregate')
    .select(['entry_channel', (eb) => eb.fn.sum<number>('n').as('n')])
    .where('composite', '=', 'overall')
    .groupBy('entry_channel')
    .execute()
  return new Map(rows.map((r) => [r.entry_channel, Number(r.n)]))
}

afterAll(async () => {
  for (const drop of drops) await drop()
})

describe('the channel in the aggregate keys, after upgrading a database with responses of every channel', () => {
  it('empties the stale aggregates, and the migrate step rebuilds them equal to a rebuild, per channel', async () => {
    const { db, counted } = await oldDatabase('channels')
    try {
      const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateTo(THIS)
      if (error) throw error
      expect(results?.map((r) => [r.migrationName, r.status])).toEqual([[THIS, 'Success']])
      // The migration alone leaves nothing that could be read as a channel's figures.
      expect(await aggregateSnapshot(db)).toEqual({ items: [], composites: [] })

      const { rebuilt } = await migrateStep(db)
      expect(rebuilt?.responses).toBe(21)
      const upgraded = await aggregateSnapshot(db)
      expect(upgraded.items.every((r) => r.n !== 999)).toBe(true)
      expect(await overallByChannel(db)).toEqual(counted)
      expect(counted.size).toBe(4)

      await rebuildAggregates(db)
      expect(await aggregateSnapshot(db)).toEqual(upgraded)
      // Nothing missing any more: the next start does not rebuild again.
      expect((await migrateStep(db)).rebuilt).toBeNull()
    } finally {
      await db.destroy()
    }
  }, 60_000)

  it.runIf(testDialect() === 'postgres')(
    're-keys tables partitioned by month, which keep their partitions',
    async () => {
      const { db, counted } = await oldDatabase('partitioned', true)
      try {
        const { applied } = await migrateStep(db)
        expect(applied).toContain(THIS)
        expect(await overallByChannel(db)).toEqual(counted)
        const upgraded = await aggregateSnapshot(db)
        await rebuildAggregates(db)
        expect(await aggregateSnapshot(db)).toEqual(upgraded)
        const { rows } = await sql<{ relname: string }>`select c.relname from pg_inherits i
        join pg_class c on c.oid = i.inhrelid where i.inhparent = 'composite_aggregate'::regclass`.execute(db)
        expect(rows.map((r) => r.relname)).toContain('composite_aggregate_default')
        const { rows: key } = await sql<{ def: string }>`select pg_get_constraintdef(oid) as def from pg_constraint
        where conname = 'item_aggregate_pk' and conrelid = 'item_aggregate'::regclass`.execute(db)
        expect(key[0]!.def).toBe('PRIMARY KEY (agency_id, item_id, answer_value, stratum, entry_channel, period_month)')
      } finally {
        await db.destroy()
      }
    },
    60_000,
  )

  it('`hailong migrate` applies it and rebuilds the aggregates, once', async () => {
    const { db, counted } = await oldDatabase('cli')
    await db.destroy()
    const env = { DATABASE_URL: urls.get('cli')! }
    const first = await runCli(['migrate'], { env })
    expect(first.status).toBe(0)
    expect(first.stdout).toContain(THIS)
    expect(first.stdout).toContain('Aggregates rebuilt from 21 responses.')
    const second = await runCli(['migrate'], { env })
    expect(second.stdout.trim()).toBe('The database is up to date.')
    const after =
      testDialect() === 'sqlite'
        ? createDb({ dialect: 'sqlite', file: env.DATABASE_URL })
        : createDb({ dialect: 'postgres', url: env.DATABASE_URL, poolSize: 1 })
    try {
      expect(await overallByChannel(after)).toEqual(counted)
    } finally {
      await after.destroy()
    }
  }, 60_000)

  // Several app servers share a database only on PostgreSQL (on SQLite, two connections of one process
  // would block each other's synchronous driver, which no deployment does).
  it.runIf(testDialect() === 'postgres')(
    'two servers starting together after the upgrade rebuild once',
    async () => {
      const { db, counted } = await oldDatabase('together')
      const other = createDb({ dialect: 'postgres', url: urls.get('together')!, poolSize: 2 })
      try {
        await migrateToLatest(db)
        const both = await Promise.all([rebuildAggregatesIfMissing(db), rebuildAggregatesIfMissing(other)])
        // The second waits for the first's lock, then finds nothing missing.
        expect(both.filter((r) => r !== null)).toHaveLength(1)
        expect(await overallByChannel(db)).toEqual(counted)
        const upgraded = await aggregateSnapshot(db)
        await rebuildAggregates(db)
        expect(await aggregateSnapshot(db)).toEqual(upgraded)
      } finally {
        await other.destroy()
        await db.destroy()
      }
    },
    60_000,
  )
})
