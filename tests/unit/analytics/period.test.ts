/** Named periods read from the ways people write them, to one canonical text; halves beside quarters. */
import { describe, expect, it } from 'vitest'
import { canonicalPeriod, monthRange, parsePeriod, previousPeriod } from '#app/domain/period.ts'

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
