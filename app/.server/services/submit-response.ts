/**
 * Stores one citizen's response: the response row, one row per answer, the invitation marked used and
 * the aggregates updated, all in one transaction. The client submission id makes it idempotent: a retry
 * or a double click finds the stored response and reports it instead of storing a second one. Submissions
 * that arrive together are committed together (group commit), each acknowledged only after its commit.
 */
import type { Kysely, Transaction } from 'kysely'
import { dialectOf, insertRows } from '#db/dialect.ts'
import type { Channel, Database, EntryChannel } from '#db/schema.ts'
import { periodMonthOf } from '#app/domain/period.ts'
import { maskPersonalData } from '#app/domain/privacy/personal-data.ts'
import { itemContributions, respondentComposites } from '#app/domain/scoring/contributions.ts'
import type { AnswerValue } from '#app/domain/survey/response-schema.ts'
import {
  addAggregates,
  type CompositeDelta,
  compositeAggregateRows,
  type ItemAggregateDelta,
  itemAggregateRows,
} from '../repos/aggregates.ts'
import { addToCounters, counterKey, spendNonces } from '../repos/network-counters.ts'
import type { LoadedItem } from '../repos/questionnaires.ts'
import { type AnswerByClientId, writeGroupPostgres } from '../repos/response-writes.ts'
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
  /** Why it is stored but not counted, when that is known before writing (missing token, …). */
  quarantineReason?: string | null
  entryChannel?: EntryChannel
  networkHash?: string | null
  /** Checked inside the writing transaction: the token's nonce is spent once, the network's cap. */
  guard?: SubmissionGuard
}

/** What the group commit checks against the shared counters before a response is counted. */
export interface SubmissionGuard {
  nonce: string | null
  cap: { linkId: number; networkHash: string; perHour: number; perDay: number } | null
}

export type SubmitResult =
  | { status: 'stored'; responseId: number }
  | { status: 'duplicate'; responseId: number }
  | { status: 'invitation_used' }

/**
 * What is stored of an answer. Free text is masked here, on the one path every submission takes (web form,
 * JSON, import), so no unmasked phone, ID number or e-mail is ever written (Decree 13/2023).
 */
function storedValue(item: { type: string }, value: AnswerValue): AnswerValue {
  return item.type === 'text' && typeof value === 'string' ? maskPersonalData(value) : value
}

/** How an answer is stored: a number, or text (a list of choices as JSON text). */
function storedColumns(item: LoadedItem, answer: AnswerValue) {
  const value = storedValue(item, answer)
  return typeof value === 'number'
    ? { value_number: value, value_text: null }
    : { value_number: null, value_text: Array.isArray(value) ? JSON.stringify(value) : value }
}

/** An answer row; it repeats its response's agency and month (its partition and shard keys). */
function answerRow(
  response: { id: number; agencyId: number; periodMonth: string },
  item: LoadedItem,
  answer: AnswerValue,
) {
  const stored = storedColumns(item, answer)
  return {
    response_id: response.id,
    item_id: item.id,
    ...stored,
    agency_id: response.agencyId,
    period_month: response.periodMonth,
  }
}

type Executor = Kysely<Database> | Transaction<Database>

async function findByClientId(db: Executor, clientSubmissionId: string) {
  const key = await db
    .selectFrom('submission_key')
    .select('response_id')
    .where('client_submission_id', '=', clientSubmissionId)
    .executeTakeFirst()
  return key && { id: key.response_id }
}

/**
 * Stores a citizen's submission and resolves once it is committed. Submissions that arrive while the
 * database is busy wait for the running commit and are then written together (see `writerFor`).
 */
export async function submitResponse(db: Kysely<Database>, submission: Submission): Promise<SubmitResult> {
  return writerFor(db).submit(submission)
}

interface Pending {
  submission: Submission
  resolve: (result: SubmitResult) => void
  reject: (error: unknown) => void
}

/** The most submissions one commit carries: enough to amortise the sync, small enough to keep p99 low. */
export const MAX_GROUP = 64

/**
 * How many groups one process writes at once. SQLite has a single writer: a second group would only wait
 * behind the first, and be smaller. On PostgreSQL the next groups write on other pooled connections while
 * one commits. With one at a time, the server, PostgreSQL's backend and the log sync took turns, and at
 * 64 clients the app reached 0.76–0.87 of its floor with CPU to spare; with three, 0.99–1.04 (ADR 0066).
 * Their upserts lock shared rows in key order, so they wait on one another but cannot deadlock (ADR 0028).
 */
export const GROUPS_IN_FLIGHT = { sqlite: 1, postgres: 3 } as const

/**
 * Group commit. Each commit costs a sync of the log to disk and an update of every aggregate row the
 * response touches; when many citizens submit at once (every counter opening at 8:00), one transaction
 * for all of them pays the sync once and updates each aggregate row once, with the deltas summed.
 * Nothing is acknowledged before its transaction commits. One writer per database handle, with up to
 * `limit` groups in flight.
 */
class GroupWriter {
  private queue: Pending[] = []
  private writing = 0
  private scheduled = false

  constructor(
    private readonly db: Kysely<Database>,
    private readonly limit: number,
  ) {}

  submit(submission: Submission): Promise<SubmitResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ submission, resolve, reject })
      this.startGroup()
    })
  }

  /** Starts a group on the next turn of the event loop, so the requests received this turn join it. */
  private startGroup(): void {
    if (this.scheduled || this.writing >= this.limit) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      if (this.queue.length && this.writing < this.limit) void this.drain()
    })
  }

  private async drain(): Promise<void> {
    this.writing++
    try {
      while (this.queue.length) {
        const group = this.queue.splice(0, MAX_GROUP)
        // More than one group waiting: the next starts beside this one.
        if (this.queue.length) this.startGroup()
        await this.commitGroup(group)
      }
    } finally {
      this.writing--
    }
  }

  private async commitGroup(group: Pending[]): Promise<void> {
    try {
      const results = await this.db.transaction().execute((trx) =>
        storeGroup(
          trx,
          group.map((p) => p.submission),
        ),
      )
      for (const [i, p] of group.entries()) p.resolve(results[i])
    } catch (error) {
      if (group.length > 1) {
        // One submission broke the group's transaction (nothing of it was stored): store each alone, so
        // only the one at fault fails.
        for (const pending of group) await this.commitGroup([pending])
        return
      }
      // Two copies of the same submission raced (another process stored it first): report that one.
      const raced = await findByClientId(this.db, group[0].submission.clientSubmissionId).catch(() => undefined)
      if (raced) group[0].resolve({ status: 'duplicate', responseId: raced.id })
      else group[0].reject(error)
    }
  }
}

const writers = new WeakMap<Kysely<Database>, GroupWriter>()
function writerFor(db: Kysely<Database>): GroupWriter {
  let writer = writers.get(db)
  if (!writer) {
    writer = new GroupWriter(db, GROUPS_IN_FLIGHT[dialectOf(db)])
    writers.set(db, writer)
  }
  return writer
}

/**
 * Several submissions in the caller's transaction, written set-wise: one look-up of their submission ids,
 * one insert of their responses, one of their answers, and their aggregate deltas summed and written once.
 */
async function storeGroup(trx: Transaction<Database>, submissions: Submission[]): Promise<SubmitResult[]> {
  const ids = [...new Set(submissions.map((s) => s.clientSubmissionId))]
  const keys = await trx
    .selectFrom('submission_key')
    .select(['client_submission_id', 'response_id'])
    .where('client_submission_id', 'in', ids)
    .execute()
  const stored = new Map(keys.map((k) => [k.client_submission_id, k.response_id]))
  // A retry can arrive in the same group as its first copy, or after it was stored: only the first new
  // copy of each submission id is written; the others are its duplicates.
  // (By position, not by object: a caller may hand in the same object twice.)
  const firstCopyAt = new Map<string, number>()
  submissions.forEach((s, i) => {
    if (!stored.has(s.clientSubmissionId) && !firstCopyAt.has(s.clientSubmissionId))
      firstCopyAt.set(s.clientSubmissionId, i)
  })
  const fresh = await guarded(
    trx,
    [...firstCopyAt.values()].map((i) => submissions[i]!),
  )
  const written = await writeResponses(trx, fresh)
  return submissions.map((s, i) => {
    const before = stored.get(s.clientSubmissionId)
    if (before !== undefined) return { status: 'duplicate', responseId: before }
    const result = written.results.get(s.clientSubmissionId)!
    return firstCopyAt.get(s.clientSubmissionId) === i || result.status !== 'stored'
      ? result
      : { status: 'duplicate', responseId: result.responseId }
  })
}

/**
 * Quarantine decided where it is safe across app servers: in the writing transaction, against the shared
 * tables. A nonce already spent is a replayed token; a network past its hourly or daily count is capped.
 * Submissions already quarantined spend their nonce but do not use up their network's allowance.
 */
async function guarded(trx: Transaction<Database>, submissions: Submission[]): Promise<Submission[]> {
  if (!submissions.some((s) => s.guard)) return submissions
  const at = submissions[0]!.submittedAt
  const nonces = submissions.flatMap((s) => (s.guard?.nonce ? [s.guard.nonce] : []))
  const unspent = await spendNonces(trx, nonces, at)
  const out = submissions.map((s): Submission => {
    const nonce = s.guard?.nonce
    return nonce && !unspent.has(nonce) && !s.quarantineReason ? { ...s, quarantineReason: 'replayed token' } : s
  })
  const capped = out.filter((s) => s.guard?.cap && !s.quarantineReason)
  const perKey = new Map<string, { linkId: number; networkHash: string; count: number }>()
  for (const s of capped) {
    const { linkId, networkHash } = s.guard!.cap!
    const key = counterKey(linkId, networkHash)
    const entry = perKey.get(key) ?? { linkId, networkHash, count: 0 }
    entry.count += 1
    perKey.set(key, entry)
  }
  const totals = await addToCounters(trx, 'counted', [...perKey.values()], at)
  const seen = new Map<string, number>()
  return out.map((s) => {
    if (!s.guard?.cap || s.quarantineReason) return s
    const { linkId, networkHash, perHour, perDay } = s.guard.cap
    const key = counterKey(linkId, networkHash)
    const total = totals.get(key)!
    const added = perKey.get(key)!.count
    const position = (seen.get(key) ?? 0) + 1
    seen.set(key, position)
    const hour = total.hour - added + position
    const day = total.day - added + position
    return hour > perHour || day > perDay ? { ...s, quarantineReason: 'network cap' } : s
  })
}

/**
 * The writes of one response inside the caller's transaction: used by the importer, many times inside
 * one transaction (all rows or none).
 */
export async function storeResponse(trx: Transaction<Database>, submission: Submission): Promise<SubmitResult> {
  const written = await writeResponses(trx, [submission])
  return written.results.get(submission.clientSubmissionId)!
}

/**
 * Many responses in the caller's transaction, written set-wise like a group commit (the demo history, seeded
 * in bulk rather than one request at a time). The caller keeps each call's responses few and close in
 * time (a few hundred of one month): their aggregate rows are then few enough for one statement each.
 */
export async function storeResponses(trx: Transaction<Database>, submissions: Submission[]): Promise<void> {
  await writeResponses(trx, submissions)
}

/** Answers per insert statement: 6 parameters each, well under both databases' limits. */
const ANSWERS_PER_INSERT = 2000

/**
 * The responses (distinct submission ids), their answers, their invitation claims and the aggregates they
 * add to; returns each one's result by submission id.
 */
async function writeResponses(trx: Transaction<Database>, submissions: Submission[]) {
  const results = new Map<string, SubmitResult>()
  const toStore: Submission[] = []
  for (const submission of submissions) {
    // One by one, in order: of two submissions with the same invitation, the first claims it.
    if (
      submission.context.invitationId !== null &&
      !(await claimInvitation(trx, submission.context.invitationId, submission.submittedAt))
    ) {
      results.set(submission.clientSubmissionId, { status: 'invitation_used' })
    } else toStore.push(submission)
  }
  if (!toStore.length) return { results }
  if (dialectOf(trx) === 'postgres') return { results: await writeInOneStatement(trx, toStore, results) }

  const itemDeltas: ItemAggregateDelta[] = []
  const compositeDeltas: CompositeDelta[] = []
  const rows = toStore.map(responseRow)
  const inserted = await insertRows(trx, 'response', rows, { returning: ['id', 'client_submission_id'] })
  // Claimed here, in the same transaction: a second copy of a submission id (another process) fails on
  // this key and rolls its whole response back.
  await insertRows(
    trx,
    'submission_key',
    inserted.map((r) => ({ client_submission_id: r.client_submission_id, response_id: r.id })),
  )
  // Matched by submission id, which is unique: the order of returned rows is not promised.
  const idOf = new Map(inserted.map((r) => [r.client_submission_id, r.id]))
  const answers: ReturnType<typeof answerRow>[] = []
  toStore.forEach((submission, k) => {
    const response = {
      id: idOf.get(submission.clientSubmissionId)!,
      agencyId: rows[k]!.agency_id,
      periodMonth: rows[k]!.period_month,
    }
    results.set(submission.clientSubmissionId, { status: 'stored', responseId: response.id })
    const itemsByCode = itemsByCodeOf(submission.version)
    for (const [code, value] of Object.entries(submission.answers))
      answers.push(answerRow(response, itemsByCode.get(code)!, value))
    // A quarantined response is stored with its answers but adds nothing to any aggregate.
    if (submission.quarantineReason) return
    const deltas = aggregateDeltas(submission, itemsByCode, response.periodMonth, rows[k]!.entry_channel)
    itemDeltas.push(...deltas.items)
    compositeDeltas.push(...deltas.composites)
  })
  for (let i = 0; i < answers.length; i += ANSWERS_PER_INSERT)
    await insertRows(trx, 'answer', answers.slice(i, i + ANSWERS_PER_INSERT))
  await addAggregates(trx, { items: itemDeltas, composites: compositeDeltas })
  return { results }
}

/**
 * The same writes on PostgreSQL, as one statement (`writeGroupPostgres`): there each statement is a round
 * trip to another process on the same cores, and five of them per group cost more than building one.
 */
async function writeInOneStatement(
  trx: Transaction<Database>,
  toStore: Submission[],
  results: Map<string, SubmitResult>,
): Promise<Map<string, SubmitResult>> {
  const responses = toStore.map(responseRow)
  const answers: AnswerByClientId[] = []
  const itemDeltas: ItemAggregateDelta[] = []
  const compositeDeltas: CompositeDelta[] = []
  toStore.forEach((submission, k) => {
    const row = responses[k]!
    const itemsByCode = itemsByCodeOf(submission.version)
    for (const [code, value] of Object.entries(submission.answers))
      answers.push({
        client_submission_id: submission.clientSubmissionId,
        item_id: itemsByCode.get(code)!.id,
        ...storedColumns(itemsByCode.get(code)!, value),
      })
    if (submission.quarantineReason) return
    const deltas = aggregateDeltas(submission, itemsByCode, row.period_month, row.entry_channel)
    itemDeltas.push(...deltas.items)
    compositeDeltas.push(...deltas.composites)
  })
  const inserted = await writeGroupPostgres(trx, {
    responses,
    answers,
    itemAggregates: itemAggregateRows(itemDeltas),
    compositeAggregates: compositeAggregateRows(compositeDeltas),
  })
  for (const r of inserted) results.set(r.client_submission_id, { status: 'stored', responseId: r.id })
  return results
}

/**
 * Marks the invitation used, if nobody has used it yet; false when it was used already. The readable
 * dossier code is dropped then (its keyed hash stays): the stored response is not tied to it.
 */
async function claimInvitation(trx: Transaction<Database>, invitationId: number, at: Date): Promise<boolean> {
  const claimed = await trx
    .updateTable('invitation')
    .set({ used_at: at.toISOString(), dossier_code: null })
    .where('id', '=', invitationId)
    .where('used_at', 'is', null)
    .executeTakeFirst()
  return Number(claimed.numUpdatedRows) === 1
}

function responseRow(submission: Submission) {
  const { version, context, answers } = submission
  const profile = Object.fromEntries(
    version.items
      .filter((i) => i.role === 'profile' && answers[i.code] !== undefined)
      .map((i) => [i.code, storedValue(i, answers[i.code]!)]),
  )
  return {
    client_submission_id: submission.clientSubmissionId,
    version_id: version.versionId,
    agency_id: context.agencyId,
    procedure_id: context.procedureId,
    channel: context.channel,
    link_id: context.linkId,
    invitation_id: context.invitationId,
    submitted_at: submission.submittedAt.toISOString(),
    period_month: periodMonthOf(submission.submittedAt),
    weight_micro: submission.weightMicro ?? 1_000_000,
    stratum: submission.stratum ?? null,
    cluster: submission.cluster ?? null,
    external_id: submission.externalId ?? null,
    profile_json: Object.keys(profile).length ? JSON.stringify(profile) : null,
    source: submission.source ?? 'web',
    quarantine_reason: submission.quarantineReason ?? null,
    entry_channel: submission.entryChannel ?? entryChannelOf(submission),
    network_hash: submission.networkHash ?? null,
  }
}

function entryChannelOf(submission: Submission): EntryChannel {
  if (submission.source === 'import') return 'import'
  return submission.context.invitationId !== null ? 'invitation' : 'open_link'
}

// Items by code, built once per loaded version definition (published ones are cached and never change;
// a draft is loaded afresh each time, so it gets its own entry).
const itemsByCodeCache = new WeakMap<VersionDefinition, Map<string, LoadedItem>>()
function itemsByCodeOf(version: VersionDefinition): Map<string, LoadedItem> {
  let byCode = itemsByCodeCache.get(version)
  if (!byCode) {
    byCode = new Map(version.items.map((i) => [i.code, i]))
    itemsByCodeCache.set(version, byCode)
  }
  return byCode
}

/** What one stored response (of month `periodMonth`) adds to the item and composite aggregates. */
function aggregateDeltas(
  submission: Submission,
  itemsByCode: Map<string, LoadedItem>,
  periodMonth: string,
  entryChannel: EntryChannel,
) {
  const { version, context, answers } = submission
  const weightMicro = submission.weightMicro ?? 1_000_000
  const stratum = submission.stratum ?? ''
  const items: ItemAggregateDelta[] = itemContributions(version.items, answers).map((c) => ({
    agencyId: context.agencyId,
    periodMonth,
    itemId: itemsByCode.get(c.itemCode)!.id,
    answerValue: c.answerValue,
    stratum,
    entryChannel,
    weightMicro,
  }))
  const composites: CompositeDelta[] = Object.entries(respondentComposites(version.elements, answers))
    .filter((entry): entry is [string, number] => entry[1] !== null)
    .map(([composite, x]) => ({
      agencyId: context.agencyId,
      periodMonth,
      versionId: version.versionId,
      composite,
      stratum,
      entryChannel,
      weightMicro,
      x,
    }))
  return { items, composites }
}
