/**
 * Official releases (docs/publication.md, docs/decisions/0043): a frozen snapshot of every published number
 * for an agency subtree and a period, prepared as a draft, approved by a second person, then published.
 *
 * - `release.document` holds the exact bytes served by /api/v1/releases/{id}; `sha256` is their hash.
 * - The database refuses to change a release's document, hash, agency, period, questionnaire or author
 *   once written, whatever its status; a published release may only become superseded, a superseded one
 *   never changes, and neither may be deleted. Like the published-version guard of the initial migration,
 *   no code path can rewrite what was published.
 * - The period is canonical, as population periods are ("2026", "2026-H1", "2026-Q3", "2026-09").
 *
 * Kysely runs SQLite migrations outside a transaction; this one opens its own there.
 */
import { type Kysely, PostgresAdapter, sql } from 'kysely'

type AnyDb = Kysely<any>

const isPostgres = (db: AnyDb) => db.getExecutor().adapter instanceof PostgresAdapter

export async function up(db: AnyDb): Promise<void> {
  if (isPostgres(db)) await migrate(db, true)
  else await db.transaction().execute((trx) => migrate(trx, false))
}

/** True for "2026", "2026-H1", "2026-Q3" and "2026-09": the canonical texts of app/domain/period.ts. */
function canonicalPeriod(postgres: boolean, column: string) {
  const period = sql.raw(column)
  if (postgres) return sql`${period} ~ '^[12][0-9]{3}(-H[12]|-Q[1-4]|-0[1-9]|-1[0-2])?$'`
  const year = '[12][0-9][0-9][0-9]'
  const patterns = [year, `${year}-H[12]`, `${year}-Q[1-4]`, `${year}-0[1-9]`, `${year}-1[0-2]`]
  return sql.join(
    patterns.map((p) => sql`${period} glob ${sql.lit(p)}`),
    sql` or `,
  )
}

/** Columns fixed at creation: a change to any of them is refused, whatever the status. */
const FROZEN = [
  'agency_id',
  'period',
  'questionnaire_code',
  'document',
  'sha256',
  'data_cutoff',
  'created_by',
  'created_at',
]

async function migrate(db: AnyDb, postgres: boolean): Promise<void> {
  await db.schema
    .createTable('release')
    .addColumn('id', postgres ? 'serial' : 'integer', (c) =>
      postgres ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    // The root of the release's scope: its subtree is what the release covers.
    .addColumn('agency_id', 'integer', (c) => c.notNull().references('agency.id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('questionnaire_code', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('draft', 'approved', 'published', 'superseded')`),
    )
    .addColumn('supersedes_id', 'integer', (c) => c.references('release.id'))
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    // What moved since the release it supersedes, as JSON; null for a first release.
    .addColumn('diff_json', 'text')
    .addColumn('data_cutoff', 'text', (c) => c.notNull())
    .addColumn('created_by_user_id', 'integer', (c) => c.references('user.id'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('approved_by_user_id', 'integer', (c) => c.references('user.id'))
    .addColumn('approved_by', 'text')
    .addColumn('approved_at', 'text')
    .addColumn('published_by_user_id', 'integer', (c) => c.references('user.id'))
    .addColumn('published_by', 'text')
    .addColumn('published_at', 'text')
    .addCheckConstraint('release_period_canonical', canonicalPeriod(postgres, 'period'))
    .addCheckConstraint('release_sha256_hex', postgres ? sql`sha256 ~ '^[0-9a-f]{64}$'` : sql`length(sha256) = 64`)
    .execute()
  // At most one published release per agency, period and questionnaire: a correction supersedes it first.
  await sql`create unique index release_published on release (agency_id, period, questionnaire_code)
    where status = 'published'`.execute(db)
  await sql`create index release_status_published_at on release (status, published_at)`.execute(db)
  await guardReleases(db, postgres)
}

async function guardReleases(db: AnyDb, postgres: boolean): Promise<void> {
  if (postgres) {
    const changed = sql.join(
      FROZEN.map((c) => sql`new.${sql.raw(c)} is distinct from old.${sql.raw(c)}`),
      sql` or `,
    )
    await sql`
      create function hailong_guard_release() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' then
          if old.status in ('published', 'superseded') then
            raise exception 'published release is immutable (release %)', old.id;
          end if;
          return old;
        end if;
        if ${changed} then
          raise exception 'published release is immutable (release %)', old.id;
        end if;
        if old.status = 'superseded' and new is distinct from old then
          raise exception 'published release is immutable (release %)', old.id;
        end if;
        if old.status = 'published' and (new.status <> 'superseded' and new.status <> 'published'
           or new.published_at is distinct from old.published_at or new.published_by is distinct from old.published_by
           or new.approved_at is distinct from old.approved_at or new.approved_by is distinct from old.approved_by
           or new.supersedes_id is distinct from old.supersedes_id or new.diff_json is distinct from old.diff_json) then
          raise exception 'published release is immutable (release %)', old.id;
        end if;
        return new;
      end $$`.execute(db)
    await sql`create trigger release_guard before update or delete on release
      for each row execute function hailong_guard_release()`.execute(db)
    return
  }
  const changed = sql.join(
    FROZEN.map((c) => sql`new.${sql.raw(c)} is not old.${sql.raw(c)}`),
    sql` or `,
  )
  await sql`create trigger release_guard_frozen before update on release when ${changed}
    begin select raise(abort, 'published release is immutable'); end`.execute(db)
  await sql`create trigger release_guard_published before update on release
    when old.status = 'superseded' or (old.status = 'published' and (new.status not in ('published', 'superseded')
      or new.published_at is not old.published_at or new.published_by is not old.published_by
      or new.approved_at is not old.approved_at or new.approved_by is not old.approved_by
      or new.supersedes_id is not old.supersedes_id or new.diff_json is not old.diff_json))
    begin select raise(abort, 'published release is immutable'); end`.execute(db)
  await sql`create trigger release_guard_delete before delete on release
    when old.status in ('published', 'superseded')
    begin select raise(abort, 'published release is immutable'); end`.execute(db)
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reverted: restore a backup instead.')
}
