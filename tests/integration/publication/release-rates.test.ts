/**
 * The QĐ 766 and response rates on every published surface of a release (issue #17, docs/dossiers.md,
 * docs/publication.md): /ket-qua/{id} in Vietnamese and English, the CSV, the report-ready XLSX, the
 * printed report, the diff of a correction; a release without them reads as before; and the index that
 * serves the "invitations issued" count. Numbers worked out by hand, 2026-Q1 under DEMO-AL:
 *
 *   DEMO-AL-SNV  40 responses; dossiers 2026-01: settled 100, late 2, complained 1, rated dissatisfied 0;
 *                2026-02: settled 60, late 0, complained 1, rated 0 → deducted 4 → 156/160 = 97,5 %;
 *                per dossier 40/160 = 25 %; no invitation: no rate per invitation.
 *   The correction adds 2026-03: settled 40, late 8 → deducted 12 → 188/200 = 94 %; per dossier 20 %.
 *   DEMO-AL-STP  30 responses, no dossier count: "—".
 */
import ExcelJS from 'exceljs'
import { CompiledQuery, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invitationsIssued } from '#app/.server/repos/dossier-counts.ts'
import { writeDossierCounts } from '#app/.server/services/dossier-counts.ts'
import { approveRelease, createRelease, publishRelease, type ReleaseActor } from '#app/.server/services/releases.ts'
import type { ReleaseDocument } from '#app/domain/publication/release-document.ts'
import ReleasePage, { loader as pageLoader } from '#app/routes/ket-qua.$id.tsx'
import ReleaseReport, { loader as reportLoader } from '#app/routes/ket-qua_.$id.bao-cao.tsx'
import { loader as csvLoader } from '#app/routes/ket-qua_.$id.csv.ts'
import { loader as xlsxLoader } from '#app/routes/ket-qua_.$id.xlsx.ts'
import { createDb } from '#db/client.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run, signIn } from '#tests/helpers/remix.ts'
import { renderPage } from '#tests/helpers/render-page.ts'
import { agencyId, type Batch, seed } from '../analytics/support.ts'

const BATCHES: Batch[] = [
  { agency: 'DEMO-AL-SNV', at: '2026-02-10T03:00:00Z', profile: 'S', count: 20 },
  { agency: 'DEMO-AL-SNV', at: '2026-02-12T03:00:00Z', profile: 'U', count: 20 },
  { agency: 'DEMO-AL-STP', at: '2026-01-15T03:00:00Z', profile: 'S', count: 30 },
]

let t: TestDatabase
let context: ReturnType<typeof makeContext>
let first: number
let second: number
let publish: (period: string) => Promise<number>

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
  await seed(t, BATCHES)
  await counts('DEMO-AL-SNV', [
    ['2026-01', 100, 2, 1, 0],
    ['2026-02', 60, 0, 1, 0],
  ])
  const [author, approver] = await Promise.all([
    signIn(context, 'author@example.vn', 'admin', null),
    signIn(context, 'approver@example.vn', 'admin', null),
  ])
  const actor = (s: { userId: number; email: string }): ReleaseActor => ({
    userId: s.userId,
    actor: s.email,
    role: 'admin',
    scopePath: null,
  })
  publish = async (period: string) => {
    const created = await createRelease(t.db, { agencyCode: 'DEMO-AL', period }, actor(author))
    if (!created.ok) throw new Error(created.error)
    expect(await approveRelease(t.db, created.id, actor(approver))).toEqual({ ok: true })
    expect(await publishRelease(t.db, created.id, actor(approver))).toMatchObject({ ok: true })
    return created.id
  }
  first = await publish('Quý I/2026')
})
afterAll(() => t?.cleanup())

const get = (loader: (args: never) => unknown, path: string, id: number) =>
  run(() =>
    (loader as (a: unknown) => unknown)({
      request: new Request(`http://localhost${path}`),
      params: { id: String(id) },
      context,
    }),
  )

const render = (page: Parameters<typeof renderPage>[0]['page'], path: string, data: unknown, lng: 'vi' | 'en') =>
  renderPage({ page, path, data, lng, namespace: 'results' })

/** The page's data with the rates taken out of every agency: a release made before they existed. */
function withoutRates<T extends { document: ReleaseDocument }>(data: T): T {
  return {
    ...data,
    document: {
      ...data.document,
      agencies: data.document.agencies.map(({ rate766: _r, responseRate: _s, ...a }) => a),
    },
  }
}

describe('a release with the QĐ 766 and response rates', () => {
  it('/ket-qua/{id} shows them beside each score, in Vietnamese and English', async () => {
    const page = await get(pageLoader, `/ket-qua/${first}`, first)
    expect(page.status).toBe(200)
    const snv = (page.data as { document: ReleaseDocument }).document.agencies.find((a) => a.code === 'DEMO-AL-SNV')!
    expect(snv.rate766).toMatchObject({ rate: 97.5, settled: 160, deducted: 4, dissatisfiedSource: 'one-stop-shop' })
    expect(snv.responseRate).toEqual({ perInvitation: null, perDossier: 25 })
    const vi = await render(ReleasePage, '/ket-qua/:id', page.data, 'vi')
    expect(vi).toContain('Tỷ lệ hài lòng QĐ 766 (%)')
    expect(vi).toContain('Tỷ lệ phản hồi trên hồ sơ đã giải quyết (%)')
    expect(vi).toContain('97,50%')
    expect(vi).toContain('(156/160 hồ sơ)')
    expect(vi).toContain('25,00%')
    expect(vi).toContain('Tỷ lệ hài lòng theo QĐ 766/QĐ-TTg: (số hồ sơ đã giải quyết')
    const en = await render(ReleasePage, '/ket-qua/:id', page.data, 'en')
    expect(en).toContain('QĐ 766 satisfaction rate (%)')
    expect(en).toContain('97.50%')
    expect(en).toContain('(156/160 dossiers)')
  })

  it('a release without them shows no rate column and no error', async () => {
    const page = await get(pageLoader, `/ket-qua/${first}`, first)
    const old = withoutRates(page.data as { document: ReleaseDocument })
    for (const lng of ['vi', 'en'] as const) {
      const html = await render(ReleasePage, '/ket-qua/:id', old, lng)
      expect(html).toContain(lng === 'vi' ? 'Xếp hạng theo cấp' : 'Rankings by level')
      expect(html).not.toMatch(/QĐ 766/)
    }
    const report = await get(reportLoader, `/ket-qua/${first}/bao-cao`, first)
    const printed = await render(
      ReleaseReport,
      '/ket-qua/:id/bao-cao',
      withoutRates(report.data as { document: ReleaseDocument }),
      'vi',
    )
    expect(printed).not.toContain('data-release-rates')
  })

  it('the CSV ends each row with them, as numbers (decimal commas in the Vietnamese dialect)', async () => {
    const csv = await get(csvLoader, `/ket-qua/${first}/csv`, first)
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    const header = lines[0]!.split(',')
    expect(header.slice(-4)).toEqual([
      'rate766_pct',
      'dossiers_settled',
      'response_per_invitation_pct',
      'response_per_dossier_pct',
    ])
    const snv = lines.find((l) => l.includes(',DEMO-AL-SNV,'))!.split(',')
    expect(snv.slice(-4)).toEqual(['97.5', '160', '', '25'])
    const stp = lines.find((l) => l.includes(',DEMO-AL-STP,'))!.split(',')
    expect(stp.slice(-4)).toEqual(['', '', '', ''])
    const vi = await get(csvLoader, `/ket-qua/${first}/csv?csv=vi`, first)
    const viSnv = vi.text
      .split('\r\n')
      .find((l) => l.includes(';DEMO-AL-SNV;'))!
      .split(';')
    expect(viSnv.slice(-4)).toEqual(['97,5', '160', '', '25'])
  })

  it('the XLSX overall sheet carries them with Vietnamese headers and numeric cells', async () => {
    const x = await get(xlsxLoader, `/ket-qua/${first}/xlsx`, first)
    expect(x.status).toBe(200)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(await x.response!.arrayBuffer())
    const sheet = workbook.getWorksheet('Tổng hợp')!
    const headers = (sheet.getRow(3).values as unknown[]).slice(1)
    const at = (h: string) => headers.indexOf(h) + 1
    for (const h of [
      'Tỷ lệ hài lòng QĐ 766 (%)',
      'Số hồ sơ đã giải quyết',
      'Tỷ lệ phản hồi trên thư mời (%)',
      'Tỷ lệ phản hồi trên hồ sơ đã giải quyết (%)',
    ])
      expect(headers).toContain(h)
    let snv: ExcelJS.Row | undefined
    sheet.eachRow((r) => {
      if (r.getCell(1).value === 'DEMO-AL-SNV') snv = r
    })
    // Percentages stored as shares with a percent format, counts as numbers, no denominator as empty.
    expect(snv!.getCell(at('Tỷ lệ hài lòng QĐ 766 (%)')).value).toBeCloseTo(0.975, 10)
    expect(snv!.getCell(at('Tỷ lệ hài lòng QĐ 766 (%)')).numFmt).toContain('%')
    expect(snv!.getCell(at('Số hồ sơ đã giải quyết')).value).toBe(160)
    expect(snv!.getCell(at('Tỷ lệ phản hồi trên hồ sơ đã giải quyết (%)')).value).toBeCloseTo(0.25, 10)
    expect(snv!.getCell(at('Tỷ lệ phản hồi trên thư mời (%)')).value).toBeNull()
  })

  it('the printed report has a table of them', async () => {
    const r = await get(reportLoader, `/ket-qua/${first}/bao-cao`, first)
    expect(r.status).toBe(200)
    const html = await render(ReleaseReport, '/ket-qua/:id/bao-cao', r.data, 'vi')
    expect(html).toContain('<h2>Tỷ lệ hài lòng theo QĐ 766/QĐ-TTg và tỷ lệ phản hồi</h2>')
    expect(html).toContain('97,50%')
    const en = await render(ReleaseReport, '/ket-qua/:id/bao-cao', r.data, 'en')
    expect(en).toContain('<h2>QĐ 766/QĐ-TTg satisfaction rate and response rates</h2>')
  })

  it('a correction lists the rates that moved', async () => {
    await counts('DEMO-AL-SNV', [['2026-03', 40, 8, 0, 0]])
    second = await publish('Quý I/2026')
    const page = await get(pageLoader, `/ket-qua/${second}`, second)
    const changes = (page.data as { changes: Array<Record<string, unknown>> }).changes
    expect(changes).toContainEqual({ agency: 'DEMO-AL-SNV', quantity: 'rate766', before: 97.5, after: 94 })
    expect(changes).toContainEqual({ agency: 'DEMO-AL-SNV', quantity: 'rate766.settled', before: 160, after: 200 })
    expect(changes).toContainEqual({
      agency: 'DEMO-AL-SNV',
      quantity: 'responseRate.perDossier',
      before: 25,
      after: 20,
    })
    // The scores did not move: only the rates are listed for SNV.
    expect(changes.filter((c) => c.agency === 'DEMO-AL-SNV').map((c) => c.quantity)).toEqual([
      'rate766',
      'rate766.settled',
      'responseRate.perDossier',
    ])
    const vi = await render(ReleasePage, '/ket-qua/:id', page.data, 'vi')
    expect(vi).toContain('<code>rate766</code>')
    // Before and after in the reader's number format.
    expect(vi).toContain('<td class="num">97,50</td>')
  })
})

describe('the invitations issued count', () => {
  it('is served by invitation_issued_idx', async () => {
    const questionnaire = await t.db
      .selectFrom('questionnaire')
      .select('id')
      .where('code', '=', 'SIPAS-2017')
      .executeTakeFirstOrThrow()
    const agencies = await t.db.selectFrom('agency').select('id').limit(8).execute()
    // Five years of invitations, a quarter of which is one period: enough for a planner to prefer the index.
    const rows = Array.from({ length: 20_000 }, (_, k) => {
      const month = k % 60
      const created = new Date(Date.UTC(2022, month, 1 + (k % 27), 3)).toISOString()
      return {
        code: `PLAN-${k}`,
        agency_id: agencies[k % agencies.length]!.id,
        questionnaire_id: questionnaire.id,
        procedure_id: null,
        dossier_hash: null,
        channel: 'counter' as const,
        expires_at: created,
        used_at: null,
        created_at: created,
      }
    })
    for (let i = 0; i < rows.length; i += 500)
      await t.db
        .insertInto('invitation')
        .values(rows.slice(i, i + 500))
        .execute()
    const captured: Array<{ sql: string; parameters: readonly unknown[] }> = []
    const db = createDb(
      t.dialect === 'postgres' ? { dialect: 'postgres', url: t.url, poolSize: 1 } : { dialect: 'sqlite', file: t.file },
      {
        onQuery: (text, parameters) => captured.push({ sql: text, parameters }),
      },
    )
    try {
      // Planner statistics, as a maintained database has them.
      await sql`analyze`.execute(db)
      const issued = await invitationsIssued(
        db,
        questionnaire.id,
        '2025-12-31T17:00:00.000Z',
        '2026-03-31T17:00:00.000Z',
      )
      expect(issued.reduce((s, r) => s + r.n, 0)).toBeGreaterThan(0)
      const statement = captured.find((c) => /from "invitation"/.test(c.sql))!
      const explain = t.dialect === 'postgres' ? 'explain ' : 'explain query plan '
      const plan = await db.executeQuery<Record<string, unknown>>(
        CompiledQuery.raw(explain + statement.sql, [...statement.parameters]),
      )
      const text = plan.rows.map((r) => String(r['QUERY PLAN'] ?? r.detail)).join('\n')
      expect(text).toContain('invitation_issued_idx')
      expect(text).not.toMatch(/SCAN invitation\b(?! USING)|Seq Scan on invitation/)
    } finally {
      await db.destroy()
    }
  })
})
