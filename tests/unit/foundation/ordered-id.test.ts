// Time-ordered submission ids (app/.server/ordered-id.ts).
import { describe, expect, it } from 'vitest'
import { timeOrderedUuid } from '#app/.server/ordered-id.ts'
import { newSubmissionId } from '#app/.server/services/survey-submission.ts'

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('timeOrderedUuid', () => {
  it('is a version-7 UUID carrying its millisecond time in the first 48 bits', () => {
    const now = 1_764_460_800_123
    const id = timeOrderedUuid(now)
    expect(id).toMatch(UUID_V7)
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(now)
  })

  it('sorts by the time it was made', () => {
    const times = [0, 1, 1_764_460_800_000, 1_764_460_800_001, 1_764_460_860_000, 2_800_000_000_000]
    const ids = times.map((t) => timeOrderedUuid(t))
    expect([...ids].sort()).toEqual(ids)
  })

  it('is never the same twice within one millisecond', () => {
    const ids = Array.from({ length: 5_000 }, () => timeOrderedUuid(1_764_460_800_000))
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('is what a server-rendered survey form carries, and what the submit path accepts', () => {
    expect(newSubmissionId()).toMatch(UUID_V7)
    expect(newSubmissionId()).toMatch(/^[A-Za-z0-9-]{16,64}$/)
  })
})
