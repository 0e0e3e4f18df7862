/**
 * The answer to a file import (agencies, procedures, paper responses), checked or applied: the server
 * builds it and the admin pages render it, so it lives where both may import it.
 */
export interface ImportOutcome {
  status: 'errors' | 'ready' | 'applied' | 'unreadable' | 'tooLarge' | 'conflict'
  count: number
  duplicates?: number
  /** Rows as the spreadsheet numbers them (the header is row 1); keys in the admin namespace, values may hold survey.* keys. */
  errors: Array<{ row: number; messages: Array<{ key: string; values?: Record<string, string> }> }>
}
