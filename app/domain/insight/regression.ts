/**
 * Weighted least squares R² from a weighted covariance matrix. With an intercept, the R² of a weighted
 * regression of y on a set of predictors is c' C⁻¹ c / var(y), where C is the predictors' weighted
 * covariance matrix and c their covariances with y (all moments weighted by the design weights, divided
 * by Σw — the divisor cancels). This is what R's `summary(lm(y ~ ., weights = w))$r.squared` reports.
 */

/**
 * A predictor whose variance left after the predictors before it is below this share of its own
 * variance is aliased (a linear combination of them) and adds nothing, as `lm` drops such columns
 * (its QR tolerance 1e-7 on column norms is 1e-14 on variances; 1e-12 is as safe and stricter on noise).
 */
export const ALIASED_TOLERANCE = 1e-12

/**
 * Weighted covariance matrix of the columns of `rows` (one row per respondent), divided by Σw.
 * Two passes (means first) so that values far from zero lose no precision.
 */
export function weightedCovariance(rows: ReadonlyArray<readonly number[]>, weights: readonly number[]): number[][] {
  const k = rows[0]?.length ?? 0
  let total = 0
  const mean = new Array<number>(k).fill(0)
  rows.forEach((row, i) => {
    const w = weights[i]!
    total += w
    for (let a = 0; a < k; a++) mean[a]! += w * row[a]!
  })
  for (let a = 0; a < k; a++) mean[a] = total > 0 ? mean[a]! / total : 0
  const cov = Array.from({ length: k }, () => new Array<number>(k).fill(0))
  const centred = new Array<number>(k)
  rows.forEach((row, i) => {
    const w = weights[i]!
    for (let a = 0; a < k; a++) centred[a] = row[a]! - mean[a]!
    for (let a = 0; a < k; a++) {
      const wa = w * centred[a]!
      for (let b = a; b < k; b++) cov[a]![b]! += wa * centred[b]!
    }
  })
  for (let a = 0; a < k; a++)
    for (let b = a; b < k; b++) {
      const v = total > 0 ? cov[a]![b]! / total : 0
      cov[a]![b] = v
      cov[b]![a] = v
    }
  return cov
}

/** Correlation matrix from a covariance matrix; a constant column gets zero correlations (and 1 on the diagonal). */
export function correlationFrom(cov: ReadonlyArray<readonly number[]>): number[][] {
  const sd = cov.map((row, a) => Math.sqrt(Math.max(0, row[a]!)))
  return cov.map((row, a) => row.map((v, b) => (a === b ? 1 : sd[a]! > 0 && sd[b]! > 0 ? v / (sd[a]! * sd[b]!) : 0)))
}

/**
 * The R² of every subset of the predictors, indexed by bit mask (bit j: predictor j), for a covariance
 * matrix whose row/column 0 is the outcome and 1..p the predictors. Subsets are visited depth-first, each
 * child adding one predictor to its parent's Cholesky factor (O(k²) per subset instead of O(k³)).
 * An aliased or constant predictor adds nothing. Returns NaN throughout when y has no variance.
 */
export function subsetRSquared(cov: ReadonlyArray<readonly number[]>): Float64Array {
  const p = cov.length - 1
  if (p > 20) throw new Error(`all-subsets R² over ${p} predictors is too large (2^${p} subsets)`)
  const out = new Float64Array(1 << p)
  const vy = cov[0]![0]!
  if (!(vy > 0)) return out.fill(Number.NaN)
  // Rows of the factor for the kept predictors of the current path: L (lower-triangular), z = L⁻¹ c.
  const keptIndex: number[] = []
  const lRows: number[][] = []
  const z: number[] = []
  const visit = (mask: number, next: number, r2: number) => {
    out[mask] = r2
    for (let j = next; j < p; j++) {
      const v = j + 1
      const cjj = cov[v]![v]!
      let kept = false
      let r2Child = r2
      if (cjj > 0) {
        // l = L⁻¹ C_{S,j} by forward substitution; residual variance d = C_jj − |l|².
        const l = new Array<number>(keptIndex.length)
        let norm = 0
        for (let a = 0; a < keptIndex.length; a++) {
          let s = cov[keptIndex[a]!]![v]!
          const row = lRows[a]!
          for (let b = 0; b < a; b++) s -= row[b]! * l[b]!
          l[a] = s / row[a]!
          norm += l[a]! * l[a]!
        }
        const d = cjj - norm
        if (d > ALIASED_TOLERANCE * cjj) {
          const diag = Math.sqrt(d)
          let s = cov[v]![0]!
          for (let a = 0; a < keptIndex.length; a++) s -= l[a]! * z[a]!
          const zj = s / diag
          r2Child = r2 + (zj * zj) / vy
          keptIndex.push(v)
          lRows.push([...l, diag])
          z.push(zj)
          kept = true
        }
      }
      visit(mask | (1 << j), j + 1, r2Child)
      if (kept) {
        keptIndex.pop()
        lRows.pop()
        z.pop()
      }
    }
  }
  visit(0, 0, 0)
  return out
}

/** R² of the regression on all predictors (the full model). */
export function fullRSquared(cov: ReadonlyArray<readonly number[]>): number {
  return subsetRSquaredOf(cov, [...Array(cov.length - 1).keys()])
}

/** R² of one subset of predictors (0-based predictor indices), without enumerating the others. */
export function subsetRSquaredOf(cov: ReadonlyArray<readonly number[]>, predictors: readonly number[]): number {
  const sub = [0, ...predictors.map((j) => j + 1)]
  const small = sub.map((a) => sub.map((b) => cov[a]![b]!))
  const all = subsetRSquared(small)
  return all[all.length - 1]!
}
