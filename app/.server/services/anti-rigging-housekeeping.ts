/**
 * Keeps the anti-rigging tables small. A spent nonce only matters while its token could still be posted:
 * a token expires `tokenTtlSeconds` after it was issued, and it was issued before it was spent, so once
 * that time (plus a margin for clocks of several servers) has passed since the spend, an expired token is
 * refused for its age alone. A counter window matters only while it is the current hour or day.
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { deleteOldCounters, deleteSpentNoncesBefore, windowsOf } from '../repos/network-counters.ts'

/** Clock difference between app servers tolerated before a nonce is forgotten. */
export const CLOCK_MARGIN_MS = 10 * 60 * 1000
const HOUR_MS = 60 * 60 * 1000
const DAY_MS = 24 * HOUR_MS

export interface HousekeepingReport {
  counters: number
  nonces: number
}

export async function pruneAntiRiggingState(
  db: Kysely<Database>,
  options: { tokenTtlSeconds: number; now?: Date },
): Promise<HousekeepingReport> {
  const now = (options.now ?? new Date()).getTime()
  // The previous hour and day are kept too: a window is still read right after it ends by a slow request.
  const counters = await deleteOldCounters(
    db,
    windowsOf(new Date(now - HOUR_MS)).hour,
    windowsOf(new Date(now - DAY_MS)).day,
  )
  const nonceCutoff = new Date(now - options.tokenTtlSeconds * 1000 - CLOCK_MARGIN_MS).toISOString()
  const nonces = await deleteSpentNoncesBefore(db, nonceCutoff)
  return { counters, nonces }
}
