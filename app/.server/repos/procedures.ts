/** Procedure (TTHC) look-ups for the survey's "which procedure did you use?" question and the admin pages. */
import type { Executor } from './questionnaires.ts'
import { procedureSearchText, searchAlternatives } from '#app/domain/procedures/search-terms.ts'
import { containsPattern } from '#db/dialect.ts'
import type { AgencyLevel, ProcedureLevel } from '#db/schema.ts'

export interface ProcedureOption {
  code: string
  nameVi: string
  nameEn: string
  /** Set by an agency-aware search: true for a procedure the agency handles, false for the others. */
  own?: boolean
}

type ProcedureQuery = ReturnType<typeof baseQuery>

function baseQuery(db: Executor) {
  return db.selectFrom('procedure').select(['id', 'code', 'name_vi', 'name_en']).where('active', '=', 1)
}

/**
 * Words typed with or without diacritics, or a curated synonym (app/domain/procedures/search-terms.ts):
 * a procedure matches when every word of one alternative occurs in its stored search text. The text is
 * stored normalised, so this is the same LIKE on SQLite and PostgreSQL (db/dialect.ts).
 */
function matching(q: ProcedureQuery, query: string): ProcedureQuery {
  const alternatives = searchAlternatives(query)
  if (!alternatives.length) return q
  return q.where((eb) =>
    eb.or(alternatives.map((words) => eb.and(words.map((w) => eb('search_text', 'like', containsPattern(w)))))),
  )
}

const option = (r: { code: string; name_vi: string; name_en: string }): ProcedureOption => ({
  code: r.code,
  nameVi: r.name_vi,
  nameEn: r.name_en,
})

/**
 * Finds offered procedures by what was typed (all of them for an empty query), in the order of their
 * normalised names: the same on every database and collation, and "Đ" sorts with "D".
 */
export async function searchProcedures(db: Executor, query: string, limit = 15): Promise<ProcedureOption[]> {
  const rows = await matching(baseQuery(db), query).orderBy('search_text').orderBy('code').limit(limit).execute()
  return rows.map(option)
}

/**
 * The survey's list for one agency: the procedures it handles first (`own: true`), then the others
 * (`own: false`). Without a query the others are only those of the agency's own level, so a commune's
 * citizen is not offered the whole provincial catalogue; with one, any match may follow. An agency that
 * handles none (yet) is offered the whole catalogue, as before procedures had agencies.
 */
export async function searchProceduresForAgency(
  db: Executor,
  agencyId: number,
  level: ProcedureLevel | null,
  query: string,
  limit = 12,
): Promise<ProcedureOption[]> {
  const handled = db.selectFrom('procedure_agency').select('procedure_id').where('agency_id', '=', agencyId)
  const own = await matching(baseQuery(db), query)
    .where('id', 'in', handled)
    .orderBy('search_text')
    .orderBy('code')
    .limit(limit)
    .execute()
  let others = matching(baseQuery(db), query).where('id', 'not in', handled)
  // An agency with none of its own yet (a catalogue not linked, or the province's umbrella) sees them all.
  if (!query.trim() && level && own.length > 0) others = others.where('level', '=', level)
  const rest =
    own.length < limit
      ? await others
          .orderBy('search_text')
          .orderBy('code')
          .limit(limit - own.length)
          .execute()
      : []
  return [...own.map((r) => ({ ...option(r), own: true })), ...rest.map((r) => ({ ...option(r), own: false }))]
}

/** One offered procedure's names by code, to show a choice again after a reload or a refused post. */
export async function findProcedureOption(db: Executor, code: string): Promise<ProcedureOption | undefined> {
  const row = await baseQuery(db).where('code', '=', code).executeTakeFirst()
  return row && option(row)
}

export async function findProcedureByCode(db: Executor, code: string) {
  return db
    .selectFrom('procedure')
    .select(['id', 'code'])
    .where('code', '=', code)
    .where('active', '=', 1)
    .executeTakeFirst()
}

/** The procedure's id whether or not it is still offered: an invitation may name a withdrawn one. */
export async function findProcedureIdByCode(db: Executor, code: string): Promise<number | undefined> {
  const row = await db.selectFrom('procedure').select('id').where('code', '=', code).executeTakeFirst()
  return row?.id
}

export async function procedureExists(db: Executor, id: number): Promise<boolean> {
  return (await db.selectFrom('procedure').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
}

/** Offered procedures by name, for pickers; the cap keeps a province's thousands out of one <select>. */
export async function listProcedureChoices(
  db: Executor,
  limit: number,
): Promise<Array<ProcedureOption & { id: number }>> {
  const rows = await db
    .selectFrom('procedure')
    .select(['id', 'code', 'name_vi', 'name_en'])
    .where('active', '=', 1)
    .orderBy('name_vi')
    .limit(limit)
    .execute()
  return rows.map((r) => ({ id: r.id, code: r.code, nameVi: r.name_vi, nameEn: r.name_en }))
}

export async function countProcedures(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('procedure')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function listProcedureCodes(db: Executor): Promise<string[]> {
  return (await db.selectFrom('procedure').select('code').execute()).map((p) => p.code)
}

export interface NewProcedure {
  code: string
  nameVi: string
  nameEn: string
  level: ProcedureLevel
  fieldVi: string
  fieldEn: string
  /** The national procedure code (mã TTHC), or null/absent when not known. */
  nationalCode?: string | null
}

const procedureColumns = (p: NewProcedure) => ({
  code: p.code,
  name_vi: p.nameVi,
  name_en: p.nameEn,
  level: p.level,
  field_vi: p.fieldVi,
  field_en: p.fieldEn,
  // Absent (not null) leaves the column out: a database seeded before the column existed (upgrade tests).
  ...(p.nationalCode === undefined ? {} : { national_code: p.nationalCode || null }),
  search_text: procedureSearchText(p),
})

/** Inserts in batches of 200 rows, well under every driver's limit on bound parameters; returns the ids by code. */
export async function insertProcedures(db: Executor, procedures: NewProcedure[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>()
  for (let i = 0; i < procedures.length; i += 200) {
    const rows = await db
      .insertInto('procedure')
      .values(procedures.slice(i, i + 200).map((p) => ({ ...procedureColumns(p), active: 1 })))
      .returning(['id', 'code'])
      .execute()
    for (const r of rows) ids.set(r.code, r.id)
  }
  return ids
}

/** Rewrites one procedure's fields (its code is its key); false when there is no such procedure. */
export async function updateProcedure(db: Executor, p: NewProcedure): Promise<number | null> {
  const { code: _code, ...columns } = procedureColumns(p)
  const row = await db
    .updateTable('procedure')
    .set(columns)
    .where('code', '=', p.code)
    .returning('id')
    .executeTakeFirst()
  return row?.id ?? null
}

/** Replaces the agencies that handle a procedure. */
export async function setProcedureAgencies(db: Executor, procedureId: number, agencyIds: number[]): Promise<void> {
  await db.deleteFrom('procedure_agency').where('procedure_id', '=', procedureId).execute()
  const unique = [...new Set(agencyIds)]
  if (unique.length)
    await db
      .insertInto('procedure_agency')
      .values(unique.map((agencyId) => ({ procedure_id: procedureId, agency_id: agencyId })))
      .execute()
}

export interface ProcedureDetail extends NewProcedure {
  id: number
  nationalCode: string | null
  active: boolean
  /** Codes of the agencies that handle it, sorted. */
  agencyCodes: string[]
}

/** The whole record of some procedures with their agencies, for the admin page (by codes, in that order). */
export async function procedureDetails(db: Executor, codes: string[]): Promise<ProcedureDetail[]> {
  if (!codes.length) return []
  const rows = await db.selectFrom('procedure').selectAll().where('code', 'in', codes).execute()
  const links = rows.length
    ? await db
        .selectFrom('procedure_agency as pa')
        .innerJoin('agency as a', 'a.id', 'pa.agency_id')
        .select(['pa.procedure_id', 'a.code'])
        .where(
          'pa.procedure_id',
          'in',
          rows.map((r) => r.id),
        )
        .orderBy('a.code')
        .execute()
    : []
  const byCode = new Map(
    rows.map((r) => [
      r.code,
      {
        id: r.id,
        code: r.code,
        nameVi: r.name_vi,
        nameEn: r.name_en,
        level: r.level,
        fieldVi: r.field_vi,
        fieldEn: r.field_en,
        nationalCode: r.national_code,
        active: r.active === 1,
        agencyCodes: links.filter((l) => l.procedure_id === r.id).map((l) => l.code),
      } satisfies ProcedureDetail,
    ]),
  )
  return codes.flatMap((c) => byCode.get(c) ?? [])
}

/** The procedure level an agency's own procedures are at: a department works at the province's. */
export function procedureLevelOf(level: AgencyLevel): ProcedureLevel {
  return level === 'department' ? 'province' : level
}

/**
 * The agency behind a survey link (`s`) or invitation (`r`) code, for the public procedure search; no
 * more than its id and level, and nothing for an unknown code.
 */
export async function agencyOfEntry(
  db: Executor,
  kind: 's' | 'r',
  code: string,
): Promise<{ id: number; level: AgencyLevel } | undefined> {
  const row =
    kind === 's'
      ? await db
          .selectFrom('survey_link as e')
          .innerJoin('agency as a', 'a.id', 'e.agency_id')
          .select(['a.id', 'a.level'])
          .where('e.code', '=', code)
          .executeTakeFirst()
      : await db
          .selectFrom('invitation as e')
          .innerJoin('agency as a', 'a.id', 'e.agency_id')
          .select(['a.id', 'a.level'])
          .where('e.code', '=', code)
          .executeTakeFirst()
  return row
}
