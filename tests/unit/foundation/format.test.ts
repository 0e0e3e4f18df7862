import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatDate, formatInterval, formatNumber, formatPercent, formatPoints } from '#app/domain/format.ts'

describe('numbers as each language writes them', () => {
  it('groups thousands and rounds to the precision asked, per language', () => {
    expect(formatNumber(1863, 'vi')).toBe('1.863')
    expect(formatNumber(1863, 'en')).toBe('1,863')
    expect(formatNumber(1234567.891, 'vi', 2)).toBe('1.234.567,89')
    expect(formatNumber(1234567.891, 'en', 2)).toBe('1,234,567.89')
  })

  it('writes whole numbers as Intl does, though without it (the survey page never loads its number data)', () => {
    const intl = (value: number, lng: 'vi' | 'en') =>
      new Intl.NumberFormat(lng === 'vi' ? 'vi-VN' : 'en-GB').format(value)
    for (const value of [0, -0, 7, 999, 1000, -1000, 12345, 999999, 1000000, -987654321, Number.MAX_SAFE_INTEGER])
      for (const lng of ['vi', 'en'] as const) expect(formatNumber(value, lng)).toBe(intl(value, lng))
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.constantFrom('vi' as const, 'en' as const), (value, lng) => {
        expect(formatNumber(value, lng)).toBe(intl(value, lng))
      }),
    )
  })

  it('keeps each precision apart, whatever was asked before (formatters are reused)', () => {
    expect(formatNumber(2.5, 'vi', 1)).toBe('2,5')
    expect(formatNumber(2.456, 'vi', 2)).toBe('2,46')
    expect(formatNumber(2.456, 'vi', 1)).toBe('2,5')
    expect(formatNumber(2.456, 'en', 1)).toBe('2.5')
    expect(formatNumber(2.456, 'vi', 0)).toBe('2')
  })

  it('writes shares as percentages, changes in points with a sign, and intervals', () => {
    expect(formatPercent(0.9029, 'vi')).toBe('90,29%')
    expect(formatPercent(0.9029, 'en')).toBe('90.29%')
    expect(formatPercent(null, 'vi')).toBe('—')
    expect(formatPercent(Number.NaN, 'en')).toBe('—')
    expect(formatPoints(4.031, 'vi')).toBe('+4,03')
    expect(formatPoints(-1.2, 'en')).toBe('−1.20')
    expect(formatPoints(0, 'vi')).toBe('±0,00')
    expect(formatInterval({ lower: 0.85, upper: 0.9312 }, 'vi')).toBe('85,00% – 93,12%')
    expect(formatInterval(null, 'en')).toBe('—')
  })

  it('writes dates day first, in Vietnam time', () => {
    expect(formatDate('2026-12-31')).toBe('31/12/2026')
    // 20:00 UTC on 31 December is already 1 January in Vietnam.
    expect(formatDate('2026-12-31T20:00:00Z')).toBe('01/01/2027')
  })
})
