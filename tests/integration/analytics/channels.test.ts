/**
 * The channel filter (issue 14, "Channels visible"): scores, their previous-period change, the agency page,
 * the score downloads, the raw export and GET /api/v1/scores keep only the responses of the chosen entry
 * channels. A second database holding only the invitation responses is the reference: the filtered figures
 * must equal its unfiltered ones. Aggregates stay equal to a rebuild after mixed-channel submissions, a
 * release and a re-quarantine. Runs on SQLite and PostgreSQL.
 *
 * 2026-Q1: DEMO-AL-SNV invitation 30 S + 6 U (weight 2) + 4 H (weight 3), open link 25 U, kiosk 12 H,
 *          import 8 S (weight 1.5), plus 5 U by invitation held in quarantine; DEMO-AL-STP invitation 31 S,
 *          open link 30 U.
 * 2025-Q4: DEMO-AL-SNV invitation 30 S + 2 U, open link 30 U; DEMO-AL-STP invitation 30 S, open link 5 S.
 */
import crypto from 'node:crypto'
import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiToken } from '#app/.server/auth/api-token.ts'
import { EVERYTHING } from '#app/.server/auth/scope.ts'
import { quarantineResponses, releaseResponses } from '#app/.server/services/quarantine.ts'
import { rebuildAggregates } from '#app/.server/services/rebuild-aggregates.ts'
import { computeScores, type ScoreRow } from '#app/.server/services/scores.ts'
import { submitResponse } from '#app/.server/services/submit-response.ts'
import { parsePeriod } from '#app/domain/period.ts'
import { loader as pageLoader } from '#app/routes/analytics._index.tsx'
import { loader as agencyLoader } from '#app/routes/analytics.agency.$code.tsx'
import { loader as exportLoader } from '#app/routes/analytics.export.$format.ts'
import { loader as responsesLoader } from '#app/routes/analytics.responses.$format.ts'
import { loader as scoresApi } from '#app/routes/api.v1.scores.ts'
import type { EntryChannel } from '#db/schema.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run, signIn } from '#tests/helpers/remix.ts'
import { agencyId, answersFor, type Profile, sipasVersion } from './support.ts'

interface ChannelBatch {
  agency: string
  at: string
  profile: Profile
  count: number
  channel: EntryChannel
  weight?: number
  quarantined?: boolean
}

const BATCHES: ChannelBatch[] = [
  { agency: 'DEMO-AL-SNV', at: '2026-02-10T03:00:00Z', profile: 'S', count: 30, channel: 'invitation' },
  { agency: 'DEMO-AL-SNV', at: '2026-03-05T03:00:00Z', profile: 'U', count: 6, channel: 'invitation', weight: 2 },
  { agency: 'DEMO-AL-SNV', at: '2026-01-20T03:00:00Z', profile: 'H', count: 4, channel: 'invitation', weight: 3 },
  { agency: 'DEMO-AL-SNV', at: '2026-02-11T03:00:00Z', profile: 'U', count: 25, channel: 'open_link' },
  { agency: 'DEMO-AL-SNV', at: '2026-02-12T03:00:00Z', profile: 'H', count: 12, channel: 'kiosk' },
  { agency: 'DEMO-AL-SNV', at: '2026-02-13T03:00:00Z', profile: 'S', count: 8, channel: 'import', weight: 1.5 },
  { agency: 'DEMO-AL-STP', at: '2026-01-15T03:00:00Z', profile: 'S', count: 31, channel: 'invitation' },
  { agency: 'DEMO-AL-STP', at: '2026-01-16T03:00:00Z', profile: 'U', count: 30, channel: 'open_link' },
  { agency: 'DEMO-AL-SNV', at: '2025-11-10T03:00:00Z', profile: 'S', count: 30, channel: 'invitation' },
  { agency: 'DEMO-AL-SNV', at: '2025-11-11T03:00:00Z', profile: 'U', count: 2, channel: 'invitation' },
  { agency: 'DEMO-AL-SNV', at: '2025-11-12T03:00:00Z', profile: 'U', count: 30, channel: 'open_link' },
  { agency: 'DEMO-AL-STP', at: '2025-10-10T03:00:00Z', profile: 'S', count: 30, channel: 'invitation' },
  { agency: 'DEMO-AL-STP', at: '2025-10-11T03:00:00Z', profile: 'S', count: 5, channel: 'open_link' },
]
const HELD: ChannelBatch = {
  agency: 'DEMO-AL-SNV',
  at: '2026-02-14T03:00:00Z',
  profile: 'U',
  count: 5,
  channel: 'invitation',
  quarantined: true,
}

let t: TestDatabase
/** The reference: only the counted invitation responses of `t`. */
let invitationsOnly: TestDatabase
let context: AppLoadContext
let analyst: string
let token: string
/** The API of the reference database, and a token for it. */
let referenceContext: AppLoadContext
let referenceToken: string

async function seedChannels(db: TestDatabase, batches: ChannelBatch[]) {
  const version = await sipasVersion(db)
  for (const b of batches) {
    const id = await agencyId(db, b.agency)
    for (let k = 0; k < b.count; k++) {
      const result = await submitResponse(db.db, {
        clientSubmissionId: `channels-${crypto.randomUUID()}`,
        version,
        context: { agencyId: id, procedureId: null, channel: 'counter', linkId: null, invitationId: null },
        answers: answersFor(b.profile),
        submittedAt: new Date(b.at),
        weightMicro: Math.round((b.weight ?? 1) * 1e6),
        entryChannel: b.channel,
        ...(b.channel === 'import' ? { source: 'import' as const } : {}),
        ...(b.quarantined ? { quarantineReason: 'network cap' } : {}),
      })
      if (result.status !== 'stored') throw new Error(`not stored: ${result.status}`)
    }
  }
}

beforeAll(async () => {
  t = await createTestDatabase()
  invitationsOnly = await createTestDatabase()
  await seedChannels(t, [...BATCHES, HELD])
  await seedChannels(
    invitationsOnly,
    BATCHES.filter((b) => b.channel === 'invitation'),
  )
  context = makeContext(t)
  const user = await signIn(context, 'channels@example.vn', 'analyst', 'DEMO-AL')
  analyst = user.cookie
  await t.db.updateTable('user').set({ can_export_microdata: 1 }).where('id', '=', user.userId).execute()
  token = await createApiToken(t.db, await agencyId(t, 'DEMO-AL'), 'open data portal', 'test')
  referenceContext = makeContext(invitationsOnly)
  referenceToken = await createApiToken(
    invitationsOnly.db,
    await agencyId(invitationsOnly, 'DEMO-AL'),
    'open data portal',
    'test',
  )
}, 120_000)
afterAll(async () => {
  await t?.cleanup()
  await invitationsOnly?.cleanup()
})

const scoresOf = (db: TestDatabase, channels: EntryChannel[] | null, period = '2026-Q1') =>
  computeScores(db.db, {
    questionnaireCode: 'SIPAS-2017',
    rootAgencyCode: 'DEMO-AL',
    period: parsePeriod(period)!,
    boundaries: 'current',
    options: { weighting: 'design', interval: 'beta' },
    channels,
  })

/** The figures of a row, without database ids (the two databases are seeded alike, but need not share ids). */
const figures = (rows: ScoreRow[]) =>
  rows.map((r) => ({
    code: r.agency.code,
    overall: r.overall,
    elements: r.elements,
    criteria: r.criteria,
    rank: r.rank,
    rankOf: r.rankOf,
    change: r.change,
  }))
const rowOf = <R extends { agency: { code: string } }>(rows: R[], code: string) =>
  rows.find((r) => r.agency.code === code)!

const request = (path: string, headers: Record<string, string> = {}) =>
  new Request(`http://localhost${path}`, { headers: { Cookie: analyst, ...headers } })
const page = (search: string, headers: Record<string, string> = {}) =>
  run(() => pageLoader({ request: request(`/analytics${search}`, headers), context, params: {} }))
const agencyPage = (code: string, search: string) =>
  run(() => agencyLoader({ request: request(`/analytics/agency/${code}${search}`), context, params: { code } }))
const download = (format: string, search: string) =>
  run(() => exportLoader({ request: request(`/analytics/export/${format}${search}`), context, params: { format } }))
const raw = (search: string) =>
  run(() =>
    responsesLoader({ request: request(`/analytics/responses/csv${search}`), context, params: { format: 'csv' } }),
  )
const api = (search: string, headers: Record<string, string> = {}, reference = false) =>
  run(() =>
    scoresApi({
      request: new Request(`http://localhost/api/v1/scores${search}`, {
        headers: { Authorization: `Bearer ${reference ? referenceToken : token}`, ...headers },
      }),
      context: reference ? referenceContext : context,
      params: {},
    }),
  )

describe('the channel filter on scores', () => {
  it('invitation only: n, estimates, intervals, ranks and the change equal a database of only those responses', async () => {
    const filtered = await scoresOf(t, ['invitation'])
    const reference = await scoresOf(invitationsOnly, null)
    if (!filtered.ok || !reference.ok) throw new Error('no scores')
    expect(filtered.channels).toEqual(['invitation'])
    expect(reference.channels).toBeNull()
    expect(figures(filtered.rows)).toEqual(figures(reference.rows))
    const snv = rowOf(filtered.rows, 'DEMO-AL-SNV')
    expect(snv.overall.n).toBe(40)
    // The change column compares with the previous quarter's invitation responses: 30 S + 2 U there.
    expect(snv.change).not.toBeNull()
    expect(rowOf(reference.rows, 'DEMO-AL-SNV').change).toBe(snv.change)
    // And the filter is not a no-op: every channel together gives other figures.
    const all = await scoresOf(t, null)
    if (!all.ok) throw new Error('no scores')
    expect(rowOf(all.rows, 'DEMO-AL-SNV').overall.n).toBe(40 + 25 + 12 + 8)
    expect(rowOf(all.rows, 'DEMO-AL-SNV').overall.estimate).not.toBeCloseTo(snv.overall.estimate!, 3)
  })

  it('several channels add up: open link and kiosk give their own respondents only', async () => {
    const r = await scoresOf(t, ['kiosk', 'open_link'])
    if (!r.ok) throw new Error('no scores')
    expect(r.channels).toEqual(['kiosk', 'open_link'])
    expect(rowOf(r.rows, 'DEMO-AL-SNV').overall.n).toBe(37)
    // 25 unsatisfied and 12 at 0.6 on the overall composite, all of weight 1.
    expect(rowOf(r.rows, 'DEMO-AL-SNV').overall.estimate).toBeCloseTo((12 * 0.6) / 37, 12)
    expect(rowOf(r.rows, 'DEMO-AL-STP').overall.n).toBe(30)
  })

  it('the scores page: ?channel=invitation shows the filtered table and says so', async () => {
    const p = await page('?period=2026-Q1&channel=invitation&sort=n')
    expect(p.status).toBe(200)
    const data = p.body as { scores: { channels: string[]; rows: ScoreRow[] }; channels: string[] }
    expect(data.scores.channels).toEqual(['invitation'])
    expect(data.channels).toEqual(['invitation', 'open_link', 'kiosk', 'import'])
    expect(rowOf(data.scores.rows, 'DEMO-AL-SNV').overall.n).toBe(40)
    expect(rowOf(data.scores.rows, 'DEMO-AL-STP').overall.n).toBe(31)
    // The select's "all channels" sends an empty value: every channel.
    const everything = await page('?period=2026-Q1&channel=&sort=n')
    expect(rowOf((everything.body as { scores: { rows: ScoreRow[] } }).scores.rows, 'DEMO-AL-SNV').overall.n).toBe(85)
  })

  it('a bad channel: 400 with a translated message on the page, the downloads and the API', async () => {
    const vi = 'Kênh không hợp lệ. Dùng invitation, open_link, kiosk hoặc import.'
    const en = 'The channel is not valid. Use invitation, open_link, kiosk or import.'
    expect(await page('?period=2026-Q1&channel=paper')).toMatchObject({ status: 400, body: vi })
    expect(await page('?period=2026-Q1&channel=invitation&channel=web', { 'Accept-Language': 'en' })).toMatchObject({
      status: 400,
      body: en,
    })
    expect(await download('csv', '?channel=kiosk,bogus')).toMatchObject({ status: 400, body: vi })
    expect(await raw('?channel=INVITATION')).toMatchObject({ status: 400, body: vi })
    expect(await agencyPage('DEMO-AL-SNV', '?channel=x')).toMatchObject({ status: 400, body: vi })
    expect(await api('?period=2026-Q1&channel=sms', { 'Accept-Language': 'en' })).toMatchObject({
      status: 400,
      body: { error: 'invalid_query', message: en },
    })
  })
})

describe('GET /api/v1/scores?channel=', () => {
  it('invitation only: the figures of the invitation responses, and the channels stated', async () => {
    const r = await api('?period=2026-Q1&channel=invitation')
    expect(r.status).toBe(200)
    const body = r.body as { channels: string[]; rows: ScoreRow[] }
    expect(body.channels).toEqual(['invitation'])
    // The same API over the database of only those responses answers the same figures.
    const reference = (await api('?period=2026-Q1', {}, true)).body as { channels: null; rows: ScoreRow[] }
    expect(reference.channels).toBeNull()
    expect(figures(body.rows)).toEqual(figures(reference.rows))
    expect(rowOf(body.rows, 'DEMO-AL-SNV').overall.n).toBe(40)
  })

  it('takes several channels, repeated or comma-separated, in any order', async () => {
    const repeated = await api('?period=2026-Q1&channel=open_link&channel=kiosk')
    const commas = await api('?period=2026-Q1&channel=kiosk,open_link')
    expect((repeated.body as { channels: string[] }).channels).toEqual(['open_link', 'kiosk'])
    expect(commas.body).toEqual(repeated.body)
    expect(rowOf((repeated.body as { rows: ScoreRow[] }).rows, 'DEMO-AL-SNV').overall.n).toBe(37)
    const all = (await api('?period=2026-Q1')).body as { channels: null; rows: ScoreRow[] }
    expect(all.channels).toBeNull()
    expect(rowOf(all.rows, 'DEMO-AL-SNV').overall.n).toBe(85)
  })
})

describe('downloads with a channel filter', () => {
  it('the score downloads state the channels: JSON about, XLSX About sheet, file names', async () => {
    const json = await download('json', '?period=2026-Q1&channel=invitation')
    expect(json.status).toBe(200)
    const body = json.body as { about: Record<string, string>; channels: string[]; rows: ScoreRow[] }
    expect(body.about.channels).toBe('invitation only')
    expect(body.channels).toEqual(['invitation'])
    expect(rowOf(body.rows, 'DEMO-AL-SNV').overall.n).toBe(40)
    expect(json.headers.get('Content-Disposition')).toContain('-invitation.json')

    const xlsx = await download('xlsx', '?period=2026-Q1&channel=invitation')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(await xlsx.response!.arrayBuffer())
    const about = new Map<string, string>()
    workbook
      .getWorksheet('Ghi chú kỹ thuật')!
      .eachRow((row) => about.set(String(row.getCell(1).value), String(row.getCell(2).value)))
    expect(about.get('channels')).toBe('invitation only')

    const csv = await download('csv', '?period=2026-Q1&channel=invitation&agency=DEMO-AL-SNV')
    const rows: string[][] = parse(csv.text, { bom: true })
    const n = rows[0]!.indexOf('n')
    expect(rows.find((r) => r[0] === 'DEMO-AL-SNV')![n]).toBe('40')

    const unfiltered = (await download('json', '?period=2026-Q1')).body as { about: Record<string, string> }
    expect(unfiltered.about.channels).toBe('all (invitation, open_link, kiosk, import)')
  })

  it('the raw export keeps only the chosen channels, with an entry_channel column', async () => {
    const invitations = await raw('?period=2026-Q1&agency=DEMO-AL-SNV&channel=invitation')
    expect(invitations.status).toBe(200)
    const rows: string[][] = parse(invitations.text, { bom: true })
    const column = rows[0]!.indexOf('entry_channel')
    expect(column).toBeGreaterThan(0)
    expect(rows.slice(1).map((r) => r[column])).toEqual(Array(40).fill('invitation'))

    const others: string[][] = parse((await raw('?period=2026-Q1&agency=DEMO-AL-SNV&channel=kiosk,import')).text, {
      bom: true,
    })
    expect(
      others
        .slice(1)
        .map((r) => r[column])
        .sort(),
    ).toEqual([...Array(8).fill('import'), ...Array(12).fill('kiosk')])
    const all: string[][] = parse((await raw('?period=2026-Q1&agency=DEMO-AL-SNV')).text, { bom: true })
    expect(all.length - 1).toBe(85)
  })
})

describe('the agency page', () => {
  it('shows respondents per channel for the period, from the aggregates, whatever the filter', async () => {
    for (const search of ['?period=2026-Q1', '?period=2026-Q1&channel=kiosk']) {
      const r = await agencyPage('DEMO-AL-SNV', search)
      expect(r.status).toBe(200)
      expect((r.body as { channelSplit: unknown }).channelSplit).toEqual([
        { channel: 'invitation', n: 40 },
        { channel: 'open_link', n: 25 },
        { channel: 'kiosk', n: 12 },
        { channel: 'import', n: 8 },
      ])
    }
    // A parent's split sums its subtree.
    const al = await agencyPage('DEMO-AL', '?period=2026-Q1')
    expect((al.body as { channelSplit: Array<{ n: number }> }).channelSplit.map((c) => c.n)).toEqual([71, 55, 12, 8])
  })

  it('filters its scores and trend by channel', async () => {
    const r = await agencyPage('DEMO-AL-SNV', '?period=2026-Q1&channel=invitation')
    const data = r.body as {
      channels: string[]
      row: ScoreRow
      trend: Array<{ period: string; overall: { n: number } }>
    }
    expect(data.channels).toEqual(['invitation'])
    expect(data.row.overall.n).toBe(40)
    expect(data.trend.find((p) => p.period === '2026-Q1')!.overall.n).toBe(40)
    expect(data.trend.find((p) => p.period === '2025-Q4')!.overall.n).toBe(32)
  })
})

const round = (v: unknown) => (typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v)

/** Aggregate rows that count something, numbers rounded: a re-quarantine leaves rows at n = 0 behind. */
async function aggregates(db: TestDatabase) {
  const items = await db.db.selectFrom('item_aggregate').selectAll().where('n', '>', 0).execute()
  const composites = await db.db.selectFrom('composite_aggregate').selectAll().where('n', '>', 0).execute()
  const norm = (rows: Record<string, unknown>[]) =>
    rows
      .map((r) =>
        Object.fromEntries(
          Object.entries(r).map(([k, v]) => [
            k,
            round(typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v),
          ]),
        ),
      )
      .map((r) => JSON.stringify(r, Object.keys(r).sort()))
      .sort()
  return { items: norm(items), composites: norm(composites) }
}

async function expectEqualToRebuild(db: TestDatabase) {
  const live = await aggregates(db)
  await rebuildAggregates(db.db)
  expect(await aggregates(db)).toEqual(live)
}

describe('aggregates keyed by channel', () => {
  it('equal a rebuild after mixed-channel submissions, a release and a re-quarantine', async () => {
    await expectEqualToRebuild(t)
    const admin = { userId: null, actor: 'test', scope: EVERYTHING }
    const window = { from: '2026-02-14T00:00:00.000Z', to: '2026-02-15T00:00:00.000Z' }
    const invitationN = async () => {
      const r = await scoresOf(t, ['invitation'])
      if (!r.ok) throw new Error('no scores')
      return rowOf(r.rows, 'DEMO-AL-SNV').overall.n
    }

    expect(await releaseResponses(t.db, admin, window)).toEqual({ moved: 5 })
    await expectEqualToRebuild(t)
    // Released into their own channel: invitation figures move, the others do not.
    expect(await invitationN()).toBe(45)
    const others = await scoresOf(t, ['open_link', 'kiosk', 'import'])
    if (!others.ok) throw new Error('no scores')
    expect(rowOf(others.rows, 'DEMO-AL-SNV').overall.n).toBe(45)

    expect(await quarantineResponses(t.db, admin, window)).toEqual({ moved: 5 })
    await expectEqualToRebuild(t)
    expect(await invitationN()).toBe(40)
  })
})
