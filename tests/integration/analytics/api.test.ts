/**
 * The JSON API for other systems, called as route modules: /api/v1/scores returns the numbers of
 * computeScores for the token's subtree; /api/v1/invitations creates one invitation per dossier and never
 * stores the dossier code in clear; /api/v1/openapi.json describes both.
 */
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiToken } from '#app/.server/auth/api-token.ts'
import { computeScores } from '#app/.server/services/scores.ts'
import { disclosedScores } from '#app/domain/export/disclosure.ts'
import { parsePeriod } from '#app/domain/period.ts'
import { action as invitationsAction, loader as invitationsLoader } from '#app/routes/api.v1.invitations.ts'
import { loader as openApiLoader } from '#app/routes/api.v1.openapi[.]json.ts'
import { loader as scoresLoader } from '#app/routes/api.v1.scores.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { SNV, seedFixture } from './fixture.ts'
import { makeContext, run } from '#tests/helpers/remix.ts'
import { agencyId } from './support.ts'

let t: TestDatabase
let context: AppLoadContext
let alToken: string
let snvToken: string

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  await seedFixture(t)
  alToken = await createApiToken(t.db, await agencyId(t, 'DEMO-AL'), 'BI tool', 'test')
  snvToken = await createApiToken(t.db, await agencyId(t, 'DEMO-AL-SNV'), 'one-stop shop', 'test')
})
afterAll(async () => {
  await t?.cleanup()
})

const bearer = (token: string | null): Record<string, string> => (token ? { Authorization: `Bearer ${token}` } : {})
const scores = (search: string, token: string | null = alToken, headers: Record<string, string> = {}) =>
  run(() =>
    scoresLoader({
      request: new Request(`http://localhost/api/v1/scores${search}`, { headers: { ...bearer(token), ...headers } }),
      context,
      params: {},
    }),
  )
const invite = (body: unknown, token: string | null = snvToken) =>
  run(() =>
    invitationsAction({
      request: new Request('http://localhost/api/v1/invitations', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...bearer(token) },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
      context,
      params: {},
    }),
  )

describe('GET /api/v1/scores', () => {
  it('401 without a token or with a bad one', async () => {
    for (const r of [
      await scores('?period=2026-Q1', null),
      await scores('?period=2026-Q1', 'hl_not-a-real-token-at-all'),
      await scores('?period=2026-Q1', null, { Authorization: 'Basic abc' }),
    ]) {
      expect(r.status).toBe(401)
      expect(r.body).toMatchObject({ error: 'unauthorized' })
      expect(r.headers.get('WWW-Authenticate')).toBe('Bearer')
    }
  })

  it('200 with the same numbers as computeScores for the token agency', async () => {
    const r = await scores('?period=2026-Q1')
    expect(r.status).toBe(200)
    const direct = await computeScores(t.db, {
      questionnaireCode: 'SIPAS-2017',
      rootAgencyCode: 'DEMO-AL',
      period: parsePeriod('2026-Q1')!,
      boundaries: 'current',
      options: { weighting: 'design', interval: 'beta' },
    })
    // Only published cells carry a value: the API nulls the rest (disclosedScores).
    if (!direct.ok) throw new Error(direct.error)
    expect(r.body).toEqual(JSON.parse(JSON.stringify(disclosedScores(direct))))
    const body = r.body as {
      rows: Array<{ agency: { code: string }; overall: { estimate: number; n: number; nEff: number }; rank: number }>
    }
    const snv = body.rows.find((x) => x.agency.code === 'DEMO-AL-SNV')!
    expect(snv.overall.estimate).toBeCloseTo(SNV.overall, 12)
    expect(snv.overall.n).toBe(40)
    expect(snv.overall.nEff).toBeCloseTo(SNV.nEff, 9)
    // 3rd: STP is withheld as the complement of SXD (under 30), so it is not ranked.
    expect(snv.rank).toBe(3)
  })

  it("accepts 'questionnaire' as the name of the questionnaire parameter and the analyst's filters", async () => {
    const r = await scores('?questionnaire=SIPAS-2017&period=2026-Q1&agency=DEMO-AL-SNV&weighting=unweighted')
    expect(r.status).toBe(200)
    const body = r.body as {
      rows: Array<{ agency: { code: string }; overall: { estimate: number } }>
      options: { weighting: string }
    }
    expect(body.options.weighting).toBe('unweighted')
    expect(body.rows.map((x) => x.agency.code)).toEqual(['DEMO-AL-SNV'])
    expect(body.rows[0].overall.estimate).toBeCloseTo(0.65, 12)
  })

  it("403 for an agency outside the token's subtree", async () => {
    expect(await scores('?period=2026-Q1&agency=DEMO-AL-STP', snvToken)).toMatchObject({
      status: 403,
      body: { error: 'forbidden' },
    })
    expect(await scores('?period=2026-Q1&agency=DEMO-BS')).toMatchObject({ status: 403, body: { error: 'forbidden' } })
  })

  it('400 for a bad period, 404 for an unknown agency', async () => {
    expect(await scores('?period=2026-Q9')).toMatchObject({
      status: 400,
      body: { error: 'invalid_query', message: 'Kỳ báo cáo không hợp lệ. Dùng dạng 2026, 2026-Q3 hoặc 2026-09.' },
    })
    expect(await scores('?period=2026-Q9', alToken, { 'Accept-Language': 'en' })).toMatchObject({
      status: 400,
      body: { message: 'The period is not valid. Use 2026, 2026-Q3 or 2026-09.' },
    })
    expect((await scores('?period=2026&agency=NOPE')).status).toBe(404)
  })
})

describe('POST /api/v1/invitations', () => {
  it('201 then 200 with the same code for the same dossier; the dossier code is never stored in clear', async () => {
    const first = await invite({
      agencyCode: 'DEMO-AL-SNV',
      dossierCode: 'HS-2026-000123',
      procedureCode: 'DEMO-TTHC-002',
    })
    expect(first.status).toBe(201)
    const view = first.body as { code: string; url: string; qrSvgUrl: string; expiresAt: string }
    expect(view.code).toMatch(/^[A-Za-z0-9]{8,}$/)
    expect(view.url).toBe(`http://localhost/r/${view.code}`)
    expect(view.qrSvgUrl).toBe(`${view.url}/qr.svg`)
    // Default 14 days.
    expect(Math.round((Date.parse(view.expiresAt) - Date.now()) / 86_400_000)).toBe(14)
    const second = await invite({ agencyCode: 'DEMO-AL-SNV', dossierCode: 'HS-2026-000123' })
    expect(second.status).toBe(200)
    expect((second.body as { code: string }).code).toBe(view.code)
    const rows = await t.db.selectFrom('invitation').selectAll().where('code', '=', view.code).execute()
    expect(rows.length).toBe(1)
    expect(rows[0].dossier_hash).toBeTruthy()
    expect(rows[0].dossier_hash).not.toBe('HS-2026-000123')
    expect(rows[0].dossier_hash).not.toContain('000123')
    expect(rows[0].agency_id).toBe(await agencyId(t, 'DEMO-AL-SNV'))
    // Nowhere in the database in clear.
    const invitationText = JSON.stringify(await t.db.selectFrom('invitation').selectAll().execute())
    const auditText = JSON.stringify(await t.db.selectFrom('audit_log').selectAll().execute())
    expect(invitationText).not.toContain('HS-2026-000123')
    expect(auditText).not.toContain('HS-2026-000123')
  })

  it('a different dossier gets a different invitation', async () => {
    const a = await invite({ agencyCode: 'DEMO-AL-SNV', dossierCode: 'HS-A' })
    const b = await invite({ agencyCode: 'DEMO-AL-SNV', dossierCode: 'HS-B' })
    expect([a.status, b.status]).toEqual([201, 201])
    expect((a.body as { code: string }).code).not.toBe((b.body as { code: string }).code)
  })

  it('400 for a body that is not JSON', async () => {
    expect(await invite('{not json')).toMatchObject({
      status: 400,
      body: { error: 'invalid_json', message: 'Nội dung yêu cầu không phải JSON hợp lệ.' },
    })
  })

  it('400 with fieldErrors for an invalid body', async () => {
    const r = await invite({ agencyCode: '', channel: 'pigeon', expiresInDays: 1000 })
    expect(r.status).toBe(400)
    const body = r.body as { error: string; message: string; fieldErrors: Record<string, string> }
    expect(body.error).toBe('invalid_body')
    expect(body.message).toBe('Dữ liệu gửi lên không hợp lệ.')
    expect(Object.keys(body.fieldErrors).sort()).toEqual(['agencyCode', 'channel', 'expiresInDays'])
    const missing = await invite({})
    expect(missing.status).toBe(400)
    expect(Object.keys((missing.body as { fieldErrors: object }).fieldErrors)).toEqual(['agencyCode'])
  })

  it('404 for an unknown agency (or a merged one)', async () => {
    expect(await invite({ agencyCode: 'NOPE', dossierCode: 'X1' }, alToken)).toMatchObject({
      status: 404,
      body: { error: 'unknownAgency' },
    })
    expect(await invite({ agencyCode: 'DEMO-BS-H-BINHMINH', dossierCode: 'X1' }, alToken)).toMatchObject({
      status: 404,
      body: { error: 'unknownAgency' },
    })
    expect(await invite({ agencyCode: 'DEMO-AL-SNV', procedureCode: 'NOPE' })).toMatchObject({
      status: 404,
      body: { error: 'unknownProcedure' },
    })
  })

  it("403 for another agency's token; the province token may invite for its units", async () => {
    expect(await invite({ agencyCode: 'DEMO-AL-STP', dossierCode: 'HS-9' }, snvToken)).toMatchObject({
      status: 403,
      body: { error: 'forbidden' },
    })
    expect((await invite({ agencyCode: 'DEMO-AL-STP', dossierCode: 'HS-9' }, alToken)).status).toBe(201)
  })

  it('401 for a missing or bad token, before reading the body', async () => {
    expect(await invite({ agencyCode: 'DEMO-AL-SNV' }, null)).toMatchObject({
      status: 401,
      body: { error: 'unauthorized' },
    })
    expect(await invite({ agencyCode: 'DEMO-AL-SNV' }, 'hl_wrong-token-0123456789')).toMatchObject({ status: 401 })
    expect(await invite('{not json', 'hl_wrong-token-0123456789')).toMatchObject({ status: 401 })
  })

  it('a revoked token is refused', async () => {
    const token = await createApiToken(t.db, await agencyId(t, 'DEMO-AL-SNV'), 'revoked', 'test')
    await t.db
      .updateTable('api_token')
      .set({ revoked_at: new Date().toISOString() })
      .where('label', '=', 'revoked')
      .execute()
    expect((await invite({ agencyCode: 'DEMO-AL-SNV' }, token)).status).toBe(401)
    expect((await scores('?period=2026', token)).status).toBe(401)
  })

  it('GET is 405', async () => {
    const r = await run(() => invitationsLoader())
    expect(r.status).toBe(405)
    expect(r.headers.get('Allow')).toBe('POST')
  })
})

describe('GET /api/v1/openapi.json', () => {
  it('is served and describes both paths', async () => {
    const r = await run(() =>
      openApiLoader({ request: new Request('http://localhost/api/v1/openapi.json'), context, params: {} }),
    )
    expect(r.status).toBe(200)
    expect(r.headers.get('Content-Type')).toContain('application/json')
    const doc = r.body as {
      openapi: string
      servers: Array<{ url: string }>
      paths: Record<string, Record<string, unknown>>
    }
    expect(doc.openapi).toMatch(/^3\./)
    expect(doc.servers[0].url).toBe('http://localhost/api/v1')
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/scores', '/invitations']))
    expect(doc.paths['/scores'].get).toBeDefined()
    expect(doc.paths['/invitations'].post).toBeDefined()
  })
})
