import { describe, expect, it } from 'vitest'
import {
  changeInPoints,
  publicationStatus,
  publishedPercent,
  rankUnits,
  roundHalfAwayFromZero,
  suppressedBreakdowns,
} from '../../../app/domain/statistics/publication.ts'

describe('minimum sample sizes', () => {
  it('needs n ≥ 30 and n_eff ≥ 30 by default', () => {
    expect(publicationStatus({ n: 30, nEff: 30 })).toBe('published')
    expect(publicationStatus({ n: 29, nEff: 29 })).toBe('insufficient')
    expect(publicationStatus({ n: 200, nEff: 29.9 })).toBe('insufficient')
  })
  it('is configurable', () => {
    expect(publicationStatus({ n: 12, nEff: 10 }, { minN: 10, minNEff: 10 })).toBe('published')
  })
})

describe('small-cell suppression', () => {
  it('hides cells under 5', () => {
    const hidden = suppressedBreakdowns([
      { key: 'a', n: 3 },
      { key: 'b', n: 4 },
      { key: 'c', n: 40 },
    ])
    expect([...hidden].sort()).toEqual(['a', 'b'])
  })
  it('hides a second cell when one alone could be derived by subtraction', () => {
    const hidden = suppressedBreakdowns([
      { key: 'a', n: 2 },
      { key: 'b', n: 20 },
      { key: 'c', n: 9 },
    ])
    expect([...hidden].sort()).toEqual(['a', 'c'])
  })
  it('hides nothing when all cells are large, and ignores empty cells', () => {
    expect(
      suppressedBreakdowns([
        { key: 'a', n: 5 },
        { key: 'b', n: 0 },
      ]).size,
    ).toBe(0)
  })
})

describe('rounding', () => {
  it('rounds half away from zero on the decimal value', () => {
    expect(roundHalfAwayFromZero(1.005, 2)).toBe(1.01)
    expect(roundHalfAwayFromZero(-1.005, 2)).toBe(-1.01)
    expect(publishedPercent(0.90285)).toBe(90.29)
    expect(publishedPercent(0.8626)).toBe(86.26)
  })
})

describe('rankings', () => {
  it('competition ranking on the rounded published value: 1, 2, 2, 4', () => {
    const ranked = rankUnits([
      { id: 'a', value: 0.9501, status: 'published' },
      { id: 'b', value: 0.90291, status: 'published' },
      { id: 'c', value: 0.902851, status: 'published' }, // publishes as 90.29 too
      { id: 'd', value: 0.85, status: 'published' },
    ])
    expect(ranked.map((r) => r.rank)).toEqual([1, 2, 2, 4])
    expect(ranked.every((r) => r.of === 4)).toBe(true)
  })
  it('leaves insufficient and missing units out, shrinking the denominator', () => {
    const ranked = rankUnits([
      { id: 'a', value: 0.99, status: 'insufficient' },
      { id: 'b', value: 0.8, status: 'published' },
      { id: 'c', value: null, status: 'published' },
      { id: 'd', value: 0.7, status: 'published' },
    ])
    expect(ranked.map((r) => r.rank)).toEqual([null, 1, null, 2])
    expect(ranked[1]!.of).toBe(2)
  })
})

describe('change versus the previous period', () => {
  it('is in percentage points from the published values: 90.29 vs 86.26 → 4.03', () => {
    expect(changeInPoints(0.902915, 0.86255)).toBe(4.03)
    expect(changeInPoints(0.8, 0.85)).toBe(-5)
    expect(changeInPoints(0.8, null)).toBeNull()
  })
})
