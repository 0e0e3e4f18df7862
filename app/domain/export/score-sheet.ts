/**
 * The score table as plain rows and columns, with the statement of method, period and filters that
 * must travel with every number. CSV, XLSX and JSON downloads are all written from this one shape, so
 * they cannot disagree with each other or with the page.
 */
import type { ScoreCell } from '../scoring/score-table.ts'
import { publishedPercent } from '../statistics/publication.ts'

export interface ScoreSheetInput {
  questionnaire: { code: string; nameVi: string; nameEn: string; versionId: number }
  elements: Array<{ code: string; titleVi: string; titleEn: string }>
  period: string
  previousPeriod: string
  boundaries: string
  options: {
    weighting: string
    method: string
    interval: string
    level: number
    rules: { minN: number; minNEff: number }
  }
  rows: Array<{
    agency: { code: string; nameVi: string; nameEn: string; level: string }
    depth: number
    overall: ScoreCell
    elements: Record<string, ScoreCell>
    rank: number | null
    rankOf: number
    change: number | null
  }>
}

export type Cell = string | number | null

export interface ScoreSheet {
  columns: string[]
  rows: Cell[][]
  about: Array<[string, string]>
}

const pct = (cell: ScoreCell | undefined, value: number | null | undefined) =>
  cell?.status === 'published' && value !== null && value !== undefined && Number.isFinite(value)
    ? publishedPercent(value)
    : null

export function scoreSheet(input: ScoreSheetInput, lng: 'vi' | 'en', generatedAt: string, filters: string): ScoreSheet {
  const en = lng === 'en'
  const columns = [
    'agency_code',
    'agency_name',
    'level',
    'depth',
    'status',
    'overall_index_pct',
    'ci_lower_pct',
    'ci_upper_pct',
    'n',
    'n_eff',
    'rank',
    'rank_of',
    `change_vs_${input.previousPeriod}_points`,
    ...input.elements.map((e) => `${e.code}_index_pct`),
  ]
  const rows = input.rows.map((r) => [
    r.agency.code,
    en ? r.agency.nameEn : r.agency.nameVi,
    r.agency.level,
    r.depth,
    r.overall.status,
    pct(r.overall, r.overall.estimate),
    pct(r.overall, r.overall.ci?.lower),
    pct(r.overall, r.overall.ci?.upper),
    r.overall.n,
    Math.round(r.overall.nEff * 10) / 10,
    r.rank,
    r.rankOf,
    r.change,
    ...input.elements.map((e) => pct(r.elements[e.code], r.elements[e.code]?.estimate)),
  ])
  const about: Array<[string, string]> = [
    [
      'questionnaire',
      `${input.questionnaire.code} (${en ? input.questionnaire.nameEn : input.questionnaire.nameVi}), version id ${input.questionnaire.versionId}`,
    ],
    ['period', input.period],
    ['previous_period', input.previousPeriod],
    ['boundaries', input.boundaries],
    ['weighting', input.options.weighting],
    ['index_method', input.options.method],
    ['interval', `${input.options.interval} ${Math.round(input.options.level * 100)}%`],
    [
      'publication_rule',
      `n >= ${input.options.rules.minN} and n_eff >= ${input.options.rules.minNEff}; otherwise status "insufficient" and no value`,
    ],
    ['filters', filters],
    ['generated_at', generatedAt],
  ]
  return { columns, rows, about }
}
