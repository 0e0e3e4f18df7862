/**
 * Recomputes the aggregates from raw responses with the same pure functions the live path uses, then
 * swaps them in within one transaction. Reads in id-ordered batches so memory stays flat.
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { itemContributions, respondentComposites } from '#app/domain/scoring/contributions.ts'
import type { AnswerValue } from '#app/domain/survey/response-schema.ts'
import type { LoadedItem } from '../repos/questionnaires.ts'
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
  const total = Number(
    (
      await db
        .selectFrom('response')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )
  const items = new Map<string, Sums>()
  const composites = new Map<string, Sums>()
  const versions = new Map<
    number,
    { version: VersionDefinition; itemById: Map<number, LoadedItem>; itemIdByCode: Map<string, number> }
  >()
  let lastId = 0
  let done = 0
  for (;;) {
    const responses = await db
      .selectFrom('response')
      .select(['id', 'version_id', 'agency_id', 'period_month', 'weight_micro', 'stratum'])
      .where('id', '>', lastId)
      .orderBy('id')
      .limit(BATCH)
      .execute()
    if (!responses.length) break
    lastId = responses[responses.length - 1].id
    const answers = await db
      .selectFrom('answer')
      .select(['response_id', 'item_id', 'value_number', 'value_text'])
      .where('response_id', '>=', responses[0].id)
      .where('response_id', '<=', lastId)
      .execute()
    const byResponse = new Map<number, typeof answers>()
    for (const a of answers)
      (byResponse.get(a.response_id) ?? byResponse.set(a.response_id, []).get(a.response_id)!).push(a)
    for (const r of responses) {
      let entry = versions.get(r.version_id)
      if (!entry) {
        const version = await getVersionDefinition(db, r.version_id, 'published')
        entry = {
          version,
          itemById: new Map(version.items.map((i) => [i.id, i])),
          itemIdByCode: new Map(version.items.map((i) => [i.code, i.id])),
        }
        versions.set(r.version_id, entry)
      }
      const { version, itemById, itemIdByCode } = entry
      const values: Record<string, AnswerValue> = {}
      for (const a of byResponse.get(r.id) ?? []) {
        const item = itemById.get(a.item_id)
        const value = item && storedAnswerValue(item, a.value_number, a.value_text)
        if (item && value !== undefined) values[item.code] = value
      }
      const stratum = r.stratum ?? ''
      for (const c of itemContributions(version.items, values)) {
        add(
          items,
          JSON.stringify([r.agency_id, r.period_month, itemIdByCode.get(c.itemCode), c.answerValue, stratum]),
          r.weight_micro,
        )
      }
      for (const [composite, x] of Object.entries(respondentComposites(version.elements, values))) {
        if (x !== null)
          add(
            composites,
            JSON.stringify([r.agency_id, r.period_month, r.version_id, composite, stratum]),
            r.weight_micro,
            x,
          )
      }
    }
    done += responses.length
    progress?.(done, total)
  }
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('item_aggregate').execute()
    await trx.deleteFrom('composite_aggregate').execute()
    const itemRows = [...items].map(([key, s]) => {
      const [agency_id, period_month, item_id, answer_value, stratum] = JSON.parse(key)
      return { agency_id, period_month, item_id, answer_value, stratum, n: s.n, sum_w_micro: s.w, sum_w2: s.w2 }
    })
    for (let i = 0; i < itemRows.length; i += 500)
      await trx
        .insertInto('item_aggregate')
        .values(itemRows.slice(i, i + 500))
        .execute()
    const compositeRows = [...composites].map(([key, s]) => {
      const [agency_id, period_month, version_id, composite, stratum] = JSON.parse(key)
      return {
        agency_id,
        period_month,
        version_id,
        composite,
        stratum,
        n: s.n,
        sum_w_micro: s.w,
        sum_w2: s.w2,
        sum_wx: s.wx,
        sum_wx2: s.wx2,
        sum_w2x: s.w2x,
        sum_w2x2: s.w2x2,
        sum_x: s.x,
        sum_x2: s.x2,
      }
    })
    for (let i = 0; i < compositeRows.length; i += 500)
      await trx
        .insertInto('composite_aggregate')
        .values(compositeRows.slice(i, i + 500))
        .execute()
  })
  return { responses: done, itemRows: items.size, compositeRows: composites.size }
}
