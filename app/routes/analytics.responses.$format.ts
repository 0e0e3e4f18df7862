import type { LoaderFunctionArgs } from '@remix-run/node'
import { failWith } from '#app/.server/analytics/load-scores.ts'
import { parseAnalyticsQuery } from '#app/.server/analytics/query.ts'
import { resolveRoot } from '#app/.server/analytics/scores-for-user.ts'
import { requireUser } from '#app/.server/auth/session.ts'
import { attachment, csvLine, UTF8_BOM } from '#app/.server/exports/csv.ts'
import { findQuestionnaireByCode } from '#app/.server/repos/questionnaires.ts'
import { rawResponseBatch } from '#app/.server/repos/raw-responses.ts'
import { monthRange } from '#app/domain/period.ts'
import { agencyIdsCountingFor } from '#app/.server/services/scores.ts'

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

/**
 * The raw responses of the analyst's agencies, streamed: rows are read from a read-only connection in
 * batches and written as they come, so a million responses take constant memory.
 */
export async function loader({ context, params, request }: LoaderFunctionArgs) {
  if (params.format !== 'csv') return failWith(request, 'errors.query', 404)
  const user = await requireUser(context, request)
  const parsed = parseAnalyticsQuery(new URL(request.url).searchParams)
  if (!parsed.ok) return failWith(request, parsed.error, 400)
  const root = await resolveRoot(context.db, user, parsed.query.agency)
  if (!root.ok) return failWith(request, `errors.${root.error}`, root.error === 'forbidden' ? 403 : 404)
  const questionnaire = await findQuestionnaireByCode(context.db, parsed.query.q)
  if (!questionnaire) return failWith(request, 'errors.unknownQuestionnaire', 404)
  const rootPath = root.agency?.path ?? null
  const agencyIds = await agencyIdsCountingFor(context.db, [user.scopePath, rootPath], parsed.query.boundaries)
  const items = await context.db
    .selectFrom('questionnaire_item as i')
    .innerJoin('questionnaire_version as v', 'v.id', 'i.version_id')
    .select('i.code')
    .distinct()
    .where('v.questionnaire_id', '=', questionnaire.id)
    .orderBy('i.code')
    .execute()
  const itemCodes = items.map((i) => i.code)
  const { from, to } = monthRange(parsed.query.period)
  const filter = { questionnaireId: questionnaire.id, agencyIds, fromMonth: from, toMonth: to }
  const reader = context.readDb ?? context.db
  const encoder = new TextEncoder()
  let afterId = 0
  let header = true

  // Pull-based: the next batch is read only when the client has taken the previous one (backpressure).
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        let chunk = header ? UTF8_BOM + csvLine([...FIXED, ...itemCodes]) : ''
        header = false
        // Windows without a matching response are skipped until there is something to send or the end.
        let batch = await rawResponseBatch(reader, filter, afterId, 2000)
        while (!batch.done && !batch.responses.length)
          batch = await rawResponseBatch(reader, filter, (afterId = batch.lastId), 2000)
        if (batch.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk))
          controller.close()
          return
        }
        const { responses, answers } = batch
        const byResponse = new Map<number, Map<string, string | number>>()
        for (const a of answers) {
          let m = byResponse.get(a.response_id)
          if (!m) {
            m = new Map()
            byResponse.set(a.response_id, m)
          }
          m.set(a.code, a.value_number ?? a.value_text ?? '')
        }
        for (const r of responses) {
          const values = byResponse.get(r.id)
          chunk += csvLine([
            r.id,
            r.submitted_at,
            r.period_month,
            r.agency_code,
            r.procedure_code,
            r.channel,
            r.version_id,
            r.version_number,
            r.weight_micro / 1e6,
            r.stratum,
            r.source,
            ...itemCodes.map((c) => values?.get(c) ?? null),
          ])
        }
        afterId = batch.lastId
        controller.enqueue(encoder.encode(chunk))
      } catch (error) {
        controller.error(error)
      }
    },
  })
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': attachment(`hailong-responses-${parsed.query.q}-${from}-${to}.csv`),
    },
  })
}
