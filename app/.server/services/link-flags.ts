/**
 * Bursts and shifts flagged for review (issue 14): each survey link in the user's scope whose recent window
 * departs from its own history, in volume or in the scale answers it gets. The tests are the pure
 * functions of app/domain/anti-rigging/bursts.ts; the thresholds come from configuration.
 */
import type { Kysely } from 'kysely'
import {
  answerShift,
  type BurstSettings,
  timeOfDayRange,
  timeWindows,
  volumeBurst,
  type ShiftTest,
  type VolumeTest,
} from '#app/domain/anti-rigging/bursts.ts'
import type { Database, LinkKind } from '#db/schema.ts'
import type { Scope } from '../auth/scope.ts'
import { linksWithResponses, responseCountsOfLinks, scaleAnswerCountsOfLinks } from '../repos/link-activity.ts'

export type LinkFlagKind = 'volume' | 'shift'

export interface LinkFlag {
  kind: LinkFlagKind
  link: { id: number; code: string; kind: LinkKind; counterLabel: string | null }
  agency: { id: number; code: string; nameVi: string; nameEn: string }
  /** The window the flag is about, ISO instants, from inclusive, to exclusive. */
  from: string
  to: string
  /** For a volume burst: responses seen, responses expected at the historical rate, and the tail probability. */
  volume?: Pick<VolumeTest, 'observed' | 'expected' | 'pValue' | 'basis'>
  /** For an answer shift: the value that rose most, its shares before and in the window, and the p-value. */
  shift?: { value: number; historyShare: number; windowShare: number; pValue: number; responses: number }
}

export interface LinkFlags {
  from: string
  to: string
  historyFrom: string
  settings: BurstSettings
  flags: LinkFlag[]
}

/** The flags of every link in scope for the window ending at `now`: volume first, then shift, per link. */
export async function linkFlags(
  db: Kysely<Database>,
  scope: Scope,
  settings: BurstSettings,
  now: Date = new Date(),
): Promise<LinkFlags> {
  const { windowFrom, windowTo, historyFrom } = timeWindows(now, settings)
  const window = { from: windowFrom, to: windowTo }
  const history = { from: historyFrom, to: windowFrom }
  const out: LinkFlags = {
    from: windowFrom.toISOString(),
    to: windowTo.toISOString(),
    historyFrom: historyFrom.toISOString(),
    settings,
    flags: [],
  }
  // Neither test flags a window below the minimum, so only links that busy are read further.
  const busy = await linksWithResponses(db, scope, window, settings.minResponses)
  if (busy.length === 0) return out
  const ids = busy.map((l) => l.linkId)
  const [historyCounts, sameTimeCounts, windowAnswers, historyAnswers] = await Promise.all([
    responseCountsOfLinks(db, scope, ids, history),
    responseCountsOfLinks(db, scope, ids, history, timeOfDayRange(windowFrom, windowTo)),
    scaleAnswerCountsOfLinks(db, scope, ids, window),
    scaleAnswerCountsOfLinks(db, scope, ids, history),
  ])
  const none = { counts: [0, 0, 0, 0, 0], responses: 0 }
  for (const l of busy) {
    const base = {
      link: { id: l.linkId, code: l.code, kind: l.kind, counterLabel: l.counterLabel },
      agency: { id: l.agencyId, code: l.agencyCode, nameVi: l.agencyNameVi, nameEn: l.agencyNameEn },
      from: out.from,
      to: out.to,
    }
    const volume: VolumeTest = volumeBurst(
      l.responses,
      { responses: historyCounts.get(l.linkId) ?? 0, atThisTimeOfDay: sameTimeCounts.get(l.linkId) ?? 0 },
      settings,
    )
    if (volume.flagged) {
      const { observed, expected, pValue, basis } = volume
      out.flags.push({ ...base, kind: 'volume', volume: { observed, expected, pValue, basis } })
    }
    const inWindow = windowAnswers.get(l.linkId) ?? none
    const shift: ShiftTest = answerShift(inWindow, historyAnswers.get(l.linkId) ?? none, settings)
    if (shift.flagged && shift.rose)
      out.flags.push({
        ...base,
        kind: 'shift',
        shift: { ...shift.rose, pValue: shift.pValue, responses: inWindow.responses },
      })
  }
  return out
}
