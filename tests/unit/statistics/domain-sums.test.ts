/**
 * estimateDomain (from sums) against the microdata path (design.ts, estimators.ts, calibration.ts), which
 * follows R's survey package: every cell a domain of the full design, strata honoured, post-strata the
 * historical units, a criterion's domain restricted to those who answered it.
 */
import { describe, expect, it } from 'vitest'
import { postStratify } from '#app/domain/statistics/calibration.ts'
import {
  addSums,
  type DomainCell,
  EMPTY_SUMS,
  estimateDomain,
  estimatePooled,
  type MomentSums,
  observationSums,
} from '#app/domain/statistics/cell-sums.ts'
import { createDesign, degreesOfFreedom } from '#app/domain/statistics/design.ts'
import { estimateMean } from '#app/domain/statistics/estimators.ts'

interface Row {
  unit: string
  stratum: string
  w: number
  /** null: did not answer (outside the variable's domain). */
  y: number | null
}

// Deterministic pseudo-random rows: 4 units (post-strata), 3 strata crossing them, some skipped answers.
function rows(): Row[] {
  let seed = 7
  const next = () => {
    seed = (seed * 16807) % 2147483647
    return seed / 2147483647
  }
  const out: Row[] = []
  for (let i = 0; i < 120; i++) {
    const unit = ['a', 'b', 'c', 'd'][Math.floor(next() * 4)]!
    const stratum = ['', 'S1', 'S2'][Math.floor(next() * 3)]!
    const w = 0.5 + Math.floor(next() * 6) / 2
    const r = next()
    out.push({ unit, stratum, w, y: r < 0.12 ? null : r < 0.6 ? 1 : r < 0.75 ? 0.4 : 0 })
  }
  return out
}

function cellsOf(data: Row[], inDomain: (r: Row) => boolean): DomainCell[] {
  const map = new Map<string, DomainCell>()
  for (const r of data) {
    if (!inDomain(r)) continue
    const key = `${r.unit}|${r.stratum}`
    const cell = map.get(key) ?? { postStratum: r.unit, stratum: r.stratum, sums: EMPTY_SUMS, all: EMPTY_SUMS }
    const one = observationSums(r.w, r.y ?? 0)
    map.set(key, {
      ...cell,
      sums: r.y === null ? cell.sums : addSums(cell.sums, one),
      all: addSums(cell.all as MomentSums, one),
    })
  }
  return [...map.values()]
}

const stratumSizes = (data: Row[]) => {
  const sizes = new Map<string, number>()
  for (const r of data) sizes.set(r.stratum, (sizes.get(r.stratum) ?? 0) + 1)
  return sizes
}

describe('estimateDomain: a domain of the full design, from sums', () => {
  const data = rows()
  const design = createDesign({ weights: data.map((r) => r.w), strata: data.map((r) => r.stratum) })
  const values = data.map((r) => r.y)
  const domains: Array<[string, (r: Row) => boolean]> = [
    ['unit a', (r) => r.unit === 'a'],
    ['units b and c (a rollup)', (r) => r.unit === 'b' || r.unit === 'c'],
    ['everyone', () => true],
  ]

  it.each(domains)('design weights, strata: %s equals svymean on subset(design) to 1e-12', (_, inDomain) => {
    const micro = estimateMean(design, values, data.map(inDomain))
    const fromSums = estimateDomain(cellsOf(data, inDomain), { stratumSizes: stratumSizes(data) })
    expect(fromSums.estimate).toBeCloseTo(micro.estimate, 12)
    expect(Math.abs(fromSums.variance - micro.variance)).toBeLessThan(1e-14)
    expect(fromSums.n).toBe(micro.n)
    expect(fromSums.df).toBe(micro.df)
    expect(fromSums.nEff).toBeCloseTo(micro.nEff, 9)
  })

  it.each(domains)('post-stratified on the units: %s equals postStratify then subset to 1e-12', (_, inDomain) => {
    const population = { a: 400, b: 250, c: 900, d: 120 }
    const ps = postStratify(design, { cells: data.map((r) => r.unit), population })
    const micro = estimateMean(ps, values, data.map(inDomain))
    const cells = cellsOf(data, inDomain)
    const units = [...new Set(cells.map((c) => c.postStratum))]
    const respondentWeights = new Map(
      units.map((u) => [u, data.filter((r) => r.unit === u).reduce((sum, r) => sum + r.w, 0)]),
    )
    const fromSums = estimateDomain(
      cells,
      { stratumSizes: stratumSizes(data) },
      {
        population: new Map(units.map((u) => [u, population[u as keyof typeof population]])),
        respondentWeights,
      },
    )
    expect(fromSums.estimate).toBeCloseTo(micro.estimate, 12)
    expect(Math.abs(fromSums.variance - micro.variance)).toBeLessThan(1e-14)
    expect(fromSums.n).toBe(micro.n)
    expect(fromSums.df).toBe(degreesOfFreedom(ps, (i) => inDomain(data[i]!) && data[i]!.y !== null))
  })

  it('differs from treating the cell as its own sample (the former convention)', () => {
    const inA = (r: Row) => r.unit === 'a'
    const own = estimatePooled(cellsOf(data, inA).map((c) => c.sums))
    const domain = estimateDomain(cellsOf(data, inA), { stratumSizes: stratumSizes(data) })
    expect(domain.estimate).toBeCloseTo(own.estimate, 12)
    expect(Math.abs(domain.variance - own.variance)).toBeGreaterThan(1e-8)
  })
})
