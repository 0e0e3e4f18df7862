/**
 * The QĐ 766 rate and the response rates as a release document freezes them (issue #17, docs/dossiers.md),
 * read the same way by every published surface: the public page, the CSV, the report-ready workbook, the
 * printed report and the diff of a correction. Documents made before the rates existed carry neither field;
 * for them every function here says "no rates" rather than inventing empty ones, so an old release reads
 * exactly as it was published.
 */
import type { ReportCell, ReportColumn } from '../export/report.ts'
import type { ReleaseAgency, ReleaseDocument } from './release-document.ts'

/** One agency's rates as published: percentages (96.88), the dossiers settled; null where no denominator. */
export interface PublishedRates {
  rate766: number | null
  settled: number | null
  /** Dossiers kept (settled − deducted), for "155/160 hồ sơ"; null without a dossier count. */
  kept: number | null
  perInvitation: number | null
  perDossier: number | null
}

/**
 * The column codes, the same as the live score sheet's (app/domain/export/score-sheet.ts), so both
 * downloads read alike and share their translated headers (`report.columns.<code>`).
 */
export const RATE_COLUMNS = [
  { code: 'rate766_pct', kind: 'percent' },
  { code: 'dossiers_settled', kind: 'integer' },
  { code: 'response_per_invitation_pct', kind: 'percent' },
  { code: 'response_per_dossier_pct', kind: 'percent' },
] as const

/** Whether the agency's row was frozen with the rates (a release made before them has neither key). */
export const agencyHasRates = (a: ReleaseAgency) => 'rate766' in a || 'responseRate' in a

/** Whether the document publishes rates at all: any agency carrying them. */
export const documentHasRates = (doc: ReleaseDocument) => doc.agencies.some(agencyHasRates)

/**
 * Whether a reader would see any rate: the document froze them and at least one has a denominator. A
 * page or printed table of nothing but "—" (no dossier count, no invitation in the period) is left out;
 * the downloads keep their columns whenever the document has them, for programs reading them.
 */
export const documentShowsRates = (doc: ReleaseDocument) =>
  documentHasRates(doc) && doc.agencies.some((a) => rateCells(a).some((v) => v !== null))

/** The agency's rates; null when its row carries none (an older document). */
export function publishedRates(a: ReleaseAgency): PublishedRates | null {
  if (!agencyHasRates(a)) return null
  const r = a.rate766 ?? null
  return {
    rate766: r?.rate ?? null,
    settled: r ? r.settled : null,
    kept: r && r.rate !== null ? r.settled - r.deducted : null,
    perInvitation: a.responseRate?.perInvitation ?? null,
    perDossier: a.responseRate?.perDossier ?? null,
  }
}

/** The four numbers of RATE_COLUMNS, in order; null cells where a row has no value or no rates. */
export function rateCells(a: ReleaseAgency): Array<number | null> {
  const r = publishedRates(a)
  return [r?.rate766 ?? null, r?.settled ?? null, r?.perInvitation ?? null, r?.perDossier ?? null]
}

/** The diff's quantities for the rates, with each side's value (see `diffReleases`). */
export function rateQuantities(a: ReleaseAgency | undefined): Array<[string, number | null]> {
  const r = a ? publishedRates(a) : null
  return [
    ['rate766', r?.rate766 ?? null],
    ['rate766.settled', r?.settled ?? null],
    ['responseRate.perInvitation', r?.perInvitation ?? null],
    ['responseRate.perDossier', r?.perDossier ?? null],
  ]
}

/**
 * The rates as extra columns of the report's overall table (`ReportContext.extraOverall`), headed in the
 * reader's language by `report.columns.<code>`; undefined for a document without rates, whose workbook
 * keeps the columns it always had.
 */
export function rateReportColumns(
  doc: ReleaseDocument,
  t: (key: string) => string,
): { columns: ReportColumn[]; values: Map<string, ReportCell[]> } | undefined {
  if (!documentHasRates(doc)) return undefined
  return {
    columns: RATE_COLUMNS.map((c) => ({ header: t(`report.columns.${c.code}`), kind: c.kind })),
    values: new Map(doc.agencies.map((a) => [a.code, rateCells(a)])),
  }
}
