/** Queries on questionnaires and their versions, elements and items. */
import type { Kysely, Selectable, Transaction } from 'kysely'
import type { Database, QuestionnaireVersionTable, VersionStatus } from '#db/schema.ts'
import type { ItemDefinition, QuestionnaireDefinition } from '#app/domain/questionnaire/definition.ts'
import { rolloutReaches, versionInForce } from '#app/domain/questionnaire/rollout.ts'

export type Executor = Kysely<Database> | Transaction<Database>

/** A questionnaire's identity and names. */
export interface QuestionnaireSummary {
  id: number
  code: string
  nameVi: string
  nameEn: string
}

export async function findQuestionnaireByCode(db: Executor, code: string): Promise<QuestionnaireSummary | undefined> {
  const row = await db
    .selectFrom('questionnaire')
    .select(['id', 'code', 'name_vi', 'name_en'])
    .where('code', '=', code)
    .executeTakeFirst()
  // Read for display (scores, exports, pages): English is optional, so it falls back to the Vietnamese.
  return row && { id: row.id, code: row.code, nameVi: row.name_vi, nameEn: row.name_en || row.name_vi }
}

export async function insertQuestionnaire(
  db: Executor,
  def: Pick<QuestionnaireDefinition, 'code' | 'nameVi' | 'nameEn'>,
  now: string,
) {
  const row = await db
    .insertInto('questionnaire')
    .values({ code: def.code, name_vi: def.nameVi, name_en: def.nameEn, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

function itemRow(versionId: number, elementId: number | null, item: ItemDefinition, position: number) {
  return {
    version_id: versionId,
    element_id: elementId,
    code: item.code,
    position,
    type: item.type,
    role: item.role,
    label_vi: item.labelVi,
    label_en: item.labelEn,
    required: item.required ? 1 : 0,
    counts_in_index: item.countsInIndex ? 1 : 0,
    satisfied_threshold: item.satisfiedThreshold,
    options_json: item.options ? JSON.stringify(item.options) : null,
    max_length: item.maxLength,
    // Written only when set (the column defaults to 0): the templates seeded into a database still at an
    // older migration step, as the upgrade tests do, then insert as they did before the column existed.
    ...(item.sameMeaning ? { same_meaning: 1 as const } : {}),
  } as const
}

/** Writes a whole definition as a new draft version; the caller owns the transaction. */
export async function insertVersion(
  trx: Executor,
  questionnaireId: number,
  def: QuestionnaireDefinition,
  now: string,
  createdFromVersionId: number | null = null,
): Promise<number> {
  const last = await trx
    .selectFrom('questionnaire_version')
    .select((eb) => eb.fn.max('version_number').as('n'))
    .where('questionnaire_id', '=', questionnaireId)
    .executeTakeFirst()
  const { id: versionId } = await trx
    .insertInto('questionnaire_version')
    .values({
      questionnaire_id: questionnaireId,
      version_number: Number(last?.n ?? 0) + 1,
      status: 'draft',
      index_method: def.indexMethod,
      created_from_version_id: createdFromVersionId,
      created_at: now,
      published_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await insertVersionContent(trx, versionId, def)
  return versionId
}

/** Elements and items of a definition, written into a (draft) version. */
export async function insertVersionContent(
  trx: Executor,
  versionId: number,
  def: QuestionnaireDefinition,
): Promise<void> {
  let position = 0
  for (const [index, element] of def.elements.entries()) {
    const { id: elementId } = await trx
      .insertInto('questionnaire_element')
      .values({
        version_id: versionId,
        code: element.code,
        position: index + 1,
        weight: element.weight,
        title_vi: element.titleVi,
        title_en: element.titleEn,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    for (const item of element.items)
      await trx
        .insertInto('questionnaire_item')
        .values(itemRow(versionId, elementId, item, ++position))
        .execute()
  }
  for (const item of def.extraItems)
    await trx
      .insertInto('questionnaire_item')
      .values(itemRow(versionId, null, item, ++position))
      .execute()
}

export async function publishVersion(db: Executor, versionId: number, now: string): Promise<void> {
  await db
    .updateTable('questionnaire_version')
    .set({ status: 'published', published_at: now })
    .where('id', '=', versionId)
    .where('status', '=', 'draft')
    .execute()
}

/** A questionnaire version without its content. */
export interface VersionSummary {
  id: number
  questionnaireId: number
  number: number
  status: VersionStatus
  indexMethod: string
  /** The version this one was cloned from; null for a first version. */
  createdFromVersionId: number | null
  createdAt: string
  publishedAt: string | null
}

function toVersionSummary(row: Selectable<QuestionnaireVersionTable>): VersionSummary {
  return {
    id: row.id,
    questionnaireId: row.questionnaire_id,
    number: row.version_number,
    status: row.status,
    indexMethod: row.index_method,
    createdFromVersionId: row.created_from_version_id,
    createdAt: row.created_at,
    publishedAt: row.published_at,
  }
}

export async function findVersion(db: Executor, versionId: number): Promise<VersionSummary | undefined> {
  const row = await db.selectFrom('questionnaire_version').selectAll().where('id', '=', versionId).executeTakeFirst()
  return row && toVersionSummary(row)
}

/** A questionnaire's versions, oldest first. */
export async function listVersions(db: Executor, questionnaireId: number): Promise<VersionSummary[]> {
  const rows = await db
    .selectFrom('questionnaire_version')
    .selectAll()
    .where('questionnaire_id', '=', questionnaireId)
    .orderBy('version_number')
    .execute()
  return rows.map(toVersionSummary)
}

/** The questionnaire's draft, if it has one (there is at most one at a time). */
export async function findDraft(db: Executor, questionnaireId: number): Promise<VersionSummary | undefined> {
  const row = await db
    .selectFrom('questionnaire_version')
    .selectAll()
    .where('questionnaire_id', '=', questionnaireId)
    .where('status', '=', 'draft')
    .executeTakeFirst()
  return row && toVersionSummary(row)
}

export async function findQuestionnaire(
  db: Executor,
  questionnaireId: number,
): Promise<QuestionnaireSummary | undefined> {
  const row = await db
    .selectFrom('questionnaire')
    .select(['id', 'code', 'name_vi', 'name_en'])
    .where('id', '=', questionnaireId)
    .executeTakeFirst()
  return row && { id: row.id, code: row.code, nameVi: row.name_vi, nameEn: row.name_en }
}

/** Every questionnaire with its versions, newest version first. */
export async function listQuestionnairesWithVersions(db: Executor) {
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
      versions: Array<{
        id: number
        number: number
        status: VersionStatus
        publishedAt: string | null
        createdAt: string
      }>
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

/** A draft's new header: its index method, and the questionnaire's names (which the draft edits). */
export async function updateDraftHeader(
  trx: Executor,
  draft: { versionId: number; questionnaireId: number },
  def: Pick<QuestionnaireDefinition, 'indexMethod' | 'nameVi' | 'nameEn'>,
): Promise<void> {
  await trx
    .updateTable('questionnaire_version')
    .set({ index_method: def.indexMethod })
    .where('id', '=', draft.versionId)
    .execute()
  await trx
    .updateTable('questionnaire')
    .set({ name_vi: def.nameVi, name_en: def.nameEn })
    .where('id', '=', draft.questionnaireId)
    .execute()
}

/** Removes a version's elements and items (the version row stays). */
export async function deleteVersionContent(trx: Executor, versionId: number): Promise<void> {
  await trx.deleteFrom('questionnaire_item').where('version_id', '=', versionId).execute()
  await trx.deleteFrom('questionnaire_element').where('version_id', '=', versionId).execute()
}

export async function deleteVersion(trx: Executor, versionId: number): Promise<void> {
  await deleteVersionContent(trx, versionId)
  await trx.deleteFrom('questionnaire_version').where('id', '=', versionId).execute()
}

/** Puts an agency on a version of a questionnaire, replacing its earlier assignment to that questionnaire. */
export async function upsertAssignment(
  trx: Executor,
  assignment: { agencyId: number; questionnaireId: number; versionId: number },
  now: string,
): Promise<void> {
  await trx
    .insertInto('agency_assignment')
    .values({
      agency_id: assignment.agencyId,
      questionnaire_id: assignment.questionnaireId,
      version_id: assignment.versionId,
      assigned_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['agency_id', 'questionnaire_id']).doUpdateSet({ version_id: assignment.versionId, assigned_at: now }),
    )
    .execute()
}

/** The agencies assigned to a version. */
export async function assignedAgencyIds(db: Executor, versionId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('agency_assignment')
    .select('agency_id')
    .where('version_id', '=', versionId)
    .execute()
  return rows.map((r) => r.agency_id)
}

/** The newest published version of a questionnaire. */
export async function latestPublishedVersion(
  db: Executor,
  questionnaireId: number,
): Promise<VersionSummary | undefined> {
  const row = await db
    .selectFrom('questionnaire_version')
    .selectAll()
    .where('questionnaire_id', '=', questionnaireId)
    .where('status', '=', 'published')
    .orderBy('version_number', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row && toVersionSummary(row)
}

/**
 * The version in force for an agency at an instant: rollouts that reach it, its assignment, or the newest
 * general publication, as app/domain/questionnaire/rollout.ts decides.
 */
export async function currentVersionFor(
  db: Executor,
  agencyId: number,
  questionnaireId: number,
  now: Date = new Date(),
): Promise<VersionSummary | undefined> {
  const agency = await db.selectFrom('agency').select(['id', 'path']).where('id', '=', agencyId).executeTakeFirst()
  if (!agency) return undefined
  const published = await db
    .selectFrom('questionnaire_version')
    .selectAll()
    .where('questionnaire_id', '=', questionnaireId)
    .where('status', '=', 'published')
    .execute()
  if (!published.length) return undefined
  const byId = new Map(published.map((v) => [v.id, v]))
  const rollouts = await db
    .selectFrom('version_rollout as r')
    .innerJoin('agency as a', 'a.id', 'r.agency_id')
    .select(['r.version_id', 'r.agency_id', 'r.include_subtree', 'r.effective_at', 'a.path'])
    .where(
      'r.version_id',
      'in',
      published.map((v) => v.id),
    )
    .execute()
  const rolledOut = new Set(rollouts.map((r) => r.version_id))
  const event = (versionId: number, at: string) => ({
    versionId,
    versionNumber: byId.get(versionId)!.version_number,
    at,
  })
  const assignment = await db
    .selectFrom('agency_assignment')
    .select(['version_id', 'assigned_at'])
    .where('agency_id', '=', agencyId)
    .where('questionnaire_id', '=', questionnaireId)
    .executeTakeFirst()
  const chosen = versionInForce({
    now: now.toISOString(),
    generalPublications: published
      .filter((v) => !rolledOut.has(v.id) && v.published_at)
      .map((v) => event(v.id, v.published_at!)),
    rollouts: rollouts
      .filter((r) =>
        rolloutReaches({ agencyId: r.agency_id, path: r.path, includeSubtree: r.include_subtree === 1 }, agency),
      )
      .map((r) => event(r.version_id, r.effective_at)),
    // A pin to a version that is no longer published does not hold.
    assignment:
      assignment && byId.has(assignment.version_id) ? event(assignment.version_id, assignment.assigned_at) : null,
  })
  const row = chosen === null ? undefined : byId.get(chosen)
  return row && toVersionSummary(row)
}

/** One agency (or subtree) a version is rolled out to. */
export interface RolloutRow {
  agencyId: number
  includeSubtree: boolean
  effectiveDate: string
  effectiveAt: string
}

export async function insertRollouts(
  trx: Executor,
  versionId: number,
  rows: RolloutRow[],
  meta: { now: string; userId: number | null },
): Promise<void> {
  for (const r of rows)
    await trx
      .insertInto('version_rollout')
      .values({
        version_id: versionId,
        agency_id: r.agencyId,
        include_subtree: r.includeSubtree ? 1 : 0,
        effective_date: r.effectiveDate,
        effective_at: r.effectiveAt,
        created_at: meta.now,
        created_by: meta.userId,
      })
      .execute()
}

/** A version's rollouts with their agencies' names, by effective date. */
export async function listRollouts(db: Executor, versionId: number) {
  const rows = await db
    .selectFrom('version_rollout as r')
    .innerJoin('agency as a', 'a.id', 'r.agency_id')
    .select(['r.id', 'r.agency_id', 'r.include_subtree', 'r.effective_date', 'a.code', 'a.name_vi', 'a.name_en'])
    .where('r.version_id', '=', versionId)
    .orderBy('r.effective_date')
    .orderBy('a.code')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    agencyId: r.agency_id,
    includeSubtree: r.include_subtree === 1,
    effectiveDate: r.effective_date,
    agency: { code: r.code, nameVi: r.name_vi, nameEn: r.name_en },
  }))
}

export async function loadVersionDefinition(
  db: Executor,
  versionId: number,
): Promise<QuestionnaireDefinition & { versionId: number; items: LoadedItem[] }> {
  const version = await db
    .selectFrom('questionnaire_version as v')
    .innerJoin('questionnaire as q', 'q.id', 'v.questionnaire_id')
    .select(['v.id', 'v.index_method', 'q.code', 'q.name_vi', 'q.name_en'])
    .where('v.id', '=', versionId)
    .executeTakeFirstOrThrow()
  const elements = await db
    .selectFrom('questionnaire_element')
    .selectAll()
    .where('version_id', '=', versionId)
    .orderBy('position')
    .execute()
  const items = await db
    .selectFrom('questionnaire_item')
    .selectAll()
    .where('version_id', '=', versionId)
    .orderBy('position')
    .execute()
  const loaded: LoadedItem[] = items.map((r) => ({
    id: r.id,
    elementId: r.element_id,
    code: r.code,
    type: r.type,
    role: r.role,
    labelVi: r.label_vi,
    labelEn: r.label_en,
    required: r.required === 1,
    countsInIndex: r.counts_in_index === 1,
    satisfiedThreshold: r.satisfied_threshold,
    options: r.options_json ? JSON.parse(r.options_json) : null,
    maxLength: r.max_length,
    // Present only when recorded, so a definition reads back as it was written.
    ...(r.same_meaning === 1 ? { sameMeaning: true } : {}),
  }))
  return {
    versionId,
    code: version.code,
    nameVi: version.name_vi,
    nameEn: version.name_en,
    indexMethod: version.index_method as QuestionnaireDefinition['indexMethod'],
    elements: elements.map((e) => ({
      code: e.code,
      weight: e.weight,
      titleVi: e.title_vi,
      titleEn: e.title_en,
      items: loaded.filter((i) => i.elementId === e.id),
    })),
    extraItems: loaded.filter((i) => i.elementId === null),
    items: loaded,
  }
}

export interface LoadedItem extends ItemDefinition {
  id: number
  elementId: number | null
}

/** Codes and names of every questionnaire, for pickers. */
export async function listQuestionnaireNames(db: Executor) {
  const rows = await db
    .selectFrom('questionnaire')
    .select(['id', 'code', 'name_vi', 'name_en'])
    .orderBy('code')
    .execute()
  // English is optional: a picker in English shows the Vietnamese name where none was written.
  return rows.map((r) => ({ id: r.id, code: r.code, nameVi: r.name_vi, nameEn: r.name_en || r.name_vi }))
}

export async function questionnaireExists(db: Executor, id: number): Promise<boolean> {
  return (await db.selectFrom('questionnaire').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
}

/** Every item code any version of the questionnaire ever had, in code order (the columns of a raw export). */
export async function itemCodesOfQuestionnaire(db: Executor, questionnaireId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('questionnaire_item as i')
    .innerJoin('questionnaire_version as v', 'v.id', 'i.version_id')
    .select('i.code')
    .distinct()
    .where('v.questionnaire_id', '=', questionnaireId)
    .orderBy('i.code')
    .execute()
  return rows.map((r) => r.code)
}

/** Every item of every version of the questionnaire, by id with its code (a raw export's answer columns). */
export async function itemIdsOfQuestionnaire(
  db: Executor,
  questionnaireId: number,
): Promise<Array<{ id: number; code: string }>> {
  return db
    .selectFrom('questionnaire_item as i')
    .innerJoin('questionnaire_version as v', 'v.id', 'i.version_id')
    .select(['i.id', 'i.code'])
    .where('v.questionnaire_id', '=', questionnaireId)
    .execute()
}
