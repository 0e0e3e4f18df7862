/**
 * The QĐ 766 rate and the response rates beside every score (issue #17 point 5), on the analytics fixture
 * plus dossier counts and invitations, every number worked out by hand:
 *
 * 2026-Q1 (Jan–Mar), SIPAS-2017:
 *   DEMO-AL-SNV  dossiers 2026-01: settled 100, late 2, complained 1; 2026-02: settled 60, late 0,
 *                complained 1; no rating of its own. 10 invitations issued in February (an 11th on
 *                2026-03-31T17:30Z is April in Vietnam: not counted); 4 answered, one of them with the
 *                overall question "Không hài lòng" (2 < 4).
 *                766: deducted 2 + 2 + 1 = 5 → (160 − 5)/160 = 96,875 → 96,88 % (dissatisfied from the survey)
 *                per invitation 4/10 = 40 %; per dossier n/160 = 44/160 = 27,5 % (fixture's 40 + 4)
 *   DEMO-AL-STP  each month settled 50, late 1, complained 0, rated dissatisfied 1 by the one-stop shop.
 *                766: deducted 3 + 0 + 3 = 6 → 144/150 = 96 %; per dossier 30/150 = 20 %; no invitation
 *   DEMO-AL      5 month rows, 3 with a rating of their own: not every month has one, so the survey's 1.
 *                766: deducted 5 + 2 + 1 = 8 → 302/310 = 97,419… → 97,42 %
 *                per invitation 40 %; per dossier 149/310 = 48,06 % (fixture's 145 + 4)
 *   DEMO-AL-SXD  no dossier count: no 766 rate, no rate per dossier
 */
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiToken } from '#app/.server/auth/api-token.ts'
import { createInvitation } from '#app/.server/services/invitations.ts'
import { createRelease } from '#app/.server/services/releases.ts'
import { createUser } from '#app/.server/services/users.ts'
import { computeScores, type ScoreRow } from '#app/.server/services/scores.ts'
import { submitResponse } from '#app/.server/services/submit-response.ts'
import { writeDossierCounts } from '#app/.server/services/dossier-counts.ts'
import { parsePeriod } from '#app/domain/period.ts'
import AgencyPage, { loader as agencyLoader } from '#app/routes/analytics.agency.$code.tsx'
import ScoresPage, { loader as scoresPageLoader } from '#app/routes/analytics._index.tsx'
import { loader as scoresLoader } from '#app/routes/api.v1.scores.ts'
import { loader as exportLoader } from '#app/routes/analytics.export.$format.ts'
import ExcelJS from 'exceljs'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run, signIn } from '#tests/helpers/remix.ts'
import { renderPage } from '#tests/helpers/render-page.ts'
import { seedFixture } from './fixture.ts'
import { agencyId, answersFor, sipasVersion } from './support.ts'

let t: TestDatabase
let context: AppLoadContext
let token: string

async function counts(code: string, months: Array<[string, number, number, number, number | null]>) {
  const id = await agencyId(t, code)
  await writeDossierCounts(
    t.db,
    months.map(([month, settled, settledLate, complained, ratedDissatisfied]) => ({
      agencyId: id,
      agencyCode: code,
      month,
      received: settled,
      settled,
      settledLate,
      complained,
      ratedDissatisfied,
    })),
    { source: 'import', actor: 'test', userId: null },
  )
}

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  await seedFixture(t)
  token = await createApiToken(t.db, await agencyId(t, 'DEMO-AL'), 'BI', 'test')
  await counts('DEMO-AL-SNV', [
    ['2026-01', 100, 2, 1, null],
    ['2026-02', 60, 0, 1, null],
    // Outside the quarter: never counted.
    ['2026-04', 999, 999, 0, null],
  ])
  await counts('DEMO-AL-STP', [
    ['2026-01', 50, 1, 0, 1],
    ['2026-02', 50, 1, 0, 1],
    ['2026-03', 50, 1, 0, 1],
  ])
  const scope = { scopePath: null, actor: 'test' }
  const codes: string[] = []
  for (let k = 0; k < 10; k++) {
    const r = await createInvitation(
      t.db,
      context.config,
      {
        agencyCode: 'DEMO-AL-SNV',
        dossierCode: `HS-${k}`,
        channel: 'counter',
        expiresInDays: 60,
        questionnaireCode: 'SIPAS-2017',
      },
      scope,
      new Date('2026-02-01T03:00:00Z'),
    )
    if (!r.ok) throw new Error(r.error)
    codes.push(r.invitation.code)
  }
  await createInvitation(
    t.db,
    context.config,
    {
      agencyCode: 'DEMO-AL-SNV',
      dossierCode: 'HS-april',
      channel: 'counter',
      expiresInDays: 60,
      questionnaireCode: 'SIPAS-2017',
    },
    scope,
    new Date('2026-03-31T17:30:00Z'),
  )
  const version = await sipasVersion(t)
  const snv = await agencyId(t, 'DEMO-AL-SNV')
  for (const [k, overall] of [5, 4, 5, 2].entries()) {
    const invitation = await t.db
      .selectFrom('invitation')
      .select('id')
      .where('code', '=', codes[k]!)
      .executeTakeFirstOrThrow()
    const stored = await submitResponse(t.db, {
      clientSubmissionId: `rates-${k}-${crypto.randomUUID()}`,
      version,
      context: { agencyId: snv, procedureId: null, channel: 'counter', linkId: null, invitationId: invitation.id },
      answers: { ...answersFor('S'), 'O.overall': overall },
      submittedAt: new Date('2026-02-05T03:00:00Z'),
    })
    if (stored.status !== 'stored') throw new Error(stored.status)
  }
})
afterAll(async () => {
  await t?.cleanup()
})

async function rows(boundaries: 'current' | 'historical' = 'current'): Promise<Map<string, ScoreRow>> {
  const scores = await computeScores(t.db, {
    questionnaireCode: 'SIPAS-2017',
    rootAgencyCode: 'DEMO-AL',
    period: parsePeriod('2026-Q1')!,
    boundaries,
  })
  if (!scores.ok) throw new Error(scores.error)
  return new Map(scores.rows.map((r) => [r.agency.code, r]))
}

describe('the scores carry the QĐ 766 rate and the response rates', () => {
  it('for a department rated only through the survey', async () => {
    const snv = (await rows()).get('DEMO-AL-SNV')!
    expect(snv.overall.n).toBe(44)
    expect(snv.rate766).toEqual({
      rate: 96.88,
      settled: 160,
      deducted: 5,
      late: 2,
      complained: 2,
      dissatisfied: 1,
      dissatisfiedSource: 'survey',
    })
    expect(snv.responseRate).toEqual({ perInvitation: 40, perDossier: 27.5 })
  })

  it('for a department whose one-stop shop reports its own ratings', async () => {
    const stp = (await rows()).get('DEMO-AL-STP')!
    expect(stp.rate766).toMatchObject({ rate: 96, settled: 150, deducted: 6, dissatisfiedSource: 'one-stop-shop' })
    expect(stp.responseRate).toEqual({ perInvitation: null, perDossier: 20 })
  })

  it('for the province, over its subtree', async () => {
    const al = (await rows()).get('DEMO-AL')!
    expect(al.overall.n).toBe(149)
    expect(al.rate766).toEqual({
      rate: 97.42,
      settled: 310,
      deducted: 8,
      late: 5,
      complained: 2,
      dissatisfied: 1,
      dissatisfiedSource: 'survey',
    })
    expect(al.responseRate).toEqual({ perInvitation: 40, perDossier: 48.06 })
  })

  it('null where there is no denominator', async () => {
    const sxd = (await rows()).get('DEMO-AL-SXD')!
    expect(sxd.rate766).toBeNull()
    expect(sxd.responseRate).toEqual({ perInvitation: null, perDossier: null })
  })

  it('in every row of GET /api/v1/scores', async () => {
    const r = await run(() =>
      scoresLoader({
        request: new Request('http://localhost/api/v1/scores?period=2026-Q1&agency=DEMO-AL', {
          headers: { Authorization: `Bearer ${token}` },
        }),
        context,
        params: {},
      }),
    )
    expect(r.status).toBe(200)
    const body = r.body as { rows: Array<{ agency: { code: string }; rate766: unknown; responseRate: unknown }> }
    for (const row of body.rows) {
      expect(row).toHaveProperty('rate766')
      expect(row).toHaveProperty('responseRate')
    }
    const snv = body.rows.find((row) => row.agency.code === 'DEMO-AL-SNV')!
    expect(snv.rate766).toMatchObject({ rate: 96.88 })
    expect(snv.responseRate).toEqual({ perInvitation: 40, perDossier: 27.5 })
  })
})

describe('the pages show them beside n', () => {
  it('the scores table and the agency page, in Vietnamese and English', async () => {
    const analyst = await signIn(context, 'analyst@rates.vn', 'analyst', 'DEMO-AL')
    const request = (path: string) => new Request(`http://localhost${path}`, { headers: { Cookie: analyst.cookie } })
    const table = await run(() =>
      scoresPageLoader({ request: request('/analytics?period=2026-Q1'), context, params: {} } as never),
    )
    expect(table.status).toBe(200)
    const vi = await renderPage({
      page: ScoresPage,
      path: '/analytics',
      data: table.data,
      lng: 'vi',
      namespace: 'analytics',
    })
    expect(vi).toContain('Tỷ lệ hài lòng QĐ 766')
    expect(vi).toContain('97,42%')
    expect(vi).toContain('(302/310 hồ sơ)')
    expect(vi).toContain('40,00% thư mời')
    const agency = await run(() =>
      agencyLoader({
        request: request('/analytics/agency/DEMO-AL-SNV?period=2026-Q1'),
        context,
        params: { code: 'DEMO-AL-SNV' },
      } as never),
    )
    expect(agency.status).toBe(200)
    const en = await renderPage({
      page: AgencyPage,
      path: '/analytics/agency/DEMO-AL-SNV',
      data: agency.data,
      lng: 'en',
      namespace: 'analytics',
    })
    expect(en).toContain('QĐ 766 satisfaction rate: 96.88%')
    expect(en).toContain('(155 of 160 dossiers) (dissatisfied as rated in invitation responses)')
    expect(en).toContain('40.00% of invitations')
    expect(en).toContain('27.50% of dossiers')
  })
})

describe('the downloads carry them', () => {
  it('CSV columns and the XLSX overall sheet, with Vietnamese headers and numbers as numbers', async () => {
    const analyst = await signIn(context, 'analyst2@rates.vn', 'analyst', 'DEMO-AL')
    const download = (format: 'csv' | 'xlsx') =>
      run(() =>
        exportLoader({
          request: new Request(`http://localhost/analytics/export/${format}?period=2026-Q1`, {
            headers: { Cookie: analyst.cookie },
          }),
          context,
          params: { format },
        } as never),
      )
    const csv = (await download('csv')).text.replace(/^\uFEFF/, '').split('\r\n')
    const header = csv[0]!.split(',')
    const snvLine = csv.find((l) => l.startsWith('DEMO-AL-SNV,'))!.split(',')
    const value = (column: string) => snvLine[header.indexOf(column)]
    expect(value('rate766_pct')).toBe('96.88')
    expect(value('dossiers_settled')).toBe('160')
    expect(value('response_per_invitation_pct')).toBe('40')
    expect(value('response_per_dossier_pct')).toBe('27.5')

    const x = await download('xlsx')
    expect(x.status).toBe(200)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(await x.response!.arrayBuffer())
    const overall = workbook.worksheets[0]!
    let headerRow: ExcelJS.Row | undefined
    let snv: ExcelJS.Row | undefined
    overall.eachRow((r) => {
      const values = (r.values as unknown[]).map(String)
      if (values.includes('Tỷ lệ hài lòng QĐ 766 (%)')) headerRow = r
      if (r.getCell(1).value === 'DEMO-AL-SNV') snv = r
    })
    const headers = (headerRow!.values as unknown[]).map(String)
    const cell = (name: string) => snv!.getCell(headers.indexOf(name)).value
    // Percent columns are stored as shares with a percent format, like every percentage of the workbook.
    expect(cell('Tỷ lệ hài lòng QĐ 766 (%)')).toBeCloseTo(0.9688, 10)
    expect(cell('Tỷ lệ phản hồi trên thư mời (%)')).toBeCloseTo(0.4, 10)
    expect(cell('Số hồ sơ đã giải quyết')).toBe(160)
  })
})

describe('a release', () => {
  it("freezes each agency's QĐ 766 and response rates in its document; later counts never move it", async () => {
    const user = await createUser(
      t.db,
      { email: 'release@rates.vn', role: 'admin', agencyCode: null, password: 'ruộng bậc thang 2026' },
      'test',
    )
    if (!user.ok) throw new Error(user.error)
    const made = await createRelease(
      t.db,
      { agencyCode: 'DEMO-AL', period: '2026-Q1' },
      { userId: user.userId, actor: 'release@rates.vn', role: 'admin', scopePath: null },
    )
    if (!made.ok) throw new Error(made.error)
    const read = async () =>
      await t.db
        .selectFrom('release')
        .select(['document', 'sha256'])
        .where('id', '=', made.id)
        .executeTakeFirstOrThrow()
    const before = await read()
    const document = JSON.parse(before.document) as {
      agencies: Array<{ code: string; rate766?: { rate: number | null }; responseRate?: unknown }>
    }
    const snv = document.agencies.find((a) => a.code === 'DEMO-AL-SNV')!
    expect(snv.rate766).toMatchObject({ rate: 96.88, settled: 160, dissatisfiedSource: 'survey' })
    expect(snv.responseRate).toEqual({ perInvitation: 40, perDossier: 27.5 })
    expect(document.agencies.find((a) => a.code === 'DEMO-AL-SXD')!.rate766).toBeNull()
    // A correction of February's counts changes the live table, never the release.
    await counts('DEMO-AL-SNV', [['2026-02', 80, 0, 1, null]])
    expect((await rows()).get('DEMO-AL-SNV')!.rate766!.settled).toBe(180)
    expect(await read()).toEqual(before)
  })
})
