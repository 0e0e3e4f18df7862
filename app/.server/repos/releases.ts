/**
 * Official releases (docs/publication.md). A release's document and hash are written once, at creation;
 * the database refuses to change them (migration 2026-11-30T0200), and nothing here tries.
 */
import { type Selectable, sql } from 'kysely'
import type { ReleaseStatus, ReleaseTable } from '#db/schema.ts'
import type { Executor } from './questionnaires.ts'

export interface ReleaseSummary {
  id: number
  agencyId: number
  agencyCode: string
  agencyNameVi: string
  agencyNameEn: string
  /** Materialised path of the release's root agency, for the scope rule. */
  path: string
  period: string
  questionnaireCode: string
  status: ReleaseStatus
  supersedesId: number | null
  sha256: string
  dataCutoff: string
  createdByUserId: number | null
  createdBy: string
  createdAt: string
  approvedBy: string | null
  approvedAt: string | null
  publishedBy: string | null
  publishedAt: string | null
}

export interface ReleaseRecord extends ReleaseSummary {
  document: string
  diffJson: string | null
}

export interface ReleaseActorRef {
  userId: number | null
  actor: string
}

const SUMMARY_COLUMNS = [
  'r.id',
  'r.agency_id',
  'a.code',
  'a.name_vi',
  'a.name_en',
  'a.path',
  'r.period',
  'r.questionnaire_code',
  'r.status',
  'r.supersedes_id',
  'r.sha256',
  'r.data_cutoff',
  'r.created_by_user_id',
  'r.created_by',
  'r.created_at',
  'r.approved_by',
  'r.approved_at',
  'r.published_by',
  'r.published_at',
] as const

type SummaryRow = Pick<
  Selectable<ReleaseTable>,
  | 'id'
  | 'agency_id'
  | 'period'
  | 'questionnaire_code'
  | 'status'
  | 'supersedes_id'
  | 'sha256'
  | 'data_cutoff'
  | 'created_by_user_id'
  | 'created_by'
  | 'created_at'
  | 'approved_by'
  | 'approved_at'
  | 'published_by'
  | 'published_at'
> & { code: string; name_vi: string; name_en: string; path: string }

function toSummary(r: SummaryRow): ReleaseSummary {
  return {
    id: r.id,
    agencyId: r.agency_id,
    agencyCode: r.code,
    agencyNameVi: r.name_vi,
    agencyNameEn: r.name_en,
    path: r.path,
    period: r.period,
    questionnaireCode: r.questionnaire_code,
    status: r.status,
    supersedesId: r.supersedes_id,
    sha256: r.sha256,
    dataCutoff: r.data_cutoff,
    createdByUserId: r.created_by_user_id,
    createdBy: r.created_by,
    createdAt: r.created_at,
    approvedBy: r.approved_by,
    approvedAt: r.approved_at,
    publishedBy: r.published_by,
    publishedAt: r.published_at,
  }
}

export interface NewRelease {
  agencyId: number
  period: string
  questionnaireCode: string
  document: string
  sha256: string
  dataCutoff: string
}

export async function insertRelease(db: Executor, release: NewRelease, by: ReleaseActorRef, now: string) {
  const row = await db
    .insertInto('release')
    .values({
      agency_id: release.agencyId,
      period: release.period,
      questionnaire_code: release.questionnaireCode,
      status: 'draft',
      supersedes_id: null,
      document: release.document,
      sha256: release.sha256,
      diff_json: null,
      data_cutoff: release.dataCutoff,
      created_by_user_id: by.userId,
      created_by: by.actor,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function findRelease(db: Executor, id: number): Promise<ReleaseRecord | undefined> {
  const row = await db
    .selectFrom('release as r')
    .innerJoin('agency as a', 'a.id', 'r.agency_id')
    .select([...SUMMARY_COLUMNS, 'r.document', 'r.diff_json'])
    .where('r.id', '=', id)
    .executeTakeFirst()
  return row && { ...toSummary(row), document: row.document, diffJson: row.diff_json }
}

/** Releases of the given statuses (default all), newest first: by publication, else creation, time. */
export async function listReleases(db: Executor, statuses?: ReleaseStatus[]): Promise<ReleaseSummary[]> {
  const rows = await db
    .selectFrom('release as r')
    .innerJoin('agency as a', 'a.id', 'r.agency_id')
    .select(SUMMARY_COLUMNS)
    .$if(statuses !== undefined, (qb) => qb.where('r.status', 'in', statuses!))
    .orderBy(sql`coalesce(r.published_at, r.created_at)`, 'desc')
    .orderBy('r.id', 'desc')
    .execute()
  return rows.map(toSummary)
}

/** The one published release of an agency, period and questionnaire, if any. */
export async function findPublishedFor(
  db: Executor,
  agencyId: number,
  period: string,
  questionnaireCode: string,
): Promise<ReleaseRecord | undefined> {
  const row = await db
    .selectFrom('release')
    .select('id')
    .where('agency_id', '=', agencyId)
    .where('period', '=', period)
    .where('questionnaire_code', '=', questionnaireCode)
    .where('status', '=', 'published')
    .executeTakeFirst()
  return row && findRelease(db, row.id)
}

/** Draft → approved; false when the release was no longer a draft. */
export async function markApproved(db: Executor, id: number, by: ReleaseActorRef, now: string): Promise<boolean> {
  const result = await db
    .updateTable('release')
    .set({ status: 'approved', approved_by_user_id: by.userId, approved_by: by.actor, approved_at: now })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** Published → superseded; false when it was not published. */
export async function markSuperseded(db: Executor, id: number): Promise<boolean> {
  const result = await db
    .updateTable('release')
    .set({ status: 'superseded' })
    .where('id', '=', id)
    .where('status', '=', 'published')
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** Approved → published, with the release it supersedes and the diff; false when it was not approved. */
export async function markPublished(
  db: Executor,
  id: number,
  supersedes: { id: number; diffJson: string } | null,
  by: ReleaseActorRef,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('release')
    .set({
      status: 'published',
      supersedes_id: supersedes?.id ?? null,
      diff_json: supersedes?.diffJson ?? null,
      published_by_user_id: by.userId,
      published_by: by.actor,
      published_at: now,
    })
    .where('id', '=', id)
    .where('status', '=', 'approved')
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}
