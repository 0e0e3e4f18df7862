// Citizens' suggestions follow the same boundaries as the scores: on today's boundaries a merged unit's
// suggestions appear under its successor; none are shown for fewer than five responses.
import crypto from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { agencySuggestions } from '#app/.server/services/agency-detail.ts'
import { getVersionDefinition } from '#app/.server/services/survey-definition.ts'
import { submitResponse } from '#app/.server/services/submit-response.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'

let t: TestDatabase
const year2024 = { kind: 'year', year: 2024 } as const
let successorPath: string

beforeAll(async () => {
  t = await createTestDatabase()
  const version = await getVersionDefinition(t.db, 1, 'published')
  const criteria = Object.fromEntries(version.items.filter((i) => i.required).map((i) => [i.code, 4]))
  const district = await t.db
    .selectFrom('agency')
    .select('id')
    .where('code', '=', 'DEMO-BS-H-BINHMINH')
    .executeTakeFirstOrThrow()
  successorPath = (
    await t.db.selectFrom('agency').select('path').where('code', '=', 'DEMO-AL-X-BINHMINH').executeTakeFirstOrThrow()
  ).path
  for (let k = 0; k < 6; k++) {
    await submitResponse(t.db, {
      clientSubmissionId: crypto.randomUUID(),
      version,
      context: { agencyId: district.id, procedureId: null, channel: 'counter', linkId: null, invitationId: null },
      answers: { ...criteria, 'S.suggestion': `Góp ý số ${k}` },
      submittedAt: new Date(`2024-05-0${k + 1}T03:00:00Z`),
    })
  }
})
afterAll(() => t.cleanup())

describe('suggestions across the 2025 merger', () => {
  it("on today's boundaries shows the former district's suggestions under the commune that succeeded it", async () => {
    const result = await agencySuggestions(t.db, 'SIPAS-2017', successorPath, year2024, 'current', 6)
    expect(result.suppressed).toBe(false)
    expect(result.suggestions.map((s) => s.text).sort()).toEqual([0, 1, 2, 3, 4, 5].map((k) => `Góp ý số ${k}`))
  })

  it('on the boundaries of the time shows none under the commune, which did not exist yet', async () => {
    const result = await agencySuggestions(t.db, 'SIPAS-2017', successorPath, year2024, 'historical', 6)
    expect(result.suggestions).toEqual([])
  })

  it('shows none at all under five responses', async () => {
    const result = await agencySuggestions(t.db, 'SIPAS-2017', successorPath, year2024, 'current', 4)
    expect(result).toEqual({ suppressed: true, suggestions: [] })
  })
})
