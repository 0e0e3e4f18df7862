/**
 * What citizens write, for an agency's subtree and a period (docs/insight.md, "Themes of suggestions"): the
 * suggestions grouped into themes, counted per month over the last months, with masked examples and the
 * frequent phrases; and the shares of expectations (mong đợi) with their denominator and Wilson interval.
 * The numbers come from app/domain (themes, intervals); this file only reads and assembles.
 */
import type { Kysely } from 'kysely'
import type { Database, EntryChannel } from '#db/schema.ts'
import { type ExpectationShare, type Phrase, summariseThemes, type ThemeView } from '#app/domain/insight/themes.ts'
import { addMonths, formatPeriod, monthRange } from '#app/domain/period.ts'
import { maskPersonalData } from '#app/domain/privacy/personal-data.ts'
import { DEFAULT_LEVEL, wilsonInterval } from '#app/domain/statistics/intervals.ts'
import { DEFAULT_PUBLICATION_RULES } from '#app/domain/statistics/publication.ts'
import type { AnalyticsQuery } from '../analytics/query.ts'
import { resolveRoot, type SCORES_ERROR_STATUS } from '../analytics/scores-for-user.ts'
import type { Scope } from '../auth/scope.ts'
import { findQuestionnaireByCode } from '../repos/questionnaires.ts'
import { suggestionsInMonths } from '../repos/suggestion-texts.ts'
import { agencyBreakdowns } from './agency-detail.ts'
import { agencyIdsCountingFor } from './scores.ts'

/** The series shows at least this many months, ending with the period's last. */
export const THEME_SERIES_MONTHS = 6
/** At most this many suggestions are read; past it `truncated` says so. */
export const THEME_READ_LIMIT = 20_000

export type ThemesResult =
  | {
      ok: true
      agency: { code: string; nameVi: string; nameEn: string } | null
      period: string
      channels: EntryChannel[] | null
      months: string[]
      minCount: number
      /** Suggestions of the period read. */
      total: number
      truncated: boolean
      unthemed: number | null
      themes: ThemeView[]
      phrases: Array<Pick<Phrase, 'text' | 'count'>>
      expectations: {
        /** Respondents who answered the expectation item: the denominator of every share. */
        denominator: number
        level: number
        method: 'wilson'
        /** Empty when the denominator is under the minimum cell. */
        items: ExpectationShare[]
      }
    }
  | { ok: false; error: keyof typeof SCORES_ERROR_STATUS; detail?: string }

export async function themesForScope(db: Kysely<Database>, scope: Scope, query: AnalyticsQuery): Promise<ThemesResult> {
  const { from, to } = monthRange(query.period)
  const root = await resolveRoot(db, scope, query.agency, from)
  if (!root.ok) return root
  const questionnaire = await findQuestionnaireByCode(db, query.q)
  if (!questionnaire) return { ok: false, error: 'unknownQuestionnaire' }
  const seriesFrom = [from, addMonths(to, 1 - THEME_SERIES_MONTHS)].sort()[0]
  const months: string[] = []
  for (let m = seriesFrom; m <= to; m = addMonths(m, 1)) months.push(m)
  const agencyIds = await agencyIdsCountingFor(
    db,
    [{ scopePath: root.agency ? root.agency.path : null }],
    query.boundaries,
  )
  const all = await suggestionsInMonths(
    db,
    { questionnaireCode: query.q, agencyIds, fromMonth: seriesFrom, toMonth: to, channels: query.channels },
    THEME_READ_LIMIT,
  )
  const suggestions = all.map((s) => ({ id: s.responseId, text: s.text, month: s.month }))
  const inPeriod = suggestions.filter((s) => s.month >= from)
  const minCount = DEFAULT_PUBLICATION_RULES.minCell
  // The period's counts, examples and phrases; the series over the last months beside them.
  const period = summariseThemes(inPeriod, [], { minCount, mask: maskPersonalData })
  const series = summariseThemes(suggestions, months, { minCount, mask: maskPersonalData, phrases: 0 })

  const breakdowns = await agencyBreakdowns(
    db,
    query.q,
    // Administrators without an agency asked for: the whole tree (every path starts with "/").
    root.agency ? root.agency.path : '/',
    query.period,
    query.boundaries,
    query.channels,
  )
  const denominator = breakdowns?.expectationN ?? 0
  return {
    ok: true,
    agency: root.agency && { code: root.agency.code, nameVi: root.agency.nameVi, nameEn: root.agency.nameEn },
    period: formatPeriod(query.period),
    channels: query.channels,
    months,
    minCount,
    total: inPeriod.length,
    truncated: all.length >= THEME_READ_LIMIT,
    unthemed: period.unthemed,
    themes: period.themes.map((t, k) => ({
      code: t.code,
      count: t.count,
      suppressed: t.suppressed,
      byMonth: series.themes[k].byMonth,
      // The response id stays inside: it would lead from a quote to the respondent's other answers.
      examples: t.examples.map((e) => ({ text: e.text, month: e.month })),
    })),
    phrases: period.phrases.map((p) => ({ text: p.text, count: p.count })),
    expectations: {
      denominator,
      level: DEFAULT_LEVEL,
      method: 'wilson',
      items: (breakdowns?.expectations ?? []).map((x) => {
        const ci = wilsonInterval(x.share, denominator, DEFAULT_LEVEL)
        return { ...x, ci: { lower: ci.lower, upper: ci.upper } }
      }),
    },
  }
}
