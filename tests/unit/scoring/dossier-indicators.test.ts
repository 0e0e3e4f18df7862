// The per-dossier objective indicators (app/domain/dossier/indicators.ts), computed from dossier data.
import { describe, expect, it } from 'vitest'
import { dossierIndicators, isCalendarDate } from '#app/domain/dossier/indicators.ts'

const base = { receivedOn: '2026-11-02', dueOn: '2026-11-12', returnedOn: null, contacts: null, agencies: [] }

describe('dossierIndicators', () => {
  it.each([
    ['2026-11-10', 'early', 2, 8],
    ['2026-11-12', 'on_time', 1, 10],
    ['2026-11-13', 'late', 0, 11],
  ] as const)('returned on %s: %s, %i points, %i days', (returnedOn, timeliness, points, days) => {
    expect(dossierIndicators({ ...base, returnedOn })).toMatchObject({
      timeliness,
      timePoints: points,
      processingDays: days,
      allowedDays: 10,
    })
  })

  it('a dossier not yet returned is pending, with no time points', () => {
    expect(dossierIndicators(base)).toMatchObject({ timeliness: 'pending', timePoints: null, processingDays: null })
  })

  it('scores contacts 0 → 2, 1 → 1, more → 0, and agencies 1 → 2, 2 → 1, 3+ → 0; unknown → null', () => {
    expect([0, 1, 2, 5].map((contacts) => dossierIndicators({ ...base, contacts }).contactPoints)).toEqual([2, 1, 0, 0])
    expect(dossierIndicators(base).contactPoints).toBeNull()
    const agencies = (n: number) => Array.from({ length: n }, (_, i) => `Cơ quan ${i}`)
    expect([1, 2, 3, 4].map((n) => dossierIndicators({ ...base, agencies: agencies(n) }).agencyPoints)).toEqual([
      2, 1, 0, 0,
    ])
    expect(dossierIndicators(base).agencyPoints).toBeNull()
  })

  it('counts calendar days across a month end', () => {
    expect(dossierIndicators({ ...base, receivedOn: '2026-01-30', dueOn: '2026-02-02' }).allowedDays).toBe(3)
  })
})

describe('isCalendarDate', () => {
  it.each([
    ['2026-02-28', true],
    ['2026-02-30', false],
    ['2026-2-3', false],
    ['03/02/2026', false],
  ])('%s → %s', (text, ok) => {
    expect(isCalendarDate(text)).toBe(ok)
  })
})
