/**
 * Every download of data leaves an audit entry (Decree 13/2023 asks who processed what): who, which export
 * and format, the filters as asked, and how many rows left the server. Score tables and the API are audited
 * as well as raw microdata, so the log answers "who took the numbers of this agency" too.
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { insertAudit } from '../repos/audit.ts'

export type ExportKind = 'scores' | 'responses' | 'api.scores'

export interface ExportRecord {
  /** The signed-in user; null for an API token (named in `actor`). */
  userId: number | null
  actor: string
  kind: ExportKind
  format: 'csv' | 'xlsx' | 'json'
  /** The query string as the client sent it: what was asked for, however the server read it. */
  filters: string
  rows: number
  /** False when the client stopped a streamed download before its end: `rows` were sent. */
  complete?: boolean
}

export async function auditExport(db: Kysely<Database>, record: ExportRecord): Promise<void> {
  const { userId, actor, kind, ...details } = record
  await insertAudit(
    db,
    { userId, actor, action: `export.${kind}`, entity: 'export', entityId: null, details: { ...details } },
    new Date().toISOString(),
  )
}

/** The filters of a request, for the audit entry: its query string without the leading "?". */
export function exportFilters(request: Request): string {
  return new URL(request.url).searchParams.toString()
}
