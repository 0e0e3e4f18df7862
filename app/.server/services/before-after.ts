/**
 * Before and after a reorganisation for one unit (docs/mergers.md, "Trước/sau sắp xếp"): the scores of its
 * predecessors (and of the unit itself, if it existed) in the last whole quarters before the effective
 * date, on the boundaries of their time; the same quarters re-based onto today's unit (the predecessors'
 * responses combined, as "current" boundaries count them); the unit's own quarters after the date; and the
 * change of each after-quarter against the last re-based before-quarter, with its interval, where both are
 * published. Every number comes from computeScores, so the method, thresholds and intervals are the
 * score table's.
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import {
  type BeforeAfter,
  type BeforeAfterChange,
  type BeforeAfterUnit,
  quartersAround,
} from '#app/domain/before-after.ts'
import { formatPeriod, type Period } from '#app/domain/period.ts'
import type { ScoreCell } from '#app/domain/scoring/score-table.ts'
import { changeInterval } from '#app/domain/statistics/change.ts'
import { changeInPoints } from '#app/domain/statistics/publication.ts'
import type { AgencySummary } from '../repos/agency-tree.ts'
import { findAgencyById } from '../repos/agencies.ts'
import { listSuccessions } from '../repos/successions.ts'
import { computeScores, type ScoresRequest } from './scores.ts'

type Base = Omit<ScoresRequest, 'period' | 'rootAgencyCode' | 'boundaries' | 'withPrevious'>

/** Null when the unit has no predecessor. `today` is the current month (YYYY-MM). */
export async function beforeAfter(
  db: Kysely<Database>,
  base: Base,
  agency: AgencySummary & { validFrom?: string },
  today: string = new Date().toISOString().slice(0, 7),
): Promise<BeforeAfter | null> {
  const edges = (await listSuccessions(db)).filter((e) => e.successorId === agency.id)
  if (!edges.length) return null
  const date = edges.map((e) => e.effectiveDate).sort()[edges.length - 1]!
  const self = await findAgencyById(db, agency.id)
  const predecessors = []
  for (const e of edges) {
    const p = await findAgencyById(db, e.predecessorId)
    if (p) predecessors.push({ ...p, kind: e.kind as BeforeAfterUnit['kind'] })
  }
  // The unit's own rows before the date, when it existed then (a province that absorbed another).
  const shown = [...(self && self.validFrom < date ? [{ ...self, kind: 'self' as const }] : []), ...predecessors]
  const { before, after } = quartersAround(date, today)
  const options = { ...base.options, intervals: 'no-criteria' as const }
  const score = async (period: Period, boundaries: 'historical' | 'current') => {
    const result = await computeScores(db, {
      ...base,
      options,
      period,
      boundaries,
      rootAgencyCode: agency.code,
      withPrevious: false,
    })
    return result.ok ? result : null
  }
  const units: BeforeAfterUnit[] = shown.map((u) => ({
    code: u.code,
    nameVi: u.nameVi,
    nameEn: u.nameEn,
    kind: u.kind,
    cells: [],
  }))
  const rebased: Array<ScoreCell | null> = []
  for (const quarter of before) {
    const historical = await score(quarter, 'historical')
    units.forEach((u) => {
      u.cells.push(historical?.rows.find((r) => r.agency.code === u.code)?.overall ?? null)
    })
    const current = await score(quarter, 'current')
    rebased.push(current?.rows.find((r) => r.agency.code === agency.code)?.overall ?? null)
  }
  const reference = rebased[rebased.length - 1] ?? null
  const changes: BeforeAfterChange[] = []
  for (const quarter of after) {
    const current = await score(quarter, 'current')
    const overall = current?.rows.find((r) => r.agency.code === agency.code)?.overall ?? null
    const both = overall?.status === 'published' && reference?.status === 'published' && current !== null
    const ci =
      both && current ? changeInterval(overall, reference, current.options.level, current.options.rules.decimals) : null
    changes.push({
      period: formatPeriod(quarter),
      overall,
      change:
        both && current ? changeInPoints(overall.estimate, reference.estimate, current.options.rules.decimals) : null,
      changeCi: ci && { lower: ci.lower, upper: ci.upper },
      significant: ci ? ci.significant : null,
    })
  }
  return {
    date,
    before: before.map(formatPeriod),
    units,
    rebased,
    comparedWith: before.length ? formatPeriod(before[before.length - 1]!) : null,
    after: changes,
  }
}
