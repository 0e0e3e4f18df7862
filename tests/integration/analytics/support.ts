/**
 * Known SIPAS responses for the analytics tests, submitted through the real submission path so the
 * aggregates are the ones production keeps.
 */
import crypto from 'node:crypto'
import { findQuestionnaireByCode, latestPublishedVersion } from '#app/.server/repos/questionnaires.ts'
import { getVersionDefinition, type VersionDefinition } from '#app/.server/services/survey-definition.ts'
import { submitResponse } from '#app/.server/services/submit-response.ts'
import type { TestDatabase } from '#tests/helpers/db.ts'

export const ELEMENT_CRITERIA: Record<string, string[]> = {
  E1: ['E1.1', 'E1.2', 'E1.3', 'E1.4'],
  E2: ['E2.1', 'E2.2', 'E2.3', 'E2.4', 'E2.5'],
  E3: ['E3.1', 'E3.2', 'E3.3', 'E3.4', 'E3.5', 'E3.6'],
  E4: ['E4.1', 'E4.2', 'E4.3'],
  E5: ['E5.1', 'E5.2', 'E5.3', 'E5.4'],
}
export const CRITERIA = Object.values(ELEMENT_CRITERIA).flat()

/**
 * Answer profiles (every criterion answered):
 * S — all satisfied (5): every composite 1.
 * U — all unsatisfied (2): every composite 0.
 * H — E1, E3, E5 satisfied (4), E2 and E4 not (1 and 3): elements 1, 0, 1, 0, 1 → overall 3/5 = 0.6.
 */
export type Profile = 'S' | 'U' | 'H'
export function answersFor(profile: Profile): Record<string, number> {
  const value = (element: string) => {
    if (profile === 'S') return 5
    if (profile === 'U') return 2
    return { E1: 4, E2: 1, E3: 4, E4: 3, E5: 4 }[element]!
  }
  return Object.fromEntries(Object.entries(ELEMENT_CRITERIA).flatMap(([e, codes]) => codes.map((c) => [c, value(e)])))
}

export async function sipasVersion(t: TestDatabase): Promise<VersionDefinition> {
  const q = await findQuestionnaireByCode(t.db, 'SIPAS-2017')
  const row = await latestPublishedVersion(t.db, q!.id)
  return getVersionDefinition(t.db, row!.id, row!.status)
}

export async function agencyId(t: TestDatabase, code: string): Promise<number> {
  return (await t.db.selectFrom('agency').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id
}

export interface Batch {
  agency: string
  /** An instant; its month in Vietnam time (UTC+7) decides the period. */
  at: string
  profile: Profile
  count: number
  weight?: number
  extra?: Record<string, string | number | string[]>
}

let counter = 0
export async function seed(t: TestDatabase, batches: Batch[]): Promise<number[]> {
  const version = await sipasVersion(t)
  const ids: number[] = []
  for (const b of batches) {
    const id = await agencyId(t, b.agency)
    for (let k = 0; k < b.count; k++) {
      counter += 1
      const result = await submitResponse(t.db, {
        clientSubmissionId: `analytics-${process.pid}-${counter}-${crypto.randomUUID()}`,
        version,
        context: { agencyId: id, procedureId: null, channel: 'counter', linkId: null, invitationId: null },
        answers: { ...answersFor(b.profile), ...(b.extra ?? {}) },
        submittedAt: new Date(b.at),
        weightMicro: Math.round((b.weight ?? 1) * 1e6),
      })
      if (result.status !== 'stored') throw new Error(`not stored: ${result.status}`)
      ids.push(result.responseId)
    }
  }
  return ids
}

/** The published percentage the way the spec rounds it (half away from zero, two decimals). */
export const pct = (share: number) => Math.round(share * 100 * 100 + 1e-9) / 100
