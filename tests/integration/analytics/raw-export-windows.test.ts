/**
 * The raw CSV export reads responses in windows of ids (issue 20 made it fast: answers aggregated in SQL,
 * lines built by hand). Whatever the window size, the file must be the one a plain reading gives: every
 * response in scope once, in id order, none lost or repeated where a window ends, every cell formatted
 * by `csvLine`. The reference below reads everything in one go with the query builder, as the export
 * did before, and the two files are compared byte for byte, on SQLite and on PostgreSQL.
 */
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseAnalyticsQuery } from '#app/.server/analytics/query.ts'
import { csvLine, UTF8_BOM } from '#app/.server/exports/csv.ts'
import { exportRawResponses, vietnamDay } from '#app/.server/exports/raw-responses-csv.ts'
import { itemCodesOfQuestionnaire } from '#app/.server/repos/questionnaires.ts'
import { agencyIdsCountingFor } from '#app/.server/services/scores.ts'
import { loader as responsesLoader } from '#app/routes/analytics.responses.$format.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run, signIn } from '#tests/helpers/remix.ts'
import { seed } from './support.ts'

let t: TestDatabase
let context: AppLoadContext
let analyst: { cookie: string; userId: number }

const TEXTS = [
  'Nhanh, gọn; "rất" tốt',
  '=HYPERLINK("http://example.invalid")',
  'dòng một\r\ndòng hai',
  '-1 điểm',
  '😀 cảm ơn',
]

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  // Responses in scope (the DEMO-AL subtree, 2026) interleaved with ones that may not be (DEMO-BS) or are
  // not (another year, quarantined), so windows start and end inside runs of kept and skipped responses.
  const kept: number[] = []
  for (let round = 0; round < 24; round++) {
    const month = String((round % 12) + 1).padStart(2, '0')
    kept.push(
      ...(await seed(t, [
        { agency: 'DEMO-AL-SNV', at: `2026-${month}-03T16:59:00.000Z`, profile: 'S', count: 5 },
        {
          agency: 'DEMO-AL-STP',
          at: `2026-${month}-10T03:00:00Z`,
          profile: round % 2 ? 'H' : 'U',
          count: 3,
          extra: { 'S.suggestion': TEXTS[round % TEXTS.length] },
        },
      ])),
    )
    await seed(t, [
      { agency: 'DEMO-BS', at: `2026-${month}-05T03:00:00Z`, profile: 'S', count: round % 3 },
      { agency: 'DEMO-AL-SNV', at: `2025-${month}-05T03:00:00Z`, profile: 'U', count: round % 2 },
    ])
  }
  // Quarantined: stored, in no export.
  await t.db
    .updateTable('response')
    .set({ quarantine_reason: 'burst' })
    .where(
      'id',
      'in',
      kept.filter((_, i) => i % 17 === 4),
    )
    .execute()
  // Numbers no form would accept (an import could): fractions, negatives, large ones; an empty answer.
  const [a, b, c] = kept.slice(30, 33)
  await t.db
    .updateTable('answer')
    .set({ value_number: 0.1 + 0.2 })
    .where('response_id', '=', a)
    .execute()
  await t.db.updateTable('answer').set({ value_number: -2.5 }).where('response_id', '=', b).execute()
  await t.db.updateTable('answer').set({ value_number: 1e21 }).where('response_id', '=', c).execute()
  // Integral answers either side of 10^15, where SQLite's export stops printing them as integers, and one
  // past 2^53, which JavaScript prints as 1152921504606847000.
  const [d, e] = kept.slice(33, 35)
  await t.db.updateTable('answer').set({ value_number: 123456789012345 }).where('response_id', '=', d).execute()
  await t.db
    .updateTable('answer')
    .set({ value_number: 2 ** 60 })
    .where('response_id', '=', e)
    .execute()
  await t.db
    .updateTable('answer')
    .set({ value_number: null, value_text: null })
    .where('response_id', '=', kept[40])
    .execute()
  analyst = await signIn(context, 'windows@example.vn', 'analyst', 'DEMO-AL')
  await t.db.updateTable('user').set({ can_export_microdata: 1 }).where('id', '=', analyst.userId).execute()
})
afterAll(async () => {
  await t?.cleanup()
})

/** The export as it was first written: one query for the responses, one for their answers, `csvLine`. */
async function reference(fromMonth: string, toMonth: string): Promise<string> {
  const q = await t.db
    .selectFrom('questionnaire')
    .select('id')
    .where('code', '=', 'SIPAS-2017')
    .executeTakeFirstOrThrow()
  const codes = await itemCodesOfQuestionnaire(t.db, q.id)
  // The one scope rule, as every raw read applies it (a unit merged into the subtree counts with it).
  const root = await pathOf('DEMO-AL')
  const agencyIds = await agencyIdsCountingFor(t.db, [{ scopePath: root }, { scopePath: root }], 'current')
  const responses = await t.db
    .selectFrom('response as r')
    .innerJoin('questionnaire_version as v', 'v.id', 'r.version_id')
    .innerJoin('agency as ag', 'ag.id', 'r.agency_id')
    .leftJoin('procedure as p', 'p.id', 'r.procedure_id')
    .select([
      'r.id',
      'r.submitted_at',
      'r.period_month',
      'ag.code as agency_code',
      'p.code as procedure_code',
      'r.channel',
      'r.version_id',
      'v.version_number',
      'r.weight_micro',
      'r.stratum',
      'r.source',
      'r.entry_channel',
    ])
    .where('v.questionnaire_id', '=', q.id)
    .where('r.agency_id', 'in', agencyIds)
    .where('r.period_month', '>=', fromMonth)
    .where('r.period_month', '<=', toMonth)
    .where('r.quarantine_reason', 'is', null)
    .orderBy('r.id')
    .execute()
  const answers = await t.db
    .selectFrom('answer as a')
    .innerJoin('questionnaire_item as i', 'i.id', 'a.item_id')
    .select(['a.response_id', 'i.code', 'a.value_number', 'a.value_text'])
    .execute()
  const byResponse = new Map<number, Map<string, string | number>>()
  for (const a of answers) {
    const values = byResponse.get(Number(a.response_id)) ?? new Map()
    byResponse.set(Number(a.response_id), values)
    values.set(a.code, a.value_number ?? a.value_text ?? '')
  }
  let text =
    UTF8_BOM +
    csvLine([
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
      ...codes,
    ])
  for (const r of responses) {
    const values = byResponse.get(Number(r.id))
    text += csvLine([
      Number(r.id),
      vietnamDay(r.submitted_at),
      r.period_month,
      r.agency_code,
      r.procedure_code,
      r.channel,
      r.version_id,
      r.version_number,
      r.weight_micro / 1e6,
      r.stratum,
      r.source,
      r.entry_channel,
      ...codes.map((c) => values?.get(c) ?? null),
    ])
  }
  return text
}

async function exported(window?: number): Promise<string> {
  const parsed = parseAnalyticsQuery(new URLSearchParams('period=2026&agency=DEMO-AL'))
  if (!parsed.ok) throw new Error(parsed.error)
  const result = await exportRawResponses(
    t.db,
    t.db,
    { id: analyst.userId, email: 'windows@example.vn', filters: '', scopePath: await pathOf('DEMO-AL') },
    parsed.query,
    { window },
  )
  if (!result.ok) throw new Error(result.error)
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await new Response(result.body).arrayBuffer())
}

const pathOf = async (code: string) =>
  (await t.db.selectFrom('agency').select('path').where('code', '=', code).executeTakeFirstOrThrow()).path

describe('the raw export across windows', () => {
  it('is byte for byte the plain reading, whatever the window size', async () => {
    const expected = await reference('2026-01', '2026-12')
    const lines = expected.split('\r\n').length - 2
    // 24 rounds of 8 kept responses, less the quarantined ones.
    expect(lines).toBeGreaterThan(170)
    expect(expected).toContain('0.30000000000000004')
    expect(expected).toContain(',123456789012345,')
    expect(expected).toContain(',1152921504606847000,')
    expect(expected).toContain(`"'=HYPERLINK(""http://example.invalid"")"`)
    for (const window of [1, 2, 7, 64, 1000]) expect(await exported(window), `window ${window}`).toBe(expected)
  })

  it('is the same file through the route, with its default window', async () => {
    const r = await run(() =>
      responsesLoader({
        request: new Request('http://localhost/analytics/responses/csv?period=2026&agency=DEMO-AL', {
          headers: { Cookie: analyst.cookie },
        }),
        context,
        params: { format: 'csv' },
      }),
    )
    expect(r.status).toBe(200)
    expect(r.text).toBe(await reference('2026-01', '2026-12'))
  })
})
