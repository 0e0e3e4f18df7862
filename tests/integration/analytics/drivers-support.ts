/**
 * Realistic, correlated SIPAS answers for the driver tests: each respondent has a general mood and a
 * mood per element; criteria follow their element, and the overall answer follows the elements with
 * unequal strengths (E3 most, E2 least), so the drivers have something to find. Deterministic.
 */
import crypto from 'node:crypto'
import { submitResponse } from '#app/.server/services/submit-response.ts'
import type { TestDatabase } from '#tests/helpers/db.ts'
import { agencyId, ELEMENT_CRITERIA, sipasVersion } from './support.ts'

export interface DriverBatch {
  agency: string
  at: string
  count: number
  offset: number
}

/** Strength of each element in the overall answer. */
const EFFECT: Record<string, number> = { E1: 0.5, E2: 0.15, E3: 1, E4: 0.3, E5: 0.4 }
const WEIGHT_CYCLE = [1, 1.5, 2, 3.25]

/** A small linear congruential generator, independent of the code under test. */
function generator(seed: number) {
  let state = seed % 2147483647
  if (state <= 0) state += 2147483646
  return () => {
    state = (state * 48271) % 2147483647
    return (state - 1) / 2147483646
  }
}

const clampAnswer = (x: number) => Math.min(5, Math.max(1, Math.round(x)))

export function driverAnswers(k: number, offset: number): Record<string, number> {
  const random = generator(1 + k * 7919 + offset * 104729)
  const mood = random()
  const out: Record<string, number> = {}
  let overall = 0
  let total = 0
  for (const [element, criteria] of Object.entries(ELEMENT_CRITERIA)) {
    const own = 0.55 * mood + 0.45 * random()
    criteria.forEach((code, j) => {
      // One respondent in 30 skips one criterion: criterion analyses have slightly fewer complete cases.
      if ((k + offset) % 30 === 0 && j === 0 && element === 'E2') return
      out[code] = clampAnswer(1.2 + 4 * (0.75 * own + 0.25 * random()))
    })
    overall += EFFECT[element]! * own
    total += EFFECT[element]!
  }
  out['O.overall'] = clampAnswer(1 + 4 * (0.8 * (overall / total) + 0.2 * random()))
  return out
}

export async function seedDriverData(t: TestDatabase, batches: DriverBatch[]) {
  const version = await sipasVersion(t)
  let counter = 0
  for (const b of batches) {
    const id = await agencyId(t, b.agency)
    for (let k = 0; k < b.count; k++) {
      counter += 1
      const result = await submitResponse(t.db, {
        clientSubmissionId: `drivers-${counter}-${crypto.randomUUID()}`,
        version,
        context: { agencyId: id, procedureId: null, channel: 'counter', linkId: null, invitationId: null },
        answers: driverAnswers(k, b.offset),
        submittedAt: new Date(b.at),
        weightMicro: Math.round(WEIGHT_CYCLE[(k + b.offset) % 4]! * 1e6),
        stratum: (k + b.offset) % 3 === 0 ? 'A' : 'B',
      })
      if (result.status !== 'stored') throw new Error(`not stored: ${result.status}`)
    }
  }
}

/** 2025: DEMO-AL's units, a merged-away one (counts for its successor today) and a small one. */
export const DRIVER_BATCHES: DriverBatch[] = [
  { agency: 'DEMO-AL-SNV', at: '2025-03-10T03:00:00Z', count: 90, offset: 0 },
  { agency: 'DEMO-AL-SNV', at: '2025-09-10T03:00:00Z', count: 70, offset: 1 },
  { agency: 'DEMO-AL-H-ANLAC', at: '2025-04-10T03:00:00Z', count: 70, offset: 2 },
  { agency: 'DEMO-AL-P-ANLAC', at: '2025-09-12T03:00:00Z', count: 70, offset: 3 },
  { agency: 'DEMO-AL-STP', at: '2025-05-10T03:00:00Z', count: 12, offset: 4 },
  { agency: 'DEMO-BS-H-BINHMINH', at: '2025-03-12T03:00:00Z', count: 40, offset: 5 },
]
