/**
 * The initial schema. Frozen: once released, a migration is never edited; changes come as new files.
 * It imports nothing from the app so that it keeps meaning what it meant on the day it was written.
 * (Its PostgreSQL branches were completed before PostgreSQL was first supported, when no PostgreSQL
 * database could have run them; the SQLite statements are unchanged since release.)
 */
import { type CreateTableBuilder, type Kysely, PostgresAdapter, sql } from 'kysely'

type AnyDb = Kysely<any>

function isPostgres(db: AnyDb): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter
}

/**
 * Auto-increment primary key in each dialect's own words. Tables that grow with every survey answer
 * (responses, invitations, the audit log) get 64-bit ids on PostgreSQL: a national deployment passes
 * 2^31 rows. SQLite's integer is 64-bit already.
 */
function idType(db: AnyDb, big: boolean) {
  if (!isPostgres(db)) return 'integer'
  return big ? 'bigserial' : 'serial'
}

/** A reference to a table with a 64-bit id. */
function bigRef(db: AnyDb) {
  return isPostgres(db) ? 'bigint' : 'integer'
}

/** Binary floating point: SQLite's real is 64-bit, PostgreSQL's real is 32-bit, so it says double. */
function floatType(db: AnyDb) {
  return isPostgres(db) ? 'double precision' : 'real'
}

/** SQLite stores the table in primary-key order (no separate rowid B-tree); PostgreSQL needs nothing. */
function clustered(db: AnyDb, table: CreateTableBuilder<string, string>) {
  return isPostgres(db) ? table : table.modifyEnd(sql`without rowid`)
}

function withId(db: AnyDb, table: string, big = false) {
  return db.schema
    .createTable(table)
    .addColumn('id', idType(db, big) as 'integer', (c) =>
      isPostgres(db) ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
}

export async function up(db: AnyDb): Promise<void> {
  await withId(db, 'agency')
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name_vi', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('province','department','district','commune')`))
    .addColumn('parent_id', 'integer', (c) => c.references('agency.id'))
    // Ordered by code point on both databases ("/1/5/12/" before "/1/51/"): a locale collation would
    // ignore the slashes and interleave subtrees when agencies are listed in tree order.
    .addColumn('path', isPostgres(db) ? sql`text collate "C"` : 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_to', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('agency_parent_idx').on('agency').column('parent_id').execute()
  await db.schema.createIndex('agency_path_idx').on('agency').column('path').execute()

  await withId(db, 'agency_succession')
    .addColumn('predecessor_id', 'integer', (c) => c.notNull().references('agency.id'))
    .addColumn('successor_id', 'integer', (c) => c.notNull().references('agency.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('merged_into','split_from','renamed')`))
    .addColumn('effective_date', 'text', (c) => c.notNull())
    .addUniqueConstraint('agency_succession_unique', ['predecessor_id', 'successor_id', 'kind'])
    .execute()

  await withId(db, 'procedure')
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name_vi', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('central','province','district','commune')`))
    .addColumn('field_vi', 'text', (c) => c.notNull())
    .addColumn('field_en', 'text', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()

  await withId(db, 'questionnaire')
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name_vi', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await withId(db, 'questionnaire_version')
    .addColumn('questionnaire_id', 'integer', (c) => c.notNull().references('questionnaire.id'))
    .addColumn('version_number', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft','published','retired')`))
    .addColumn('index_method', 'text', (c) => c.notNull())
    .addColumn('created_from_version_id', 'integer', (c) => c.references('questionnaire_version.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addUniqueConstraint('questionnaire_version_number_unique', ['questionnaire_id', 'version_number'])
    .execute()

  await withId(db, 'questionnaire_element')
    .addColumn('version_id', 'integer', (c) => c.notNull().references('questionnaire_version.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('weight', floatType(db) as 'real', (c) => c.notNull().check(sql`weight > 0`))
    .addColumn('title_vi', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addUniqueConstraint('questionnaire_element_code_unique', ['version_id', 'code'])
    .execute()

  await withId(db, 'questionnaire_item')
    .addColumn('version_id', 'integer', (c) => c.notNull().references('questionnaire_version.id'))
    .addColumn('element_id', 'integer', (c) => c.references('questionnaire_element.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) =>
      c.notNull().check(sql`type in ('scale5','scale3','points210','single','multiple','text','number')`),
    )
    .addColumn('role', 'text', (c) =>
      c
        .notNull()
        .check(sql`role in ('criterion','element_overall','overall','expectation','profile','suggestion','other')`),
    )
    .addColumn('label_vi', 'text', (c) => c.notNull())
    .addColumn('label_en', 'text', (c) => c.notNull())
    .addColumn('required', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('counts_in_index', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('satisfied_threshold', 'integer')
    .addColumn('options_json', 'text')
    .addColumn('max_length', 'integer')
    .addUniqueConstraint('questionnaire_item_code_unique', ['version_id', 'code'])
    .execute()

  await db.schema
    .createTable('agency_assignment')
    .addColumn('agency_id', 'integer', (c) => c.notNull().references('agency.id'))
    .addColumn('questionnaire_id', 'integer', (c) => c.notNull().references('questionnaire.id'))
    .addColumn('version_id', 'integer', (c) => c.notNull().references('questionnaire_version.id'))
    .addColumn('assigned_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('agency_assignment_pk', ['agency_id', 'questionnaire_id'])
    .execute()

  await withId(db, 'survey_link')
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('agency_id', 'integer', (c) => c.notNull().references('agency.id'))
    .addColumn('questionnaire_id', 'integer', (c) => c.notNull().references('questionnaire.id'))
    .addColumn('procedure_id', 'integer', (c) => c.references('procedure.id'))
    .addColumn('counter_label', 'text')
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('poster','kiosk')`))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await withId(db, 'invitation', true)
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('agency_id', 'integer', (c) => c.notNull().references('agency.id'))
    .addColumn('questionnaire_id', 'integer', (c) => c.notNull().references('questionnaire.id'))
    .addColumn('procedure_id', 'integer', (c) => c.references('procedure.id'))
    .addColumn('dossier_hash', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('invitation_dossier_unique', ['agency_id', 'dossier_hash'])
    .execute()

  await withId(db, 'response', true)
    .addColumn('client_submission_id', 'text', (c) => c.notNull().unique())
    .addColumn('version_id', 'integer', (c) => c.notNull().references('questionnaire_version.id'))
    .addColumn('agency_id', 'integer', (c) => c.notNull().references('agency.id'))
    .addColumn('procedure_id', 'integer', (c) => c.references('procedure.id'))
    .addColumn('channel', 'text', (c) =>
      c.notNull().check(sql`channel in ('counter','online','post','phone','kiosk','paper')`),
    )
    .addColumn('link_id', 'integer', (c) => c.references('survey_link.id'))
    .addColumn('invitation_id', bigRef(db) as 'integer', (c) => c.references('invitation.id'))
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('period_month', 'text', (c) => c.notNull())
    .addColumn('weight_micro', 'integer', (c) => c.notNull().defaultTo(1_000_000).check(sql`weight_micro > 0`))
    .addColumn('stratum', 'text')
    .addColumn('cluster', 'text')
    .addColumn('external_id', 'text')
    .addColumn('profile_json', 'text')
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('web','import','synthetic')`))
    .execute()
  await db.schema
    .createIndex('response_agency_period_idx')
    .on('response')
    .columns(['agency_id', 'period_month'])
    .execute()
  // One invitation, one response; one imported row, one response: enforced by the database. Partial
  // indexes, so the many web responses without either write no entry at all.
  await db.schema
    .createIndex('response_invitation_unique')
    .on('response')
    .column('invitation_id')
    .unique()
    .where(sql.ref('invitation_id'), 'is not', null)
    .execute()
  await db.schema
    .createIndex('response_external_id_unique')
    .on('response')
    .column('external_id')
    .unique()
    .where(sql.ref('external_id'), 'is not', null)
    .execute()

  // Keyed by (response, item) and, on SQLite, stored in that key's order (WITHOUT ROWID): one B-tree to
  // write per answer instead of a table and an index, on the hottest write path of the app.
  await clustered(
    db,
    db.schema
      .createTable('answer')
      .addColumn('response_id', bigRef(db) as 'integer', (c) => c.notNull().references('response.id'))
      .addColumn('item_id', 'integer', (c) => c.notNull().references('questionnaire_item.id'))
      .addColumn('value_number', floatType(db) as 'real')
      .addColumn('value_text', 'text')
      .addPrimaryKeyConstraint('answer_pk', ['response_id', 'item_id']),
  ).execute()

  await clustered(
    db,
    db.schema
      .createTable('item_aggregate')
      .addColumn('agency_id', 'integer', (c) => c.notNull().references('agency.id'))
      .addColumn('period_month', 'text', (c) => c.notNull())
      .addColumn('item_id', 'integer', (c) => c.notNull().references('questionnaire_item.id'))
      .addColumn('answer_value', 'integer', (c) => c.notNull())
      .addColumn('stratum', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('n', 'integer', (c) => c.notNull())
      .addColumn('sum_w_micro', 'bigint', (c) => c.notNull())
      .addColumn('sum_w2', 'double precision', (c) => c.notNull())
      // Key order matches the score queries' GROUP BY (agency, item, answer), so SQLite sums in key order
      // without sorting. No index on the month: each would double the pages every submission writes.
      .addPrimaryKeyConstraint('item_aggregate_pk', [
        'agency_id',
        'item_id',
        'answer_value',
        'stratum',
        'period_month',
      ]),
  ).execute()

  await clustered(
    db,
    db.schema
      .createTable('composite_aggregate')
      .addColumn('agency_id', 'integer', (c) => c.notNull().references('agency.id'))
      .addColumn('period_month', 'text', (c) => c.notNull())
      .addColumn('version_id', 'integer', (c) => c.notNull().references('questionnaire_version.id'))
      .addColumn('composite', 'text', (c) => c.notNull())
      .addColumn('stratum', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('n', 'integer', (c) => c.notNull())
      .addColumn('sum_w_micro', 'bigint', (c) => c.notNull())
      .addColumn('sum_w2', 'double precision', (c) => c.notNull())
      .addColumn('sum_wx', 'double precision', (c) => c.notNull())
      .addColumn('sum_wx2', 'double precision', (c) => c.notNull())
      .addColumn('sum_w2x', 'double precision', (c) => c.notNull())
      .addColumn('sum_w2x2', 'double precision', (c) => c.notNull())
      // Unweighted moments, so "unweighted" scores stay exact when imported responses carry weights.
      .addColumn('sum_x', 'double precision', (c) => c.notNull())
      .addColumn('sum_x2', 'double precision', (c) => c.notNull())
      .addPrimaryKeyConstraint('composite_aggregate_pk', [
        'agency_id',
        'composite',
        'version_id',
        'stratum',
        'period_month',
      ]),
  ).execute()

  await withId(db, 'population_count')
    .addColumn('agency_id', 'integer', (c) => c.notNull().references('agency.id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().check(sql`count > 0`))
    .addColumn('source', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('population_count_unique', ['agency_id', 'period'])
    .execute()

  await withId(db, 'user')
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin','manager','analyst')`))
    .addColumn('agency_id', 'integer', (c) => c.references('agency.id'))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('session')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('setup_token')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute()

  await withId(db, 'api_token')
    .addColumn('agency_id', 'integer', (c) => c.notNull().references('agency.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute()

  await withId(db, 'audit_log', true)
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.references('user.id'))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('details_json', 'text')
    .execute()

  await guardPublishedVersions(db)
}

/**
 * A published questionnaire version is evidence: responses point at it. The database itself refuses to
 * change its elements and items, or to move it back to draft, so no code path can rewrite history.
 */
async function guardPublishedVersions(db: AnyDb): Promise<void> {
  if (isPostgres(db)) {
    await sql`
      create function hailong_guard_published() returns trigger language plpgsql as $$
      declare v_id integer;
      begin
        if tg_table_name = 'questionnaire_version' then
          -- Only called for deletes of published or retired versions (the trigger's WHEN says so).
          if tg_op = 'DELETE' then
            raise exception 'published questionnaire version is immutable (version %)', old.id;
          end if;
          if old.status <> 'draft' and (new.status = 'draft' or new.questionnaire_id <> old.questionnaire_id
             or new.version_number <> old.version_number or new.index_method <> old.index_method) then
            raise exception 'published questionnaire version is immutable (version %)', old.id;
          end if;
          return new;
        end if;
        if tg_op = 'INSERT' then v_id := new.version_id; else v_id := old.version_id; end if;
        if exists (select 1 from questionnaire_version where id = v_id and status <> 'draft')
           or (tg_op = 'UPDATE' and exists (select 1 from questionnaire_version where id = new.version_id and status <> 'draft')) then
          raise exception 'published questionnaire version is immutable (version %)', v_id;
        end if;
        if tg_op = 'DELETE' then return old; end if;
        return new;
      end $$`.execute(db)
    for (const table of ['questionnaire_element', 'questionnaire_item']) {
      await sql`create trigger ${sql.raw(`${table}_guard`)} before insert or update or delete on ${sql.table(table)}
        for each row execute function hailong_guard_published()`.execute(db)
    }
    await sql`create trigger questionnaire_version_guard before update on questionnaire_version
      for each row execute function hailong_guard_published()`.execute(db)
    await sql`create trigger questionnaire_version_delete_guard before delete on questionnaire_version
      for each row when (old.status <> 'draft') execute function hailong_guard_published()`.execute(db)
    return
  }
  for (const table of ['questionnaire_element', 'questionnaire_item']) {
    // An update is checked on both sides: moving a draft row into a published version is a change too.
    for (const [op, ids] of [
      ['insert', 'new.version_id'],
      ['update', 'old.version_id, new.version_id'],
      ['delete', 'old.version_id'],
    ] as const) {
      await sql`create trigger ${sql.raw(`${table}_guard_${op}`)} before ${sql.raw(op)} on ${sql.table(table)}
        when exists (select 1 from questionnaire_version where id in (${sql.raw(ids)}) and status <> 'draft')
        begin select raise(abort, 'published questionnaire version is immutable'); end`.execute(db)
    }
  }
  await sql`create trigger questionnaire_version_guard_update before update on questionnaire_version
    when old.status <> 'draft' and (new.status = 'draft' or new.questionnaire_id <> old.questionnaire_id
      or new.version_number <> old.version_number or new.index_method <> old.index_method)
    begin select raise(abort, 'published questionnaire version is immutable'); end`.execute(db)
  await sql`create trigger questionnaire_version_guard_delete before delete on questionnaire_version
    when old.status <> 'draft'
    begin select raise(abort, 'published questionnaire version is immutable'); end`.execute(db)
}

export async function down(): Promise<void> {
  throw new Error('The initial migration cannot be reverted: restore a backup instead.')
}
