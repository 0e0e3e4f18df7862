import { describe, expect, it } from 'vitest'
import { retentionCutoff } from '#app/domain/privacy/retention.ts'

describe('retentionCutoff', () => {
  it('goes back whole calendar months, keeping the time of day', () => {
    expect(retentionCutoff(new Date('2026-11-29T20:15:00Z'), 24).toISOString()).toBe('2024-11-29T20:15:00.000Z')
    expect(retentionCutoff(new Date('2026-01-15T00:00:00Z'), 1).toISOString()).toBe('2025-12-15T00:00:00.000Z')
  })

  it('never shortens the period when the earlier month is shorter', () => {
    expect(retentionCutoff(new Date('2026-03-31T10:00:00Z'), 1).toISOString()).toBe('2026-02-28T10:00:00.000Z')
    expect(retentionCutoff(new Date('2028-03-31T10:00:00Z'), 1).toISOString()).toBe('2028-02-29T10:00:00.000Z')
  })
})
