/**
 * The personal part of stored responses: free-text answers (every `text` item), profile answers (items of
 * role `profile`), the response's profile JSON and the keyed hash of the network it came from. The retention purge counts and deletes them; the scored
 * answers and the aggregates are never touched, so published indices do not move.
 */
import type { Executor } from './questionnaires.ts'

export interface PersonalDataCounts {
  /** Responses older than the cutoff that still hold any personal answer. */
  responses: number
  answers: number
  profiles: number
}

function personalItemIds(db: Executor) {
  return db
    .selectFrom('questionnaire_item')
    .select('id')
    .where((eb) => eb.or([eb('type', '=', 'text'), eb('role', '=', 'profile')]))
}

function expiredResponseIds(db: Executor, cutoff: string) {
  return db.selectFrom('response').select('id').where('submitted_at', '<', cutoff)
}

export async function countPersonalData(db: Executor, cutoff: string): Promise<PersonalDataCounts> {
  const answers = await db
    .selectFrom('answer')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.count<number>('response_id').distinct().as('responses')])
    .where('item_id', 'in', personalItemIds(db))
    .where('response_id', 'in', expiredResponseIds(db, cutoff))
    .executeTakeFirstOrThrow()
  const profiles = await db
    .selectFrom('response')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('submitted_at', '<', cutoff)
    .where('profile_json', 'is not', null)
    .executeTakeFirstOrThrow()
  const withAnyAnswer = await db
    .selectFrom('response as r')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('r.submitted_at', '<', cutoff)
    .where((eb) =>
      eb.or([
        eb('r.profile_json', 'is not', null),
        eb.exists(
          eb
            .selectFrom('answer as a')
            .select('a.response_id')
            .whereRef('a.response_id', '=', 'r.id')
            .where('a.item_id', 'in', personalItemIds(db)),
        ),
      ]),
    )
    .executeTakeFirstOrThrow()
  return { responses: Number(withAnyAnswer.n), answers: Number(answers.n), profiles: Number(profiles.n) }
}

/** Deletes the personal answers of responses submitted before `cutoff`; returns what it removed. */
export async function deletePersonalData(db: Executor, cutoff: string): Promise<{ answers: number; profiles: number }> {
  const answers = await db
    .deleteFrom('answer')
    .where('item_id', 'in', personalItemIds(db))
    .where('response_id', 'in', expiredResponseIds(db, cutoff))
    .executeTakeFirst()
  const profiles = await db
    .updateTable('response')
    .set({ profile_json: null })
    .where('submitted_at', '<', cutoff)
    .where('profile_json', 'is not', null)
    .executeTakeFirst()
  // Only the anti-rigging review of recent responses needs it; past retention it only links responses.
  await db
    .updateTable('response')
    .set({ network_hash: null })
    .where('submitted_at', '<', cutoff)
    .where('network_hash', 'is not', null)
    .execute()
  return { answers: Number(answers.numDeletedRows), profiles: Number(profiles.numUpdatedRows) }
}
