/**
 * The live analytics table as a report (the XLSX download and /analytics/report): the same scores the page
 * shows, turned into a release document in memory — never stored — so a live report and a published
 * release are written by the same code and read the same way.
 */
import type { AppLoadContext } from '@remix-run/node'
import { formatPeriod } from '#app/domain/period.ts'
import { disclosedScores } from '#app/domain/export/disclosure.ts'
import type { ReportContext } from '#app/domain/export/report.ts'
import { roundHalfAwayFromZero } from '#app/domain/statistics/publication.ts'
import { buildReleaseDocument, type ReleaseDocument } from '#app/domain/publication/release-document.ts'
import { loadScores, type OkScores } from '../analytics/load-scores.ts'
import type { AnalyticsQuery } from '../analytics/query.ts'
import type { SessionUser } from '../auth/session.ts'
import { populationCountsOf } from '../repos/population-counts.ts'
import { agencyBreakdowns } from '../services/agency-detail.ts'
import { versionsInPeriod } from '../services/period-versions.ts'

export interface LiveReport {
  user: SessionUser
  query: AnalyticsQuery
  scores: OkScores
  document: ReleaseDocument
  versions: Array<{ versionId: number; versionNumber: number; responses: number }>
  /** The scope's answers to the expectation item, when the questionnaire has one and enough answered. */
  expectations: ReportContext['expectations']
}

export async function loadLiveReport(context: AppLoadContext, request: Request): Promise<LiveReport> {
  const loaded = await loadScores(context, request, 'all')
  const { user, query } = loaded
  // Only published cells carry a value, as on the page and in every download.
  const scores = disclosedScores(loaded.scores)
  const root = scores.rows.find((r) => r.depth === 0) ?? scores.rows[0]
  const ids = new Set(scores.rows.map((r) => r.agency.id))
  const codeOf = new Map(scores.rows.map((r) => [r.agency.id, r.agency.code]))
  // Population counts exist for named periods only; a custom range has none to state.
  const population =
    query.period.kind === 'range'
      ? []
      : (await populationCountsOf(context.readDb, formatPeriod(query.period)))
          .filter((p) => ids.has(p.agencyId))
          .map((p) => ({ agencyCode: codeOf.get(p.agencyId)!, count: p.count }))
  const generatedAt = new Date().toISOString()
  const document = buildReleaseDocument({
    questionnaire: scores.questionnaire,
    elements: scores.elements,
    period: scores.period,
    previousPeriod: scores.previousPeriod,
    months: scores.months,
    boundaries: scores.boundaries,
    options: scores.options,
    rows: scores.rows,
    scope: root
      ? { code: root.agency.code, nameVi: root.agency.nameVi, nameEn: root.agency.nameEn, level: root.agency.level }
      : { code: '', nameVi: '', nameEn: '', level: '' },
    population,
    dataCutoff: generatedAt,
    appVersion: '',
  })
  const versions = await versionsInPeriod(context.readDb, user, {
    questionnaireCode: scores.questionnaire.code,
    rootAgencyCode: query.agency ?? null,
    months: scores.months,
    boundaries: scores.boundaries,
  })
  // Expectations are withheld (empty) under the smallest publishable cell, as on the agency page.
  const breakdowns = root
    ? await agencyBreakdowns(context.readDb, query.q, root.agency.path, query.period, query.boundaries, query.channels)
    : null
  const expectations = breakdowns?.expectations.length
    ? {
        n: breakdowns.expectationN,
        items: breakdowns.expectations.map((e) => ({
          labelVi: e.labelVi,
          labelEn: e.labelEn,
          percent: roundHalfAwayFromZero(e.share * 100, 2),
          count: e.n,
        })),
      }
    : undefined
  return { user, query, scores, document, versions, expectations }
}
