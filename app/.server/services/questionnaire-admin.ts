/**
 * Questionnaire administration: create from a template or from scratch, edit drafts, publish (which makes
 * a version immutable), start a new draft from a published version, compare versions, assign a version
 * to agencies. Every change is audited.
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { diffDefinitions } from '#app/domain/questionnaire/diff.ts'
import { type QuestionnaireDefinition, questionnaireDefinitionSchema } from '#app/domain/questionnaire/definition.ts'
import {
  insertQuestionnaire,
  insertVersion,
  insertVersionContent,
  loadVersionDefinition,
  publishVersion,
} from '../repos/questionnaires.ts'
import { insertAudit } from '../repos/users.ts'
import { BUILT_IN_TEMPLATES } from './seed.ts'

export interface Actor {
  userId: number
  email: string
}

export async function listQuestionnaires(db: Kysely<Database>) {
  const rows = await db
    .selectFrom('questionnaire as q')
    .leftJoin('questionnaire_version as v', 'v.questionnaire_id', 'q.id')
    .select([
      'q.id',
      'q.code',
      'q.name_vi',
      'q.name_en',
      'v.id as version_id',
      'v.version_number',
      'v.status',
      'v.published_at',
      'v.created_at',
    ])
    .orderBy('q.code')
    .orderBy('v.version_number', 'desc')
    .execute()
  const byId = new Map<
    number,
    {
      id: number
      code: string
      nameVi: string
      nameEn: string
      versions: Array<{ id: number; number: number; status: string; publishedAt: string | null; createdAt: string }>
    }
  >()
  for (const r of rows) {
    let q = byId.get(r.id)
    if (!q) {
      q = { id: r.id, code: r.code, nameVi: r.name_vi, nameEn: r.name_en, versions: [] }
      byId.set(r.id, q)
    }
    if (r.version_id !== null)
      q.versions.push({
        id: r.version_id,
        number: r.version_number!,
        status: r.status!,
        publishedAt: r.published_at,
        createdAt: r.created_at!,
      })
  }
  return [...byId.values()]
}

export function templateDefinition(templateCode: string): QuestionnaireDefinition | null {
  return BUILT_IN_TEMPLATES.find((t) => t.code === templateCode) ?? null
}

export const EMPTY_DEFINITION: Omit<QuestionnaireDefinition, 'code' | 'nameVi' | 'nameEn'> = {
  indexMethod: 'respondent-composite',
  elements: [],
  extraItems: [],
}

export type CreateResult =
  | { ok: true; questionnaireId: number; versionId: number }
  | { ok: false; error: 'designer.errors.codeTaken' | 'designer.errors.unknownTemplate' }

export async function createQuestionnaire(
  db: Kysely<Database>,
  input: { code: string; nameVi: string; nameEn: string; template: string | null },
  actor: Actor,
): Promise<CreateResult> {
  if (await db.selectFrom('questionnaire').select('id').where('code', '=', input.code).executeTakeFirst())
    return { ok: false, error: 'designer.errors.codeTaken' }
  const template = input.template ? templateDefinition(input.template) : null
  if (input.template && !template) return { ok: false, error: 'designer.errors.unknownTemplate' }
  const definition: QuestionnaireDefinition = {
    ...(template ?? EMPTY_DEFINITION),
    code: input.code,
    nameVi: input.nameVi,
    nameEn: input.nameEn,
  }
  const now = new Date().toISOString()
  return db.transaction().execute(async (trx) => {
    const questionnaireId = await insertQuestionnaire(trx, definition, now)
    const versionId = await insertVersion(trx, questionnaireId, definition, now)
    await insertAudit(
      trx,
      {
        userId: actor.userId,
        actor: actor.email,
        action: 'questionnaire.create',
        entity: 'questionnaire',
        entityId: String(questionnaireId),
        details: { code: input.code, template: input.template },
      },
      now,
    )
    return { ok: true as const, questionnaireId, versionId }
  })
}

export type DraftResult =
  | { ok: true; versionId: number }
  | { ok: false; status: 400 | 404 | 409; error: string; issues?: Array<{ path: string; message: string }> }

async function versionRow(db: Kysely<Database>, versionId: number) {
  return db.selectFrom('questionnaire_version').selectAll().where('id', '=', versionId).executeTakeFirst()
}

/** Replaces a draft's elements and items. A published version answers 409: start a new draft instead. */
export async function saveDraft(
  db: Kysely<Database>,
  versionId: number,
  raw: unknown,
  actor: Actor,
): Promise<DraftResult> {
  const version = await versionRow(db, versionId)
  if (!version) return { ok: false, status: 404, error: 'designer.errors.unknownVersion' }
  if (version.status !== 'draft') return { ok: false, status: 409, error: 'designer.errors.published' }
  const parsed = questionnaireDefinitionSchema.safeParse(raw)
  if (!parsed.success) {
    return {
      ok: false,
      status: 400,
      error: 'designer.errors.invalid',
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    }
  }
  const def = parsed.data
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('questionnaire_item').where('version_id', '=', versionId).execute()
    await trx.deleteFrom('questionnaire_element').where('version_id', '=', versionId).execute()
    await trx
      .updateTable('questionnaire_version')
      .set({ index_method: def.indexMethod })
      .where('id', '=', versionId)
      .execute()
    await trx
      .updateTable('questionnaire')
      .set({ name_vi: def.nameVi, name_en: def.nameEn })
      .where('id', '=', version.questionnaire_id)
      .execute()
    await insertVersionContent(trx, versionId, def)
    await insertAudit(
      trx,
      {
        userId: actor.userId,
        actor: actor.email,
        action: 'questionnaire.save_draft',
        entity: 'questionnaire_version',
        entityId: String(versionId),
      },
      now,
    )
  })
  return { ok: true, versionId }
}

export async function publishDraft(db: Kysely<Database>, versionId: number, actor: Actor): Promise<DraftResult> {
  const version = await versionRow(db, versionId)
  if (!version) return { ok: false, status: 404, error: 'designer.errors.unknownVersion' }
  if (version.status !== 'draft') return { ok: false, status: 409, error: 'designer.errors.published' }
  const def = await loadVersionDefinition(db, versionId)
  const parsed = questionnaireDefinitionSchema.safeParse(def)
  if (!parsed.success || !def.items.length) {
    return {
      ok: false,
      status: 400,
      error: 'designer.errors.invalid',
      issues: parsed.success
        ? [{ path: 'elements', message: 'designer.errors.elementRequired' }]
        : parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    }
  }
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    await publishVersion(trx, versionId, now)
    await insertAudit(
      trx,
      {
        userId: actor.userId,
        actor: actor.email,
        action: 'questionnaire.publish',
        entity: 'questionnaire_version',
        entityId: String(versionId),
      },
      now,
    )
  })
  return { ok: true, versionId }
}

/** A new draft cloned from any version; the draft is the only place edits happen. */
export async function newDraftFrom(db: Kysely<Database>, versionId: number, actor: Actor): Promise<DraftResult> {
  const version = await versionRow(db, versionId)
  if (!version) return { ok: false, status: 404, error: 'designer.errors.unknownVersion' }
  const existingDraft = await db
    .selectFrom('questionnaire_version')
    .select('id')
    .where('questionnaire_id', '=', version.questionnaire_id)
    .where('status', '=', 'draft')
    .executeTakeFirst()
  if (existingDraft) return { ok: true, versionId: existingDraft.id }
  const def = await loadVersionDefinition(db, versionId)
  const now = new Date().toISOString()
  const newId = await db.transaction().execute(async (trx) => {
    const id = await insertVersion(trx, version.questionnaire_id, def, now, versionId)
    await insertAudit(
      trx,
      {
        userId: actor.userId,
        actor: actor.email,
        action: 'questionnaire.new_draft',
        entity: 'questionnaire_version',
        entityId: String(id),
        details: { from: versionId },
      },
      now,
    )
    return id
  })
  return { ok: true, versionId: newId }
}

export async function deleteDraft(db: Kysely<Database>, versionId: number, actor: Actor): Promise<DraftResult> {
  const version = await versionRow(db, versionId)
  if (!version) return { ok: false, status: 404, error: 'designer.errors.unknownVersion' }
  if (version.status !== 'draft') return { ok: false, status: 409, error: 'designer.errors.published' }
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('questionnaire_item').where('version_id', '=', versionId).execute()
    await trx.deleteFrom('questionnaire_element').where('version_id', '=', versionId).execute()
    await trx.deleteFrom('questionnaire_version').where('id', '=', versionId).execute()
    await insertAudit(
      trx,
      {
        userId: actor.userId,
        actor: actor.email,
        action: 'questionnaire.delete_draft',
        entity: 'questionnaire_version',
        entityId: String(versionId),
      },
      now,
    )
  })
  return { ok: true, versionId }
}

/** Changes of each version against the one it was created from (or the previous number). */
export async function versionHistory(db: Kysely<Database>, questionnaireId: number) {
  const versions = await db
    .selectFrom('questionnaire_version')
    .selectAll()
    .where('questionnaire_id', '=', questionnaireId)
    .orderBy('version_number')
    .execute()
  const out = []
  for (const [index, v] of versions.entries()) {
    const baseId = v.created_from_version_id ?? versions[index - 1]?.id ?? null
    const changes = baseId
      ? diffDefinitions(await loadVersionDefinition(db, baseId), await loadVersionDefinition(db, v.id))
      : null
    out.push({
      id: v.id,
      number: v.version_number,
      status: v.status,
      createdAt: v.created_at,
      publishedAt: v.published_at,
      basedOn: baseId && versions.find((x) => x.id === baseId)?.version_number,
      changes,
    })
  }
  return out
}

export async function assignVersion(
  db: Kysely<Database>,
  versionId: number,
  agencyIds: number[],
  actor: Actor,
): Promise<DraftResult> {
  const version = await versionRow(db, versionId)
  if (!version) return { ok: false, status: 404, error: 'designer.errors.unknownVersion' }
  if (version.status !== 'published') return { ok: false, status: 409, error: 'designer.errors.assignDraft' }
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    for (const agencyId of agencyIds) {
      await trx
        .insertInto('agency_assignment')
        .values({
          agency_id: agencyId,
          questionnaire_id: version.questionnaire_id,
          version_id: versionId,
          assigned_at: now,
        })
        .onConflict((oc) =>
          oc.columns(['agency_id', 'questionnaire_id']).doUpdateSet({ version_id: versionId, assigned_at: now }),
        )
        .execute()
    }
    await insertAudit(
      trx,
      {
        userId: actor.userId,
        actor: actor.email,
        action: 'questionnaire.assign',
        entity: 'questionnaire_version',
        entityId: String(versionId),
        details: { agencyIds },
      },
      now,
    )
  })
  return { ok: true, versionId }
}
