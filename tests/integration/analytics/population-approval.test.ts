// Population counts no one can abuse alone (docs/decisions/0037): a department's 1,000,000,000 leaves the
// province's post-stratified index as it was until someone responsible for the province approves it; the
// author cannot approve their own count; approvals and rejections are audited; implausible counts are
// refused before anything is stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { computeScores } from '#app/.server/services/scores.ts'
import { action, loader } from '#app/routes/analytics.population.tsx'
import { parsePeriod } from '#app/domain/period.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run, signIn } from '#tests/helpers/remix.ts'
import { seedFixture } from './fixture.ts'
import { agencyId } from './support.ts'

let t: TestDatabase
let context: Parameters<typeof loader>[0]['context']
const cookies: Record<string, string> = {}

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  await seedFixture(t)
  for (const [name, role, agency] of [
    ['snv', 'analyst', 'DEMO-AL-SNV'],
    ['snv2', 'manager', 'DEMO-AL-SNV'],
    ['stp', 'analyst', 'DEMO-AL-STP'],
    ['province', 'analyst', 'DEMO-AL'],
    ['province2', 'manager', 'DEMO-AL'],
    ['admin', 'admin', null],
  ] as const)
    cookies[name] = (await signIn(context, `${name}@example.vn`, role, agency)).cookie
})
afterAll(() => t.cleanup())

type ActionData = { outcome: string | null; error: string | null; values: Record<string, unknown> }

async function post(who: string, body: Record<string, string>) {
  const request = new Request('http://localhost/analytics/population', {
    method: 'POST',
    body: new URLSearchParams(body),
    headers: { Cookie: cookies[who]! },
  })
  const outcome = await run(() => action({ request, params: {}, context }))
  return { status: outcome.status, data: outcome.data as ActionData }
}

const enter = (who: string, agencyCode: string, period: string, count: number) =>
  post(who, { intent: 'set', agencyCode, period, count: String(count) })
const decide = (who: string, intent: 'approve' | 'reject', proposalId: number) =>
  post(who, { intent, proposalId: String(proposalId) })

async function page(who: string) {
  const request = new Request('http://localhost/analytics/population', { headers: { Cookie: cookies[who]! } })
  return (await loader({ request, params: {}, context })) as {
    pending: Array<{ id: number; code: string; period: string; count: number; canDecide: boolean }>
  }
}

const pendingId = async (code: string, period: string) =>
  (
    await t.db
      .selectFrom('population_count_proposal')
      .select('id')
      .where('agency_id', '=', await agencyId(t, code))
      .where('period', '=', period)
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow()
  ).id

const countInUse = async (code: string, period: string) =>
  (
    await t.db
      .selectFrom('population_count')
      .select('count')
      .where('agency_id', '=', await agencyId(t, code))
      .where('period', '=', period)
      .executeTakeFirst()
  )?.count ?? null

const audit = async (action: string) =>
  (
    await t.db
      .selectFrom('audit_log')
      .select(['actor', 'entity_id', 'details_json'])
      .where('action', '=', action)
      .orderBy('id')
      .execute()
  ).map((a) => ({ actor: a.actor, entityId: a.entity_id, details: JSON.parse(a.details_json ?? 'null') }))

async function provinceIndex(period: string): Promise<number> {
  const result = await computeScores(t.db, {
    questionnaireCode: 'SIPAS-2017',
    rootAgencyCode: 'DEMO-AL',
    period: parsePeriod(period)!,
    boundaries: 'current',
    options: { weighting: 'poststratified' },
  })
  if (!result.ok) throw new Error(`${result.error} ${result.detail ?? ''}`)
  return result.rows.find((r) => r.agency.code === 'DEMO-AL')!.overall.estimate!
}

describe('a department cannot move the province alone', () => {
  it('the province enters its units’ counts, which apply at once', async () => {
    for (const [code, count] of [
      ['DEMO-AL-SNV', 700],
      ['DEMO-AL-STP', 300],
      ['DEMO-AL-SXD', 100],
      ['DEMO-AL-SNNMT', 300],
      ['DEMO-AL-P-ANLAC', 600],
    ] as const)
      expect((await enter('province', code, '2026-Q1', count)).data.outcome).toBe('applied')
    // (700·38/70 + 300 + 100 + 300 + 600·0.8)/2000, as in scores.test.ts.
    expect(await provinceIndex('2026-Q1')).toBeCloseTo(0.78, 12)
  })

  it('1,000,000,000 from the department is pending and leaves the province’s index unchanged', async () => {
    expect(await enter('snv', 'DEMO-AL-SNV', '2026-q1', 1_000_000_000)).toMatchObject({
      status: 200,
      data: { outcome: 'pending', error: null },
    })
    expect(await countInUse('DEMO-AL-SNV', '2026-Q1')).toBe(700)
    expect(await provinceIndex('2026-Q1')).toBeCloseTo(0.78, 12)
    expect(await audit('population.propose')).toMatchObject([
      { actor: 'snv@example.vn', details: { agencyCode: 'DEMO-AL-SNV', period: '2026-Q1', count: 1_000_000_000 } },
    ])
  })

  it('is listed to those who may approve it, shown without buttons to the department, hidden from others', async () => {
    const id = await pendingId('DEMO-AL-SNV', '2026-Q1')
    const row = { id, code: 'DEMO-AL-SNV', period: '2026-Q1', count: 1_000_000_000 }
    expect((await page('province')).pending).toMatchObject([{ ...row, canDecide: true }])
    expect((await page('admin')).pending).toMatchObject([{ ...row, canDecide: true }])
    expect((await page('snv')).pending).toMatchObject([{ ...row, canDecide: false }])
    expect((await page('snv2')).pending).toMatchObject([{ ...row, canDecide: false }])
    expect((await page('stp')).pending).toEqual([])
  })

  it('cannot be approved by its author, another department user, or a neighbouring department', async () => {
    const id = await pendingId('DEMO-AL-SNV', '2026-Q1')
    expect(await decide('snv', 'approve', id)).toMatchObject({
      status: 403,
      data: { error: 'analytics.population.cannotApprove' },
    })
    expect(await decide('snv2', 'approve', id)).toMatchObject({
      status: 403,
      data: { error: 'analytics.population.cannotApprove' },
    })
    expect(await decide('stp', 'approve', id)).toMatchObject({
      status: 409,
      data: { error: 'analytics.population.unknownPending' },
    })
    expect(await countInUse('DEMO-AL-SNV', '2026-Q1')).toBe(700)
    expect(await audit('population.approve')).toEqual([])
  })

  it('is used once a province user approves it, and the approval is audited', async () => {
    const id = await pendingId('DEMO-AL-SNV', '2026-Q1')
    expect(await decide('province2', 'approve', id)).toMatchObject({ status: 200, data: { outcome: 'approved' } })
    expect(await countInUse('DEMO-AL-SNV', '2026-Q1')).toBe(1_000_000_000)
    const N = 1_000_000_000
    expect(await provinceIndex('2026-Q1')).toBeCloseTo((N * (38 / 70) + 300 + 100 + 300 + 480) / (N + 1300), 12)
    expect(await audit('population.approve')).toMatchObject([
      {
        actor: 'province2@example.vn',
        entityId: String(id),
        details: { agencyCode: 'DEMO-AL-SNV', period: '2026-Q1', count: N, enteredBy: 'snv@example.vn' },
      },
    ])
    const stored = await t.db
      .selectFrom('population_count_proposal')
      .select(['status', 'decided_by'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(stored).toEqual({ status: 'approved', decided_by: 'province2@example.vn' })
    // Decided once: a second approval or a late rejection finds nothing pending.
    expect((await decide('province', 'approve', id)).status).toBe(409)
    expect((await decide('province', 'reject', id)).status).toBe(409)
  })

  it('a rejected count is never used, and the rejection is audited', async () => {
    expect((await enter('snv', 'DEMO-AL-SNV', '2026-Q1', 800)).data.outcome).toBe('pending')
    const id = await pendingId('DEMO-AL-SNV', '2026-Q1')
    expect(await decide('province', 'reject', id)).toMatchObject({ status: 200, data: { outcome: 'rejected' } })
    expect(await countInUse('DEMO-AL-SNV', '2026-Q1')).toBe(1_000_000_000)
    expect(await audit('population.reject')).toMatchObject([
      { actor: 'province@example.vn', entityId: String(id), details: { count: 800 } },
    ])
  })

  it('a newer entry replaces the one pending; one from the province replaces it and applies', async () => {
    await enter('snv', 'DEMO-AL-SNV', '2026-Q1', 710)
    await enter('snv2', 'DEMO-AL-SNV', '2026-Q1', 720)
    expect((await page('province')).pending.map((p) => p.count)).toEqual([720])
    expect((await enter('province', 'DEMO-AL-SNV', '2026-Q1', 700)).data.outcome).toBe('applied')
    expect((await page('province')).pending).toEqual([])
    const statuses = await t.db
      .selectFrom('population_count_proposal')
      .select(['count', 'status'])
      .where('count', 'in', [710, 720])
      .orderBy('id')
      .execute()
    expect(statuses).toEqual([
      { count: 710, status: 'superseded' },
      { count: 720, status: 'superseded' },
    ])
    expect(await provinceIndex('2026-Q1')).toBeCloseTo(0.78, 12)
  })

  it('the author cannot approve their own count, even after moving up to the province', async () => {
    const mover = await signIn(context, 'mover@example.vn', 'analyst', 'DEMO-AL-SNV')
    cookies.mover = mover.cookie
    expect((await enter('mover', 'DEMO-AL-SNV', '2026-Q2', 40)).data.outcome).toBe('pending')
    await t.db
      .updateTable('user')
      .set({ agency_id: await agencyId(t, 'DEMO-AL') })
      .where('id', '=', mover.userId)
      .execute()
    const id = await pendingId('DEMO-AL-SNV', '2026-Q2')
    expect((await page('mover')).pending).toMatchObject([{ id, canDecide: false }])
    expect(await decide('mover', 'approve', id)).toMatchObject({
      status: 403,
      data: { error: 'analytics.population.ownEntry' },
    })
    expect(await decide('mover', 'reject', id)).toMatchObject({ status: 403 })
    expect((await decide('province', 'approve', id)).status).toBe(200)
  })

  it('a sub-unit’s count entered by its department also waits: it is a cell of the province’s score too', async () => {
    const snv = await t.db.selectFrom('agency').selectAll().where('code', '=', 'DEMO-AL-SNV').executeTakeFirstOrThrow()
    const { id } = await t.db
      .insertInto('agency')
      .values({
        code: 'DEMO-AL-SNV-TTPVHCC',
        name_vi: 'Bộ phận một cửa (mẫu)',
        name_en: 'One-stop desk (demo)',
        level: snv.level,
        parent_id: snv.id,
        path: '',
        valid_from: snv.valid_from,
        valid_to: null,
        active: 1,
        created_at: snv.created_at,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await t.db
      .updateTable('agency')
      .set({ path: `${snv.path}${id}/` })
      .where('id', '=', id)
      .execute()
    expect((await enter('snv', 'DEMO-AL-SNV-TTPVHCC', '2026-Q3', 50)).data.outcome).toBe('pending')
    expect((await enter('province', 'DEMO-AL-SNV-TTPVHCC', '2026-Q3', 50)).data.outcome).toBe('applied')
  })

  it('a merged unit’s count feeds its successor’s province: only someone covering both decides it', async () => {
    // DEMO-BS-H-BINHMINH (province DEMO-BS, dissolved) now counts for DEMO-AL-X-BINHMINH in DEMO-AL.
    cookies.bs = (await signIn(context, 'bs@example.vn', 'analyst', 'DEMO-BS')).cookie
    expect((await enter('bs', 'DEMO-BS-H-BINHMINH', '2026', 30)).data.outcome).toBe('pending')
    const id = await pendingId('DEMO-BS-H-BINHMINH', '2026')
    expect((await decide('province', 'approve', id)).status).toBe(409)
    expect((await decide('admin', 'approve', id)).status).toBe(200)
    expect((await enter('admin', 'DEMO-BS-H-BINHMINH', '2026', 31)).data.outcome).toBe('applied')
  })
})

describe('implausible counts are refused with a message, nothing stored', () => {
  it('below the responses already received for the agency and period (422)', async () => {
    // DEMO-AL-SNV received 40 responses in 2026-Q1 (fixture.ts); the count is checked for province users too.
    const r = await enter('province', 'DEMO-AL-SNV', '2026-Q1', 39)
    expect(r).toMatchObject({
      status: 422,
      data: { error: 'analytics.population.belowResponses', values: { value: 39, received: 40, period: '2026-Q1' } },
    })
    // 2026-01 alone: the first of the twenty S (00:30 on 1 January in Vietnam) and the ten H.
    expect((await enter('snv', 'DEMO-AL-SNV', '2026-01', 1)).data.values).toMatchObject({ received: 11 })
    expect(await countInUse('DEMO-AL-SNV', '2026-Q1')).toBe(700)
    expect((await enter('province', 'DEMO-AL-SNV', '2026-Q1', 40)).status).toBe(200)
  })

  it('more than 100 times the previous period’s count (422); exactly 100 times passes', async () => {
    expect((await enter('province', 'DEMO-AL-SXD', '2026-Q3', 10)).data.outcome).toBe('applied')
    const r = await enter('province', 'DEMO-AL-SXD', '2026-Q4', 1001)
    expect(r).toMatchObject({
      status: 422,
      data: {
        error: 'analytics.population.jumpFromPrevious',
        values: { value: 1001, previous: 10, previousPeriod: '2026-Q3', factor: 100 },
      },
    })
    expect(await countInUse('DEMO-AL-SXD', '2026-Q4')).toBeNull()
    expect((await enter('province', 'DEMO-AL-SXD', '2026-Q4', 1000)).data.outcome).toBe('applied')
  })

  it('checked again at approval: a pending count that has become implausible cannot be approved', async () => {
    // Plausible when entered (no count for 2026-H2 yet); the 2026-H2 count entered since makes it a jump.
    expect((await enter('snv', 'DEMO-AL-SNV', '2027-H1', 500)).data.outcome).toBe('pending')
    expect((await enter('province', 'DEMO-AL-SNV', '2026-H2', 4)).data.outcome).toBe('applied')
    const id = await pendingId('DEMO-AL-SNV', '2027-H1')
    expect(await decide('province', 'approve', id)).toMatchObject({
      status: 422,
      data: { error: 'analytics.population.jumpFromPrevious', values: { previous: 4, previousPeriod: '2026-H2' } },
    })
    expect(await countInUse('DEMO-AL-SNV', '2027-H1')).toBeNull()
    expect((await decide('province', 'reject', id)).status).toBe(200)
  })
})
