/**
 * Drivers of overall satisfaction for an agency's subtree and a period (docs/insight.md): reads each
 * respondent's answers, builds the outcome and the predictors exactly as the published scores define
 * them, and leaves every number to app/domain/insight. The published scores come from computeScores, so
 * the chart's score axis is the agency page's own numbers.
 */
import type { Kysely } from 'kysely'
import type { Database, EntryChannel } from '#db/schema.ts'
import {
  DEFAULT_DRIVER_OPTIONS,
  DRIVER_SAMPLE_LIMIT,
  type DriverAnalysisView,
  type DriverResult,
  driverAnalysis,
  driverSampleStep,
} from '#app/domain/insight/drivers.ts'
import { formatPeriod, monthRange } from '#app/domain/period.ts'
import { isScale } from '#app/domain/questionnaire/definition.ts'
import { respondentComposites } from '#app/domain/scoring/contributions.ts'
import type { ScoreCell } from '#app/domain/scoring/score-table.ts'
import type { AnalyticsQuery } from '../analytics/query.ts'
import { resolveRoot, type SCORES_ERROR_STATUS } from '../analytics/scores-for-user.ts'
import type { Scope } from '../auth/scope.ts'
import { numericAnswersOf } from '../repos/driver-responses.ts'
import { findQuestionnaireByCode, latestPublishedVersion } from '../repos/questionnaires.ts'
import { agencyIdsCountingFor, computeScores } from './scores.ts'
import { getVersionDefinition, type VersionDefinition } from './survey-definition.ts'

export type { DriverAnalysisView }

export type DriversResult =
  | {
      ok: true
      questionnaire: { code: string; versionId: number }
      agency: { code: string; nameVi: string; nameEn: string } | null
      period: string
      boundaries: AnalyticsQuery['boundaries']
      channels: EntryChannel[] | null
      /** What is explained: the overall question's answer, or (without one) the respondent's composite. */
      outcome: { kind: 'overall-question'; code: string } | { kind: 'composite'; code: null }
      /** Drivers always use the design weights; the scores follow the query's weighting. */
      weighting: 'design'
      /**
       * When the unit has more respondents than an analysis reads: every `every`-th response (by id) of
       * the `counted` ones was analysed. null: all of them.
       */
      sample: { counted: number; every: number } | null
      elements: DriverAnalysisView
      criteria: DriverAnalysisView
      labels: {
        elements: Array<{ code: string; titleVi: string; titleEn: string }>
        criteria: Array<{ code: string; labelVi: string; labelEn: string; element: string }>
      }
    }
  | { ok: false; error: keyof typeof SCORES_ERROR_STATUS; detail?: string }

interface Respondent {
  versionId: number
  weight: number
  stratum: string
  values: Record<string, number>
}

function view(result: DriverResult, scoreOf: (code: string) => ScoreCell | undefined): DriverAnalysisView {
  if (result.status !== 'ok') return { ...result, items: [] }
  const { drivers, ...rest } = result
  return {
    ...rest,
    level: DEFAULT_DRIVER_OPTIONS.level,
    items: drivers.map((d) => {
      const cell = scoreOf(d.code)
      return {
        code: d.code,
        importance: d.importance,
        importanceCi: d.importanceCi,
        score: cell?.status === 'published' ? cell.estimate : null,
      }
    }),
  }
}

export async function driversForScope(
  db: Kysely<Database>,
  scope: Scope,
  query: AnalyticsQuery,
  sampleLimit = DRIVER_SAMPLE_LIMIT,
): Promise<DriversResult> {
  const root = await resolveRoot(db, scope, query.agency, monthRange(query.period).from)
  if (!root.ok) return root
  const questionnaire = await findQuestionnaireByCode(db, query.q)
  const latest = questionnaire && (await latestPublishedVersion(db, questionnaire.id))
  if (!questionnaire || !latest) return { ok: false, error: 'unknownQuestionnaire' }
  const version = await getVersionDefinition(db, latest.id, latest.status)
  const scores = await computeScores(db, {
    questionnaireCode: query.q,
    rootAgencyCode: root.agency?.code ?? null,
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
  if (!scores.ok) return { ok: false, error: scores.error, detail: scores.detail }
  const row = root.agency ? scores.rows.find((r) => r.agency.code === root.agency!.code) : undefined

  const { from, to } = monthRange(query.period)
  const agencyIds = await agencyIdsCountingFor(
    db,
    root.agency ? [{ scopePath: root.agency.path }] : [{ scopePath: null }],
    query.boundaries,
  )
  // The respondents the published scores count (the unit's own row, or the top units for the whole tree).
  const counted = row
    ? row.overall.n
    : scores.rows.filter((r) => r.depth === 0).reduce((sum, r) => sum + r.overall.n, 0)
  const every = driverSampleStep(counted, sampleLimit)
  const respondents = new Map<number, Respondent>()
  for (const a of await numericAnswersOf(db, {
    questionnaireId: questionnaire.id,
    agencyIds,
    fromMonth: from,
    toMonth: to,
    channels: query.channels,
    every,
  })) {
    let r = respondents.get(a.responseId)
    if (!r) {
      r = { versionId: a.versionId, weight: a.weightMicro / 1e6, stratum: a.stratum ?? '', values: {} }
      respondents.set(a.responseId, r)
    }
    r.values[a.itemCode] = a.value
  }

  // Each respondent is scored by the version they answered, as the published scores are (method.md §10).
  const versions = new Map<number, VersionDefinition>()
  for (const r of respondents.values())
    if (!versions.has(r.versionId)) versions.set(r.versionId, await getVersionDefinition(db, r.versionId, 'published'))
  const overallItem = (v: VersionDefinition) => v.items.find((i) => i.role === 'overall' && isScale(i.type))
  const latestOverall = overallItem(version)
  const list = [...respondents.values()]
  const composites = list.map((r) => respondentComposites(versions.get(r.versionId)!.elements, r.values))
  const outcome = list.map((r, k) => {
    if (!latestOverall) return composites[k]!.overall
    const item = overallItem(versions.get(r.versionId)!)
    return item ? (r.values[item.code] ?? null) : null
  })
  const criteria = version.elements.flatMap((e) =>
    e.items
      .filter((i) => i.countsInIndex && i.satisfiedThreshold !== null)
      .map((i) => ({ code: i.code, element: e.code, labelVi: i.labelVi, labelEn: i.labelEn })),
  )
  const itemsOf = new Map([...versions].map(([id, v]) => [id, new Map(v.items.map((i) => [i.code, i]))]))
  const satisfied = (r: Respondent, code: string): number | null => {
    const item = itemsOf.get(r.versionId)!.get(code)
    const value = r.values[code]
    if (!item?.countsInIndex || item.satisfiedThreshold === null || value === undefined) return null
    return value >= item.satisfiedThreshold ? 1 : 0
  }
  const common = { outcome, weights: list.map((r) => r.weight), strata: list.map((r) => r.stratum) }
  const elementResult = driverAnalysis({
    ...common,
    predictors: version.elements.map((e) => ({ code: e.code, values: composites.map((c) => c[e.code] ?? null) })),
  })
  const criterionResult = driverAnalysis({
    ...common,
    predictors: criteria.map((c) => ({ code: c.code, values: list.map((r) => satisfied(r, c.code)) })),
  })
  return {
    ok: true,
    questionnaire: { code: questionnaire.code, versionId: version.versionId },
    agency: root.agency && { code: root.agency.code, nameVi: root.agency.nameVi, nameEn: root.agency.nameEn },
    period: formatPeriod(query.period),
    boundaries: query.boundaries,
    channels: scores.channels,
    outcome: latestOverall ? { kind: 'overall-question', code: latestOverall.code } : { kind: 'composite', code: null },
    weighting: 'design',
    sample: every > 1 ? { counted, every } : null,
    elements: view(elementResult, (code) => row?.elements[code]),
    criteria: view(criterionResult, (code) => row?.criteria[code]),
    labels: {
      elements: version.elements.map((e) => ({ code: e.code, titleVi: e.titleVi, titleEn: e.titleEn })),
      criteria,
    },
  }
}
