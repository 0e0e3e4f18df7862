/**
 * Which published version of a questionnaire is in force for an agency at an instant (issue #18,
 * docs/questionnaires.md). Three kinds of event put a version in force:
 *
 * - a general publication: a version published without a rollout applies everywhere from `published_at`
 *   (how every version behaved before rollouts existed);
 * - an assignment (the older "assign to agencies" pin): the agency keeps that version whatever is
 *   published generally afterwards;
 * - a rollout: the version applies to the chosen agency, or every unit below it, from the chosen day.
 *
 * Of the events that have started, the newest version wins: a version rolled out today beats the older
 * version published generally this morning, and a newer version published to everyone reaches the
 * agencies an older rollout had reached. A pinned agency ignores general publications; a rollout of a
 * newer version still reaches it.
 */

export interface VersionEvent {
  versionId: number
  versionNumber: number
  /** ISO instant the event takes effect. */
  at: string
}

export interface InForceInput {
  now: string
  /** Published versions that have no rollout rows: in force everywhere from their publication. */
  generalPublications: VersionEvent[]
  /** Rollouts of published versions that reach this agency (itself, or an ancestor with its subtree). */
  rollouts: VersionEvent[]
  /** The agency's pin to a published version, if any. */
  assignment: VersionEvent | null
}

export function versionInForce(input: InForceInput): number | null {
  const candidates = [...input.rollouts, ...(input.assignment ? [input.assignment] : input.generalPublications)]
  let best: VersionEvent | null = null
  for (const e of candidates) {
    if (e.at > input.now) continue
    if (!best || e.versionNumber > best.versionNumber) best = e
  }
  return best?.versionId ?? null
}

/** Whether a rollout to `target` reaches `agency` (materialised paths "/1/5/12/"). */
export function rolloutReaches(
  target: { agencyId: number; path: string; includeSubtree: boolean },
  agency: { id: number; path: string },
): boolean {
  return target.agencyId === agency.id || (target.includeSubtree && agency.path.startsWith(target.path))
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/

/**
 * The instant a chosen day starts in Vietnam (UTC+7 all year), as an ISO string comparable with the
 * stored `published_at`; null for a text that is not a real calendar day.
 */
export function startOfVietnamDay(day: string): string | null {
  const m = DAY.exec(day.trim())
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const utc = new Date(Date.UTC(y, mo - 1, d))
  if (utc.getUTCFullYear() !== y || utc.getUTCMonth() !== mo - 1 || utc.getUTCDate() !== d) return null
  return new Date(utc.getTime() - 7 * 3600_000).toISOString()
}

/** Today's day in Vietnam (yyyy-MM-dd), the default effective date of a rollout. */
export function vietnamToday(now = new Date()): string {
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10)
}
