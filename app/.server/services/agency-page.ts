/** Everything the agency page of analytics shows, for a user allowed to see that agency. */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import type { AnalyticsQuery } from '../analytics/query.ts'
import { SCORES_ERROR_STATUS } from '../analytics/scores-for-user.ts'
import { monthRange } from '#app/domain/period.ts'
import { canSeeDuring, type Scope } from '../auth/scope.ts'
import { findAgencySummary } from '../repos/agency-tree.ts'
import { agencyBreakdowns, agencyChannelSplit, agencySuggestions, agencyTrend } from './agency-detail.ts'
import { beforeAfter } from './before-after.ts'
import { withHistory } from './history-scope.ts'
import { wordingOfPeriod } from './period-versions.ts'
import { computeScores } from './scores.ts'

export interface AgencyPageFailure {
  ok: false
  status: 403 | 404 | 422
  /** A key of analytics.errors. */
  error: string
  detail?: string
}

function failure(status: AgencyPageFailure['status'], error: string, detail?: string): AgencyPageFailure {
  return { ok: false, status, error, detail }
}

export async function agencyPage(db: Kysely<Database>, scope: Scope, agencyCode: string, query: AnalyticsQuery) {
  const agency = await findAgencySummary(db, agencyCode)
  if (!agency) return failure(404, 'unknownAgency')
  // A predecessor merged into the user's subtree is theirs to read for periods before the merger (ADR 0046).
  if (!canSeeDuring(await withHistory(db, scope), agency, monthRange(query.period).from))
    return failure(403, 'forbidden')
  const base = {
    questionnaireCode: query.q,
    boundaries: query.boundaries,
    channels: query.channels,
    options: {
      weighting: query.weighting,
      interval: query.ci,
      collapse: query.collapse,
      ...(query.method ? { method: query.method } : {}),
    },
  }
  const scores = await computeScores(db, { ...base, rootAgencyCode: agency.code, period: query.period })
  if (!scores.ok) return failure(SCORES_ERROR_STATUS[scores.error], scores.error, scores.detail)
  const row = scores.rows.find((r) => r.agency.code === agency.code)
  // An agency dissolved or merged before the period has no row in that period's tree.
  if (!row) return failure(404, 'unknownAgency')
  const trend = await agencyTrend(db, base, agency.code, query.period)
  const breakdowns = await agencyBreakdowns(db, query.q, agency.path, query.period, query.boundaries, query.channels)
  const suggestions = await agencySuggestions(
    db,
    query.q,
    agency.path,
    query.period,
    query.boundaries,
    row.overall.n,
    50,
    query.channels,
  )
  // Before/after the reorganisation, when the unit took others over (docs/mergers.md).
  const reorganisation = await beforeAfter(db, base, agency)
  const channelSplit = await agencyChannelSplit(db, query.q, agency.path, query.period, query.boundaries)
  // Criteria are labelled with the wording the period's answers were given to, not today's (issue #18).
  const wording = await wordingOfPeriod(db, scope, {
    questionnaireCode: query.q,
    rootAgencyCode: agency.code,
    months: scores.months,
    boundaries: query.boundaries,
  })
  const elements = scores.elements.map((e) => ({
    ...e,
    criteria: e.criteria.map((c) => {
      const w = wording.get(c.code)
      return w ? { ...c, labelVi: w.labelVi, labelEn: w.labelEn, variants: w.variants } : { ...c, variants: [] }
    }),
  }))
  const labels = new Map(
    (breakdowns?.version.items ?? []).map((i) => [i.code, { vi: i.labelVi, en: i.labelEn, options: i.options ?? [] }]),
  )
  return {
    ok: true as const,
    agency: { code: agency.code, nameVi: agency.nameVi, nameEn: agency.nameEn },
    period: scores.period,
    previousPeriod: scores.previousPeriod,
    channels: scores.channels,
    channelSplit,
    elements,
    options: scores.options,
    row,
    trend,
    distributions: (breakdowns?.distributions ?? []).map((d) => ({ ...d, label: labels.get(d.itemCode)! })),
    expectations: breakdowns?.expectations ?? [],
    expectationN: breakdowns?.expectationN ?? 0,
    suggestions,
    reorganisation,
  }
}
