/**
 * Recomputes the aggregates from raw responses with the same pure functions the live path uses, then
 * swaps them in within one transaction. Reads in id-ordered batches so memory stays flat.
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { itemContributions, respondentComposites } from '#app/domain/scoring/contributions.ts'
import type { AnswerValue } from '#app/domain/survey/response-schema.ts'
import {
  aggregatesMissing,
  type CompositeAggregateTotals,
  type ItemAggregateTotals,
  replaceAggregates,
  withRebuildLock,
} from '../repos/aggregates.ts'
import type { LoadedItem } from '../repos/questionnaires.ts'
import { countResponses, type StoredAnswer, storedResponseBatch } from '../repos/raw-responses.ts'
import { getVersionDefinition, type VersionDefinition } from './survey-definition.ts'

const BATCH = 2000

interface Sums {
  n: number
  w: number
  w2: number
  wx: number
  wx2: number
  w2x: number
  w2x2: number
  x: number
  x2: number
}

function add(map: Map<string, Sums>, key: string, weightMicro: number, x = 0) {
  const w = weightMicro / 1e6
  let s = map.get(key)
  if (!s) {
    s = { n: 0, w: 0, w2: 0, wx: 0, wx2: 0, w2x: 0, w2x2: 0, x: 0, x2: 0 }
    map.set(key, s)
  }
  s.n += 1
  s.w += weightMicro
  s.w2 += w * w
  s.wx += w * x
  s.wx2 += w * x * x
  s.w2x += w * w * x
  s.w2x2 += w * w * x * x
  s.x += x
  s.x2 += x * x
}

/** Turns a stored answer row back into the value the citizen gave. */
export function storedAnswerValue(
  item: LoadedItem,
  valueNumber: number | null,
  valueText: string | null,
): AnswerValue | undefined {
  if (valueNumber !== null) return valueNumber
  if (valueText === null) return undefined
  return item.type === 'multiple' ? (JSON.parse(valueText) as string[]) : valueText
}

export async function rebuildAggregates(db: Kysely<Database>, progress?: (done: number, total: number) => void) {
  const total = await countResponses(db)
  const items = new Map<string, Sums>()
  const composites = new Map<string, Sums>()
  const versions = new Map<
    number,
    { version: VersionDefinition; itemById: Map<number, LoadedItem>; itemIdByCode: Map<string, number> }
  >()
  let lastId = 0
  let done = 0
  for (;;) {
    const { responses, answers } = await storedResponseBatch(db, lastId, BATCH)
    if (!responses.length) break
    lastId = responses[responses.length - 1].id
    const byResponse = new Map<number, StoredAnswer[]>()
    for (const a of answers) {
      const list = byResponse.get(a.responseId)
      if (list) list.push(a)
      else byResponse.set(a.responseId, [a])
    }
    for (const r of responses) {
      let entry = versions.get(r.versionId)
      if (!entry) {
        const version = await getVersionDefinition(db, r.versionId, 'published')
        entry = {
          version,
          itemById: new Map(version.items.map((i) => [i.id, i])),
          itemIdByCode: new Map(version.items.map((i) => [i.code, i.id])),
        }
        versions.set(r.versionId, entry)
      }
      const { version, itemById, itemIdByCode } = entry
      const values: Record<string, AnswerValue> = {}
      for (const a of byResponse.get(r.id) ?? []) {
        const item = itemById.get(a.itemId)
        const value = item && storedAnswerValue(item, a.valueNumber, a.valueText)
        if (item && value !== undefined) values[item.code] = value
      }
      const stratum = r.stratum ?? ''
      const channel = r.entryChannel
      for (const c of itemContributions(version.items, values)) {
        add(
          items,
          JSON.stringify([r.agencyId, r.periodMonth, itemIdByCode.get(c.itemCode), c.answerValue, stratum, channel]),
          r.weightMicro,
        )
      }
      for (const [composite, x] of Object.entries(respondentComposites(version.elements, values))) {
        if (x !== null)
          add(
            composites,
            JSON.stringify([r.agencyId, r.periodMonth, r.versionId, composite, stratum, channel]),
            r.weightMicro,
            x,
          )
      }
    }
    done += responses.length
    progress?.(done, total)
  }
  const itemTotals = [...items].map(([key, s]): ItemAggregateTotals => {
    const [agencyId, periodMonth, itemId, answerValue, stratum, entryChannel] = JSON.parse(key)
    return { agencyId, periodMonth, itemId, answerValue, stratum, entryChannel, n: s.n, sumWMicro: s.w, sumW2: s.w2 }
  })
  const compositeTotals = [...composites].map(([key, s]): CompositeAggregateTotals => {
    const [agencyId, periodMonth, versionId, composite, stratum, entryChannel] = JSON.parse(key)
    return {
      agencyId,
      periodMonth,
      versionId,
      composite,
      stratum,
      entryChannel,
      n: s.n,
      sumWMicro: s.w,
      sumW2: s.w2,
      sumWx: s.wx,
      sumWx2: s.wx2,
      sumW2x: s.w2x,
      sumW2x2: s.w2x2,
      sumX: s.x,
      sumX2: s.x2,
    }
  })
  await db.transaction().execute((trx) => replaceAggregates(trx, itemTotals, compositeTotals))
  return { responses: done, itemRows: items.size, compositeRows: composites.size }
}

/**
 * Rebuilds the aggregates when they are missing: both tables empty beside counted responses, as a
 * migration that re-keys them leaves them (docs/decisions/0042-channel-in-aggregate-keys.md) or an
 * interrupted rebuild. Run after every migrate; two one-row reads when there is nothing to do.
 */
export async function rebuildAggregatesIfMissing(db: Kysely<Database>) {
  if (!(await aggregatesMissing(db))) return null
  // Checked again under the lock: another server starting at the same time may have rebuilt meanwhile.
  return withRebuildLock(db, async (locked) => ((await aggregatesMissing(locked)) ? rebuildAggregates(locked) : null))
}
