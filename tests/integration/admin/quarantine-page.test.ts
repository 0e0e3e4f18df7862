/**
 * The administrator's quarantine page (/admin/quarantine): quarantined responses grouped by link, reason
 * and Vietnam hour within the scope; release and re-quarantine in two steps that move exactly the chosen
 * responses, keep the aggregates equal to a rebuild and are audited; bad input is a translated 400 and
 * moves nothing.
 */
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SessionUser } from '#app/.server/auth/session.ts'
import { moveResponses, quarantinePage, utcToVietnamTime } from '#app/.server/services/quarantine-admin.ts'
import { currentVersionFor } from '#app/.server/repos/questionnaires.ts'
import { rebuildAggregates } from '#app/.server/services/rebuild-aggregates.ts'
import { action, loader } from '#app/routes/admin.quarantine.tsx'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run, type SignedIn, signIn } from '#tests/helpers/remix.ts'
import { callSurveyAction, post as surveyPost, pageToken, type SurveyFixture, validFields } from '../survey/support.ts'
import { args, get, post } from './support.ts'

let t: TestDatabase
let context: AppLoadContext
let admin: SignedIn
let manager: SignedIn
/** Link A belongs to DEMO-AL-SNV, link B to its sibling DEMO-AL-STP. */
let a: SurveyFixture
let b: SurveyFixture
let snvPath: string

async function linkOf(agencyCode: string): Promise<SurveyFixture> {
  const link = await t.db
    .selectFrom('survey_link as l')
    .innerJoin('agency as ag', 'ag.id', 'l.agency_id')
    .select(['l.id', 'l.code', 'l.agency_id', 'l.questionnaire_id'])
    .where('ag.code', '=', agencyCode)
    .where('l.kind', '=', 'poster')
    .orderBy('l.id')
    .executeTakeFirstOrThrow()
  const versionId = (await currentVersionFor(t.db, link.agency_id, link.questionnaire_id))!.id
  return {
    linkCode: link.code,
    linkId: link.id,
    agencyId: link.agency_id,
    questionnaireId: link.questionnaire_id,
    versionId,
    procedureCode: '',
  }
}

/** Submits `n` responses through the link's no-JS form (token: valid by default) and returns their ids. */
async function submit(f: SurveyFixture, n: number, token?: 'missing' | 'overCap'): Promise<number[]> {
  const ids: number[] = []
  for (let i = 0; i < n; i++) {
    const path = `/s/${f.linkCode}`
    const extra: Array<[string, string]> =
      token === 'missing'
        ? [['_token', '']]
        : token === 'overCap'
          ? [['_token', pageToken(path, { overCap: true })]]
          : []
    const res = await callSurveyAction('s', 'html', f.linkCode, surveyPost(path, validFields(f, extra)), context)
    expect(res.status).toBe(303)
    const row = await t.db.selectFrom('response').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()
    ids.push(row.id)
  }
  return ids
}

/**
 * Moves quarantined responses to a fixed instant: they count nowhere, so the aggregates do not change. Their
 * month stays the one the server gave them: the answers' key holds it (answer_response_fk), so on PostgreSQL
 * moving it failed whenever the test ran in another month than the instant's. The page filters and groups by
 * the instant; a release adds each response to its own month, as the rebuild it is compared with does.
 */
async function placeAt(ids: number[], iso: string) {
  await t.db
    .updateTable('response')
    .set({ submitted_at: iso })
    .where('id', 'in', ids)
    .where('quarantine_reason', 'is not', null)
    .execute()
}

async function reasonsOf(ids: number[]) {
  const rows = await t.db.selectFrom('response').select('quarantine_reason').where('id', 'in', ids).execute()
  return rows.map((r) => r.quarantine_reason)
}

async function quarantinedCount() {
  const row = await t.db
    .selectFrom('response')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('quarantine_reason', 'is not', null)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

async function auditRows() {
  return (
    await t.db
      .selectFrom('audit_log')
      .select(['action', 'details_json', 'actor'])
      .where('action', 'in', ['responses.release', 'responses.quarantine'])
      .orderBy('id')
      .execute()
  ).map((r) => ({ action: r.action, actor: r.actor, details: JSON.parse(r.details_json!) }))
}

/** Aggregate rows that count something, numbers rounded (a re-quarantine leaves rows at n = 0 behind). */
async function aggregates() {
  const norm = (rows: Record<string, unknown>[]) =>
    rows
      .map((r) =>
        JSON.stringify(
          Object.fromEntries(
            Object.entries(r)
              .sort(([x], [y]) => x.localeCompare(y))
              .map(([k, v]) => {
                const n = typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v
                return [k, typeof n === 'number' ? Math.round(n * 1e6) / 1e6 : n]
              }),
          ),
        ),
      )
      .sort()
  return {
    items: norm(await t.db.selectFrom('item_aggregate').selectAll().where('n', '>', 0).execute()),
    composites: norm(await t.db.selectFrom('composite_aggregate').selectAll().where('n', '>', 0).execute()),
  }
}

async function expectEqualToRebuild() {
  const live = await aggregates()
  await rebuildAggregates(t.db)
  expect(await aggregates()).toEqual(live)
}

const page = (query: string, cookie = admin.cookie) =>
  run(() => loader(args(context, get(`/admin/quarantine${query}`, cookie))))
const act = (fields: Record<string, string>, cookie = admin.cookie) =>
  run(() => action(args(context, post('/admin/quarantine', fields, cookie))))

// Vietnam 08:10, 08:20, 08:30 and 09:05 on 29/11/2026.
const H08 = { from: '2026-11-29T08:00', to: '2026-11-29T09:00' }
let missingA: number[]
let capA: number[]
let lateA: number[]
let missingB: number[]
let countedA: number[]

beforeAll(async () => {
  t = await createTestDatabase({ seed: 'demo' })
  context = makeContext(t)
  admin = await signIn(context, 'admin@quarantine.vn', 'admin', null)
  manager = await signIn(context, 'manager@quarantine.vn', 'manager', 'DEMO-AL-SNV')
  a = await linkOf('DEMO-AL-SNV')
  b = await linkOf('DEMO-AL-STP')
  snvPath = (await t.db.selectFrom('agency').select('path').where('id', '=', a.agencyId).executeTakeFirstOrThrow()).path

  countedA = await submit(a, 3)
  missingA = await submit(a, 4, 'missing')
  capA = await submit(a, 2, 'overCap')
  lateA = await submit(a, 1, 'missing')
  missingB = await submit(b, 2, 'missing')
  await placeAt(missingA, '2026-11-29T01:10:00.000Z')
  await placeAt(capA, '2026-11-29T01:20:00.000Z')
  await placeAt(lateA, '2026-11-29T02:05:00.000Z')
  await placeAt(missingB, '2026-11-29T01:30:00.000Z')
})
afterAll(async () => t?.cleanup())

describe('the quarantine page', () => {
  it('groups the quarantined responses by hour (Vietnam time), link and reason, newest first, with totals', async () => {
    expect(await reasonsOf(countedA)).toEqual([null, null, null])
    const res = await page('')
    expect(res.status).toBe(200)
    const body = res.body as Awaited<ReturnType<typeof loader>>
    expect(body.totalGroups).toBe(4)
    expect(body.totalResponses).toBe(9) // 4 + 2 + 1 of link A, 2 of link B; the demo seeds none
    expect(body.groups.map((g) => [g.from, g.to, g.linkCode, g.reason, g.count])).toEqual([
      ['2026-11-29T09:00', '2026-11-29T10:00', a.linkCode, 'missing token', 1],
      ['2026-11-29T08:00', '2026-11-29T09:00', a.linkCode, 'missing token', 4],
      ...[
        ['2026-11-29T08:00', '2026-11-29T09:00', a.linkCode, 'network cap', 2],
        ['2026-11-29T08:00', '2026-11-29T09:00', b.linkCode, 'missing token', 2],
      ].sort((x, y) => String(x[2]).localeCompare(String(y[2]))),
    ])
    expect(body.groups[0]!.agencyCode).toBe('DEMO-AL-SNV')
    expect(body.reasons).toEqual(['missing token', 'network cap'])
  })

  it('filters by link, reason and Vietnam hours or whole days', async () => {
    const hour = await page(`?link=${a.linkCode}&reason=missing+token&from=${H08.from}&to=${H08.to}`)
    const body = hour.body as Awaited<ReturnType<typeof loader>>
    expect(body.groups.map((g) => g.count)).toEqual([4])
    expect(body.values).toEqual({ link: a.linkCode, reason: 'missing token', ...H08 })
    // A whole day: 29/11 in Vietnam, "to" included.
    const day = (await page('?from=2026-11-29&to=2026-11-29')).body as Awaited<ReturnType<typeof loader>>
    expect(day.totalResponses).toBe(9)
    expect(day.values.to).toBe('2026-11-30T00:00')
    const before = (await page('?to=2026-11-29T08:15')).body as Awaited<ReturnType<typeof loader>>
    expect(before.totalResponses).toBe(4)
    // As the admin home's flags link here: the link by id, UTC instants.
    const flagged = await page(`?link=${a.linkId}&from=2026-11-29T01:00:00.000Z&to=2026-11-29T02:00:00.000Z`)
    const flaggedBody = flagged.body as Awaited<ReturnType<typeof loader>>
    expect(flaggedBody.values).toEqual({ link: a.linkCode, reason: '', ...H08 })
    expect(flaggedBody.totalResponses).toBe(6)
  })

  it('is for administrators only; within a scope, other agencies neither list nor move', async () => {
    expect((await page('', manager.cookie)).status).toBe(403)
    expect((await act({ intent: 'release', link: b.linkCode, confirmed: 'yes' }, manager.cookie)).status).toBe(403)

    const scoped: SessionUser = {
      id: manager.userId,
      email: manager.email,
      role: 'manager',
      agencyId: a.agencyId,
      scopePath: snvPath,
    }
    const listed = await quarantinePage(t.db, scoped, new URLSearchParams())
    expect(listed.ok && listed.groups.map((g) => g.linkCode)).toEqual([a.linkCode, a.linkCode, a.linkCode])
    expect(await moveResponses(t.db, scoped, { intent: 'release', link: b.linkCode, confirmed: 'yes' })).toEqual({
      ok: false,
      status: 400,
      error: 'quarantine.errors.link',
    })
    expect(await quarantinePage(t.db, scoped, new URLSearchParams({ link: b.linkCode }))).toMatchObject({
      ok: false,
      status: 400,
    })
    expect(await reasonsOf(missingB)).toEqual(['missing token', 'missing token'])
  })

  it('refuses bad input with a translated 400 and moves nothing', async () => {
    const before = await quarantinedCount()
    const audits = (await auditRows()).length
    const cases: Array<[Record<string, string>, string]> = [
      [{ intent: 'release', from: '2026-02-30', confirmed: 'yes' }, 'Ngày giờ không hợp lệ'],
      [{ intent: 'release', from: '29/11/2026', confirmed: 'yes' }, 'Ngày giờ không hợp lệ'],
      [{ intent: 'release', to: '2026-11-29T25:00:00Z', confirmed: 'yes' }, 'Ngày giờ không hợp lệ'],
      [{ intent: 'release', from: H08.to, to: H08.from, confirmed: 'yes' }, 'Thời điểm kết thúc phải sau'],
      [{ intent: 'release', link: 'NO-SUCH-LINK', confirmed: 'yes' }, 'Không có liên kết này'],
      [{ intent: 'quarantine', from: H08.from, to: H08.to, confirmed: 'yes' }, 'Cách ly lại cần mã liên kết'],
      [{ intent: 'delete', confirmed: 'yes' }, 'Bộ lọc không hợp lệ'],
    ]
    for (const [fields, message] of cases) {
      const res = await act(fields)
      expect(res.status, JSON.stringify(fields)).toBe(400)
      expect(res.text).toContain(message)
    }
    const english = await run(() =>
      action(
        args(
          context,
          post('/admin/quarantine', { intent: 'release', from: 'yesterday' }, admin.cookie, {
            'Accept-Language': 'en',
          }),
        ),
      ),
    )
    expect(english.status).toBe(400)
    expect(english.text).toBe('Not a valid date and time. Use 2026-11-29 or 2026-11-29T08:00.')
    const bad = await page('?from=2026-11-29T25:00')
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('Ngày giờ không hợp lệ')
    expect(await quarantinedCount()).toBe(before)
    expect(await auditRows()).toHaveLength(audits)
  })

  it('releases one group after a confirmation step, exactly its responses; aggregates equal a rebuild; audited', async () => {
    const group = { intent: 'release', link: a.linkCode, reason: 'missing token', ...H08 }
    const confirm = await act(group)
    expect(confirm.body).toMatchObject({ step: 'confirm', intent: 'release', count: 4 })
    expect(await reasonsOf(missingA)).toEqual(Array(4).fill('missing token'))

    const done = await act({ ...group, confirmed: 'yes' })
    expect(done.body).toEqual({ ok: true, step: 'done', intent: 'release', moved: 4 })
    expect(await reasonsOf(missingA)).toEqual([null, null, null, null])
    expect(await reasonsOf([...capA, ...lateA, ...missingB])).toEqual([
      'network cap',
      'network cap',
      'missing token',
      'missing token',
      'missing token',
    ])
    await expectEqualToRebuild()
    const audit = (await auditRows()).at(-1)!
    expect(audit).toMatchObject({ action: 'responses.release', actor: admin.email, details: { count: 4 } })
    expect(audit.details.filter).toMatchObject({ linkId: a.linkId, reason: 'missing token' })
  })

  it('quarantines counted responses of a link and time range again, with an optional note in the audit entry', async () => {
    const confirm = await act({ intent: 'quarantine', link: a.linkCode, ...H08, note: 'kiểm tra lại' })
    expect(confirm.body).toMatchObject({ step: 'confirm', count: 4, note: 'kiểm tra lại' })
    const done = await act({ intent: 'quarantine', link: a.linkCode, ...H08, note: 'kiểm tra lại', confirmed: 'yes' })
    expect(done.body).toMatchObject({ step: 'done', intent: 'quarantine', moved: 4 })
    expect(await reasonsOf(missingA)).toEqual(Array(4).fill('held by administrator'))
    await expectEqualToRebuild()
    expect((await auditRows()).at(-1)).toMatchObject({
      action: 'responses.quarantine',
      details: { count: 4, filter: { linkId: a.linkId, note: 'kiểm tra lại' } },
    })

    // The three responses counted at submission, by the hour around now.
    const now = Date.now()
    const range = {
      from: utcToVietnamTime(new Date(now - 3600_000).toISOString()),
      to: utcToVietnamTime(new Date(now + 3600_000).toISOString()),
    }
    expect((await act({ intent: 'quarantine', link: a.linkCode, ...range, confirmed: 'yes' })).body).toMatchObject({
      moved: 3,
    })
    expect(await reasonsOf(countedA)).toEqual(Array(3).fill('held by administrator'))
    expect(await reasonsOf(missingB)).toEqual(['missing token', 'missing token'])
    await expectEqualToRebuild()
  })

  it('releases everything the current filter selects, and says so', async () => {
    const confirm = await act({ intent: 'release', link: a.linkCode })
    expect(confirm.body).toMatchObject({ step: 'confirm', count: 10 })
    const done = await act({ intent: 'release', link: a.linkCode, confirmed: 'yes' })
    expect(done.body).toMatchObject({ step: 'done', moved: 10 })
    expect(await reasonsOf([...countedA, ...missingA, ...capA, ...lateA])).toEqual(Array(10).fill(null))
    expect(await reasonsOf(missingB)).toEqual(['missing token', 'missing token'])
    await expectEqualToRebuild()
    expect((await auditRows()).map((r) => [r.action, r.details.count])).toEqual([
      ['responses.release', 4],
      ['responses.quarantine', 4],
      ['responses.quarantine', 3],
      ['responses.release', 10],
    ])
    const left = (await page('')).body as Awaited<ReturnType<typeof loader>>
    expect(left.groups.map((g) => [g.linkCode, g.count])).toEqual([[b.linkCode, 2]])
  })
})
