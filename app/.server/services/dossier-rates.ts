/**
 * The QĐ 766 rate and the response rates of every row of a score table (issue #17, docs/dossiers.md),
 * each over the row's subtree and the period's months, on the table's boundaries: a merged unit's
 * dossiers, invitations and responses count for its successor on today's boundaries, as its responses do.
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { addMonths, monthRange, type Period } from '#app/domain/period.ts'
import { aggregateVersion, memoised } from './aggregate-memo.ts'
import {
  dissatisfiedCount,
  type Rate766,
  type ResponseRates,
  rate766,
  responseRates,
} from '#app/domain/scoring/rate-766.ts'
import {
  dossierTotals,
  invitationResponses,
  invitationResponsesDissatisfied,
  invitationsIssued,
} from '../repos/dossier-counts.ts'

export interface AgencyRates {
  /** Null when no dossier count of the period lies in the row's subtree. */
  rate766: Rate766 | null
  responseRate: ResponseRates
}

/** The first instant of a month in Vietnam time (UTC+7), as the ISO text `created_at` columns hold. */
const monthStart = (month: string) => new Date(`${month}-01T00:00:00+07:00`).toISOString()

interface Sums {
  months: number
  settled: number
  late: number
  complained: number
  ratedMonths: number
  rated: number
  invitations: number
  invitationResponses: number
  surveyDissatisfied: number
}

const EMPTY: Sums = {
  months: 0,
  settled: 0,
  late: 0,
  complained: 0,
  ratedMonths: 0,
  rated: 0,
  invitations: 0,
  invitationResponses: 0,
  surveyDissatisfied: 0,
}

export async function dossierRates(
  db: Kysely<Database>,
  input: {
    questionnaireId: number
    period: Period
    /** The rows: agency id and n, the responses the row counts (the numerator per dossier). */
    rows: Array<{ agencyId: number; n: number }>
    /** Where a data agency's numbers count (its successor on today's boundaries). */
    remap: (id: number) => number
    pathOf: Map<number, string>
  },
): Promise<Map<number, AgencyRates>> {
  const { from, to } = monthRange(input.period)
  const [dossiers, issued, answered, dissatisfied] = await Promise.all([
    dossierTotals(db, from, to),
    invitationsIssued(db, input.questionnaireId, monthStart(from), monthStart(addMonths(to, 1))),
    // Read from the aggregates alone (the dissatisfied count scans the item aggregates): kept per version.
    aggregateVersion(db, { from, to }).then((version) =>
      memoised(db, version, JSON.stringify(['invitation-responses', input.questionnaireId, from, to]), async () =>
        Promise.all([
          invitationResponses(db, input.questionnaireId, from, to),
          invitationResponsesDissatisfied(db, input.questionnaireId, from, to),
        ]),
      ),
    ),
  ]).then(([dossiers, issued, [answered, dissatisfied]]) => [dossiers, issued, answered, dissatisfied] as const)
  // Each data agency's numbers are added to every agency on its path: the subtree sums of every row at once.
  const sums = new Map<number, Sums>()
  const add = (agencyId: number, part: Partial<Sums>) => {
    const path = input.pathOf.get(input.remap(agencyId))
    if (!path) return
    for (const id of path.split('/').filter(Boolean).map(Number)) {
      const s = sums.get(id) ?? { ...EMPTY }
      for (const [k, v] of Object.entries(part)) s[k as keyof Sums] += v
      sums.set(id, s)
    }
  }
  for (const d of dossiers)
    add(d.agencyId, {
      months: d.months,
      settled: d.settled,
      late: d.settledLate,
      complained: d.complained,
      ratedMonths: d.ratedMonths,
      rated: d.ratedDissatisfied,
    })
  for (const r of issued) add(r.agencyId, { invitations: r.n })
  for (const r of answered) add(r.agencyId, { invitationResponses: r.n })
  for (const r of dissatisfied) add(r.agencyId, { surveyDissatisfied: r.n })

  const out = new Map<number, AgencyRates>()
  for (const row of input.rows) {
    const s = sums.get(row.agencyId) ?? EMPTY
    const counted = s.months > 0
    // The one-stop shop's own ratings only when every month row of the subtree carries one.
    const chosen = dissatisfiedCount({
      oneStopShop: counted && s.ratedMonths === s.months ? s.rated : null,
      survey: s.surveyDissatisfied,
    })
    out.set(row.agencyId, {
      rate766: counted
        ? rate766(
            { settled: s.settled, late: s.late, complained: s.complained, dissatisfied: chosen.dissatisfied },
            chosen.source,
          )
        : null,
      responseRate: responseRates({
        responses: row.n,
        invitationResponses: s.invitationResponses,
        invitations: s.invitations,
        settled: counted ? s.settled : null,
      }),
    })
  }
  return out
}
