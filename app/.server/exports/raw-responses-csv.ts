/**
 * The raw responses of the analyst's agencies as CSV, streamed: everything is read from `reader` (the
 * analytics' read-only connection or replica, ADR 0056), rows in batches written as they come, so a
 * million responses take constant memory and no writer waits behind the export; `db`, the primary, only
 * takes the audit entry. Submission times are given as the day (in
 * Vietnam) only: with the agency, procedure and channel, a to-the-millisecond time could single out one
 * citizen at a counter. The entry channel filter (`?channel=`) keeps the scores' choice of responses. The download is audited once it ends, with the rows it carried.
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { monthRange } from '#app/domain/period.ts'
import type { AnalyticsQuery } from '../analytics/query.ts'
import { resolveRoot, SCORES_ERROR_STATUS } from '../analytics/scores-for-user.ts'
import type { Scope } from '../auth/scope.ts'
import { auditExport } from '../services/export-audit.ts'
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
  'entry_channel',
]

const BATCH = 2000

export type RawExport =
  | { ok: true; filename: string; body: ReadableStream<Uint8Array> }
  | { ok: false; status: number; error: 'forbidden' | 'unknownAgency' | 'unknownQuestionnaire' }

/** Who downloads, and what they asked for (the query string), for the audit entry. */
export interface RawExportRequester extends Scope {
  id: number
  email: string
  filters: string
}

export async function exportRawResponses(
  db: Kysely<Database>,
  reader: Kysely<Database>,
  scope: RawExportRequester,
  query: AnalyticsQuery,
): Promise<RawExport> {
  const root = await resolveRoot(reader, scope, query.agency)
  if (!root.ok) return { ok: false, status: SCORES_ERROR_STATUS[root.error], error: root.error }
  const questionnaire = await findQuestionnaireByCode(reader, query.q)
  if (!questionnaire) return { ok: false, status: 404, error: 'unknownQuestionnaire' }
  const scopes = [scope, { scopePath: root.agency?.path ?? null }]
  const agencyIds = await agencyIdsCountingFor(reader, scopes, query.boundaries)
  const itemCodes = await itemCodesOfQuestionnaire(reader, questionnaire.id)
  const { from, to } = monthRange(query.period)
  const filter = {
    questionnaireId: questionnaire.id,
    agencyIds,
    fromMonth: from,
    toMonth: to,
    channels: query.channels,
  }
  return {
    ok: true,
    filename: `hailong-responses-${query.q}-${from}-${to}${query.channels ? `-${query.channels.join('-')}` : ''}.csv`,
    body: csvStream(reader, filter, itemCodes, (rows, complete) =>
      auditExport(db, {
        userId: scope.id,
        actor: scope.email,
        kind: 'responses',
        format: 'csv',
        filters: scope.filters,
        rows,
        complete,
      }),
    ),
  }
}

/** The day of an instant in Vietnam (UTC+7, no daylight saving), as yyyy-MM-dd. */
export function vietnamDay(instant: string): string {
  return new Date(new Date(instant).getTime() + 7 * 3600 * 1000).toISOString().slice(0, 10)
}

function csvStream(
  reader: Kysely<Database>,
  filter: RawResponseFilter,
  itemCodes: string[],
  audit: (rows: number, complete: boolean) => Promise<void>,
) {
  const encoder = new TextEncoder()
  let afterId = 0
  let header = true
  let rows = 0
  let audited = false
  const auditOnce = async (complete: boolean) => {
    if (audited) return
    audited = true
    await audit(rows, complete)
  }
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
          // Audited before the last bytes go: a download that was not logged never completes.
          await auditOnce(true)
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
        rows += batch.responses.length
        afterId = batch.lastId
        controller.enqueue(encoder.encode(chunk))
      } catch (error) {
        controller.error(error)
      }
    },
    async cancel() {
      await auditOnce(false)
    },
  })
}

function rowOf(r: RawResponse, itemCodes: string[], values: Map<string, string | number> | undefined) {
  return [
    r.id,
    vietnamDay(r.submittedAt),
    r.periodMonth,
    r.agencyCode,
    r.procedureCode,
    r.channel,
    r.versionId,
    r.versionNumber,
    r.weight,
    r.stratum,
    r.source,
    r.entryChannel,
    ...itemCodes.map((c) => values?.get(c) ?? null),
  ]
}
