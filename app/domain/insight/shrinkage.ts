/**
 * Fair scores for noisy units (docs/method.en.md §13): an empirical-Bayes (Fay–Herriot) estimate pulls a
 * unit's direct estimate toward the mean of its siblings (the published units of the same parent and
 * level), the more the noisier it is. A unit with 35 responses at 100 % is probably not the best in the
 * province; its shrunk score says how good it probably is. Withheld units take no part (ADR 0053).
 *
 * Model: θ̂_i = θ_i + e_i, e_i ~ N(0, D_i) (D_i the direct estimate's design variance) and θ_i = μ + u_i,
 * u_i ~ N(0, A). A by the Fay–Herriot moment equation Σ (θ̂_i − μ̂)² / (A + D_i) = m − 1 (0 when it has no
 * positive root), μ̂ = Σ θ̂_i/(A + D_i) / Σ 1/(A + D_i). Shrunk: γ_i θ̂_i + (1 − γ_i) μ̂ with γ_i = A/(A + D_i),
 * and its MSE by Prasad–Rao with the Datta–Rao–Smith term for the estimated A: g1 + g2 + 2 g3.
 */
import { normalQuantile } from '../statistics/distributions.ts'
import { rankUnits } from '../statistics/publication.ts'

export interface DirectUnit<K> {
  key: K
  estimate: number
  /** Design variance of the estimate (SE²). */
  variance: number
  /** Kish effective sample size, used to smooth a zero variance (an estimate of 0 or 1). */
  nEff: number
}

export interface Shrunk {
  estimate: number
  lower: number
  upper: number
  /** Weight of the direct estimate, A/(A + D_i). */
  gamma: number
  mse: number
}

export interface FayHerriotFit<K> {
  mean: number
  /** Between-unit variance A. */
  modelVariance: number
  units: Map<K, Shrunk>
}

/** Fewest units for a fit: with two the between-unit variance is hardly estimable. */
export const MIN_UNITS = 3

/**
 * D_i: the design variance, or where it is 0 (a unit at 0 % or 100 %, whose with-replacement variance
 * vanishes), the siblings' mean per-respondent variance s² = mean(v_j · n_eff,j) over n_eff,i.
 */
export function smoothedVariances<K>(units: readonly DirectUnit<K>[]): number[] | null {
  const informative = units.filter((u) => u.variance > 0 && u.nEff > 0)
  if (!informative.length) return null
  const s2 = informative.reduce((s, u) => s + u.variance * u.nEff, 0) / informative.length
  return units.map((u) => (u.variance > 0 ? u.variance : s2 / Math.max(u.nEff, 1)))
}

export function fayHerriot<K>(units: readonly DirectUnit<K>[], level = 0.95): FayHerriotFit<K> | null {
  const m = units.length
  if (m < MIN_UNITS) return null
  const d = smoothedVariances(units)
  if (!d) return null
  const y = units.map((u) => u.estimate)
  const meanAt = (a: number) => {
    let num = 0
    let den = 0
    for (let i = 0; i < m; i++) {
      num += y[i]! / (a + d[i]!)
      den += 1 / (a + d[i]!)
    }
    return num / den
  }
  // The moment equation's left side falls as A grows; solve it by bisection.
  const excess = (a: number) => {
    const mu = meanAt(a)
    let s = 0
    for (let i = 0; i < m; i++) s += (y[i]! - mu) ** 2 / (a + d[i]!)
    return s - (m - 1)
  }
  let a = 0
  if (excess(0) > 0) {
    let hi = 1
    while (excess(hi) > 0 && hi < 1e6) hi *= 2
    let lo = 0
    for (let k = 0; k < 200; k++) {
      const mid = (lo + hi) / 2
      if (excess(mid) > 0) lo = mid
      else hi = mid
    }
    a = (lo + hi) / 2
  }
  const mu = meanAt(a)
  const precision = d.reduce((s, di) => s + 1 / (a + di), 0)
  const z = normalQuantile(1 - (1 - level) / 2)
  const out = new Map<K, Shrunk>()
  units.forEach((u, i) => {
    const di = d[i]!
    const gamma = a / (a + di)
    const estimate = gamma * y[i]! + (1 - gamma) * mu
    const g1 = gamma * di
    const g2 = (1 - gamma) ** 2 / precision
    const g3 = (2 * m * di * di) / ((a + di) ** 3 * precision * precision)
    const mse = g1 + g2 + 2 * g3
    const half = z * Math.sqrt(mse)
    out.set(u.key, {
      estimate,
      lower: Math.max(0, estimate - half),
      upper: Math.min(1, estimate + half),
      gamma,
      mse,
    })
  })
  return { mean: mu, modelVariance: a, units: out }
}

export interface ShrinkableRow {
  agency: { id: number; parentId: number | null; level: string }
  overall: { estimate: number | null; se: number | null; n: number; nEff: number; status: string }
}

/** Fewest respondents for a shrunk value to be shown: the privacy floor of every breakdown. */
export const MIN_RESPONDENTS = 5

/**
 * Shrunk overall index of each row, toward the mean of its siblings in the table (same parent and level);
 * null for a row whose direct value is withheld (under the publication thresholds, or as a complement),
 * under 5 respondents, or in a group of fewer than 3 published rows. A withheld row is not in the model
 * either: its value would otherwise be solvable from its published siblings' shrunk values, which carry
 * the fitted mean and model variance (ADR 0053).
 */
export function shrinkRows(rows: readonly ShrinkableRow[], level = 0.95): Map<number, Shrunk | null> {
  const groups = new Map<string, DirectUnit<number>[]>()
  for (const r of rows) {
    const c = r.overall
    if (c.status !== 'published' || c.estimate === null || c.se === null || c.n < MIN_RESPONDENTS) continue
    const key = `${r.agency.parentId}|${r.agency.level}`
    const unit = { key: r.agency.id, estimate: c.estimate, variance: c.se * c.se, nEff: c.nEff }
    const list = groups.get(key)
    if (list) list.push(unit)
    else groups.set(key, [unit])
  }
  const out = new Map<number, Shrunk | null>(rows.map((r) => [r.agency.id, null]))
  for (const units of groups.values()) {
    const fit = fayHerriot(units, level)
    if (fit) for (const [id, s] of fit.units) out.set(id, s)
  }
  return out
}

interface RankableRow {
  agency: { id: number; parentId: number | null }
  shrunk: { estimate: number } | null
  rank: number | null
  rankOf: number
  rankRange: unknown
}

/**
 * The rows ranked among their siblings by the shrunk estimate instead of the direct one (`rank=shrunk`),
 * by the same rule (rounded value, ties share a rank). Every unit with a shrunk value is ranked (published
 * units only, ADR 0053); the rank range, which comes from the direct intervals, is dropped.
 */
export function rankByShrunk<R extends RankableRow>(rows: readonly R[], decimals: number): R[] {
  const bySiblings = new Map<string, R[]>()
  for (const r of rows) {
    const key = String(r.agency.parentId)
    bySiblings.set(key, [...(bySiblings.get(key) ?? []), r])
  }
  const ranks = new Map<number, { rank: number | null; of: number }>()
  for (const siblings of bySiblings.values())
    for (const ranked of rankUnits(
      siblings.map((s) => ({
        id: String(s.agency.id),
        value: s.shrunk?.estimate ?? null,
        status: s.shrunk ? 'published' : 'insufficient',
      })),
      decimals,
    ))
      ranks.set(Number(ranked.id), { rank: ranked.rank, of: ranked.of })
  return rows.map((r) => ({
    ...r,
    rank: ranks.get(r.agency.id)!.rank,
    rankOf: ranks.get(r.agency.id)!.of,
    rankRange: null,
  }))
}
