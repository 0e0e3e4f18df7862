/**
 * Bursts and shifts on the admin home (issue 14), through the real loader: 28 days of ordinary responses
 * on two poster links, then 60 all-"1" responses in the last hour on one of them. That link is flagged for
 * volume and for the shift to "1"; the quiet link is not; a manager whose agency does not cover the link
 * does not see it; once the batch is quarantined the flags are gone.
 */
import type { AppLoadContext } from '@remix-run/node'
import { renderPage } from '#tests/helpers/render-page.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import AdminHome, { loader as homeLoader } from '#app/routes/admin._index.tsx'
import { EVERYTHING } from '#app/.server/auth/scope.ts'
import { quarantineResponses } from '#app/.server/services/quarantine.ts'
import { rebuildAggregates } from '#app/.server/services/rebuild-aggregates.ts'
import { periodMonthOf } from '#app/domain/period.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, type SignedIn, signIn } from '#tests/helpers/remix.ts'
import { args, get } from './support.ts'

const MINUTE = 60_000
const DAY = 86_400_000
/** An ordinary mix of answers: 1 in 12 responses answers "1" (8%). */
const ORDINARY = [5, 4, 5, 3, 4, 5, 4, 2, 5, 1, 4, 4]

let t: TestDatabase
let context: AppLoadContext
let admin: SignedIn
let managerProvince: SignedIn
let managerJustice: SignedIn
let burstLink: { id: number; agencyId: number; versionId: number; items: number[] }
let quietLink: typeof burstLink
let counterLink: typeof burstLink
let serial = 0

async function posterLinkOf(agencyCode: string): Promise<typeof burstLink> {
  const link = await t.db
    .selectFrom('survey_link as l')
    .innerJoin('agency as a', 'a.id', 'l.agency_id')
    .select(['l.id', 'l.agency_id'])
    .where('a.code', '=', agencyCode)
    .where('l.kind', '=', 'poster')
    .executeTakeFirstOrThrow()
  const version = await t.db
    .selectFrom('questionnaire_version')
    .select('id')
    .where('status', '=', 'published')
    .orderBy('id')
    .executeTakeFirstOrThrow()
  const items = await t.db
    .selectFrom('questionnaire_item')
    .select('id')
    .where('version_id', '=', version.id)
    .where('type', '=', 'scale5')
    .execute()
  expect(items.length).toBeGreaterThan(5)
  return { id: link.id, agencyId: link.agency_id, versionId: version.id, items: items.map((i) => i.id) }
}

/** Counted responses on the link at the given instants, each answering every scale item with `value(i)`. */
async function store(link: typeof burstLink, instants: Date[], value: (i: number) => number) {
  await t.db.transaction().execute(async (trx) => {
    for (const [i, at] of instants.entries()) {
      const periodMonth = periodMonthOf(at)
      const { id } = await trx
        .insertInto('response')
        .values({
          client_submission_id: `flags-${++serial}`,
          version_id: link.versionId,
          agency_id: link.agencyId,
          procedure_id: null,
          channel: 'counter',
          link_id: link.id,
          invitation_id: null,
          submitted_at: at.toISOString(),
          period_month: periodMonth,
          weight_micro: 1_000_000,
          stratum: null,
          cluster: null,
          external_id: null,
          profile_json: null,
          source: 'web',
          quarantine_reason: null,
          entry_channel: 'open_link',
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await trx
        .insertInto('answer')
        .values(
          link.items.map((itemId) => ({
            response_id: id,
            item_id: itemId,
            value_number: value(i),
            value_text: null,
            agency_id: link.agencyId,
            period_month: periodMonth,
          })),
        )
        .execute()
    }
  })
}

/** Six responses a day for 28 days, ending just over an hour ago. */
function ordinaryHistory(now: number): Date[] {
  return Array.from({ length: 28 * 6 }, (_, i) => new Date(now - 65 * MINUTE - i * (DAY / 6)))
}

beforeAll(async () => {
  t = await createTestDatabase({ seed: 'demo' })
  context = makeContext(t)
  admin = await signIn(context, 'admin@flags.vn', 'admin', null)
  managerProvince = await signIn(context, 'manager-al@flags.vn', 'manager', 'DEMO-AL')
  managerJustice = await signIn(context, 'manager-stp@flags.vn', 'manager', 'DEMO-AL-STP')
  burstLink = await posterLinkOf('DEMO-AL-SNV')
  quietLink = await posterLinkOf('DEMO-AL-STP')
  counterLink = await posterLinkOf('DEMO-AL-SXD')
  const now = Date.now()
  await store(burstLink, ordinaryHistory(now), (i) => ORDINARY[i % ORDINARY.length]!)
  await store(quietLink, ordinaryHistory(now), (i) => ORDINARY[i % ORDINARY.length]!)
  // The burst: 60 responses answering "1" everywhere, within the last hour.
  await store(
    burstLink,
    Array.from({ length: 60 }, (_, i) => new Date(now - 50 * MINUTE + i * 45_000)),
    () => 1,
  )
  // The quiet link goes on as usual: three responses this hour.
  await store(
    quietLink,
    [40, 25, 10].map((m) => new Date(now - m * MINUTE)),
    (i) => ORDINARY[i]!,
  )
  // A counter busy at this hour of the day only: 20 responses in this hour on each of the last 28 days
  // (under one an hour on average), and 25 this hour: ordinary for the hour, not a burst.
  const sameHour = Array.from({ length: 28 * 20 }, (_, i) => {
    const day = Math.floor(i / 20) + 1
    return new Date(now - day * DAY - 50 * MINUTE + (i % 20) * 2 * MINUTE)
  })
  await store(counterLink, sameHour, (i) => ORDINARY[i % ORDINARY.length]!)
  await store(
    counterLink,
    Array.from({ length: 25 }, (_, i) => new Date(now - 50 * MINUTE + i * MINUTE)),
    (i) => ORDINARY[i % ORDINARY.length]!,
  )
  await rebuildAggregates(t.db)
})
afterAll(async () => {
  await t?.cleanup()
})

type Home = Awaited<ReturnType<typeof homeLoader>>
const home = async (user: SignedIn): Promise<Home> => homeLoader(args(context, get('/admin', user.cookie)))

/** The admin home as the server renders it, with the loader's data, in one language. */
const render = (data: Home, lng: 'vi' | 'en') =>
  renderPage({ page: AdminHome, path: '/admin', data, lng, namespace: 'admin' })

/** dd/MM/yyyy HH:mm of an instant in Vietnam time (UTC+7), computed here independently of the app. */
function vietnamTime(iso: string): string {
  const [date, time] = new Date(new Date(iso).getTime() + 7 * 3_600_000).toISOString().split('T')
  const [y, m, d] = date!.split('-')
  return `${d}/${m}/${y} ${time!.slice(0, 5)}`
}

describe('the admin home flags bursts and shifts', () => {
  it('flags the burst link for volume and for the shift to "1", with its agency, window and figures', async () => {
    const { flags, from, to, settings } = await home(admin)
    expect(settings).toMatchObject({ windowMinutes: 60, historyDays: 28, minResponses: 15 })
    expect(new Date(to).getTime() - new Date(from).getTime()).toBe(60 * MINUTE)
    expect(flags.map((f) => [f.link.id, f.kind])).toEqual([
      [burstLink.id, 'volume'],
      [burstLink.id, 'shift'],
    ])
    const [volume, shift] = flags
    expect(volume!.agency.code).toBe('DEMO-AL-SNV')
    expect(volume!.from).toBe(from)
    expect(volume!.to).toBe(to)
    // 168 responses in 28 days is a quarter an hour: below the floor of one an hour.
    expect(volume!.volume).toMatchObject({ observed: 60, expected: 1, basis: 'floor' })
    expect(volume!.volume!.pValue).toBeLessThan(1e-6)
    expect(shift!.shift).toMatchObject({ value: 1, windowShare: 1, responses: 60 })
    expect(shift!.shift!.historyShare).toBeCloseTo(14 / 168, 10)
    expect(shift!.shift!.pValue).toBeLessThan(1e-6)
  })

  it('shows them in a captioned table with the window in Vietnam time and a link to the responses', async () => {
    const data = await home(admin)
    const vi = await render(data, 'vi')
    expect(vi).toContain('<h2 id="flags-title">Cần xem xét</h2>')
    expect(vi).toContain('<caption>2 dấu hiệu bất thường (giờ Việt Nam)</caption>')
    expect(vi).toContain('<th scope="col">Dấu hiệu</th>')
    expect(vi).toContain('Số phiếu tăng đột biến')
    expect(vi).toContain('60 phiếu, thường chưa đến 1,0')
    expect(vi).toContain('Tỉ lệ trả lời “1”: từ 8% lên 100%')
    expect(vi).toContain('Sở Nội vụ tỉnh An Lạc (mẫu)')
    const start = vietnamTime(data.from)
    const end = vietnamTime(data.to)
    expect(vi).toContain(start.slice(0, 10) === end.slice(0, 10) ? `${start} – ${end.slice(11)}` : `${start} – ${end}`)
    const href = `/admin/quarantine?link=${burstLink.id}&amp;from=${encodeURIComponent(data.from)}&amp;to=${encodeURIComponent(data.to)}`
    expect(vi).toContain(`href="${href}"`)
    expect(vi).toContain('Xem các phiếu')
    expect(vi).toContain('href="/admin/quarantine"')
    const en = await render(data, 'en')
    expect(en).toContain('<caption>2 unusual signs (Vietnam time)</caption>')
    expect(en).toContain('Share of “1” answers: from 8% to 100%')
    expect(en).toContain('See the responses')
  })

  it('says so when nothing is unusual, and lists no quarantine section for managers', async () => {
    const data = await home(managerJustice)
    const vi = await render(data, 'vi')
    expect(vi).toContain('Không có dấu hiệu bất thường.')
    expect(vi).not.toContain('<table')
    expect(vi).not.toContain('href="/admin/quarantine"')
    expect(await render(data, 'en')).toContain('Nothing unusual.')
  })

  it('does not flag the quiet link, to anyone who sees it', async () => {
    for (const user of [admin, managerProvince, managerJustice])
      expect((await home(user)).flags.filter((f) => f.link.id === quietLink.id)).toEqual([])
  })

  it('does not flag a counter that is as busy as usual at this hour of the day', async () => {
    expect((await home(admin)).flags.filter((f) => f.link.id === counterLink.id)).toEqual([])
    // With a lax threshold it shows what was expected: the 20 a day at this hour, not the day's average.
    const lax = makeContext(t, { BURST_P_VALUE: '0.5' })
    const { flags } = await homeLoader(args(lax, get('/admin', admin.cookie)))
    const counter = flags.find((f) => f.link.id === counterLink.id && f.kind === 'volume')
    expect(counter?.volume).toMatchObject({ observed: 25, expected: 20, basis: 'timeOfDay' })
  })

  it('shows the flags within the scope of the user only', async () => {
    expect((await home(managerProvince)).flags.map((f) => f.link.id)).toEqual([burstLink.id, burstLink.id])
    const justice = await home(managerJustice)
    expect(justice.flags).toEqual([])
    expect(justice.role).toBe('manager')
  })

  it('follows the configured thresholds', async () => {
    const strict = makeContext(t, { BURST_MIN_RESPONSES: '61' })
    const { flags } = await homeLoader(args(strict, get('/admin', admin.cookie)))
    expect(flags).toEqual([])
  })

  it('stops flagging once the window is quarantined', async () => {
    const { flags } = await home(admin)
    const { from, to } = flags[0]!
    const moved = await quarantineResponses(
      t.db,
      { userId: admin.userId, actor: admin.email, scope: EVERYTHING },
      { linkId: burstLink.id, from, to },
    )
    expect(moved).toEqual({ moved: 60 })
    expect((await home(admin)).flags).toEqual([])
  })
})
