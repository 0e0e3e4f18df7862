/**
 * Fay–Herriot shrinkage: closed forms where they exist, and a simulation of small units showing that the
 * shrunk estimates are closer to the truth (lower mean squared error) than the direct ones.
 */
import { describe, expect, it } from 'vitest'
import { fayHerriot, type ShrinkableRow, shrinkRows, smoothedVariances } from '#app/domain/insight/shrinkage.ts'

/** Park–Miller generator, independent of the code under test. */
function generator(seed: number) {
  let state = seed
  return () => {
    state = (state * 48271) % 2147483647
    return state / 2147483647
  }
}

describe('fayHerriot', () => {
  it('equal sampling variances: A = s² − D (the moment equation in closed form) and γ = A/(A + D)', () => {
    const y = [0.7, 0.8, 0.9, 0.75, 0.85]
    const D = 0.001
    const fit = fayHerriot(y.map((estimate, key) => ({ key, estimate, variance: D, nEff: 50 })))!
    const mean = y.reduce((s, v) => s + v, 0) / y.length
    const s2 = y.reduce((s, v) => s + (v - mean) ** 2, 0) / (y.length - 1)
    expect(fit.modelVariance).toBeCloseTo(s2 - D, 12)
    expect(fit.mean).toBeCloseTo(mean, 12)
    const gamma = (s2 - D) / s2
    const first = fit.units.get(0)!
    expect(first.gamma).toBeCloseTo(gamma, 10)
    expect(first.estimate).toBeCloseTo(gamma * 0.7 + (1 - gamma) * mean, 10)
    expect(first.lower).toBeLessThan(first.estimate)
    expect(first.upper).toBeGreaterThan(first.estimate)
  })

  it('units that differ less than their noise: A = 0, every unit at the precision-weighted mean', () => {
    const units = [
      { key: 'a', estimate: 0.8, variance: 0.01, nEff: 20 },
      { key: 'b', estimate: 0.82, variance: 0.02, nEff: 10 },
      { key: 'c', estimate: 0.79, variance: 0.01, nEff: 20 },
    ]
    const fit = fayHerriot(units)!
    expect(fit.modelVariance).toBe(0)
    const mean = (0.8 / 0.01 + 0.82 / 0.02 + 0.79 / 0.01) / (1 / 0.01 + 1 / 0.02 + 1 / 0.01)
    for (const s of fit.units.values()) expect(s.estimate).toBeCloseTo(mean, 12)
  })

  it('a noisy unit moves more than a precise one', () => {
    const fit = fayHerriot([
      { key: 'small', estimate: 1, variance: 0.02, nEff: 8 },
      { key: 'large', estimate: 0.95, variance: 0.0005, nEff: 400 },
      { key: 'mid1', estimate: 0.7, variance: 0.002, nEff: 100 },
      { key: 'mid2', estimate: 0.8, variance: 0.002, nEff: 100 },
    ])!
    expect(fit.units.get('small')!.gamma).toBeLessThan(fit.units.get('large')!.gamma)
    expect(1 - fit.units.get('small')!.estimate).toBeGreaterThan(0.95 - fit.units.get('large')!.estimate)
  })

  it('a 0-variance unit (100 % of a few) gets the siblings’ per-respondent variance over its n_eff', () => {
    const d = smoothedVariances([
      { key: 1, estimate: 1, variance: 0, nEff: 10 },
      { key: 2, estimate: 0.8, variance: 0.004, nEff: 40 },
      { key: 3, estimate: 0.7, variance: 0.002, nEff: 100 },
    ])!
    expect(d[0]).toBeCloseTo((0.004 * 40 + 0.002 * 100) / 2 / 10, 12)
    expect(d.slice(1)).toEqual([0.004, 0.002])
  })

  it('fewer than 3 units: no fit', () => {
    expect(fayHerriot([{ key: 1, estimate: 0.5, variance: 0.01, nEff: 20 }])).toBeNull()
  })

  it('simulation: lower mean squared error than the direct estimates for small n', () => {
    const random = generator(12345)
    let directError = 0
    let shrunkError = 0
    let covered = 0
    let count = 0
    for (let rep = 0; rep < 200; rep++) {
      // 25 communes: true satisfaction around 80 % (SD 6 points), 6 to 30 respondents each.
      const units = Array.from({ length: 25 }, (_, key) => {
        const truth = Math.min(0.99, Math.max(0.5, 0.8 + 0.06 * (random() + random() + random() - 1.5) * 2))
        const n = 6 + Math.floor(random() * 25)
        let satisfied = 0
        for (let k = 0; k < n; k++) if (random() < truth) satisfied++
        const p = satisfied / n
        // The with-replacement design variance of a share, as the scores compute it: p(1 − p)/(n − 1).
        return { key, truth, estimate: p, variance: (p * (1 - p)) / (n - 1), nEff: n }
      })
      const fit = fayHerriot(units)!
      for (const u of units) {
        const s = fit.units.get(u.key)!
        directError += (u.estimate - u.truth) ** 2
        shrunkError += (s.estimate - u.truth) ** 2
        if (s.lower <= u.truth && u.truth <= s.upper) covered++
        count++
      }
    }
    const directMse = directError / count
    const shrunkMse = shrunkError / count
    expect(shrunkMse).toBeLessThan(directMse * 0.7)
    // The intervals roughly keep their level.
    expect(covered / count).toBeGreaterThan(0.85)
  })
})

describe('shrinkRows', () => {
  const row = (id: number, parentId: number | null, estimate: number | null, n: number, status = 'published') =>
    ({
      agency: { id, parentId, level: 'commune' },
      overall: { estimate, se: estimate === null ? null : 0.05, n, nEff: n, status },
    }) satisfies ShrinkableRow

  it('shrinks published siblings toward each other; withheld, tiny and lone units get none', () => {
    const rows = [
      row(1, null, 0.8, 500),
      row(2, 1, 0.9, 40),
      row(3, 1, 0.6, 12, 'insufficient'),
      row(4, 1, 0.75, 50),
      row(5, 1, 0.7, 35, 'suppressed-complement'),
      row(6, 1, 1, 3, 'insufficient'),
      row(7, 1, 0.7, 45),
    ]
    const shrunk = shrinkRows(rows)
    expect(shrunk.get(1)).toBeNull()
    // ADR 0053: no shrunk value where the direct one is withheld (under the thresholds, or a complement).
    for (const id of [3, 5, 6]) expect(shrunk.get(id)).toBeNull()
    for (const id of [2, 4, 7]) expect(shrunk.get(id)).not.toBeNull()
    // Nor are they in the model: the published siblings' values are the fit of the published units alone.
    const fit = fayHerriot(
      [2, 4, 7].map((id) => {
        const c = rows.find((r) => r.agency.id === id)!.overall
        return { key: id, estimate: c.estimate!, variance: c.se! ** 2, nEff: c.nEff }
      }),
    )!
    for (const id of [2, 4, 7]) expect(shrunk.get(id)).toEqual(fit.units.get(id))
  })

  it("a withheld unit's value changes none of its siblings' shrunk values (nothing to solve back)", () => {
    const table = (withheld: number) => [
      row(2, 1, 0.9, 40),
      row(3, 1, withheld, 12, 'insufficient'),
      row(4, 1, 0.75, 50),
      row(7, 1, 0.7, 45),
    ]
    const low = shrinkRows(table(0.2))
    const high = shrinkRows(table(1))
    for (const id of [2, 4, 7]) expect(low.get(id)).toEqual(high.get(id))
  })

  it('fewer than three published siblings: no fit, even with withheld ones beside them', () => {
    const shrunk = shrinkRows([row(2, 1, 0.9, 40), row(3, 1, 0.6, 12, 'insufficient'), row(4, 1, 0.75, 50)])
    for (const id of [2, 3, 4]) expect(shrunk.get(id)).toBeNull()
  })
})
