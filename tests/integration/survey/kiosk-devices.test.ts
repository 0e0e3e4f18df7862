/**
 * Kiosk tablets (issue 14, docs/anti-rigging.md "Kiosks"): a manager enrols the tablet in hand for a kiosk
 * link; that browser then carries a device cookie whose keyed hash alone is stored. Its responses through
 * that link are exempt from the network caps and stored with entry channel `kiosk`; without an enrolled
 * device (none, revoked, or enrolled for another link) a kiosk link's responses are thanked and quarantined.
 */
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { issueFormToken, tokenEntry } from '#app/.server/anti-rigging/form-token.ts'
import { createSession } from '#app/.server/auth/session.ts'
import { randomCode } from '#app/.server/codes.ts'
import { insertLink } from '#app/.server/repos/links.ts'
import type { SurveyPageData } from '#app/domain/survey/view.ts'
import { action as kioskAction, loader as kioskLoader } from '#app/routes/admin.links.$id.kiosk.tsx'
import { loader as linkLoader } from '#app/routes/s.$code.tsx'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run, type SignedIn, signIn } from '#tests/helpers/remix.ts'
import { args, get, post as adminPost } from '../admin/support.ts'
import {
  callSurveyAction,
  counts,
  fixture,
  insertInvitation,
  post,
  type SurveyFixture,
  validFields,
} from './support.ts'

let t: TestDatabase
let f: SurveyFixture
let admin: AppLoadContext
let managerSNV: SignedIn
let managerSTP: SignedIn
const links = { snv: { id: 0, code: '' }, snv2: { id: 0, code: '' }, stp: { id: 0, code: '' } }

async function agencyId(code: string) {
  return (await t.db.selectFrom('agency').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id
}

async function newLink(agencyCode: string, kind: 'poster' | 'kiosk') {
  const code = randomCode()
  const id = await insertLink(
    t.db,
    {
      code,
      agencyId: await agencyId(agencyCode),
      questionnaireId: f.questionnaireId,
      procedureId: null,
      counterLabel: 'Quầy 3',
      kind,
    },
    new Date().toISOString(),
  )
  return { id, code }
}

beforeAll(async () => {
  t = await createTestDatabase({ seed: 'demo' })
  f = await fixture(t)
  admin = makeContext(t)
  managerSNV = await signIn(admin, `kiosk-snv-${process.pid}@example.vn`, 'manager', 'DEMO-AL-SNV')
  managerSTP = await signIn(admin, `kiosk-stp-${process.pid}@example.vn`, 'manager', 'DEMO-AL-STP')
  links.snv = await newLink('DEMO-AL-SNV', 'kiosk')
  links.snv2 = await newLink('DEMO-AL-SNV', 'kiosk')
  links.stp = await newLink('DEMO-AL-STP', 'kiosk')
})
afterAll(async () => t?.cleanup())

/** Caps on, with their defaults (10 an hour, 30 a day), everyone from one IPv4 network. */
const capped = () => makeContext(t, { RATE_LIMIT: 'on' }, '198.51.100.9')

function enrolRequest(linkId: number, cookie: string, label = 'Quầy 3, tablet A') {
  return kioskAction(
    args(admin, adminPost(`/admin/links/${linkId}/kiosk`, { intent: 'enrol', label }, cookie), { id: String(linkId) }),
  )
}

/** The SNV manager signed in on a new browser: enrolling signs that browser out. */
async function tabletSession() {
  return (await createSession(admin, managerSNV.userId)).split(';')[0]!
}

/** Enrols a browser for the link as the SNV manager; returns its `Cookie` value and the raw Set-Cookie. */
async function enrol(linkId: number, label?: string) {
  const outcome = await run(async () => enrolRequest(linkId, await tabletSession(), label))
  expect(outcome.status).toBe(302)
  const setCookies = outcome.headers.getSetCookie()
  const kiosk = setCookies.find((c) => c.startsWith('hl_kiosk='))!
  expect(kiosk).toBeDefined()
  return { cookie: kiosk.split(';')[0]!, setCookie: kiosk, setCookies, location: outcome.location }
}

async function fetchPage(code: string, ctx: AppLoadContext, cookie?: string, query = '') {
  const request = new Request(`http://localhost/s/${code}${query}`, { headers: cookie ? { Cookie: cookie } : {} })
  const page = await run(() => linkLoader({ request, params: { code }, context: ctx } as never))
  expect(page.status).toBe(200)
  return (page.data as SurveyPageData).formToken
}

/** Fetches the page and posts a full answer set with its token, as the tablet would; returns the stored row. */
async function answer(
  code: string,
  via: 'html' | 'json',
  options: { cookie?: string; ctx?: AppLoadContext; token?: string; query?: string } = {},
) {
  const ctx = options.ctx ?? capped()
  const headers: Record<string, string> = options.cookie ? { Cookie: options.cookie } : {}
  const token = options.token ?? (await fetchPage(code, ctx, options.cookie, options.query))
  const fields = validFields(f, [['_token', token]])
  const sid = fields.find(([k]) => k === '_sid')![1]
  const url = `/s/${code}${via === 'json' ? '/submit' : ''}${options.query ?? ''}`
  const res = await callSurveyAction('s', via, code, post(url, fields, headers), ctx)
  // Never a refusal: thanked on both paths, whatever is decided about counting it.
  expect(res.status).toBe(via === 'html' ? 303 : 200)
  if (via === 'json') expect(res.data).toMatchObject({ ok: true })
  return t.db
    .selectFrom('response')
    .select(['quarantine_reason', 'entry_channel'])
    .where('client_submission_id', '=', sid)
    .executeTakeFirstOrThrow()
}

describe('enrolment', () => {
  it('sets a long-lived httpOnly cookie, stores only its keyed hash, signs the tablet out and opens the survey', async () => {
    const before = await t.db.selectFrom('kiosk_device').select('id').execute()
    const { cookie, setCookie, setCookies, location } = await enrol(links.snv.id)
    expect(location).toBe(`/s/${links.snv.code}`)
    expect(setCookie).toMatch(/HttpOnly/i)
    expect(setCookie).toMatch(/SameSite=Lax/i)
    expect(setCookie).toMatch(/Max-Age=34560000/)
    expect(setCookie).not.toMatch(/Secure/i)
    expect(setCookies.some((c) => /^hl_session=;/.test(c) && /Max-Age=0/.test(c))).toBe(true)

    const rows = await t.db.selectFrom('kiosk_device').selectAll().where('link_id', '=', links.snv.id).execute()
    expect(rows).toHaveLength(before.length + 1)
    const row = rows.at(-1)!
    expect(row).toMatchObject({ label: 'Quầy 3, tablet A', enrolled_by: managerSNV.userId, revoked_at: null })
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/)
    // Neither the cookie nor the token inside it is stored anywhere in the row.
    const value = decodeURIComponent(cookie.slice('hl_kiosk='.length))
    const token = JSON.parse(Buffer.from(value.slice(0, value.lastIndexOf('.')), 'base64').toString()) as string
    expect(token.length).toBeGreaterThanOrEqual(40)
    expect(JSON.stringify(rows)).not.toContain(token)
    expect(JSON.stringify(rows)).not.toContain(value)

    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id', 'user_id'])
      .where('action', '=', 'kiosk.enrol')
      .where('entity_id', '=', String(row.id))
      .executeTakeFirstOrThrow()
    expect(audit.user_id).toBe(managerSNV.userId)

    // The page lists it, with who enrolled it.
    const page = await run(() =>
      kioskLoader(
        args(admin, get(`/admin/links/${links.snv.id}/kiosk`, managerSNV.cookie), { id: String(links.snv.id) }),
      ),
    )
    expect(page.status).toBe(200)
    const devices = (page.data as { devices: Array<{ id: number; label: string; enrolledBy: string }> }).devices
    expect(devices.find((d) => d.id === row.id)).toMatchObject({
      label: 'Quầy 3, tablet A',
      enrolledBy: managerSNV.email,
    })
  })

  it('is Secure behind HTTPS', async () => {
    const https = makeContext(t, { PUBLIC_URL: 'https://hailong.example.vn' })
    const session = await tabletSession()
    const outcome = await run(() =>
      kioskAction(
        args(https, adminPost(`/admin/links/${links.snv.id}/kiosk`, { intent: 'enrol', label: 'HTTPS' }, session), {
          id: String(links.snv.id),
        }),
      ),
    )
    expect(outcome.headers.getSetCookie().find((c) => c.startsWith('hl_kiosk='))).toMatch(/Secure/)
  })

  it('re-enrolling a browser replaces its device: the old one is revoked and audited', async () => {
    const first = await enrol(links.snv.id, 'Quầy 6')
    const old = await t.db
      .selectFrom('kiosk_device')
      .select('id')
      .where('label', '=', 'Quầy 6')
      .executeTakeFirstOrThrow()
    const session = await tabletSession()
    const again = await run(() => enrolRequest(links.snv.id, `${session}; ${first.cookie}`, 'Quầy 6 bis'))
    expect(again.status).toBe(302)
    const row = await t.db.selectFrom('kiosk_device').selectAll().where('id', '=', old.id).executeTakeFirstOrThrow()
    expect(row.revoked_by).toBe(managerSNV.userId)
    expect(
      await t.db
        .selectFrom('audit_log')
        .select('action')
        .where('entity', '=', 'kiosk_device')
        .where('entity_id', '=', String(old.id))
        .orderBy('id')
        .execute(),
    ).toEqual([{ action: 'kiosk.enrol' }, { action: 'kiosk.revoke' }])
    expect(await answer(links.snv.code, 'html', { cookie: first.cookie })).toMatchObject({
      quarantine_reason: 'kiosk not enrolled',
    })
  })

  it('refuses a manager of another agency (403), an unknown link (404), a poster link and a missing label (400)', async () => {
    const devicesBefore = (await t.db.selectFrom('kiosk_device').select('id').execute()).length
    const auditBefore = (await t.db.selectFrom('audit_log').select('id').execute()).length
    const denied = await run(() => enrolRequest(links.snv.id, managerSTP.cookie))
    expect([denied.status, denied.text]).toEqual([403, 'Bạn không có quyền thực hiện thao tác này.'])
    const missing = await run(() => enrolRequest(999_999, managerSNV.cookie))
    expect([missing.status, missing.text]).toEqual([404, 'Không tìm thấy.'])
    const poster = await newLink('DEMO-AL-SNV', 'poster')
    const notKiosk = await run(() => enrolRequest(poster.id, managerSNV.cookie))
    expect(notKiosk.status).toBe(400)
    expect(notKiosk.text).toBe('Chỉ liên kết loại máy tính bảng mới đăng ký được thiết bị.')
    const noLabel = await run(() => enrolRequest(links.snv.id, managerSNV.cookie, '   '))
    expect(noLabel.status).toBe(400)
    const page = await run(() =>
      kioskLoader(
        args(admin, get(`/admin/links/${links.snv.id}/kiosk`, managerSTP.cookie), { id: String(links.snv.id) }),
      ),
    )
    expect(page.status).toBe(403)
    expect((await t.db.selectFrom('kiosk_device').select('id').execute()).length).toBe(devicesBefore)
    expect((await t.db.selectFrom('audit_log').select('id').execute()).length).toBe(auditBefore)
  })
})

/** Pages counted against networks on the link (hourly counters). */
async function issuedOn(linkId: number) {
  const rows = await t.db
    .selectFrom('network_counter')
    .select('count')
    .where('link_id', '=', linkId)
    .where('kind', '=', 'issued:h')
    .execute()
  return rows.reduce((sum, r) => sum + Number(r.count), 0)
}

describe('an enrolled tablet', () => {
  it('has 40 responses from one network in an hour all counted, channel kiosk, on both paths', async () => {
    const { cookie } = await enrol(links.snv.id, 'Quầy 3, tablet B')
    const before = await counts(t)
    const issuedBefore = await issuedOn(links.snv.id)
    const stored = []
    for (let i = 0; i < 40; i++) stored.push(await answer(links.snv.code, i % 2 ? 'json' : 'html', { cookie }))
    expect(stored.filter((r) => r.quarantine_reason === null && r.entry_channel === 'kiosk')).toHaveLength(40)
    const after = await counts(t)
    expect(after.response).toBe(before.response + 40)
    expect(after.composite_n).toBeGreaterThan(before.composite_n)
    // Its pages were not counted against the network either.
    expect(await issuedOn(links.snv.id)).toBe(issuedBefore)

    // The same network without the cookie is capped as usual: it is the device that is exempt.
    const bare = []
    for (let i = 0; i < 11; i++) bare.push(await answer(f.linkCode, 'html'))
    expect(bare.at(-1)).toMatchObject({ quarantine_reason: 'network cap', entry_channel: 'open_link' })
  })

  it('is not a kiosk for another link, nor on an invitation (which keeps its channel)', async () => {
    const { cookie } = await enrol(links.snv2.id, 'Quầy 4')
    for (const via of ['html', 'json'] as const)
      expect(await answer(links.snv.code, via, { cookie })).toEqual({
        quarantine_reason: 'kiosk not enrolled',
        entry_channel: 'open_link',
      })
    const invitation = await insertInvitation(t, f)
    const fields = validFields(f)
    const sid = fields.find(([k]) => k === '_sid')![1]
    const res = await callSurveyAction(
      'r',
      'html',
      invitation.code,
      post(`/r/${invitation.code}`, fields, { Cookie: cookie }),
      capped(),
    )
    expect(res.status).toBe(303)
    expect(
      await t.db
        .selectFrom('response')
        .select(['entry_channel', 'quarantine_reason'])
        .where('client_submission_id', '=', sid)
        .executeTakeFirstOrThrow(),
    ).toEqual({ entry_channel: 'invitation', quarantine_reason: null })
  })

  it('stops counting the moment it is revoked, even with a page fetched before', async () => {
    const { cookie } = await enrol(links.snv.id, 'Quầy 5')
    const device = await t.db
      .selectFrom('kiosk_device')
      .select('id')
      .where('link_id', '=', links.snv.id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    const ctx = capped()
    const earlier = await fetchPage(links.snv.code, ctx, cookie)
    expect(await answer(links.snv.code, 'json', { cookie, ctx })).toMatchObject({ entry_channel: 'kiosk' })

    const revoke = (who: SignedIn) =>
      run(() =>
        kioskAction(
          args(
            admin,
            adminPost(
              `/admin/links/${links.snv.id}/kiosk`,
              { intent: 'revoke', deviceId: String(device.id) },
              who.cookie,
            ),
            { id: String(links.snv.id) },
          ),
        ),
      )
    // A manager of another agency can neither revoke it nor see it.
    const denied = await revoke(managerSTP)
    expect([denied.status, denied.text]).toEqual([403, 'Bạn không có quyền thực hiện thao tác này.'])
    expect(await answer(links.snv.code, 'html', { cookie, ctx })).toMatchObject({ entry_channel: 'kiosk' })

    const done = await revoke(managerSNV)
    expect([done.status, done.location]).toEqual([302, `/admin/links/${links.snv.id}/kiosk?done=revoked`])
    const row = await t.db.selectFrom('kiosk_device').selectAll().where('id', '=', device.id).executeTakeFirstOrThrow()
    expect(row.revoked_by).toBe(managerSNV.userId)
    expect(
      await t.db
        .selectFrom('audit_log')
        .select('user_id')
        .where('action', '=', 'kiosk.revoke')
        .where('entity_id', '=', String(device.id))
        .execute(),
    ).toEqual([{ user_id: managerSNV.userId }])

    for (const via of ['html', 'json'] as const)
      expect(await answer(links.snv.code, via, { cookie, ctx })).toEqual({
        quarantine_reason: 'kiosk not enrolled',
        entry_channel: 'open_link',
      })
    expect(await answer(links.snv.code, 'html', { cookie, ctx, token: earlier })).toEqual({
      quarantine_reason: 'kiosk not enrolled',
      entry_channel: 'open_link',
    })
  })
})

describe('a kiosk link without an enrolled tablet', () => {
  it('shows the survey and thanks, but quarantines: kiosk not enrolled, on both paths', async () => {
    for (const via of ['html', 'json'] as const)
      expect(await answer(links.stp.code, via)).toEqual({
        quarantine_reason: 'kiosk not enrolled',
        entry_channel: 'open_link',
      })
  })

  it('is not made a kiosk by a page token that claims it, without the device', async () => {
    const token = issueFormToken('x'.repeat(32), {
      entry: tokenEntry('s', links.stp.code),
      networkHash: 'test',
      overCap: false,
      kiosk: true,
    })
    expect(await answer(links.stp.code, 'json', { token })).toEqual({
      quarantine_reason: 'kiosk not enrolled',
      entry_channel: 'open_link',
    })
  })

  it('leaves a poster link opened with ?kiosk=1 an open link, capped as usual', async () => {
    const ctx = makeContext(t, { RATE_LIMIT: 'on', NETWORK_CAP_PER_HOUR: '1' }, '192.0.2.77')
    const first = await answer(f.linkCode, 'html', { ctx, query: '?kiosk=1' })
    expect(first).toEqual({ quarantine_reason: null, entry_channel: 'open_link' })
    const second = await answer(f.linkCode, 'json', { ctx, query: '?kiosk=1' })
    expect(second).toEqual({ quarantine_reason: 'network cap', entry_channel: 'open_link' })
  })
})
