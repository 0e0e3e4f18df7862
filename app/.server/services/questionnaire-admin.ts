/**
 * Questionnaire administration: create from a template or from scratch, edit drafts, publish (which makes
 * a version immutable), start a new draft from a published version, compare versions, assign a version
 * to agencies. Every change is audited.
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { diffDefinitions, type Rewording, rewordings } from '#app/domain/questionnaire/diff.ts'
import { startOfVietnamDay } from '#app/domain/questionnaire/rollout.ts'
import { type QuestionnaireDefinition, questionnaireDefinitionSchema } from '#app/domain/questionnaire/definition.ts'
import { EVERYTHING } from '../auth/scope.ts'
import { currentAgencyIds, listCurrentAgencies } from '../repos/agency-tree.ts'
import {
  assignedAgencyIds,
  deleteVersion,
  deleteVersionContent,
  findDraft,
  findQuestionnaire,
  findQuestionnaireByCode,
  findVersion,
  insertQuestionnaire,
  insertVersion,
  insertRollouts,
  insertVersionContent,
  latestPublishedVersion,
  listQuestionnairesWithVersions,
  listRollouts,
  listVersions,
  loadVersionDefinition,
  publishVersion,
  updateDraftHeader,
  upsertAssignment,
} from '../repos/questionnaires.ts'
import { insertAudit } from '../repos/audit.ts'
import { BUILT_IN_TEMPLATES } from './seed.ts'

export interface Actor {
  userId: number
  email: string
}

export async function listQuestionnaires(db: Kysely<Database>) {
  return listQuestionnairesWithVersions(db)
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
  if (await findQuestionnaireByCode(db, input.code)) return { ok: false, error: 'designer.errors.codeTaken' }
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
  | { ok: true; versionId: number; rewordings?: Rewording[] }
  | { ok: false; status: 400 | 404 | 409; error: string; issues?: Array<{ path: string; message: string }> }

/**
 * The published version a draft's wording is compared with: the one it was cloned from when that is
 * published, else the questionnaire's newest published version; null for a first version.
 */
async function comparisonBase(
  db: Kysely<Database>,
  draft: { questionnaireId: number; createdFromVersionId: number | null },
) {
  const from = draft.createdFromVersionId ? await findVersion(db, draft.createdFromVersionId) : undefined
  const base = from && from.status !== 'draft' ? from : await latestPublishedVersion(db, draft.questionnaireId)
  return base ? loadVersionDefinition(db, base.id) : null
}

/** "Same meaning" is an answer to a rewording: on an item whose wording did not change it means nothing. */
function keepSameMeaningOnlyWhereReworded(
  def: QuestionnaireDefinition,
  reworded: Rewording[],
): QuestionnaireDefinition {
  const codes = new Set(reworded.map((r) => r.code))
  const item = <I extends QuestionnaireDefinition['extraItems'][number]>({ sameMeaning, ...i }: I): I =>
    ({ ...i, ...(sameMeaning === true && codes.has(i.code) ? { sameMeaning: true } : {}) }) as I
  return {
    ...def,
    elements: def.elements.map((e) => ({ ...e, items: e.items.map(item) })),
    extraItems: def.extraItems.map(item),
  }
}

/** Replaces a draft's elements and items. A published version answers 409: start a new draft instead. */
export async function saveDraft(
  db: Kysely<Database>,
  versionId: number,
  raw: unknown,
  actor: Actor,
): Promise<DraftResult> {
  const version = await findVersion(db, versionId)
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
  const base = await comparisonBase(db, version)
  const reworded = base ? rewordings(base, parsed.data) : []
  const def = keepSameMeaningOnlyWhereReworded(parsed.data, reworded)
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    await deleteVersionContent(trx, versionId)
    await updateDraftHeader(trx, { versionId, questionnaireId: version.questionnaireId }, def)
    await insertVersionContent(trx, versionId, def)
    await insertAudit(
      trx,
      {
        userId: actor.userId,
        actor: actor.email,
        action: 'questionnaire.save_draft',
        entity: 'questionnaire_version',
        entityId: String(versionId),
        // The recorded "same meaning" answers: who decided that a new wording still asks the same question.
        ...(reworded.some((r) => r.sameMeaning)
          ? { details: { sameMeaning: reworded.filter((r) => r.sameMeaning).map((r) => r.code) } }
          : {}),
      },
      now,
    )
  })
  // Saved either way; the caller shows what still needs a decision, and publishing refuses until then.
  return { ok: true, versionId, rewordings: reworded }
}

export interface RolloutChoice {
  agencies: Array<{ id: number; includeSubtree: boolean }>
  /** yyyy-MM-dd, Vietnam. */
  date: string
}

/** A rollout's agencies and date checked; the rows to store, or the translated reason why not. */
async function checkRollout(
  db: Kysely<Database>,
  choice: RolloutChoice,
): Promise<{ ok: true; rows: Parameters<typeof insertRollouts>[2] } | { ok: false; error: string }> {
  const effectiveAt = startOfVietnamDay(choice.date)
  if (!effectiveAt) return { ok: false, error: 'designer.errors.rolloutDate' }
  if (!choice.agencies.length) return { ok: false, error: 'designer.errors.rolloutAgencies' }
  const ids = [...new Set(choice.agencies.map((a) => a.id))]
  // Only units in force can receive a version: a merged or unknown unit is a bad request.
  if ((await currentAgencyIds(db, ids)).length !== ids.length) return { ok: false, error: 'common.invalid' }
  return {
    ok: true,
    rows: ids.map((id) => ({
      agencyId: id,
      includeSubtree: choice.agencies.some((a) => a.id === id && a.includeSubtree),
      effectiveDate: choice.date.trim(),
      effectiveAt,
    })),
  }
}

/**
 * Publishes a draft: to every agency at once (no rollout), or only to the chosen agencies (and subtrees)
 * from a day, the others keeping the version they have. Refused while a reworded item has no decision.
 */
export async function publishDraft(
  db: Kysely<Database>,
  versionId: number,
  actor: Actor,
  rollout: RolloutChoice | null = null,
): Promise<DraftResult> {
  const version = await findVersion(db, versionId)
  if (!version) return { ok: false, status: 404, error: 'designer.errors.unknownVersion' }
  if (version.status !== 'draft') return { ok: false, status: 409, error: 'designer.errors.published' }
  const def = await loadVersionDefinition(db, versionId)
  const base = await comparisonBase(db, version)
  const undecided = base ? rewordings(base, def).filter((r) => !r.sameMeaning) : []
  if (undecided.length)
    return {
      ok: false,
      status: 409,
      error: 'designer.errors.rewordedUndecided',
      issues: undecided.map((r) => ({ path: r.code, message: 'designer.errors.rewordedUndecided' })),
    }
  const checked = rollout ? await checkRollout(db, rollout) : null
  if (checked && !checked.ok) return { ok: false, status: 400, error: checked.error }
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
    if (checked?.ok) await insertRollouts(trx, versionId, checked.rows, { now, userId: actor.userId })
    await insertAudit(
      trx,
      {
        userId: actor.userId,
        actor: actor.email,
        action: 'questionnaire.publish',
        entity: 'questionnaire_version',
        entityId: String(versionId),
        details: checked?.ok ? { rollout: checked.rows } : { rollout: 'all' },
      },
      now,
    )
  })
  return { ok: true, versionId }
}

/** A new draft cloned from any version; the draft is the only place edits happen. */
export async function newDraftFrom(db: Kysely<Database>, versionId: number, actor: Actor): Promise<DraftResult> {
  const version = await findVersion(db, versionId)
  if (!version) return { ok: false, status: 404, error: 'designer.errors.unknownVersion' }
  const existingDraft = await findDraft(db, version.questionnaireId)
  if (existingDraft) return { ok: true, versionId: existingDraft.id }
  const loaded = await loadVersionDefinition(db, versionId)
  // A "same meaning" answered the previous rewording; the new draft starts with no open question.
  const def = keepSameMeaningOnlyWhereReworded(loaded, [])
  const now = new Date().toISOString()
  const newId = await db.transaction().execute(async (trx) => {
    const id = await insertVersion(trx, version.questionnaireId, def, now, versionId)
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
  const version = await findVersion(db, versionId)
  if (!version) return { ok: false, status: 404, error: 'designer.errors.unknownVersion' }
  if (version.status !== 'draft') return { ok: false, status: 409, error: 'designer.errors.published' }
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    await deleteVersion(trx, versionId)
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
  const versions = await listVersions(db, questionnaireId)
  const out = []
  for (const [index, v] of versions.entries()) {
    const baseId = v.createdFromVersionId ?? versions[index - 1]?.id ?? null
    const changes = baseId
      ? diffDefinitions(await loadVersionDefinition(db, baseId), await loadVersionDefinition(db, v.id))
      : null
    out.push({
      id: v.id,
      number: v.number,
      status: v.status,
      createdAt: v.createdAt,
      publishedAt: v.publishedAt,
      basedOn: baseId && versions.find((x) => x.id === baseId)?.number,
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
  // Only agencies in force can be put on a version; a merged or unknown unit is a bad request.
  if ((await currentAgencyIds(db, agencyIds)).length !== agencyIds.length)
    return { ok: false, status: 400, error: 'common.invalid' }
  const version = await findVersion(db, versionId)
  if (!version) return { ok: false, status: 404, error: 'designer.errors.unknownVersion' }
  if (version.status !== 'published') return { ok: false, status: 409, error: 'designer.errors.assignDraft' }
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    for (const agencyId of agencyIds)
      await upsertAssignment(trx, { agencyId, questionnaireId: version.questionnaireId, versionId }, now)
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

/**
 * Extends a version published to chosen agencies to more agencies from a day. A version published to
 * every agency already reaches them all (a rollout would narrow it), so it answers 409.
 */
export async function rolloutVersion(
  db: Kysely<Database>,
  versionId: number,
  choice: RolloutChoice,
  actor: Actor,
): Promise<DraftResult> {
  const version = await findVersion(db, versionId)
  if (!version) return { ok: false, status: 404, error: 'designer.errors.unknownVersion' }
  if (version.status !== 'published') return { ok: false, status: 409, error: 'designer.errors.assignDraft' }
  if (!(await listRollouts(db, versionId)).length)
    return { ok: false, status: 409, error: 'designer.errors.rolloutEverywhere' }
  const checked = await checkRollout(db, choice)
  if (!checked.ok) return { ok: false, status: 400, error: checked.error }
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    await insertRollouts(trx, versionId, checked.rows, { now, userId: actor.userId })
    await insertAudit(
      trx,
      {
        userId: actor.userId,
        actor: actor.email,
        action: 'questionnaire.rollout',
        entity: 'questionnaire_version',
        entityId: String(versionId),
        details: { rollout: checked.rows },
      },
      now,
    )
  })
  return { ok: true, versionId }
}

/** A questionnaire and its history, newest version first; null when there is no such questionnaire. */
export async function questionnairePage(db: Kysely<Database>, questionnaireId: number) {
  const questionnaire = await findQuestionnaire(db, questionnaireId)
  if (!questionnaire) return null
  return { questionnaire, history: (await versionHistory(db, questionnaireId)).reverse() }
}

/** Whether a version belongs to a questionnaire (its page acts only on its own versions). */
export async function isVersionOf(db: Kysely<Database>, questionnaireId: number, versionId: number) {
  return (await findVersion(db, versionId))?.questionnaireId === questionnaireId
}

/** A version with its definition, and the agencies it could be assigned to; null when there is no such version. */
export async function versionPage(db: Kysely<Database>, versionId: number) {
  const version = await findVersion(db, versionId)
  if (!version) return null
  const { items: _items, versionId: _v, ...definition } = await loadVersionDefinition(db, version.id)
  const agencies = (await listCurrentAgencies(db, EVERYTHING)).map(({ id, code, nameVi, nameEn, path }) => ({
    id,
    code,
    nameVi,
    nameEn,
    // Depth in the tree, to indent the rollout picker ("/1/5/" is depth 1).
    depth: Math.max(0, path.split('/').filter(Boolean).length - 1),
  }))
  const base = version.status === 'draft' ? await comparisonBase(db, version) : null
  return {
    version,
    definition,
    agencies,
    assigned: await assignedAgencyIds(db, version.id),
    rollouts: await listRollouts(db, version.id),
    // What the designer compares wording with, to warn while the administrator types.
    previous: base && { elements: base.elements, extraItems: base.extraItems },
  }
}
