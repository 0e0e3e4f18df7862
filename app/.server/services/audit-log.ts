/** The audit log as administrators page through it. */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { listAuditEntries } from '../repos/audit.ts'

const PAGE = 100

/** One page of entries older than `before` (all when absent), and the cursor of the next page if there is one. */
export async function auditPage(db: Kysely<Database>, before: number | null) {
  const entries = await listAuditEntries(db, before, PAGE)
  return { entries, next: entries.length === PAGE ? entries[entries.length - 1].id : null }
}
