/** What the home page shows: the agency tree with its survey links, former units and questionnaires. */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { listAgenciesWithPosterLink, listSuccessorNames } from '../repos/agencies.ts'
import { listQuestionnairesWithVersions } from '../repos/questionnaires.ts'

export async function getHomeOverview(db: Kysely<Database>) {
  const agencies = await listAgenciesWithPosterLink(db)
  // A unit split in several shows its first successor.
  const successorOf = new Map<number, { nameVi: string; nameEn: string }>()
  for (const s of await listSuccessorNames(db))
    if (!successorOf.has(s.predecessorId)) successorOf.set(s.predecessorId, s)
  const questionnaires = await listQuestionnairesWithVersions(db)
  const rows = agencies.map((a) => ({
    code: a.code,
    nameVi: a.nameVi,
    nameEn: a.nameEn,
    level: a.level,
    depth: a.path.split('/').filter(Boolean).length - 1,
    linkCode: a.posterLinkCode,
    current: a.validTo === null,
    successorVi: successorOf.get(a.id)?.nameVi ?? null,
    successorEn: successorOf.get(a.id)?.nameEn ?? null,
  }))
  return {
    current: rows.filter((r) => r.current),
    former: rows.filter((r) => !r.current),
    // Published versions, oldest first within each questionnaire.
    questionnaires: questionnaires.flatMap((q) =>
      q.versions
        .filter((v) => v.status === 'published')
        .sort((x, y) => x.number - y.number)
        .map((v) => ({ code: q.code, nameVi: q.nameVi, nameEn: q.nameEn, version: v.number })),
    ),
  }
}
