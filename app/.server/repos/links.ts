/** Survey links: the poster, kiosk and counter entry points citizens reach by QR code. */
import type { Kysely } from 'kysely'
import { reusableQuery } from '#db/reusable-query.ts'
import type { Database, LinkKind } from '#db/schema.ts'
import { type Scope, whereInScope } from '../auth/scope.ts'
import type { Executor } from './questionnaires.ts'

export interface NewLinkInput {
  code: string
  agencyId: number
  questionnaireId: number
  procedureId: number | null
  counterLabel: string | null
  kind: LinkKind
}

export async function insertLink(db: Executor, input: NewLinkInput, now: string): Promise<number> {
  const { id } = await db
    .insertInto('survey_link')
    .values({
      code: input.code,
      agency_id: input.agencyId,
      questionnaire_id: input.questionnaireId,
      procedure_id: input.procedureId,
      counter_label: input.counterLabel,
      kind: input.kind,
      active: 1,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

/** Every active link with its agency, in tree order (the CLI's list). */
export async function listLinksWithAgency(db: Executor) {
  const rows = await db
    .selectFrom('survey_link as l')
    .innerJoin('agency as a', 'a.id', 'l.agency_id')
    .select(['l.id', 'l.code', 'l.kind', 'l.counter_label', 'a.code as agency_code', 'a.name_vi', 'a.name_en'])
    .where('l.active', '=', 1)
    .orderBy('a.path')
    .orderBy('l.id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    kind: r.kind,
    counterLabel: r.counter_label,
    agencyCode: r.agency_code,
    agencyNameVi: r.name_vi,
    agencyNameEn: r.name_en,
  }))
}

/** A link as the administration lists it, with the names its row shows. */
export interface LinkListing {
  id: number
  code: string
  kind: LinkKind
  counterLabel: string | null
  active: boolean
  agencyCode: string
  agencyNameVi: string
  agencyNameEn: string
  questionnaireCode: string
  procedureNameVi: string | null
  procedureNameEn: string | null
}

/** A link with its agency's place in the tree: who may print or close it depends on it. */
export interface LinkPlacement {
  id: number
  code: string
  kind: LinkKind
  counterLabel: string | null
  active: boolean
  agencyId: number
  agencyNameVi: string
  agencyNameEn: string
  agencyPath: string
}

/** The links of agencies in the scope, grouped by agency in tree order. */
export async function listLinksInScope(db: Executor, scope: Scope): Promise<LinkListing[]> {
  const rows = await whereInScope(
    db
      .selectFrom('survey_link as l')
      .innerJoin('agency as a', 'a.id', 'l.agency_id')
      .innerJoin('questionnaire as q', 'q.id', 'l.questionnaire_id')
      .leftJoin('procedure as p', 'p.id', 'l.procedure_id')
      .select([
        'l.id',
        'l.code',
        'l.kind',
        'l.counter_label',
        'l.active',
        'a.code as agency_code',
        'a.name_vi as agency_vi',
        'a.name_en as agency_en',
        'q.code as questionnaire_code',
        'p.name_vi as procedure_vi',
        'p.name_en as procedure_en',
      ]),
    'a.path',
    scope,
  )
    .orderBy('a.path')
    .orderBy('l.id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    kind: r.kind,
    counterLabel: r.counter_label,
    active: r.active === 1,
    agencyCode: r.agency_code,
    agencyNameVi: r.agency_vi,
    agencyNameEn: r.agency_en,
    questionnaireCode: r.questionnaire_code,
    procedureNameVi: r.procedure_vi,
    procedureNameEn: r.procedure_en,
  }))
}

export async function findLinkPlacement(db: Executor, id: number): Promise<LinkPlacement | undefined> {
  const row = await db
    .selectFrom('survey_link as l')
    .innerJoin('agency as a', 'a.id', 'l.agency_id')
    .select([
      'l.id',
      'l.code',
      'l.kind',
      'l.counter_label',
      'l.active',
      'l.agency_id',
      'a.name_vi',
      'a.name_en',
      'a.path',
    ])
    .where('l.id', '=', id)
    .executeTakeFirst()
  return (
    row && {
      id: row.id,
      code: row.code,
      kind: row.kind,
      counterLabel: row.counter_label,
      active: row.active === 1,
      agencyId: row.agency_id,
      agencyNameVi: row.name_vi,
      agencyNameEn: row.name_en,
      agencyPath: row.path,
    }
  )
}

export async function deactivateLink(db: Executor, id: number): Promise<void> {
  await db.updateTable('survey_link').set({ active: 0 }).where('id', '=', id).execute()
}

/** A unit that stops existing stops taking responses through its links. */
export async function deactivateLinksOfAgency(db: Executor, agencyId: number): Promise<void> {
  await db.updateTable('survey_link').set({ active: 0 }).where('agency_id', '=', agencyId).execute()
}

export async function findActiveLinkByCode(
  db: Executor,
  code: string,
): Promise<{ id: number; code: string; kind: LinkKind } | undefined> {
  return db
    .selectFrom('survey_link')
    .select(['id', 'code', 'kind'])
    .where('code', '=', code)
    .where('active', '=', 1)
    .executeTakeFirst()
}

/**
 * Everything a submission through a link needs, in one statement: the active link, its agency (with its
 * validity) and the questionnaire version in force there (the agency's assigned version if published,
 * else the newest published one). A busy morning runs this once per citizen, so it is one round trip
 * instead of four, and compiled once (`reusableQuery`).
 */
const linkTargetQuery = reusableQuery((db: Kysely<Database>, code: string) =>
  db
    .selectFrom('survey_link as l')
    .innerJoin('agency as a', 'a.id', 'l.agency_id')
    .select((eb) => [
      'l.id as link_id',
      'l.kind',
      'l.procedure_id',
      'l.questionnaire_id',
      'a.id as agency_id',
      'a.code as agency_code',
      'a.name_vi',
      'a.name_en',
      'a.valid_to',
      eb.fn
        .coalesce(
          eb
            .selectFrom('agency_assignment as aa')
            .innerJoin('questionnaire_version as av', 'av.id', 'aa.version_id')
            .select('av.id')
            .whereRef('aa.agency_id', '=', 'a.id')
            .whereRef('aa.questionnaire_id', '=', 'l.questionnaire_id')
            .where('av.status', '=', 'published'),
          eb
            .selectFrom('questionnaire_version as pv')
            .select('pv.id')
            .whereRef('pv.questionnaire_id', '=', 'l.questionnaire_id')
            .where('pv.status', '=', 'published')
            .orderBy('pv.version_number', 'desc')
            .limit(1),
        )
        .as('version_id'),
      // Rollouts to chosen agencies from a date need the rule of app/domain/questionnaire/rollout.ts; a
      // questionnaire without any keeps this one-statement path.
      eb
        .exists(
          eb
            .selectFrom('version_rollout as vr')
            .innerJoin('questionnaire_version as rv', 'rv.id', 'vr.version_id')
            .select('vr.id')
            .whereRef('rv.questionnaire_id', '=', 'l.questionnaire_id'),
        )
        .as('has_rollout'),
    ])
    .where('l.code', '=', code)
    .where('l.active', '=', 1),
)

export async function findLinkTarget(db: Executor, code: string) {
  const [target] = await linkTargetQuery(db, code)
  return target
}
