/**
 * Statements that PostgreSQL prepares once per connection and then runs by name (ADR 0066).
 *
 * Kysely sends every statement as text with its parameters, so PostgreSQL parses and plans it anew each
 * time. For the survey link's look-up, which every citizen's submission runs, that planning cost more
 * PostgreSQL CPU than the submission's own writes. A statement marked here is sent as a named prepared
 * statement instead: parsed once per pooled connection, and after a few runs PostgreSQL keeps its plan.
 *
 * The mark travels in the SQL text as a leading comment, so it survives every layer between the query's
 * builder and the pool (and the server build's second copy of these modules). Elsewhere, on SQLite, it
 * is only a comment.
 */
import { createHash } from 'node:crypto'
import type pg from 'pg'

const MARK = /^\/\* prepared (hl_[0-9a-f]{16}) \*\//

/** The statement's name: from its text, so that one name never stands for two texts on a connection. */
function preparedName(sql: string): string {
  return `hl_${createHash('sha256').update(sql).digest('hex').slice(0, 16)}`
}

/** `sql` marked to be prepared on PostgreSQL. */
export function markPrepared(sql: string): string {
  return `/* prepared ${preparedName(sql)} */ ${sql}`
}

type Query = (config: unknown, values?: unknown, callback?: unknown) => unknown

/**
 * Makes a pooled connection run marked statements by name; pg then prepares each once on it (a
 * `Parse` the first time, only `Bind` and `Execute` after). Unmarked statements go through unchanged.
 */
export function runMarkedStatementsPrepared(client: pg.ClientBase): void {
  const query = client.query.bind(client) as Query
  const prepared: Query = (config, values, callback) => {
    const name = typeof config === 'string' ? MARK.exec(config)?.[1] : undefined
    return name ? query({ name, text: config, values }, callback) : query(config, values, callback)
  }
  client.query = prepared as typeof client.query
}
