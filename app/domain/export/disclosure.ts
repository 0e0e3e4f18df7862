/**
 * The disclosure rule at every boundary a number leaves by (API, downloads, page data): only a
 * `published` cell carries its estimate, standard error, interval and interval method. A cell under the
 * thresholds (`insufficient`) or withheld to protect another value (`suppressed-complement`) keeps its
 * status, n and n_eff, never its value, so no client can read what the page hides.
 */
import type { ScoreCell } from '../scoring/score-table.ts'

export function disclosedCell<C extends ScoreCell>(cell: C): C {
  if (cell.status === 'published') return cell
  return { ...cell, estimate: null, se: null, ci: null, intervalMethod: null }
}

const disclosedCells = <C extends ScoreCell>(cells: Record<string, C>): Record<string, C> =>
  Object.fromEntries(Object.entries(cells).map(([code, cell]) => [code, disclosedCell(cell)]))

/** A score row with every cell disclosed; other fields (rank, change, …) are unchanged. */
export function disclosedRow<
  R extends { overall: ScoreCell; elements: Record<string, ScoreCell>; criteria?: Record<string, ScoreCell> },
>(row: R): R {
  return {
    ...row,
    overall: disclosedCell(row.overall),
    elements: disclosedCells(row.elements),
    ...(row.criteria ? { criteria: disclosedCells(row.criteria) } : {}),
  } as R
}

/** A scores result whose rows are disclosed. */
export function disclosedScores<S extends { rows: Array<Parameters<typeof disclosedRow>[0]> }>(scores: S): S {
  return { ...scores, rows: scores.rows.map((r) => disclosedRow(r)) }
}

/**
 * The interval method a cell states: the one actually used, or null when the cell shows no interval.
 * `fallback` is true when it differs from the one requested (logit at 0 % or 100 % is Korn–Graubard).
 */
export function statedIntervalMethod(cell: ScoreCell | undefined, requested: string) {
  const used = cell?.status === 'published' ? (cell.intervalMethod ?? null) : null
  return { used, fallback: used !== null && used !== requested }
}
