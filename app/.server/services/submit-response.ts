/**
 * Stores one citizen's response: the response row, one row per answer, the invitation marked used and
 * the aggregates updated, all in one transaction. The client submission id makes it idempotent: a retry
 * or a double click finds the stored response and reports it instead of storing a second one.
 */
import type { Kysely, Transaction } from 'kysely'
import type { Channel, Database } from '#db/schema.ts'
import { periodMonthOf } from '#app/domain/period.ts'
import { itemContributions, respondentComposites } from '#app/domain/scoring/contributions.ts'
import type { AnswerValue } from '#app/domain/survey/response-schema.ts'
import { addCompositeAggregates, addItemAggregates } from '../repos/aggregates.ts'
import type { LoadedItem } from '../repos/questionnaires.ts'
import type { VersionDefinition } from './survey-definition.ts'

export interface SubmissionContext {
  agencyId: number
  procedureId: number | null
  channel: Channel
  linkId: number | null
  invitationId: number | null
}

export interface Submission {
  clientSubmissionId: string
  version: VersionDefinition
  context: SubmissionContext
  answers: Record<string, AnswerValue>
  submittedAt: Date
  weightMicro?: number
  stratum?: string | null
  cluster?: string | null
  externalId?: string | null
  source?: 'web' | 'import' | 'synthetic'
}

export type SubmitResult =
  | { status: 'stored'; responseId: number }
  | { status: 'duplicate'; responseId: number }
  | { status: 'invitation_used' }

function answerRow(responseId: number, item: LoadedItem, value: AnswerValue) {
  if (typeof value === 'number') return { response_id: responseId, item_id: item.id, value_number: value, value_text: null }
  return { response_id: responseId, item_id: item.id, value_number: null, value_text: Array.isArray(value) ? JSON.stringify(value) : value }
}

async function findByClientId(db: Kysely<Database>, clientSubmissionId: string) {
  return db.selectFrom('response').select('id').where('client_submission_id', '=', clientSubmissionId).executeTakeFirst()
}

export async function submitResponse(db: Kysely<Database>, submission: Submission): Promise<SubmitResult> {
  const existing = await findByClientId(db, submission.clientSubmissionId)
  if (existing) return { status: 'duplicate', responseId: existing.id }
  try {
    return await db.transaction().execute((trx) => storeResponse(trx, submission))
  } catch (error) {
    // Two copies of the same submission raced: the unique constraint let one through; report that one.
    const raced = await findByClientId(db, submission.clientSubmissionId)
    if (raced) return { status: 'duplicate', responseId: raced.id }
    throw error
  }
}

/**
 * The writes of one response inside the caller's transaction: used once per citizen submission, and
 * many times inside one transaction by the importer (all rows or none).
 */
export async function storeResponse(trx: Transaction<Database>, submission: Submission): Promise<SubmitResult> {
  const { version, context, answers } = submission
  const periodMonth = periodMonthOf(submission.submittedAt)
  const weightMicro = submission.weightMicro ?? 1_000_000
  const stratum = submission.stratum ?? ''
  const itemsByCode = new Map(version.items.map((i) => [i.code, i]))
  const profile = Object.fromEntries(version.items.filter((i) => i.role === 'profile' && answers[i.code] !== undefined).map((i) => [i.code, answers[i.code]]))
  if (context.invitationId !== null) {
    const claimed = await trx
      .updateTable('invitation')
      .set({ used_at: submission.submittedAt.toISOString() })
      .where('id', '=', context.invitationId)
      .where('used_at', 'is', null)
      .executeTakeFirst()
    if (Number(claimed.numUpdatedRows) !== 1) return { status: 'invitation_used' }
  }
  const { id: responseId } = await trx
    .insertInto('response')
    .values({
      client_submission_id: submission.clientSubmissionId,
      version_id: version.versionId,
      agency_id: context.agencyId,
      procedure_id: context.procedureId,
      channel: context.channel,
      link_id: context.linkId,
      invitation_id: context.invitationId,
      submitted_at: submission.submittedAt.toISOString(),
      period_month: periodMonth,
      weight_micro: weightMicro,
      stratum: submission.stratum ?? null,
      cluster: submission.cluster ?? null,
      external_id: submission.externalId ?? null,
      profile_json: Object.keys(profile).length ? JSON.stringify(profile) : null,
      source: submission.source ?? 'web',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const rows = Object.entries(answers).map(([code, value]) => answerRow(responseId, itemsByCode.get(code)!, value))
  if (rows.length) await trx.insertInto('answer').values(rows).execute()

  await addItemAggregates(
    trx,
    itemContributions(version.items, answers).map((c) => ({
      agencyId: context.agencyId, periodMonth, itemId: itemsByCode.get(c.itemCode)!.id, answerValue: c.answerValue, stratum, weightMicro,
    })),
  )
  const composites = respondentComposites(version.elements, answers)
  await addCompositeAggregates(
    trx,
    Object.entries(composites)
      .filter((entry): entry is [string, number] => entry[1] !== null)
      .map(([composite, x]) => ({ agencyId: context.agencyId, periodMonth, versionId: version.versionId, composite, stratum, weightMicro, x })),
  )
  return { status: 'stored', responseId }
}
