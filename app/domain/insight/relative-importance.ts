/**
 * How much of the R² of a regression each predictor accounts for.
 *
 * - LMG (Lindeman, Merenda and Gold 1980; the Shapley value of R², what R's relaimpo calls "lmg"): a
 *   predictor's share is its increase in R² when added to a subset of the others, averaged over every order
 *   in which the predictors could enter. Exact, from the R² of all 2^p subsets; the shares add up to R².
 * - Johnson's relative weights (Johnson 2000): the predictors are replaced by their closest orthogonal
 *   counterparts, whose squared regression weights are apportioned back. Needs one eigen-decomposition
 *   instead of 2^p regressions, so it serves where exact LMG is too large; it agrees closely with LMG in
 *   practice and its weights also add up to R².
 */
import { correlationFrom, subsetRSquared } from './regression.ts'

export type ImportanceMethod = 'lmg' | 'relative-weights'

/** Exact LMG beyond this many predictors would take 2^p regressions per bootstrap replicate. */
export const EXACT_LMG_MAX_PREDICTORS = 12

export interface Importance {
  method: ImportanceMethod
  /** R² of the full model. */
  rSquared: number
  /** Each predictor's part of R² (they add up to rSquared). */
  contributions: number[]
}

/** n! / … as the LMG order weight k!(p−k−1)!/p! for a subset of size k not holding the predictor. */
function orderWeights(p: number): number[] {
  const factorial = [1]
  for (let i = 1; i <= p; i++) factorial.push(factorial[i - 1]! * i)
  return Array.from({ length: p }, (_, k) => (factorial[k]! * factorial[p - k - 1]!) / factorial[p]!)
}

/** Exact LMG from the covariance matrix of (y, x₁ … x_p): outcome first. */
export function lmg(cov: ReadonlyArray<readonly number[]>): Importance {
  const p = cov.length - 1
  const r2 = subsetRSquared(cov)
  const weights = orderWeights(p)
  const size = new Uint8Array(1 << p)
  for (let mask = 1; mask < 1 << p; mask++) size[mask] = size[mask >> 1]! + (mask & 1)
  const contributions = new Array<number>(p).fill(0)
  for (let j = 0; j < p; j++) {
    const bit = 1 << j
    let sum = 0
    for (let mask = 0; mask < 1 << p; mask++) {
      if (mask & bit) continue
      sum += weights[size[mask]!]! * (r2[mask | bit]! - r2[mask]!)
    }
    contributions[j] = sum
  }
  return { method: 'lmg', rSquared: r2[(1 << p) - 1]!, contributions }
}

/**
 * Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations: values and vectors (as columns).
 * Small matrices only (a questionnaire's criteria); converges quadratically.
 */
export function symmetricEigen(matrix: ReadonlyArray<readonly number[]>): { values: number[]; vectors: number[][] } {
  const n = matrix.length
  const a = matrix.map((row) => [...row])
  const v: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)))
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i]![j]! * a[i]![j]!
    if (off < 1e-30) break
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!
        if (Math.abs(apq) < 1e-300) continue
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq)
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1))
        const c = 1 / Math.sqrt(t * t + 1)
        const s = t * c
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!
          const akq = a[k]![q]!
          a[k]![p] = c * akp - s * akq
          a[k]![q] = s * akp + c * akq
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!
          const aqk = a[q]![k]!
          a[p]![k] = c * apk - s * aqk
          a[q]![k] = s * apk + c * aqk
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!
          const vkq = v[k]![q]!
          v[k]![p] = c * vkp - s * vkq
          v[k]![q] = s * vkp + c * vkq
        }
      }
  }
  return { values: a.map((row, i) => row[i]!), vectors: v }
}

/**
 * Johnson's relative weights from the covariance matrix of (y, x₁ … x_p). With R = VΛV' the predictors'
 * correlation matrix and r their correlations with y: Λ* = VΛ^½V' (the loadings of the predictors on their
 * orthogonal counterparts), β = VΛ^-½V' r, and predictor j's weight is Σ_k Λ*_jk² β_k². A constant predictor
 * gets 0; on a singular R, eigenvalues under 1e-12 are left out (the pseudo-inverse), as aliased columns are.
 */
export function relativeWeights(cov: ReadonlyArray<readonly number[]>): Importance {
  const p = cov.length - 1
  if (!(cov[0]![0]! > 0))
    return { method: 'relative-weights', rSquared: Number.NaN, contributions: new Array(p).fill(Number.NaN) }
  const live = [...Array(p).keys()].filter((j) => cov[j + 1]![j + 1]! > 0)
  const corr = correlationFrom(cov)
  const rxx = live.map((a) => live.map((b) => corr[a + 1]![b + 1]!))
  const rxy = live.map((a) => corr[a + 1]![0]!)
  const { values, vectors } = symmetricEigen(rxx)
  const m = live.length
  const sqrtMatrix = (power: 0.5 | -0.5) =>
    Array.from({ length: m }, (_, i) =>
      Array.from({ length: m }, (_, j) => {
        let s = 0
        for (let k = 0; k < m; k++) {
          const lambda = values[k]!
          if (lambda <= 1e-12) continue
          s += vectors[i]![k]! * lambda ** power * vectors[j]![k]!
        }
        return s
      }),
    )
  const loadings = sqrtMatrix(0.5)
  const inverseRoot = sqrtMatrix(-0.5)
  const beta = inverseRoot.map((row) => row.reduce((s, x, k) => s + x * rxy[k]!, 0))
  const contributions = new Array<number>(p).fill(0)
  live.forEach((j, a) => {
    let s = 0
    for (let k = 0; k < m; k++) s += loadings[a]![k]! ** 2 * beta[k]! ** 2
    contributions[j] = s
  })
  return { method: 'relative-weights', rSquared: contributions.reduce((s, x) => s + x, 0), contributions }
}

/** Exact LMG up to EXACT_LMG_MAX_PREDICTORS predictors, Johnson's relative weights beyond. */
export function relativeImportance(cov: ReadonlyArray<readonly number[]>, method?: ImportanceMethod): Importance {
  const chosen = method ?? (cov.length - 1 <= EXACT_LMG_MAX_PREDICTORS ? 'lmg' : 'relative-weights')
  return chosen === 'lmg' ? lmg(cov) : relativeWeights(cov)
}
