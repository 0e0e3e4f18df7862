/**
 * Computes the score table for a questionnaire, a period and an agency subtree from the aggregates
 * (never from raw responses). Handles the 2025 reorganisation: on "current" boundaries the responses of
 * merged units count for their successor, on "historical" boundaries units are shown as they were.
 */
import type { Kysely } from 'kysely'
import type { Database, EntryChannel } from '#db/schema.ts'
import { formatPeriod, monthRange, type Period, previousPeriod, samePeriodYearEarlier } from '#app/domain/period.ts'
import { type ChangeInterval, changeInterval } from '#app/domain/statistics/change.ts'
import {
  type AgencyScore,
  type AgencySums,
  DEFAULT_SCORE_OPTIONS,
  type ScoreOptions,
  type ScoringAgency,
  type ScoringElement,
  type StratumSums,
  scoreTable,
} from '#app/domain/scoring/score-table.ts'
import { addSums, EMPTY_SUMS, PopulationError } from '#app/domain/statistics/cell-sums.ts'
import { changeInPoints } from '#app/domain/statistics/publication.ts'
import { type Shrunk, shrinkRows } from '#app/domain/insight/shrinkage.ts'
import { finalSuccessors, historyGrants } from '#app/domain/successions.ts'
import { canSee, canSeeDuring, type Scope } from '../auth/scope.ts'
import { type AgencyRecord, listAllAgencies, listTakeovers } from '../repos/agency-tree.ts'
import { populationCountsOf } from '../repos/population-counts.ts'
import type { Rate766, ResponseRates } from '#app/domain/scoring/rate-766.ts'
import { dossierRates } from './dossier-rates.ts'
import { type ChannelFilter, compositeSums, itemAnswerSums } from '../repos/score-aggregates.ts'
import { findQuestionnaireByCode, latestPublishedVersion } from '../repos/questionnaires.ts'
import { listSuccessions } from '../repos/successions.ts'
import { getVersionDefinition, type VersionDefinition } from './survey-definition.ts'
import { aggregateVersion, memoised } from './aggregate-memo.ts'

export type Boundaries = 'historical' | 'current'

export interface ScoresRequest {
  questionnaireCode: string
  rootAgencyCode: string | null
  period: Period
  boundaries: Boundaries
  options?: Partial<ScoreOptions>
  /** Also compute the previous period for the change column (default true). */
  withPrevious?: boolean
  /** What the change compares with: the period just before (default) or the same period a year earlier. */
  compare?: Comparison
  /** Only responses of these entry channels, in this period and the previous one; null or absent: all. */
  channels?: ChannelFilter
}

export type Comparison = 'previous' | 'year'

export interface ScoreRow extends AgencyScore {
  depth: number
  /** Overall index minus the compared period's, in points as published; null when either is not published. */
  change: number | null
  /** The change's interval in points (variances of the two periods added) and whether it leaves out zero. */
  changeCi: { lower: number; upper: number } | null
  changeSignificant: boolean | null
  /** The QĐ 766 rate over the row's subtree (docs/dossiers.md); null when no dossier count covers it. */
  rate766: Rate766 | null
  /** Invitation responses ÷ invitations issued, responses (n) ÷ dossiers settled; null without a denominator. */
  responseRate: ResponseRates
  /**
   * The overall index shrunk toward the siblings' mean (Fay–Herriot), with its interval; null under 5
   * respondents, for a withheld complement, or with fewer than 3 siblings in the table.
   */
  shrunk: { estimate: number; lower: number; upper: number } | null
}

export type ChangeUnavailable = 'previousPopulationIncomplete'

export type ScoresResult =
  | {
      ok: true
      questionnaire: { code: string; nameVi: string; nameEn: string; versionId: number }
      elements: Array<{
        code: string
        titleVi: string
        titleEn: string
        criteria: Array<{ code: string; labelVi: string; labelEn: string }>
      }>
      period: string
      /** The period the change compares with (the previous one, or the same a year earlier: `comparedWith`). */
      previousPeriod: string
      comparedWith: Comparison
      months: { from: string; to: string }
      boundaries: Boundaries
      /** The entry channels counted; null: every channel. */
      channels: EntryChannel[] | null
      options: ScoreOptions
      /**
       * Why the change column is empty throughout, when it is: post-stratified, the previous period's
       * population counts are missing or do not match its responses. Null when the change was computed.
       */
      changeUnavailable: ChangeUnavailable | null
      rows: ScoreRow[]
    }
  | {
      ok: false
      error: 'unknownQuestionnaire' | 'unknownAgency' | 'noPopulation' | 'populationMismatch'
      detail?: string
    }

/** Final successor of each merged unit (chains such as district → commune; units under a merged one follow it). */
export async function successorMap(db: Kysely<Database>): Promise<Map<number, number>> {
  return finalSuccessors(await listTakeovers(db), await listAllAgencies(db))
}

/**
 * The agencies whose responses count for the intersection of some scopes (a user's and the chosen root's):
 * on today's boundaries a merged unit's responses go with its successor, so they belong wherever the
 * successor is. Used by every raw read (exports, suggestions) so it counts exactly what the scores count.
 */
export async function agencyIdsCountingFor(
  db: Kysely<Database>,
  scopes: Scope[],
  boundaries: Boundaries,
): Promise<number[]> {
  const successors = boundaries === 'current' ? await successorMap(db) : new Map<number, number>()
  const agencies = await listAllAgencies(db)
  const byId = new Map(agencies.map((a) => [a.id, a]))
  return agencies
    .filter((a) => {
      const countsFor = byId.get(successors.get(a.id) ?? a.id) ?? a
      return scopes.every((scope) => canSee(scope, countsFor))
    })
    .map((a) => a.id)
}

function scoringElements(version: VersionDefinition): ScoringElement[] {
  return version.elements.map((e) => ({
    code: e.code,
    weight: e.weight,
    criteria: e.items
      .filter((i) => i.countsInIndex && i.satisfiedThreshold !== null)
      .map((i) => ({ code: i.code, satisfiedThreshold: i.satisfiedThreshold! })),
  }))
}

export async function sumsByAgency(
  db: Kysely<Database>,
  questionnaireId: number,
  period: Period,
  remap: (id: number) => number,
  channels: ChannelFilter = null,
) {
  return (await designSums(db, questionnaireId, period, remap, channels)).data
}

/**
 * The period's sums per data agency (after `remap`), in total and per stratum, and the full design's
 * respondents per stratum (every agency's responses with an overall composite: n_h of the variance).
 */
export async function designSums(
  db: Kysely<Database>,
  questionnaireId: number,
  period: Period,
  remap: (id: number) => number,
  channels: ChannelFilter = null,
) {
  const { from, to } = monthRange(period)
  const data = new Map<number, AgencySums>()
  const stratumSizes = new Map<string, number>()
  const emptyParts = (): StratumSums => ({ composites: new Map(), answers: new Map() })
  const entry = (id: number, stratum: string) => {
    let e = data.get(id)
    if (!e) {
      e = { ...emptyParts(), strata: new Map() }
      data.set(id, e)
    }
    let part = e.strata!.get(stratum)
    if (!part) {
      part = emptyParts()
      e.strata!.set(stratum, part)
    }
    return [e, part] as const
  }
  for (const r of await compositeSums(db, questionnaireId, from, to, channels)) {
    const { agencyId: _a, composite: _c, stratum: _s, sx, sx2, ...weighted } = r
    const unweighted = { n: r.n, sw: r.n, sw2: r.n, swx: sx, swx2: sx2, sw2x: sx, sw2x2: sx2 }
    for (const target of entry(remap(r.agencyId), r.stratum)) {
      const prev = target.composites.get(r.composite) ?? { weighted: EMPTY_SUMS, unweighted: EMPTY_SUMS }
      target.composites.set(r.composite, {
        weighted: addSums(prev.weighted, weighted),
        unweighted: addSums(prev.unweighted, unweighted),
      })
    }
    if (r.composite === 'overall') stratumSizes.set(r.stratum, (stratumSizes.get(r.stratum) ?? 0) + r.n)
  }
  for (const r of await itemAnswerSums(db, questionnaireId, from, to, channels)) {
    for (const target of entry(remap(r.agencyId), r.stratum)) {
      const rows = target.answers.get(r.itemCode) ?? []
      const same = rows.find((x) => x.answer === r.answerValue)
      if (same) Object.assign(same, { n: same.n + r.n, sw: same.sw + r.sw, sw2: same.sw2 + r.sw2 })
      else rows.push({ answer: r.answerValue, n: r.n, sw: r.sw, sw2: r.sw2 })
      target.answers.set(r.itemCode, rows)
    }
  }
  return { data, design: { stratumSizes } }
}

function overlaps(agency: AgencyRecord, period: Period): boolean {
  const { from, to } = monthRange(period)
  return agency.validFrom.slice(0, 7) <= to && (agency.validTo === null || agency.validTo.slice(0, 7) >= from)
}

async function populationCounts(db: Kysely<Database>, period: Period, remap: (id: number) => number) {
  const counts = new Map<number, number>()
  for (const r of await populationCountsOf(db, formatPeriod(period)))
    counts.set(remap(r.agencyId), (counts.get(remap(r.agencyId)) ?? 0) + r.count)
  return counts
}

export async function computeScores(db: Kysely<Database>, request: ScoresRequest): Promise<ScoresResult> {
  const questionnaire = await findQuestionnaireByCode(db, request.questionnaireCode)
  const versionRow = questionnaire && (await latestPublishedVersion(db, questionnaire.id))
  if (!questionnaire || !versionRow) return { ok: false, error: 'unknownQuestionnaire' }
  const version = await getVersionDefinition(db, versionRow.id, versionRow.status)
  // The questionnaire's own method unless the analyst asks for the other one.
  const options: ScoreOptions = { ...DEFAULT_SCORE_OPTIONS, method: version.indexMethod, ...request.options }
  const agencies = await listAllAgencies(db)
  const root = request.rootAgencyCode ? agencies.find((a) => a.code === request.rootAgencyCode) : null
  if (request.rootAgencyCode && !root) return { ok: false, error: 'unknownAgency' }

  const successors = request.boundaries === 'current' ? await successorMap(db) : new Map<number, number>()
  const remap = (id: number) => successors.get(id) ?? id
  // On the boundaries of their time, a table rooted at a successor also shows the predecessors merged into
  // its subtree, for periods that start before the merger: the scope rule's history (ADR 0046).
  const rootScope: Scope | null = root
    ? {
        scopePath: root.path,
        history:
          request.boundaries === 'historical'
            ? historyGrants(root.path, await listSuccessions(db), new Map(agencies.map((a) => [a.id, a.path])))
            : [],
      }
    : null
  // Post-strata are the units as they were (a merged-away unit keeps its own count and responses, inside
  // its successor's subtree) unless the analyst asks to collapse them into the successor's cell.
  const ownCells = options.weighting === 'poststratified' && !options.collapse
  const cellOf = ownCells ? (id: number) => id : remap
  const pathOf = new Map(agencies.map((a) => [a.id, a.path]))
  const elements = scoringElements(version)
  const channels = request.channels?.length ? [...request.channels] : null

  // Read once per period: the "no counts" check and the scoring share the same rows.
  const populations = new Map<string, Promise<Map<number, number>>>()
  const populationFor = (period: Period) => {
    const key = formatPeriod(period)
    if (!populations.has(key)) populations.set(key, populationCounts(db, period, cellOf))
    return populations.get(key)!
  }

  const compute = async (period: Period, intervals: ScoreOptions['intervals'] = options.intervals) => {
    // Read before the aggregates it keys (aggregate-memo.ts): a table is a pure function of its months'
    // aggregates and of what the key below spells out, so it is computed once per version of those months.
    const aggregatesVersion = await aggregateVersion(db, monthRange(period))
    const population = options.weighting === 'poststratified' ? await populationFor(period) : null
    const key = JSON.stringify({
      questionnaire: questionnaire.id,
      version: [versionRow.id, versionRow.status, elements],
      period: formatPeriod(period),
      intervals,
      options,
      boundaries: request.boundaries,
      channels,
      rootScope,
      agencies,
      successors: [...successors],
      population: population && [...population],
    })
    return memoised(db, aggregatesVersion, key, () => computeTable(period, intervals))
  }
  const computeTable = async (period: Period, intervals: ScoreOptions['intervals']) => {
    const visible = agencies.filter((a) =>
      request.boundaries === 'current' ? a.validTo === null : overlaps(a, period),
    )
    // A table starts at the chosen agency: its subtree is what a scope rooted there sees. The whole tree is
    // scored all the same, so complementary suppression is the same whatever the root.
    const periodStart = monthRange(period).from
    const shown = (a: ScoringAgency) => !rootScope || canSeeDuring(rootScope, a, periodStart)
    const { data, design } = await designSums(db, questionnaire.id, period, cellOf, channels)
    const periodOptions: ScoreOptions = { ...options, intervals, design }
    if (options.weighting === 'poststratified') {
      periodOptions.population = await populationFor(period)
      for (const id of periodOptions.population.keys())
        if (!data.has(id)) data.set(id, { composites: new Map(), answers: new Map() })
    }
    // Each data agency sits where its responses count: a merged-away unit under its successor.
    const dataPaths = new Map([...data.keys()].map((id) => [id, pathOf.get(remap(id)) ?? '']))
    return scoreTable(visible.map(toScoringAgency), data, dataPaths, elements, periodOptions, shown)
  }

  const comparedWith: Comparison = request.compare ?? 'previous'
  const previous = comparedWith === 'year' ? samePeriodYearEarlier(request.period) : previousPeriod(request.period)
  let rows: AgencyScore[]
  let before: AgencyScore[]
  let changeUnavailable: ChangeUnavailable | null = null
  try {
    // No counts at all for the period is its own, clearer error than a mismatch on the first agency.
    if (options.weighting === 'poststratified' && !(await populationFor(request.period)).size)
      return { ok: false, error: 'noPopulation' }
    rows = await compute(request.period)
    // The previous period feeds only the change column: its estimates, without intervals.
    before =
      request.withPrevious === false
        ? []
        : await compute(previous, 'none').catch((error) => {
            if (!(error instanceof PopulationError)) return Promise.reject(error)
            changeUnavailable = 'previousPopulationIncomplete'
            return []
          })
  } catch (error) {
    if (error instanceof PopulationError)
      return {
        ok: false,
        error: 'populationMismatch',
        detail: agencies.find((a) => String(a.id) === error.cell)?.code ?? error.cell,
      }
    throw error
  }
  const previousById = new Map(before.map((r) => [r.agency.id, r]))
  const rates = await dossierRates(db, {
    questionnaireId: questionnaire.id,
    period: request.period,
    rows: rows.map((r) => ({ agencyId: r.agency.id, n: r.overall.n })),
    remap,
    pathOf,
  })
  const rootDepth = root ? root.path.split('/').filter(Boolean).length : 1
  // Small units' overall index shrunk toward their siblings' (docs/method.en.md §13; issue #19).
  const shrunk = shrinkRows(rows, options.level)
  return {
    ok: true,
    questionnaire: {
      code: questionnaire.code,
      nameVi: questionnaire.nameVi,
      nameEn: questionnaire.nameEn,
      versionId: version.versionId,
    },
    elements: version.elements.map((e) => ({
      code: e.code,
      titleVi: e.titleVi,
      titleEn: e.titleEn,
      criteria: e.items
        .filter((i) => i.countsInIndex)
        .map((i) => ({ code: i.code, labelVi: i.labelVi, labelEn: i.labelEn })),
    })),
    period: formatPeriod(request.period),
    previousPeriod: formatPeriod(previous),
    comparedWith,
    months: monthRange(request.period),
    boundaries: request.boundaries,
    channels,
    // The method statement; which intervals were computed is a matter of speed, not of method.
    options: { ...options, intervals: undefined },
    changeUnavailable,
    rows: rows.map((r) => {
      const p = previousById.get(r.agency.id)
      const both = r.overall.status === 'published' && p?.overall.status === 'published'
      const change = both ? changeInPoints(r.overall.estimate, p.overall.estimate, options.rules.decimals) : null
      const ci: ChangeInterval | null = both
        ? changeInterval(r.overall, p.overall, options.level, options.rules.decimals)
        : null
      return {
        ...r,
        depth: r.agency.path.split('/').filter(Boolean).length - rootDepth,
        change,
        changeCi: ci && { lower: ci.lower, upper: ci.upper },
        changeSignificant: ci ? ci.significant : null,
        rate766: rates.get(r.agency.id)!.rate766,
        responseRate: rates.get(r.agency.id)!.responseRate,
        shrunk: shrunkOf(shrunk.get(r.agency.id) ?? null),
      }
    }),
  }
}

function toScoringAgency(a: AgencyRecord): ScoringAgency {
  return {
    id: a.id,
    code: a.code,
    nameVi: a.nameVi,
    nameEn: a.nameEn,
    level: a.level,
    parentId: a.parentId,
    path: a.path,
  }
}

const shrunkOf = (s: Shrunk | null) => s && { estimate: s.estimate, lower: s.lower, upper: s.upper }
