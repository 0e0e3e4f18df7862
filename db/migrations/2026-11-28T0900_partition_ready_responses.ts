/**
 * Responses and answers made ready to be partitioned by month and distributed by agency (PostgreSQL
 * partitions, Citus shards). Both enforce a unique key only within one partition or shard, so every
 * unique key of these two tables must contain `agency_id` and `period_month`:
 *
 * - The submission id, unique across all responses, moves to its own table `submission_key`
 *   (submission id → response id), whose primary key is the submission id itself. A retry or a
 *   double click still finds the stored response, now there.
 * - One response per invitation is already guaranteed by claiming the invitation (`used_at`, set by
 *   one conditional update in the response's transaction); the partial unique index on
 *   `response.invitation_id` becomes a plain index. Imported rows now use `import:<external id>`
 *   as their submission id, so a re-imported row is refused by `submission_key` too; the index on
 *   `external_id` becomes a plain index.
 * - `answer` carries its response's `agency_id` and `period_month`, so it can be partitioned and
 *   sharded with its response and joined to it within one partition.
 * - PostgreSQL: the primary keys become (id, agency_id, period_month) for responses and
 *   (response_id, item_id, agency_id, period_month) for answers, still led by the id so look-ups by
 *   id keep their index; answers reference their response by all three. SQLite cannot partition and
 *   keeps its rowid key (`id`), which is the cheapest to write.
 *
 * On SQLite, dropping a unique column constraint needs the table rebuilt: the documented procedure
 * (foreign keys off, new table, copy, swap, foreign_key_check) in one transaction. Kysely runs SQLite
 * migrations outside a transaction, so a crash between our commit and its bookkeeping is possible; the
 * migration then sees `submission_key` and does nothing the second time.
 */
import { type Kysely, PostgresAdapter, sql } from 'kysely'

type AnyDb = Kysely<any>

const isPostgres = (db: AnyDb) => db.getExecutor().adapter instanceof PostgresAdapter

export async function up(db: AnyDb): Promise<void> {
  if (isPostgres(db)) await upPostgres(db)
  else await upSqlite(db)
}

async function upPostgres(db: AnyDb): Promise<void> {
  await sql`create table submission_key (client_submission_id text primary key, response_id bigint not null)`.execute(
    db,
  )
  await sql`insert into submission_key (client_submission_id, response_id) select client_submission_id, id from response`.execute(
    db,
  )
  await sql`alter table answer drop constraint answer_response_id_fkey`.execute(db)
  await sql`alter table response drop constraint response_client_submission_id_key`.execute(db)
  await sql`alter table response drop constraint response_pkey`.execute(db)
  await sql`alter table response add constraint response_pkey primary key (id, agency_id, period_month)`.execute(db)
  await replaceUniqueIndexes(db)
  await sql`alter table answer add column agency_id integer, add column period_month text`.execute(db)
  await sql`update answer a set agency_id = r.agency_id, period_month = r.period_month from response r where r.id = a.response_id`.execute(
    db,
  )
  await sql`alter table answer alter column agency_id set not null, alter column period_month set not null`.execute(db)
  await sql`alter table answer drop constraint answer_pk`.execute(db)
  await sql`alter table answer add constraint answer_pk primary key (response_id, item_id, agency_id, period_month)`.execute(
    db,
  )
  await sql`alter table answer add constraint answer_response_fk foreign key (response_id, agency_id, period_month) references response (id, agency_id, period_month)`.execute(
    db,
  )
}

async function replaceUniqueIndexes(db: AnyDb): Promise<void> {
  await sql`drop index if exists response_invitation_unique`.execute(db)
  await sql`drop index if exists response_external_id_unique`.execute(db)
  await sql`create index response_invitation_idx on response (invitation_id) where invitation_id is not null`.execute(
    db,
  )
  await sql`create index response_external_id_idx on response (external_id) where external_id is not null`.execute(db)
}

const RESPONSE_COLUMNS = [
  'id',
  'client_submission_id',
  'version_id',
  'agency_id',
  'procedure_id',
  'channel',
  'link_id',
  'invitation_id',
  'submitted_at',
  'period_month',
  'weight_micro',
  'stratum',
  'cluster',
  'external_id',
  'profile_json',
  'source',
]

async function upSqlite(db: AnyDb): Promise<void> {
  const done = await sql<{
    name: string
  }>`select name from sqlite_master where type = 'table' and name = 'submission_key'`.execute(db)
  if (done.rows.length) return
  // Outside the transaction: SQLite ignores this pragma inside one.
  await sql`pragma foreign_keys = off`.execute(db)
  try {
    await db.transaction().execute(async (trx) => {
      await sql`create table submission_key (client_submission_id text primary key, response_id integer not null references response (id)) without rowid`.execute(
        trx,
      )
      await sql`insert into submission_key (client_submission_id, response_id) select client_submission_id, id from response`.execute(
        trx,
      )

      // The same table as the initial migration's, without `unique` on client_submission_id.
      await sql`create table response_new (
        "id" integer primary key autoincrement, "client_submission_id" text not null,
        "version_id" integer not null references "questionnaire_version" ("id"),
        "agency_id" integer not null references "agency" ("id"), "procedure_id" integer references "procedure" ("id"),
        "channel" text not null check (channel in ('counter','online','post','phone','kiosk','paper')),
        "link_id" integer references "survey_link" ("id"), "invitation_id" integer references "invitation" ("id"),
        "submitted_at" text not null, "period_month" text not null,
        "weight_micro" integer default 1000000 not null check (weight_micro > 0),
        "stratum" text, "cluster" text, "external_id" text, "profile_json" text,
        "source" text not null check (source in ('web','import','synthetic')))`.execute(trx)
      const columns = sql.join(RESPONSE_COLUMNS.map((c) => sql.ref(c)))
      await sql`insert into response_new (${columns}) select ${columns} from response order by id`.execute(trx)
      // Ids are never reused, even those of responses deleted before the rebuild.
      await sql`delete from sqlite_sequence where name = 'response_new'`.execute(trx)
      await sql`insert into sqlite_sequence (name, seq) select 'response_new', seq from sqlite_sequence where name = 'response'`.execute(
        trx,
      )

      await sql`create table answer_new (
        "response_id" integer not null references "response" ("id"),
        "item_id" integer not null references "questionnaire_item" ("id"),
        "value_number" real, "value_text" text,
        "agency_id" integer not null, "period_month" text not null,
        constraint "answer_pk" primary key ("response_id", "item_id")) without rowid`.execute(trx)
      await sql`insert into answer_new (response_id, item_id, value_number, value_text, agency_id, period_month)
        select a.response_id, a.item_id, a.value_number, a.value_text, r.agency_id, r.period_month
        from answer a join response r on r.id = a.response_id order by a.response_id, a.item_id`.execute(trx)

      await sql`drop table answer`.execute(trx)
      await sql`drop table response`.execute(trx)
      await sql`alter table response_new rename to response`.execute(trx)
      await sql`alter table answer_new rename to answer`.execute(trx)
      await sql`create index "response_agency_period_idx" on "response" ("agency_id", "period_month")`.execute(trx)
      await replaceUniqueIndexes(trx)

      const broken = await sql<Record<string, unknown>>`pragma foreign_key_check`.execute(trx)
      if (broken.rows.length)
        throw new Error(`rebuilding response and answer left ${broken.rows.length} broken references`)
    })
  } finally {
    await sql`pragma foreign_keys = on`.execute(db)
  }
}

export async function down(): Promise<void> {
  throw new Error('2026-11-28T0900_partition_ready_responses cannot be undone: restore a backup taken before it')
}
