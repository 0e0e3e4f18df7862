import { describe, expect, it } from 'vitest'
import { changeInterval, rankRanges } from '#app/domain/statistics/change.ts'
import { samePeriodYearEarlier } from '#app/domain/period.ts'

describe('changeInterval', () => {
  it('adds the variances of two independent periods: 0.80 (SE 0.03) against 0.72 (SE 0.04)', () => {
    // SE of the difference = 0.05; 1.959964 × 0.05 = 0.0979982; 8 points ± 9.79982.
    const c = changeInterval({ estimate: 0.8, se: 0.03 }, { estimate: 0.72, se: 0.04 })!
    expect(c).toEqual({ lower: -1.8, upper: 17.8, significant: false })
  })
  it('is significant when the interval leaves out zero, either way', () => {
    expect(changeInterval({ estimate: 0.9, se: 0.01 }, { estimate: 0.8, se: 0.01 })).toMatchObject({
      significant: true,
    })
    expect(changeInterval({ estimate: 0.7, se: 0.01 }, { estimate: 0.8, se: 0.01 })).toMatchObject({
      significant: true,
      upper: -7.2,
    })
  })
  it('decides on the unrounded bounds and honours the level', () => {
    // Half-width 1.959964 × 0.0102 = 0.019992: lower bound 0.00000 77 → significant though it rounds to 0.0.
    const c = changeInterval({ estimate: 0.52, se: 0.0102 }, { estimate: 0.5, se: 0 })!
    expect(c.lower).toBe(0)
    expect(c.significant).toBe(true)
    const wide = changeInterval({ estimate: 0.52, se: 0.0102 }, { estimate: 0.5, se: 0 }, 0.99)!
    expect(wide.significant).toBe(false)
  })
  it('has no interval without both estimates and SEs', () => {
    expect(changeInterval({ estimate: null, se: null }, { estimate: 0.5, se: 0.1 })).toBeNull()
    expect(changeInterval({ estimate: 0.5, se: 0.1 }, { estimate: 0.5, se: null })).toBeNull()
  })
})

describe('rankRanges', () => {
  it('a unit is surely behind only those whose interval lies wholly above its own', () => {
    const r = rankRanges([
      { key: 'A', ci: { lower: 0.85, upper: 0.95 } },
      { key: 'B', ci: { lower: 0.8, upper: 0.9 } },
      { key: 'C', ci: { lower: 0.6, upper: 0.7 } },
      { key: 'D', ci: null },
    ])
    expect(r.get('A')).toEqual({ best: 1, worst: 2 })
    expect(r.get('B')).toEqual({ best: 1, worst: 2 })
    expect(r.get('C')).toEqual({ best: 3, worst: 3 })
    expect(r.has('D')).toBe(false)
  })
})

describe('samePeriodYearEarlier', () => {
  it('keeps the season', () => {
    expect(samePeriodYearEarlier({ kind: 'quarter', year: 2026, quarter: 3 })).toEqual({
      kind: 'quarter',
      year: 2025,
      quarter: 3,
    })
    expect(samePeriodYearEarlier({ kind: 'range', fromMonth: '2026-02', toMonth: '2026-05' })).toEqual({
      kind: 'range',
      fromMonth: '2025-02',
      toMonth: '2025-05',
    })
  })
})
