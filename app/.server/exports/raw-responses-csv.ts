/**
 * The raw responses of the analyst's agencies as CSV, streamed: rows are read in batches (from the
 * read-only connection when there is one) and written as they come, so a million responses take
 * constant memory and no writer waits behind the export.
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { monthRange } from '#app/domain/period.ts'
import type { AnalyticsQuery } from '../analytics/query.ts'
import { resolveRoot, SCORES_ERROR_STATUS } from '../analytics/scores-for-user.ts'
import type { Scope } from '../auth/scope.ts'
import { findQuestionnaireByCode, itemCodesOfQuestionnaire } from '../repos/questionnaires.ts'
import { type RawResponse, type RawResponseFilter, rawResponseBatch } from '../repos/raw-responses.ts'
import { agencyIdsCountingFor } from '../services/scores.ts'
import { csvLine, UTF8_BOM } from './csv.ts'

/** The fixed columns, before one column per item code; their names are the file's public format. */
const FIXED = [
  'response_id',
  'submitted_at',
  'period_month',
  'agency_code',
  'procedure_code',
  'channel',
  'version_id',
  'version_number',
  'weight',
  'stratum',
  'source',
]

const BATCH = 2000

export type RawExport =
  | { ok: true; filename: string; body: ReadableStream<Uint8Array> }
  | { ok: false; status: number; error: 'forbidden' | 'unknownAgency' | 'unknownQuestionnaire' }

export async function exportRawResponses(
  db: Kysely<Database>,
  reader: Kysely<Database>,
  scope: Scope,
  query: AnalyticsQuery,
): Promise<RawExport> {
  const root = await resolveRoot(db, scope, query.agency)
  if (!root.ok) return { ok: false, status: SCORES_ERROR_STATUS[root.error], error: root.error }
  const questionnaire = await findQuestionnaireByCode(db, query.q)
  if (!questionnaire) return { ok: false, status: 404, error: 'unknownQuestionnaire' }
  const scopes = [scope, { scopePath: root.agency?.path ?? null }]
  const agencyIds = await agencyIdsCountingFor(db, scopes, query.boundaries)
  const itemCodes = await itemCodesOfQuestionnaire(db, questionnaire.id)
  const { from, to } = monthRange(query.period)
  const filter = { questionnaireId: questionnaire.id, agencyIds, fromMonth: from, toMonth: to }
  return {
    ok: true,
    filename: `hailong-responses-${query.q}-${from}-${to}.csv`,
    body: csvStream(reader, filter, itemCodes),
  }
}

function csvStream(reader: Kysely<Database>, filter: RawResponseFilter, itemCodes: string[]) {
  const encoder = new TextEncoder()
  let afterId = 0
  let header = true
  // Pull-based: the next batch is read only when the client has taken the previous one (backpressure).
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        let chunk = header ? UTF8_BOM + csvLine([...FIXED, ...itemCodes]) : ''
        header = false
        // Windows without a matching response are skipped until there is something to send or the end.
        let batch = await rawResponseBatch(reader, filter, afterId, BATCH)
        while (!batch.done && !batch.responses.length) {
          afterId = batch.lastId
          batch = await rawResponseBatch(reader, filter, afterId, BATCH)
        }
        if (batch.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk))
          controller.close()
          return
        }
        const byResponse = new Map<number, Map<string, string | number>>()
        for (const a of batch.answers) {
          let values = byResponse.get(a.responseId)
          if (!values) {
            values = new Map()
            byResponse.set(a.responseId, values)
          }
          values.set(a.itemCode, a.value ?? '')
        }
        for (const r of batch.responses) chunk += csvLine(rowOf(r, itemCodes, byResponse.get(r.id)))
        afterId = batch.lastId
        controller.enqueue(encoder.encode(chunk))
      } catch (error) {
        controller.error(error)
      }
    },
  })
}

function rowOf(r: RawResponse, itemCodes: string[], values: Map<string, string | number> | undefined) {
  return [
    r.id,
    r.submittedAt,
    r.periodMonth,
    r.agencyCode,
    r.procedureCode,
    r.channel,
    r.versionId,
    r.versionNumber,
    r.weight,
    r.stratum,
    r.source,
    ...itemCodes.map((c) => values?.get(c) ?? null),
  ]
}
