/**
 * The raw responses of the analyst's agencies as CSV, streamed. Who may download what is decided here,
 * on `reader` (the analytics' read-only connection or replica, ADR 0056); the file itself is read in
 * windows and formatted in the export thread (raw-export-thread.ts, ADR 0062), so a million responses
 * take constant memory and no writer waits behind the export. `db`, the primary, only takes the audit
 * entry: the download is audited once it ends, with the rows it carried. Submission times are given as
 * the day (in Vietnam) only: with the agency, procedure and channel, a to-the-millisecond time could
 * single out one citizen at a counter. The entry channel filter (`?channel=`) keeps the scores' choice of
 * responses.
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { monthRange } from '#app/domain/period.ts'
import type { AnalyticsQuery } from '../analytics/query.ts'
import { resolveRoot, SCORES_ERROR_STATUS } from '../analytics/scores-for-user.ts'
import type { Scope } from '../auth/scope.ts'
import { auditExport } from '../services/export-audit.ts'
import { findQuestionnaireByCode, itemCodesOfQuestionnaire, itemIdsOfQuestionnaire } from '../repos/questionnaires.ts'
import { agencyIdsCountingFor } from '../services/scores.ts'
import { WINDOW } from './raw-csv-lines.ts'
import { rawCsvStream } from './raw-export-thread.ts'

export { vietnamDay } from './raw-csv-lines.ts'

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
  /** Response ids per window read; tests make it small so that many windows end inside the data. */
  options: { window?: number } = {},
): Promise<RawExport> {
  const root = await resolveRoot(reader, scope, query.agency)
  if (!root.ok) return { ok: false, status: SCORES_ERROR_STATUS[root.error], error: root.error }
  const questionnaire = await findQuestionnaireByCode(reader, query.q)
  if (!questionnaire) return { ok: false, status: 404, error: 'unknownQuestionnaire' }
  const scopes = [scope, { scopePath: root.agency?.path ?? null }]
  const agencyIds = await agencyIdsCountingFor(reader, scopes, query.boundaries)
  const itemCodes = await itemCodesOfQuestionnaire(reader, questionnaire.id)
  const items = await itemIdsOfQuestionnaire(reader, questionnaire.id)
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
    body: rawCsvStream(reader, { filter, itemCodes, items, windowSize: options.window ?? WINDOW }, (rows, complete) =>
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
