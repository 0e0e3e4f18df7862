/** Named periods read from the ways people write them, to one canonical text; halves beside quarters. */
import { describe, expect, it } from 'vitest'
import {
  canonicalPeriod,
  formatPeriod,
  formatPeriodEn,
  formatPeriodVi,
  monthRange,
  type NamedPeriod,
  type Period,
  parsePeriod,
  periodLabel,
  previousPeriod,
  samePeriodYearEarlier,
} from '#app/domain/period.ts'

describe('canonicalPeriod', () => {
  it.each([
    ['2026', '2026'],
    [' 2026 ', '2026'],
    ['2026-Q3', '2026-Q3'],
    ['2026-q3', '2026-Q3'],
    ['2026Q3', '2026-Q3'],
    ['2026 q3', '2026-Q3'],
    ['2026/Q3', '2026-Q3'],
    ['Q3/2026', '2026-Q3'],
    ['q3-2026', '2026-Q3'],
    ['Q3 2026', '2026-Q3'],
    ['Quý 3/2026', '2026-Q3'],
    ['quy 3 - 2026', '2026-Q3'],
    ['2026-H1', '2026-H1'],
    ['2026h2', '2026-H2'],
    ['H1/2026', '2026-H1'],
    ['2026-09', '2026-09'],
    ['2026-9', '2026-09'],
    ['2026/09', '2026-09'],
    ['09/2026', '2026-09'],
    ['9-2026', '2026-09'],
    ['T9/2026', '2026-09'],
    ['tháng 9/2026', '2026-09'],
    ['Tháng 12/2026', '2026-12'],
    ['2026-M01', '2026-01'],
    // The titles of Vietnamese reports, with and without diacritics.
    ['Năm 2026', '2026'],
    ['nam 2026', '2026'],
    ['Year 2026', '2026'],
    ['Quý I/2026', '2026-Q1'],
    ['Quý II/2026', '2026-Q2'],
    ['Quý III/2026', '2026-Q3'],
    ['Quý IV/2026', '2026-Q4'],
    ['quy iv - 2026', '2026-Q4'],
    ['2026-QIII', '2026-Q3'],
    ['Tháng 9/2026', '2026-09'],
    ['September 2026', '2026-09'],
    ['sep 2026', '2026-09'],
    ['6 tháng đầu năm 2026', '2026-H1'],
    ['6 THÁNG ĐẦU NĂM 2026', '2026-H1'],
    ['6 thang dau nam 2026', '2026-H1'],
    ['6 tháng năm 2026', '2026-H1'],
    ['6 tháng cuối năm 2026', '2026-H2'],
    ['First half of 2026', '2026-H1'],
    ['second half 2026', '2026-H2'],
    // The first nine months: canonical "2026-9M" ("2026-M9" is September).
    ['2026-9M', '2026-9M'],
    ['2026-9m', '2026-9M'],
    ['2026 9M', '2026-9M'],
    ['9M/2026', '2026-9M'],
    ['9M 2026', '2026-9M'],
    ['9 tháng đầu năm 2026', '2026-9M'],
    ['9  tháng  đầu năm 2026', '2026-9M'],
    ['9 thang dau nam 2026', '2026-9M'],
    ['9 tháng năm 2026', '2026-9M'],
    ['First nine months of 2026', '2026-9M'],
    ['2026-M9', '2026-09'],
  ])('%j → %s', (text, canonical) => {
    expect(canonicalPeriod(text)).toBe(canonical)
  })

  it('composed and decomposed Vietnamese spell the same period', () => {
    expect(canonicalPeriod('Quý 3/2026'.normalize('NFD'))).toBe('2026-Q3')
  })

  it.each([
    '',
    'soon',
    '2026-Q5',
    '2026-Q0',
    '2026-H3',
    '2026-13',
    '2026-00',
    '13/2026',
    '0026',
    '20260',
    '2026-Q3-extra',
    '2026-Q',
    'Q3',
    '2026..2027',
    '2026-01..2026-06',
    '26-Q3',
    'Quý V/2026',
    'Quý 5/2026',
    '9 tháng cuối năm 2026',
    '3 tháng đầu năm 2026',
    '6 tháng đầu năm',
    'Tháng 13/2026',
    'Năm 0026',
    '2026-10M',
    'Smarch 2026',
    'ma 2026',
    'iii/2026',
  ])('%j is not a period', (text) => {
    expect(parsePeriod(text)).toBeNull()
    expect(canonicalPeriod(text)).toBeNull()
  })
})

describe('halves', () => {
  it('cover six months and follow each other across the year', () => {
    expect(monthRange(parsePeriod('2026-H1')!)).toEqual({ from: '2026-01', to: '2026-06' })
    expect(monthRange(parsePeriod('2026-H2')!)).toEqual({ from: '2026-07', to: '2026-12' })
    expect(previousPeriod(parsePeriod('2026-H1')!)).toEqual({ kind: 'half', year: 2025, half: 2 })
    expect(previousPeriod(parsePeriod('2026-H2')!)).toEqual({ kind: 'half', year: 2026, half: 1 })
  })
})

describe('the first nine months', () => {
  const nine = parsePeriod('9 tháng đầu năm 2026')!
  it('cover January to September and compare with the same nine months a year earlier', () => {
    expect(nine).toEqual({ kind: 'nine-months', year: 2026 })
    expect(monthRange(nine)).toEqual({ from: '2026-01', to: '2026-09' })
    expect(previousPeriod(nine)).toEqual({ kind: 'nine-months', year: 2025 })
    expect(samePeriodYearEarlier(nine)).toEqual({ kind: 'nine-months', year: 2025 })
    expect(formatPeriod(previousPeriod(nine))).toBe('2025-9M')
  })
})

/** Every named period of a year, in order. */
const periodsOf = (year: number): NamedPeriod[] => [
  { kind: 'year', year },
  { kind: 'half', year, half: 1 },
  { kind: 'half', year, half: 2 },
  { kind: 'nine-months', year },
  ...([1, 2, 3, 4] as const).map((quarter) => ({ kind: 'quarter' as const, year, quarter })),
  ...Array.from({ length: 12 }, (_, i) => ({ kind: 'month' as const, year, month: i + 1 })),
]

describe('labels', () => {
  it.each([
    [{ kind: 'year', year: 2026 }, 'Năm 2026', 'Year 2026'],
    [{ kind: 'half', year: 2026, half: 1 }, '6 tháng đầu năm 2026', 'First half of 2026'],
    [{ kind: 'half', year: 2026, half: 2 }, '6 tháng cuối năm 2026', 'Second half of 2026'],
    [{ kind: 'nine-months', year: 2026 }, '9 tháng đầu năm 2026', 'First nine months of 2026'],
    [{ kind: 'quarter', year: 2026, quarter: 1 }, 'Quý I/2026', 'Q1 2026'],
    [{ kind: 'quarter', year: 2026, quarter: 2 }, 'Quý II/2026', 'Q2 2026'],
    [{ kind: 'quarter', year: 2026, quarter: 3 }, 'Quý III/2026', 'Q3 2026'],
    [{ kind: 'quarter', year: 2026, quarter: 4 }, 'Quý IV/2026', 'Q4 2026'],
    [{ kind: 'month', year: 2026, month: 9 }, 'Tháng 9/2026', 'September 2026'],
    [{ kind: 'month', year: 2026, month: 1 }, 'Tháng 1/2026', 'January 2026'],
    [
      { kind: 'range', fromMonth: '2025-11', toMonth: '2026-04' },
      'Từ tháng 11/2025 đến tháng 4/2026',
      'November 2025 to April 2026',
    ],
  ] as Array<[Period, string, string]>)('%j: %s / %s', (period, vi, en) => {
    expect(formatPeriodVi(period)).toBe(vi)
    expect(formatPeriodEn(period)).toBe(en)
  })

  it('every named period of a year reads back from its canonical text and both labels', () => {
    for (const period of periodsOf(2026)) {
      expect(parsePeriod(formatPeriod(period))).toEqual(period)
      expect(parsePeriod(formatPeriodVi(period))).toEqual(period)
      expect(parsePeriod(formatPeriodVi(period).normalize('NFD'))).toEqual(period)
      expect(parsePeriod(formatPeriodEn(period))).toEqual(period)
    }
    // Twenty distinct canonical texts and labels: no two periods share one.
    const all = periodsOf(2026)
    for (const format of [formatPeriod, formatPeriodVi, formatPeriodEn])
      expect(new Set(all.map((p) => format(p))).size).toBe(all.length)
  })

  it('periodLabel labels stored texts, ranges included, and leaves anything else as it is', () => {
    expect(periodLabel('2026-Q3', 'vi')).toBe('Quý III/2026')
    expect(periodLabel('2026-Q3', 'en')).toBe('Q3 2026')
    expect(periodLabel('2026-9M', 'vi')).toBe('9 tháng đầu năm 2026')
    expect(periodLabel('2026-H1', 'vi')).toBe('6 tháng đầu năm 2026')
    expect(periodLabel('2026-01..2026-04', 'vi')).toBe('Từ tháng 1/2026 đến tháng 4/2026')
    expect(periodLabel('2026-01..2026-04', 'en')).toBe('January 2026 to April 2026')
    expect(periodLabel('something else', 'vi')).toBe('something else')
  })
})
