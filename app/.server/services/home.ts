/** What the home page shows: the agency tree with its survey links, former units and questionnaires. */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'

export async function getHomeOverview(db: Kysely<Database>) {
  const agencies = await db
    .selectFrom('agency as a')
    .leftJoin('survey_link as l', (j) =>
      j.onRef('l.agency_id', '=', 'a.id').on('l.active', '=', 1).on('l.kind', '=', 'poster'),
    )
    .select(['a.id', 'a.code', 'a.name_vi', 'a.name_en', 'a.level', 'a.path', 'a.valid_to', 'l.code as link_code'])
    .orderBy('a.path')
    .execute()
  const successors = await db
    .selectFrom('agency_succession as s')
    .innerJoin('agency as b', 'b.id', 's.successor_id')
    .select(['s.predecessor_id', 'b.name_vi', 'b.name_en'])
    .execute()
  const questionnaires = await db
    .selectFrom('questionnaire_version as v')
    .innerJoin('questionnaire as q', 'q.id', 'v.questionnaire_id')
    .select(['q.code', 'q.name_vi', 'q.name_en', 'v.version_number'])
    .where('v.status', '=', 'published')
    .orderBy('q.code')
    .orderBy('v.version_number')
    .execute()
  // One row per agency (an agency may have several poster links; the home page shows the first).
  const seen = new Set<number>()
  const rows = agencies
    .filter((a) => !seen.has(a.id) && seen.add(a.id))
    .map((a) => ({
      code: a.code,
      nameVi: a.name_vi,
      nameEn: a.name_en,
      level: a.level,
      depth: a.path.split('/').filter(Boolean).length - 1,
      linkCode: a.link_code,
      current: a.valid_to === null,
      successor: successors.find((s) => s.predecessor_id === a.id) ?? null,
    }))
  return {
    current: rows.filter((r) => r.current),
    former: rows
      .filter((r) => !r.current)
      .map((r) => ({ ...r, successorVi: r.successor?.name_vi ?? null, successorEn: r.successor?.name_en ?? null })),
    questionnaires: questionnaires.map((q) => ({
      code: q.code,
      nameVi: q.name_vi,
      nameEn: q.name_en,
      version: q.version_number,
    })),
  }
}
