/**
 * The score table as plain rows and columns, with the statement of method, period and filters that
 * must travel with every number. CSV, XLSX and JSON downloads are all written from this one shape, so
 * they cannot disagree with each other or with the page.
 */
import type { ScoreCell } from '../scoring/score-table.ts'
import { publishedPercent } from '../statistics/publication.ts'

/** Translates a key of the `analytics` namespace (the route passes i18next's `t` in the user's language). */
export type SheetTranslate = (key: string, values?: Record<string, unknown>) => string

/** Versions of the questionnaire whose responses are counted in the period, when the caller knows them. */
export interface SheetVersions {
  answered: Array<{ versionId: number; versionNumber: number; responses: number }>
}

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
    /** QĐ 766 and response rates (docs/dossiers.md); absent: empty cells. */
    rate766?: { rate: number | null; settled: number } | null
    responseRate?: { perInvitation: number | null; perDossier: number | null }
    /** The Fay–Herriot shrunk overall index (docs/method.md §13); null where the direct one is withheld. */
    shrunk?: { estimate: number; lower: number; upper: number } | null
  }>
}

export type Cell = string | number | null

export interface ScoreSheet {
  columns: string[]
  rows: Cell[][]
  /** Key (stable, for programs), value, and a sentence in the user's language where one helps. */
  about: Array<[string, string] | [string, string, string]>
}

/** The interval methods a column may name, each described by one sentence in the About sheet. */
const INTERVAL_METHODS = ['beta', 'logit', 'wilson'] as const

/** The interval method a published cell states; empty for a cell without a value. */
const methodOf = (cell: ScoreCell | undefined) => (cell?.status === 'published' ? (cell.intervalMethod ?? null) : null)

const pct = (cell: ScoreCell | undefined, value: number | null | undefined) =>
  cell?.status === 'published' && value !== null && value !== undefined && Number.isFinite(value)
    ? publishedPercent(value)
    : null

/** The shrunk estimate and bounds in percent; empty unless the direct value is published (ADR 0053). */
const shrunkCells = (
  overall: ScoreCell,
  shrunk: { estimate: number; lower: number; upper: number } | null | undefined,
) =>
  shrunk && overall.status === 'published'
    ? [publishedPercent(shrunk.estimate), publishedPercent(shrunk.lower), publishedPercent(shrunk.upper)]
    : [null, null, null]

export function scoreSheet(
  input: ScoreSheetInput,
  lng: 'vi' | 'en',
  generatedAt: string,
  filters: string,
  t: SheetTranslate,
  versions?: SheetVersions,
): ScoreSheet {
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
    'interval_method',
    'n',
    'n_eff',
    'rank',
    'rank_of',
    `change_vs_${input.previousPeriod}_points`,
    ...input.elements.map((e) => `${e.code}_index_pct`),
    // Issue #17: beside every score, the QĐ 766 rate and the response rates, in percent (docs/dossiers.md).
    'rate766_pct',
    'dossiers_settled',
    'response_per_invitation_pct',
    'response_per_dossier_pct',
    // Issue #19: the overall index shrunk toward the published siblings, with its interval (ADR 0053:
    // empty wherever the direct value is withheld).
    'shrunk_pct',
    'shrunk_lower_pct',
    'shrunk_upper_pct',
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
    methodOf(r.overall),
    r.overall.n,
    Math.round(r.overall.nEff * 10) / 10,
    r.rank,
    r.rankOf,
    r.change,
    ...input.elements.map((e) => pct(r.elements[e.code], r.elements[e.code]?.estimate)),
    r.rate766?.rate ?? null,
    r.rate766?.settled ?? null,
    r.responseRate?.perInvitation ?? null,
    r.responseRate?.perDossier ?? null,
    ...shrunkCells(r.overall, r.shrunk),
  ])
  const name = en ? input.questionnaire.nameEn : input.questionnaire.nameVi
  const answered = versions?.answered ?? []
  const level = Math.round(input.options.level * 100)
  const requested = input.options.interval
  const about: ScoreSheet['about'] = [
    [
      'questionnaire',
      `${input.questionnaire.code} (${name}), version id ${input.questionnaire.versionId}`,
      t('about.questionnaire', { code: input.questionnaire.code, name, versionId: input.questionnaire.versionId }),
    ],
    [
      'questionnaire_versions_in_period',
      answered.map((v) => `${v.versionNumber} (id ${v.versionId}): ${v.responses}`).join('; '),
      versions
        ? answered.length
          ? t('about.versionsInPeriod', {
              versions: answered.map((v) => t('about.versionItem', { ...v })).join('; '),
            })
          : t('about.noVersionsInPeriod')
        : t('about.versionsUnknown'),
    ],
    ['period', input.period],
    ['previous_period', input.previousPeriod],
    ['boundaries', input.boundaries, t(`boundariesOptions.${input.boundaries}`)],
    ['weighting', input.options.weighting, t(`weightingOptions.${input.options.weighting}`)],
    ['index_method', input.options.method, t(`methodOptions.${input.options.method}`)],
    ['interval', `${requested} ${level}%`, t('about.interval', { level, interval: t(`intervalOptions.${requested}`) })],
    ['interval_rule', requested, t('about.intervalRule')],
    ...INTERVAL_METHODS.map((m): [string, string, string] => [
      `interval_method.${m}`,
      m,
      t(`about.intervalMethod.${m}`),
    ]),
    [
      'publication_rule',
      `n >= ${input.options.rules.minN} and n_eff >= ${input.options.rules.minNEff}; otherwise status "insufficient" and no value`,
      t('about.publicationRule', { minN: input.options.rules.minN, minNEff: input.options.rules.minNEff }),
    ],
    [
      'complementary_suppression',
      'status "suppressed-complement": withheld, no value',
      t('about.complementarySuppression'),
    ],
    [
      'shrunk',
      'Fay-Herriot toward published siblings (same parent and level), 95% interval; empty where the direct value is withheld; docs/method.md section 13',
      t('about.shrunk'),
    ],
    [
      'drivers',
      'share of R2 per element and criterion (LMG or relative weights), bootstrap 95% interval: XLSX sheet and JSON key drivers when an agency is exported; docs/insight.md',
      t('about.drivers'),
    ],
    [
      'rate766',
      '(settled - late - complained - rated dissatisfied) / settled, deductions capped at settled; docs/dossiers.md',
      t('dossierRates.about'),
    ],
    ['filters', filters],
    ['generated_at', generatedAt],
  ]
  return { columns, rows, about }
}
