/**
 * Reads of the agency tree as analytics, population counts and the questionnaire designer need them:
 * agencies as camelCase domain objects, limited to a scope by the one scope rule (auth/scope.ts).
 */
import type { Selectable } from 'kysely'
import type { AgencyLevel, AgencyTable } from '#db/schema.ts'
import { type Scope, whereInScope } from '../auth/scope.ts'
import type { Executor } from './questionnaires.ts'

/** What lists and pickers show of an agency. */
export interface AgencySummary {
  id: number
  code: string
  nameVi: string
  nameEn: string
  /** Materialised path of ids, "/1/5/12/". */
  path: string
}

/** An agency with its place in the tree and its time of validity (scoring across reorganisations). */
export interface AgencyRecord extends AgencySummary {
  level: AgencyLevel
  parentId: number | null
  validFrom: string
  /** The day the unit stopped existing (merged or dissolved); null while it is in force. */
  validTo: string | null
}

const SUMMARY = ['id', 'code', 'name_vi', 'name_en', 'path'] as const

/** The columns of an AgencyRecord, for any query that maps its rows with toAgencyRecord. */
export const AGENCY_RECORD_COLUMNS = [...SUMMARY, 'level', 'parent_id', 'valid_from', 'valid_to'] as const

type AgencyRecordRow = Pick<Selectable<AgencyTable>, (typeof AGENCY_RECORD_COLUMNS)[number]>

function toSummary(row: Pick<AgencyRecordRow, (typeof SUMMARY)[number]>): AgencySummary {
  return { id: row.id, code: row.code, nameVi: row.name_vi, nameEn: row.name_en, path: row.path }
}

export function toAgencyRecord(row: AgencyRecordRow): AgencyRecord {
  return {
    ...toSummary(row),
    level: row.level,
    parentId: row.parent_id,
    validFrom: row.valid_from,
    validTo: row.valid_to,
  }
}

/** Agencies in force today inside the scope, parents before their children. */
export async function listCurrentAgencies(db: Executor, scope: Scope): Promise<AgencySummary[]> {
  const rows = await whereInScope(db.selectFrom('agency').select(SUMMARY), 'path', scope)
    .where('valid_to', 'is', null)
    .orderBy('path')
    .execute()
  return rows.map(toSummary)
}

export async function findAgencySummary(db: Executor, code: string): Promise<AgencySummary | undefined> {
  const row = await db.selectFrom('agency').select(SUMMARY).where('code', '=', code).executeTakeFirst()
  return row && toSummary(row)
}

/** The agency at the top of a scope (a user's own agency). */
export async function findAgencyByPath(db: Executor, path: string): Promise<AgencySummary | undefined> {
  const row = await db.selectFrom('agency').select(SUMMARY).where('path', '=', path).executeTakeFirst()
  return row && toSummary(row)
}

/** Every agency that ever existed, parents before their children. */
export async function listAllAgencies(db: Executor): Promise<AgencyRecord[]> {
  const rows = await db.selectFrom('agency').select(AGENCY_RECORD_COLUMNS).orderBy('path').execute()
  return rows.map(toAgencyRecord)
}

/** Of the given ids, those of agencies in force today. */
export async function currentAgencyIds(db: Executor, ids: number[]): Promise<number[]> {
  if (!ids.length) return []
  const rows = await db.selectFrom('agency').select('id').where('id', 'in', ids).where('valid_to', 'is', null).execute()
  return rows.map((r) => r.id)
}

/** Each unit that was merged into or renamed to another, with the one that took it over. */
export async function listTakeovers(db: Executor): Promise<Array<{ predecessorId: number; successorId: number }>> {
  const rows = await db
    .selectFrom('agency_succession')
    .select(['predecessor_id', 'successor_id'])
    .where('kind', 'in', ['merged_into', 'renamed'])
    .execute()
  return rows.map((r) => ({ predecessorId: r.predecessor_id, successorId: r.successor_id }))
}
