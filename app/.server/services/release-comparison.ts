/**
 * "Differs from the published release" (issue #17): for the agencies at the top of a live score table,
 * the published release of the same agency, period and questionnaire, and whether its overall figure is
 * the one the live table shows now (late responses, imports or corrections move live numbers; a release
 * never moves). Compared only when the live table uses the release's method (weighting, index method,
 * boundaries, every channel): another method is another number, not a difference.
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import type { ScoreCell } from '#app/domain/scoring/score-table.ts'
import { publishedPercent } from '#app/domain/statistics/publication.ts'
import { publicRelease, publicReleases } from './releases.ts'

export interface ReleaseDifference {
  agencyCode: string
  releaseId: number
  publishedAt: string | null
  /** The release's overall percentage (null: not published in the release). */
  releasePercent: number | null
  /** The live overall percentage, rounded the same way (null: not published now). */
  livePercent: number | null
  differs: boolean
}

export interface LiveTable {
  questionnaireCode: string
  period: string
  boundaries: string
  channels: readonly string[] | null
  options: { weighting: string; method: string; collapse?: boolean }
  /** The rows at the top of the table (the root, or every root when none was chosen). */
  roots: Array<{ agency: { id: number; code: string }; overall: ScoreCell }>
}

export async function compareWithReleases(db: Kysely<Database>, live: LiveTable): Promise<ReleaseDifference[]> {
  if (live.channels?.length || live.roots.length === 0) return []
  const ids = new Set(live.roots.map((r) => r.agency.id))
  const candidates = (await publicReleases(db)).filter(
    (r) => ids.has(r.agencyId) && r.period === live.period && r.questionnaireCode === live.questionnaireCode,
  )
  const out: ReleaseDifference[] = []
  for (const summary of candidates) {
    const release = await publicRelease(db, summary.id)
    if (!release) continue
    const { method } = release.document
    if (
      method.weighting !== live.options.weighting ||
      method.indexMethod !== live.options.method ||
      method.boundaries !== live.boundaries ||
      (method.collapse ?? false) !== (live.options.collapse ?? false)
    )
      continue
    const row = live.roots.find((r) => r.agency.id === summary.agencyId)!
    const frozen = release.document.agencies.find((a) => a.isScopeRoot) ?? release.document.agencies[0]
    if (!frozen) continue
    const decimals = release.document.method.rules.decimals
    const livePercent =
      row.overall.status === 'published' && row.overall.estimate !== null
        ? publishedPercent(row.overall.estimate, decimals)
        : null
    out.push({
      agencyCode: summary.agencyCode,
      releaseId: summary.id,
      publishedAt: summary.publishedAt,
      releasePercent: frozen.overall.percent,
      livePercent,
      differs: livePercent !== frozen.overall.percent,
    })
  }
  return out
}
