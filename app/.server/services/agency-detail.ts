/**
 * What the agency page shows beyond the score table: the trend over quarters, the distribution of answers
 * per criterion, the expectations ranked by share and the citizens' suggestions — all for the agency's
 * subtree, from the aggregates (suggestions are the one raw read, a short indexed list).
 */
import type { Kysely } from 'kysely'
import type { Database, EntryChannel } from '#db/schema.ts'
import { monthRange, type Period } from '#app/domain/period.ts'
import type { ScoreCell } from '#app/domain/scoring/score-table.ts'
import { DEFAULT_PUBLICATION_RULES } from '#app/domain/statistics/publication.ts'
import { canSee, type Scope } from '../auth/scope.ts'
import { listAllAgencies } from '../repos/agency-tree.ts'
import { findQuestionnaireByCode, latestPublishedVersion } from '../repos/questionnaires.ts'
import { type ChannelFilter, channelCounts } from '../repos/score-aggregates.ts'
import { suggestionsInMonths } from '../repos/suggestion-texts.ts'
import { ENTRY_CHANNELS } from '../analytics/query.ts'
import {
  agencyIdsCountingFor,
  type Boundaries,
  computeScores,
  type ScoresRequest,
  successorMap,
  sumsByAgency,
} from './scores.ts'
import { getVersionDefinition } from './survey-definition.ts'

export interface TrendPoint {
  period: string
  overall: ScoreCell
  elements: Record<string, ScoreCell>
}

/** The last `count` quarters up to the one that holds the end of `period`. */
export function trailingQuarters(period: Period, count = 8): Period[] {
  const end = monthRange(period).to
  let year = Number(end.slice(0, 4))
  let quarter = Math.ceil(Number(end.slice(5, 7)) / 3)
  const out: Period[] = []
  for (let i = 0; i < count; i++) {
    out.unshift({ kind: 'quarter', year, quarter: quarter as 1 | 2 | 3 | 4 })
    if (--quarter === 0) {
      quarter = 4
      year--
    }
  }
  return out
}

export async function agencyTrend(
  db: Kysely<Database>,
  base: Omit<ScoresRequest, 'period' | 'rootAgencyCode'>,
  agencyCode: string,
  period: Period,
): Promise<TrendPoint[]> {
  const points: TrendPoint[] = []
  for (const quarter of trailingQuarters(period)) {
    const result = await computeScores(db, {
      ...base,
      rootAgencyCode: agencyCode,
      period: quarter,
      withPrevious: false,
    })
    const row = result.ok ? result.rows.find((r) => r.agency.code === agencyCode) : undefined
    if (result.ok && row) points.push({ period: result.period, overall: row.overall, elements: row.elements })
  }
  return points
}

export interface Distribution {
  itemCode: string
  n: number
  shares: Array<{ answer: number; share: number; n: number }>
}
export interface Expectation {
  value: string
  labelVi: string
  labelEn: string
  share: number
  n: number
}

export async function agencyBreakdowns(
  db: Kysely<Database>,
  questionnaireCode: string,
  agencyPath: string,
  period: Period,
  boundaries: Boundaries,
  channels: ChannelFilter = null,
) {
  const questionnaire = await findQuestionnaireByCode(db, questionnaireCode)
  const versionRow = questionnaire && (await latestPublishedVersion(db, questionnaire.id))
  if (!questionnaire || !versionRow) return null
  const version = await getVersionDefinition(db, versionRow.id, versionRow.status)
  const successors = boundaries === 'current' ? await successorMap(db) : new Map<number, number>()
  const data = await sumsByAgency(db, questionnaire.id, period, (id) => successors.get(id) ?? id, channels)
  const subtree: Scope = { scopePath: agencyPath }
  const inSubtree = new Set((await listAllAgencies(db)).filter((a) => canSee(subtree, a)).map((a) => a.id))
  const answers = new Map<string, Map<number, { n: number; sw: number }>>()
  for (const [id, sums] of data) {
    if (!inSubtree.has(id)) continue
    for (const [code, rows] of sums.answers) {
      const byAnswer = answers.get(code) ?? new Map()
      for (const r of rows) {
        const prev = byAnswer.get(r.answer) ?? { n: 0, sw: 0 }
        byAnswer.set(r.answer, { n: prev.n + r.n, sw: prev.sw + r.sw })
      }
      answers.set(code, byAnswer)
    }
  }
  const minCell = DEFAULT_PUBLICATION_RULES.minCell
  const distributions: Distribution[] = version.items
    .filter((i) => i.type === 'scale5' || i.type === 'scale3' || i.type === 'points210')
    .map((item) => {
      const byAnswer = answers.get(item.code) ?? new Map<number, { n: number; sw: number }>()
      const total = [...byAnswer.values()].reduce((s, v) => ({ n: s.n + v.n, sw: s.sw + v.sw }), { n: 0, sw: 0 })
      // Under five respondents the whole breakdown is withheld: single answers could identify people.
      const shares =
        total.n < minCell
          ? []
          : (item.options ?? []).map((o) => {
              const v = byAnswer.get(Number(o.value)) ?? { n: 0, sw: 0 }
              return { answer: Number(o.value), share: total.sw ? v.sw / total.sw : 0, n: v.n }
            })
      return { itemCode: item.code, n: total.n, shares }
    })
  const expectationItem = version.items.find((i) => i.role === 'expectation')
  let expectations: Expectation[] = []
  let expectationN = 0
  if (expectationItem?.options) {
    const byAnswer = answers.get(expectationItem.code) ?? new Map()
    const answered = byAnswer.get(0) ?? { n: 0, sw: 0 }
    expectationN = answered.n
    if (answered.n >= minCell) {
      expectations = expectationItem.options
        .map((o, index) => {
          const chosen = byAnswer.get(index + 1) ?? { n: 0, sw: 0 }
          return {
            value: o.value,
            labelVi: o.labelVi,
            labelEn: o.labelEn,
            share: answered.sw ? chosen.sw / answered.sw : 0,
            n: chosen.n,
          }
        })
        .sort((a, b) => b.share - a.share)
    }
  }
  return { distributions, expectations, expectationN, version }
}

/** The newest free-text suggestions; none at all when the agency has fewer than five responses. */
export async function agencySuggestions(
  db: Kysely<Database>,
  questionnaireCode: string,
  agencyPath: string,
  period: Period,
  boundaries: Boundaries,
  responses: number,
  limit = 50,
  channels: ChannelFilter = null,
) {
  if (responses < DEFAULT_PUBLICATION_RULES.minCell)
    return { suppressed: true, suggestions: [] as Array<{ responseId: number; text: string; at: string }> }
  const { from, to } = monthRange(period)
  const agencyIds = await agencyIdsCountingFor(db, [{ scopePath: agencyPath }], boundaries)
  const texts = await suggestionsInMonths(
    db,
    { questionnaireCode, agencyIds, fromMonth: from, toMonth: to, channels },
    limit,
  )
  return { suppressed: false, suggestions: texts.map(({ responseId, text, at }) => ({ responseId, text, at })) }
}

export interface ChannelShare {
  channel: EntryChannel
  /** Respondents with an overall index in the period, over the agency's subtree. */
  n: number
}

/**
 * Respondents per entry channel for the agency's subtree and the period (every channel, whatever the
 * filter), from the aggregates: what the channel filter can choose from. Counts only, no estimates.
 */
export async function agencyChannelSplit(
  db: Kysely<Database>,
  questionnaireCode: string,
  agencyPath: string,
  period: Period,
  boundaries: Boundaries,
): Promise<ChannelShare[]> {
  const questionnaire = await findQuestionnaireByCode(db, questionnaireCode)
  if (!questionnaire) return []
  const { from, to } = monthRange(period)
  const counting = new Set(await agencyIdsCountingFor(db, [{ scopePath: agencyPath }], boundaries))
  const byChannel = new Map<EntryChannel, number>()
  for (const r of await channelCounts(db, questionnaire.id, from, to))
    if (counting.has(r.agencyId)) byChannel.set(r.entryChannel, (byChannel.get(r.entryChannel) ?? 0) + r.n)
  return ENTRY_CHANNELS.map((channel) => ({ channel, n: byChannel.get(channel) ?? 0 }))
}
