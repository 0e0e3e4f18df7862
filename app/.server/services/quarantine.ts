/**
 * Releasing and re-quarantining responses in batches ("this link, 8:00–9:00"), within the user's scope.
 * Each move updates the aggregates by exactly what the moved responses contribute (the same pure functions
 * as the live path and the rebuild), in one transaction with the audit entry, so the aggregates stay equal
 * to a rebuild.
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { itemContributions, respondentComposites } from '#app/domain/scoring/contributions.ts'
import type { AnswerValue } from '#app/domain/survey/response-schema.ts'
import type { Scope } from '../auth/scope.ts'
import { addAggregates, type CompositeDelta, type ItemAggregateDelta } from '../repos/aggregates.ts'
import { insertAudit } from '../repos/audit.ts'
import {
  answersOfResponses,
  listQuarantined,
  type QuarantineFilter,
  responsesToMove,
  setQuarantineReason,
} from '../repos/quarantine.ts'
import type { StoredResponse } from '../repos/raw-responses.ts'
import { storedAnswerValue } from './rebuild-aggregates.ts'
import { getVersionDefinition } from './survey-definition.ts'

export { listQuarantined, type QuarantineFilter }

/** The reason an administrator's re-quarantine records. */
export const HELD_BY_ADMINISTRATOR = 'held by administrator'

export interface Actor {
  userId: number | null
  actor: string
  scope: Scope
}

async function deltasOf(db: Kysely<Database>, responses: StoredResponse[], sign: 1 | -1) {
  const answers = await answersOfResponses(
    db,
    responses.map((r) => r.id),
  )
  const byResponse = new Map<number, typeof answers>()
  for (const a of answers) byResponse.set(a.responseId, [...(byResponse.get(a.responseId) ?? []), a])
  const items: ItemAggregateDelta[] = []
  const composites: CompositeDelta[] = []
  const versions = new Map<number, Awaited<ReturnType<typeof getVersionDefinition>>>()
  for (const r of responses) {
    let version = versions.get(r.versionId)
    if (!version) {
      version = await getVersionDefinition(db, r.versionId, 'published')
      versions.set(r.versionId, version)
    }
    const itemById = new Map(version.items.map((i) => [i.id, i]))
    const idByCode = new Map(version.items.map((i) => [i.code, i.id]))
    const values: Record<string, AnswerValue> = {}
    for (const a of byResponse.get(r.id) ?? []) {
      const item = itemById.get(a.itemId)
      const value = item && storedAnswerValue(item, a.valueNumber, a.valueText)
      if (item && value !== undefined) values[item.code] = value
    }
    const base = {
      agencyId: r.agencyId,
      periodMonth: r.periodMonth,
      stratum: r.stratum ?? '',
      entryChannel: r.entryChannel,
      weightMicro: r.weightMicro,
    }
    for (const c of itemContributions(version.items, values))
      items.push({ ...base, itemId: idByCode.get(c.itemCode)!, answerValue: c.answerValue, sign })
    for (const [composite, x] of Object.entries(respondentComposites(version.elements, values)))
      if (x !== null) composites.push({ ...base, versionId: r.versionId, composite, x, sign })
  }
  return { items, composites }
}

async function move(db: Kysely<Database>, actor: Actor, filter: QuarantineFilter, release: boolean) {
  return db.transaction().execute(async (trx) => {
    const responses = await responsesToMove(trx, actor.scope, filter, release)
    if (!responses.length) return { moved: 0 }
    const deltas = await deltasOf(trx, responses, release ? 1 : -1)
    await setQuarantineReason(
      trx,
      responses.map((r) => r.id),
      release ? null : HELD_BY_ADMINISTRATOR,
    )
    await addAggregates(trx, deltas)
    await insertAudit(
      trx,
      {
        userId: actor.userId,
        actor: actor.actor,
        action: release ? 'responses.release' : 'responses.quarantine',
        entity: 'response',
        entityId: null,
        details: { filter, count: responses.length, firstId: responses[0]!.id, lastId: responses.at(-1)!.id },
      },
      new Date().toISOString(),
    )
    return { moved: responses.length }
  })
}

/** Counts the quarantined responses the filter selects (in scope) from now on. */
export function releaseResponses(db: Kysely<Database>, actor: Actor, filter: QuarantineFilter) {
  return move(db, actor, filter, true)
}

/** Takes the counted responses the filter selects (in scope) back out of every figure. */
export function quarantineResponses(db: Kysely<Database>, actor: Actor, filter: QuarantineFilter) {
  return move(db, actor, filter, false)
}
