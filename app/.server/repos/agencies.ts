/**
 * Writes to the agency tree and the look-ups administration needs. A subtree is found through the
 * materialised path, portable to any SQL; reads for pickers and analytics are in agency-tree.ts.
 */
import type { AgencyLevel, SuccessionKind } from '#db/schema.ts'
import { whereInScope } from '../auth/scope.ts'
import type { AgencyRecord } from './agency-tree.ts'
import type { Executor } from './questionnaires.ts'

export interface NewAgencyInput {
  code: string
  nameVi: string
  nameEn: string
  level: AgencyLevel
  parentId: number | null
  validFrom: string
  validTo: string | null
}

const RECORD = ['id', 'code', 'name_vi', 'name_en', 'path', 'level', 'parent_id', 'valid_from', 'valid_to'] as const

function toRecord(row: {
  id: number
  code: string
  name_vi: string
  name_en: string
  path: string
  level: AgencyLevel
  parent_id: number | null
  valid_from: string
  valid_to: string | null
}): AgencyRecord {
  return {
    id: row.id,
    code: row.code,
    nameVi: row.name_vi,
    nameEn: row.name_en,
    path: row.path,
    level: row.level,
    parentId: row.parent_id,
    validFrom: row.valid_from,
    validTo: row.valid_to,
  }
}

export async function insertAgency(db: Executor, input: NewAgencyInput, now: string): Promise<number> {
  const parent =
    input.parentId === null
      ? null
      : await db.selectFrom('agency').select('path').where('id', '=', input.parentId).executeTakeFirstOrThrow()
  const { id } = await db
    .insertInto('agency')
    .values({
      code: input.code,
      name_vi: input.nameVi,
      name_en: input.nameEn,
      level: input.level,
      parent_id: input.parentId,
      valid_from: input.validFrom,
      valid_to: input.validTo,
      active: input.validTo ? 0 : 1,
      created_at: now,
      path: '',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .updateTable('agency')
    .set({ path: `${parent?.path ?? '/'}${id}/` })
    .where('id', '=', id)
    .execute()
  return id
}

export async function recordSuccession(
  db: Executor,
  predecessorId: number,
  successorId: number,
  kind: SuccessionKind,
  effectiveDate: string,
) {
  await db
    .insertInto('agency_succession')
    .values({ predecessor_id: predecessorId, successor_id: successorId, kind, effective_date: effectiveDate })
    .execute()
}

export async function findAgencyByCode(db: Executor, code: string): Promise<AgencyRecord | undefined> {
  const row = await db.selectFrom('agency').select(RECORD).where('code', '=', code).executeTakeFirst()
  return row && toRecord(row)
}

export async function findAgencyById(db: Executor, id: number): Promise<AgencyRecord | undefined> {
  const row = await db.selectFrom('agency').select(RECORD).where('id', '=', id).executeTakeFirst()
  return row && toRecord(row)
}

export async function countAgencies(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('agency')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Every code ever used: codes are never reused, not even those of deactivated units. */
export async function listAgencyCodes(db: Executor): Promise<string[]> {
  return (await db.selectFrom('agency').select('code').execute()).map((a) => a.code)
}

/** How many responses each agency holds (agencies without any are absent). */
export async function countResponsesByAgency(db: Executor): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('response')
    .select((eb) => ['agency_id', eb.fn.countAll<number>().as('n')])
    .groupBy('agency_id')
    .execute()
  return new Map(rows.map((r) => [r.agency_id, Number(r.n)]))
}

export async function updateAgencyNames(
  db: Executor,
  id: number,
  input: { nameVi: string; nameEn: string; parentId: number | null },
): Promise<void> {
  await db
    .updateTable('agency')
    .set({ name_vi: input.nameVi, name_en: input.nameEn, parent_id: input.parentId })
    .where('id', '=', id)
    .execute()
}

/**
 * Moves the unit at `fromPath` and its whole subtree under `toPath`: every descendant's path prefix is
 * rewritten. The subtree is the scope rule's own: what a user of that unit would see.
 */
export async function moveSubtree(db: Executor, fromPath: string, toPath: string): Promise<void> {
  const subtree = await whereInScope(db.selectFrom('agency').select(['id', 'path']), 'path', {
    scopePath: fromPath,
  }).execute()
  for (const a of subtree)
    await db
      .updateTable('agency')
      .set({ path: toPath + a.path.slice(fromPath.length) })
      .where('id', '=', a.id)
      .execute()
}

/** The unit stops existing on `validTo`; its row stays, since responses and history point at it. */
export async function endAgency(db: Executor, id: number, validTo: string): Promise<void> {
  await db.updateTable('agency').set({ active: 0, valid_to: validTo }).where('id', '=', id).execute()
}

/** Every agency in tree order with the code of one of its active poster links (the first), for the home page. */
export async function listAgenciesWithPosterLink(
  db: Executor,
): Promise<Array<AgencyRecord & { posterLinkCode: string | null }>> {
  const rows = await db
    .selectFrom('agency as a')
    .leftJoin('survey_link as l', (j) =>
      j.onRef('l.agency_id', '=', 'a.id').on('l.active', '=', 1).on('l.kind', '=', 'poster'),
    )
    .select([
      'a.id',
      'a.code',
      'a.name_vi',
      'a.name_en',
      'a.path',
      'a.level',
      'a.parent_id',
      'a.valid_from',
      'a.valid_to',
      'l.code as link_code',
    ])
    .orderBy('a.path')
    .orderBy('l.id')
    .execute()
  // A join row per poster link: keep the first of each agency.
  const seen = new Set<number>()
  return rows
    .filter((r) => !seen.has(r.id) && seen.add(r.id))
    .map((r) => ({ ...toRecord(r), posterLinkCode: r.link_code }))
}

/** Each unit that has a successor (merged into, renamed to, split into), with its successor's names. */
export async function listSuccessorNames(
  db: Executor,
): Promise<Array<{ predecessorId: number; nameVi: string; nameEn: string }>> {
  const rows = await db
    .selectFrom('agency_succession as s')
    .innerJoin('agency as b', 'b.id', 's.successor_id')
    .select(['s.predecessor_id', 'b.name_vi', 'b.name_en'])
    .execute()
  return rows.map((r) => ({ predecessorId: r.predecessor_id, nameVi: r.name_vi, nameEn: r.name_en }))
}
