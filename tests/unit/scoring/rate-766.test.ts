/**
 * The QĐ 766/QĐ-TTg satisfaction rate and the response rates (issue #17): a hand-computed example, the
 * edges (no dossier, everything deducted, deductions beyond the dossiers), which dissatisfied count is
 * used, and refused inputs.
 */
import { describe, expect, it } from 'vitest'
import { dissatisfiedCount, rate766, responseRates } from '#app/domain/scoring/rate-766.ts'

describe('rate766', () => {
  it('equals the hand-computed example of docs/dossiers.md', () => {
    // A commune settles 1 250 dossiers in Q3: 9 late, 4 complained about, 12 rated dissatisfied.
    // (1 250 − (9 + 4 + 12)) ÷ 1 250 = 1 225 ÷ 1 250 = 0,98 → 98,00 %.
    expect(rate766({ settled: 1250, late: 9, complained: 4, dissatisfied: 12 }, 'one-stop-shop')).toEqual({
      rate: 98,
      settled: 1250,
      deducted: 25,
      late: 9,
      complained: 4,
      dissatisfied: 12,
      dissatisfiedSource: 'one-stop-shop',
    })
  })

  it('rounds to two decimals as the scores publish', () => {
    // (3 − 1) ÷ 3 = 66,666… % → 66,67 %
    expect(rate766({ settled: 3, late: 1, complained: 0, dissatisfied: 0 }).rate).toBe(66.67)
    // 1 deduction in 7 dossiers: 85,714… → 85,71
    expect(rate766({ settled: 7, late: 0, complained: 0, dissatisfied: 1 }).rate).toBe(85.71)
    expect(rate766({ settled: 7, late: 0, complained: 0, dissatisfied: 1 }, 'survey', 1).rate).toBe(85.7)
  })

  it('is 100 with no deduction and 0 when every dossier is deducted', () => {
    expect(rate766({ settled: 40, late: 0, complained: 0, dissatisfied: 0 }).rate).toBe(100)
    expect(rate766({ settled: 40, late: 40, complained: 0, dissatisfied: 0 }).rate).toBe(0)
  })

  it('caps the deductions at the dossiers settled (a dossier may carry several marks)', () => {
    const r = rate766({ settled: 10, late: 6, complained: 3, dissatisfied: 5 })
    expect(r.deducted).toBe(10)
    expect(r.rate).toBe(0)
  })

  it('has no rate without a settled dossier, but keeps the counts', () => {
    expect(rate766({ settled: 0, late: 0, complained: 2, dissatisfied: 1 })).toMatchObject({
      rate: null,
      deducted: 0,
      complained: 2,
      dissatisfied: 1,
    })
  })

  it('refuses negative, fractional and unsafe counts', () => {
    expect(() => rate766({ settled: -1, late: 0, complained: 0, dissatisfied: 0 })).toThrow(RangeError)
    expect(() => rate766({ settled: 10, late: 1.5, complained: 0, dissatisfied: 0 })).toThrow(/late/)
    expect(() => rate766({ settled: 10, late: 0, complained: Number.NaN, dissatisfied: 0 })).toThrow(/complained/)
    expect(() => rate766({ settled: 2 ** 60, late: 0, complained: 0, dissatisfied: 0 })).toThrow(/settled/)
  })
})

describe('dissatisfiedCount', () => {
  it("uses the one-stop shop's own count when it reported one, never adding the survey's", () => {
    expect(dissatisfiedCount({ oneStopShop: 5, survey: 9 })).toEqual({ dissatisfied: 5, source: 'one-stop-shop' })
    expect(dissatisfiedCount({ oneStopShop: 0, survey: 9 })).toEqual({ dissatisfied: 0, source: 'one-stop-shop' })
  })

  it("falls back to the survey's invitation responses rated below the threshold", () => {
    expect(dissatisfiedCount({ oneStopShop: null, survey: 9 })).toEqual({ dissatisfied: 9, source: 'survey' })
    expect(dissatisfiedCount({ oneStopShop: null, survey: 0 })).toEqual({ dissatisfied: 0, source: 'none' })
  })
})

describe('responseRates', () => {
  it('divides invitation responses by invitations and all responses by dossiers settled', () => {
    // 312 of 1 040 invitations answered: 30 %; 450 responses for 1 250 dossiers: 36 %.
    expect(responseRates({ responses: 450, invitationResponses: 312, invitations: 1040, settled: 1250 })).toEqual({
      perInvitation: 30,
      perDossier: 36,
    })
    expect(responseRates({ responses: 1, invitationResponses: 1, invitations: 3, settled: 3 })).toEqual({
      perInvitation: 33.33,
      perDossier: 33.33,
    })
  })

  it('is null where there is no denominator', () => {
    expect(responseRates({ responses: 5, invitationResponses: 0, invitations: 0, settled: null })).toEqual({
      perInvitation: null,
      perDossier: null,
    })
    expect(responseRates({ responses: 5, invitationResponses: 0, invitations: 0, settled: 0 }).perDossier).toBeNull()
  })

  it('may exceed 100 per dossier (open-link and kiosk responses have no dossier of their own)', () => {
    expect(responseRates({ responses: 30, invitationResponses: 0, invitations: 0, settled: 20 }).perDossier).toBe(150)
  })

  it('refuses counts that are not counts', () => {
    expect(() => responseRates({ responses: -1, invitationResponses: 0, invitations: 0, settled: 1 })).toThrow(
      RangeError,
    )
    expect(() => responseRates({ responses: 1, invitationResponses: 0, invitations: 0.5, settled: 1 })).toThrow(
      /invitations/,
    )
  })
})
