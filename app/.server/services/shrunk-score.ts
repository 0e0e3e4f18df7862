/**
 * The agency page's shrunk overall index (docs/method.en.md §13). A table rooted at the agency has no
 * siblings to shrink toward, so this scores its parent's table (the same filters) and keeps only the
 * agency's own shrunk value: nothing of the siblings leaves the server.
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import type { AnalyticsQuery } from '../analytics/query.ts'
import { listAllAgencies } from '../repos/agency-tree.ts'
import { computeScores, type ScoreRow } from './scores.ts'

export async function shrunkScoreOf(
  db: Kysely<Database>,
  agencyCode: string,
  query: AnalyticsQuery,
): Promise<ScoreRow['shrunk']> {
  const agencies = await listAllAgencies(db)
  const agency = agencies.find((a) => a.code === agencyCode)
  const parent = agency && agencies.find((a) => a.id === agency.parentId)
  if (!parent) return null
  const scores = await computeScores(db, {
    questionnaireCode: query.q,
    rootAgencyCode: parent.code,
    period: query.period,
    boundaries: query.boundaries,
    channels: query.channels,
    withPrevious: false,
    options: {
      weighting: query.weighting,
      interval: query.ci,
      collapse: query.collapse,
      intervals: 'none',
      ...(query.method ? { method: query.method } : {}),
    },
  })
  if (!scores.ok) return null
  return scores.rows.find((r) => r.agency.code === agencyCode)?.shrunk ?? null
}
