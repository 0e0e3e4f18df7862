/**
 * Loads questionnaire versions for the survey. A published version never changes, so it is cached per
 * process: the hot submission path validates against memory, not against ~30 item rows per request.
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { withEnglishFallback } from '#app/domain/questionnaire/definition.ts'
import { loadVersionDefinition as loadStored } from '../repos/questionnaires.ts'

/**
 * A version as its readers see it: English is optional in the designer, so every reader here (survey,
 * analytics, exports, imports) gets the Vietnamese where no English was written. The designer reads the
 * stored texts through the repository instead.
 */
async function loadVersionDefinition(db: Kysely<Database>, versionId: number) {
  return withEnglishFallback(await loadStored(db, versionId))
}

export type VersionDefinition = Awaited<ReturnType<typeof loadStored>>

const cache = new WeakMap<object, Map<number, Promise<VersionDefinition>>>()

export async function getVersionDefinition(
  db: Kysely<Database>,
  versionId: number,
  status: string,
): Promise<VersionDefinition> {
  // Drafts change while being edited: never cache them.
  if (status !== 'published' && status !== 'retired') return loadVersionDefinition(db, versionId)
  let perDb = cache.get(db)
  if (!perDb) {
    perDb = new Map()
    cache.set(db, perDb)
  }
  let entry = perDb.get(versionId)
  if (!entry) {
    entry = loadVersionDefinition(db, versionId)
    perDb.set(versionId, entry)
    entry.catch(() => perDb!.delete(versionId))
  }
  return entry
}
