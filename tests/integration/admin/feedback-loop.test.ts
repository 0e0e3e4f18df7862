/**
 * Issue 19, point 5, "closing the loop": a manager's landing page shows the low ratings and suggestions of
 * their units (never another agency's, never quarantined ones, personal data masked); each item is marked
 * handled with a required note or reopened, audited, and refused with a translated 4xx outside the scope or
 * without a note, storing nothing. The province's webhook refuses bad URLs with a translated message and
 * delivers the digest, signed with HMAC-SHA256, to a real HTTP receiver started here.
 */
import crypto from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import AdminHome, { loader as homeLoader } from '#app/routes/admin._index.tsx'
import Feedback, { action, loader } from '#app/routes/admin.feedback.tsx'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run, type SignedIn, signIn } from '#tests/helpers/remix.ts'
import { renderPage } from '#tests/helpers/render-page.ts'
import { runCli } from '#scripts/support/cli.ts'
import { seed } from '../analytics/support.ts'
import { args, auditActions, get, lastAuditId, post } from './support.ts'

let t: TestDatabase
let context: AppLoadContext
/** The same database with private webhook targets allowed (WEBHOOK_ALLOW_PRIVATE=on), for the local receiver. */
let allowing: AppLoadContext
let admin: SignedIn
let managerSTP: SignedIn
let managerSNV: SignedIn
let lowSTP: number
let suggestionSTP: number
let fineSTP: number
let quarantinedSTP: number
let lowSNV: number

const SUGGESTION = 'Chị Nguyễn Thị Lan hướng dẫn tận tình, xin gọi lại 0912 345 678'
const MASKED = 'Chị [tên] hướng dẫn tận tình, xin gọi lại [SĐT]'
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString()

/** A local webhook receiver: records each request and answers with `status`. */
interface Receiver {
  url: string
  status: number
  requests: Array<{ headers: http.IncomingHttpHeaders; body: string }>
  close: () => Promise<void>
}
async function startReceiver(): Promise<Receiver> {
  const receiver = { status: 200, requests: [] } as unknown as Receiver
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      receiver.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      res.writeHead(receiver.status).end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hai-long`
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()))
  return receiver
}
let receiver: Receiver

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  allowing = makeContext(t, { WEBHOOK_ALLOW_PRIVATE: 'on' })
  admin = await signIn(context, 'quantri@phananh.vn', 'admin', null)
  managerSTP = await signIn(context, 'quanly.stp@phananh.vn', 'manager', 'DEMO-AL-STP')
  managerSNV = await signIn(context, 'quanly.snv@phananh.vn', 'manager', 'DEMO-AL-SNV')
  // U: every criterion "Không hài lòng" (2); S: every criterion "Rất hài lòng" (5).
  ;[lowSTP] = await seed(t, [{ agency: 'DEMO-AL-STP', at: daysAgo(3), profile: 'U', count: 1 }])
  ;[suggestionSTP] = await seed(t, [
    { agency: 'DEMO-AL-STP', at: daysAgo(2), profile: 'S', count: 1, extra: { 'S.suggestion': SUGGESTION } },
  ])
  ;[fineSTP] = await seed(t, [{ agency: 'DEMO-AL-STP', at: daysAgo(1), profile: 'S', count: 1 }])
  ;[quarantinedSTP] = await seed(t, [
    { agency: 'DEMO-AL-STP', at: daysAgo(1), profile: 'U', count: 1, extra: { 'S.suggestion': 'Phiếu giả' } },
  ])
  await t.db
    .updateTable('response')
    .set({ quarantine_reason: 'missing token' })
    .where('id', '=', quarantinedSTP!)
    .execute()
  ;[lowSNV] = await seed(t, [{ agency: 'DEMO-AL-SNV', at: daysAgo(4), profile: 'U', count: 1 }])
  // Older than the window: not in the digest.
  await seed(t, [{ agency: 'DEMO-AL-STP', at: daysAgo(45), profile: 'U', count: 1 }])
  receiver = await startReceiver()
})
afterAll(async () => {
  await receiver?.close()
  await t?.cleanup()
})

type Item = { responseId: number; suggestion: string | null; lowRatings: unknown[]; handled: boolean }
const home = (user: SignedIn) => run(() => homeLoader(args(context, get('/admin', user.cookie))))
const page = (user: SignedIn, query = '', ctx = context) =>
  run(() => loader(args(ctx, get(`/admin/feedback${query}`, user.cookie))))
const act = (user: SignedIn, fields: Record<string, string>, ctx = context, lng = 'vi') =>
  run(() => action(args(ctx, post(`/admin/feedback?lng=${lng}`, fields, user.cookie))))
const ids = (items: Item[]) => items.map((i) => i.responseId)
const handlingRows = () => t.db.selectFrom('feedback_handling').selectAll().execute()

describe('the digest on the landing page', () => {
  it("shows a manager their units' low ratings and masked suggestions, newest first, dated dd/MM/yyyy", async () => {
    const outcome = await home(managerSTP)
    expect(outcome.status).toBe(200)
    const digest = (outcome.data as { digest: { items: Item[]; unhandled: number } }).digest
    expect(ids(digest.items)).toEqual([suggestionSTP, lowSTP])
    expect(digest).toMatchObject({ unhandled: 2, unhandledLowRatings: 1, unhandledSuggestions: 1 })
    expect(digest.items[0]!.suggestion).toBe(MASKED)
    expect(digest.items[1]!.lowRatings).toHaveLength(22)
    const html = await renderPage({
      page: AdminHome,
      path: '/admin',
      data: outcome.data,
      lng: 'vi',
      namespace: 'admin',
    })
    expect(html).toContain('Phản ánh, kiến nghị cần xử lý')
    expect(html).toContain(MASKED)
    expect(html).not.toContain('0912')
    const [y, m, d] = new Date(Date.parse(daysAgo(2)) + 7 * 3600_000).toISOString().slice(0, 10).split('-')
    expect(html).toContain(`Sở Tư pháp tỉnh An Lạc (mẫu), ${d}/${m}/${y}`)
    expect(html).toContain('Đánh dấu đã xử lý')
    expect(html).not.toContain('Phiếu giả')
  })

  it("another agency's manager sees only their own items; the administrator sees every agency's", async () => {
    const snv = (await home(managerSNV)).data as { digest: { items: Item[] } }
    expect(ids(snv.digest.items)).toEqual([lowSNV])
    const all = (await page(admin, '?status=all')).data as { digest: { items: Item[] } }
    expect(ids(all.digest.items)).toEqual([suggestionSTP, lowSTP, lowSNV])
    expect(ids(all.digest.items)).not.toContain(fineSTP)
    expect(ids(all.digest.items)).not.toContain(quarantinedSTP)
  })

  it('the list filters by agency; an agency outside the scope is a 403', async () => {
    const stp = (await page(admin, '?agency=DEMO-AL-SNV')).data as { digest: { items: Item[] } }
    expect(ids(stp.digest.items)).toEqual([lowSNV])
    expect((await page(managerSTP, '?agency=DEMO-AL-SNV')).status).toBe(403)
    expect((await page(managerSTP, '?status=later')).status).toBe(400)
  })
})

describe('marking an item handled', () => {
  it('refuses another agency, a missing or long note, an unknown or quarantined response: translated, nothing stored', async () => {
    const audit = await lastAuditId(t)
    const refused = await act(managerSNV, { intent: 'handle', responseId: String(lowSTP), note: 'Đã xử lý' })
    expect(refused.status).toBe(403)
    expect(refused.data).toBe('Bạn không có quyền thực hiện thao tác này.')
    const noNote = await act(managerSTP, { intent: 'handle', responseId: String(lowSTP), note: '   ' })
    expect(noNote.status).toBe(400)
    expect(noNote.data).toBe('Vui lòng ghi chú cách đã xử lý phản ánh.')
    const noNoteEn = await act(managerSTP, { intent: 'handle', responseId: String(lowSTP) }, context, 'en')
    expect(noNoteEn.data).toBe('Please write how the feedback was handled.')
    const long = await act(managerSTP, { intent: 'handle', responseId: String(lowSTP), note: 'x'.repeat(501) })
    expect(long.status).toBe(400)
    for (const id of ['99999999', String(quarantinedSTP)]) {
      const unknown = await act(managerSTP, { intent: 'handle', responseId: id, note: 'Đã xử lý' })
      expect(unknown.status).toBe(404)
      expect(unknown.data).toBe('Không tìm thấy phiếu này trong danh sách phản ánh.')
    }
    expect((await act(managerSTP, { intent: 'handle', responseId: 'abc', note: 'x' })).status).toBe(400)
    expect(await handlingRows()).toEqual([])
    expect(await auditActions(t, audit)).toEqual([])
  })

  it('marks handled with the note, audited, and back on the landing page without JavaScript', async () => {
    const audit = await lastAuditId(t)
    const done = await act(managerSTP, {
      intent: 'handle',
      responseId: String(lowSTP),
      note: 'Đã mời công dân lên làm việc, xin lỗi về thái độ',
      back: '/admin',
    })
    expect(done.status).toBe(303)
    expect(done.location).toBe('/admin?done=handle')
    expect(await auditActions(t, audit)).toEqual(['feedback.handle'])
    const entry = await t.db.selectFrom('audit_log').selectAll().where('id', '>', audit).executeTakeFirstOrThrow()
    expect(entry).toMatchObject({ actor: managerSTP.email, entity: 'response', entity_id: String(lowSTP) })
    const digest = ((await home(managerSTP)).data as { digest: { items: Item[]; unhandled: number } }).digest
    expect(ids(digest.items)).toEqual([suggestionSTP])
    const handled = await page(managerSTP, '?status=handled')
    const data = handled.data as { digest: { items: Item[]; handled: number } }
    expect(ids(data.digest.items)).toEqual([lowSTP])
    const html = await renderPage({ page: Feedback, path: '/admin/feedback', data, lng: 'vi', namespace: 'admin' })
    expect(html).toContain('Đã xử lý bởi quanly.stp@phananh.vn')
    expect(html).toContain('Ghi chú: Đã mời công dân lên làm việc, xin lỗi về thái độ')
    expect(html).toContain('Mở lại')
    // A redirect elsewhere than this site is not followed.
    const away = await act(managerSTP, { intent: 'reopen', responseId: String(lowSTP), back: '//evil.example/' })
    expect(away.location).toBe('/admin/feedback?done=reopen')
    expect(await auditActions(t, audit)).toEqual(['feedback.handle', 'feedback.reopen'])
    const reopened = ((await home(managerSTP)).data as { digest: { items: Item[] } }).digest
    expect(ids(reopened.items)).toEqual([suggestionSTP, lowSTP])
  })
})

describe("the province's digest webhook", () => {
  const save = (fields: Record<string, string>, ctx = context, user = admin) =>
    act(user, { intent: 'webhook', agencyCode: 'DEMO-AL', enabled: 'on', ...fields }, ctx)

  it('refuses other schemes and private addresses with a translated message, storing nothing', async () => {
    const ftp = await save({ url: 'ftp://hook.example.vn/', secret: 'khoa-bi-mat-rat-dai-2026' })
    expect(ftp.status).toBe(400)
    expect(ftp.data).toBe('Địa chỉ nhận phải bắt đầu bằng https:// hoặc http://.')
    const local = await save({ url: receiver.url, secret: 'khoa-bi-mat-rat-dai-2026' })
    expect(local.status).toBe(400)
    expect(local.data).toMatch(/^Địa chỉ nhận nằm trong mạng nội bộ/)
    const meta = await save({ url: 'http://169.254.169.254/latest', secret: 'khoa-bi-mat-rat-dai-2026' })
    expect(meta.status).toBe(400)
    const short = await save({ url: receiver.url, secret: 'ngan' }, allowing)
    expect(short.data).toBe('Khóa bí mật phải có ít nhất 16 ký tự.')
    expect(await t.db.selectFrom('digest_webhook').selectAll().execute()).toEqual([])
  })

  it('is for administrators only', async () => {
    const refused = await save({ url: receiver.url, secret: 'khoa-bi-mat-rat-dai-2026' }, allowing, managerSTP)
    expect(refused.status).toBe(403)
    expect((await page(managerSTP)).data).toMatchObject({ webhooks: null })
  })

  it('saves without showing the secret back, and delivers the signed digest to a real receiver', async () => {
    const secret = 'khoa-bi-mat-rat-dai-2026'
    const saved = await save({ url: receiver.url, secret }, allowing)
    expect(saved.status).toBe(303)
    const shown = await page(admin, '', allowing)
    expect(JSON.stringify(shown.data)).not.toContain(secret)
    const audit = await lastAuditId(t)
    const sent = await act(admin, { intent: 'send', agencyCode: 'DEMO-AL' }, allowing)
    expect(sent.status).toBe(303)
    expect(sent.location).toBe('/admin/feedback?webhook=sent#webhook')
    expect(receiver.requests).toHaveLength(1)
    const { headers, body } = receiver.requests[0]!
    expect(headers['content-type']).toBe('application/json; charset=utf-8')
    const expected = crypto
      .createHmac('sha256', secret)
      .update(`${headers['x-hailong-timestamp']}.${body}`)
      .digest('hex')
    expect(headers['x-hailong-signature']).toBe(`sha256=${expected}`)
    const payload = JSON.parse(body)
    expect(payload).toMatchObject({
      type: 'hailong.feedback_digest',
      province: { code: 'DEMO-AL' },
      counts: { unhandled: 3, unhandledLowRatings: 2, unhandledSuggestions: 1, handled: 0 },
      url: 'http://localhost/admin/feedback',
    })
    expect(payload.items.map((i: Item) => i.responseId)).toEqual([suggestionSTP, lowSTP, lowSNV])
    expect(payload.items[0].suggestion).toBe(MASKED)
    expect(body).not.toContain('0912')
    expect(body).not.toContain('Phiếu giả')
    expect(payload.items[0].submittedOn).toMatch(/^\d{2}\/\d{2}\/\d{4}$/)
    expect(await auditActions(t, audit)).toEqual(['webhook.deliver'])
    const row = await t.db.selectFrom('digest_webhook').selectAll().executeTakeFirstOrThrow()
    expect(row).toMatchObject({ last_status: 'ok', last_detail: 'HTTP 200', enabled: 1 })
  })

  it('records a failed delivery and shows it in words', async () => {
    receiver.status = 500
    const sent = await act(admin, { intent: 'send', agencyCode: 'DEMO-AL' }, allowing)
    expect(sent.location).toBe('/admin/feedback?webhook=failed#webhook')
    const data = (await page(admin, '', allowing)).data
    const html = await renderPage({ page: Feedback, path: '/admin/feedback', data, lng: 'vi', namespace: 'admin' })
    expect(html).toContain('không thành công (nơi nhận trả lời mã 500)')
    receiver.status = 200
  })

  it('a saved private target is not called once private targets are no longer allowed', async () => {
    const before = receiver.requests.length
    await act(admin, { intent: 'send', agencyCode: 'DEMO-AL' }, context)
    expect(receiver.requests).toHaveLength(before)
    const row = await t.db.selectFrom('digest_webhook').selectAll().executeTakeFirstOrThrow()
    expect(row).toMatchObject({ last_status: 'failed', last_detail: 'privateAddress' })
  })

  it('`hailong digest --send` delivers every enabled webhook, for cron', async () => {
    const before = receiver.requests.length
    const r = await runCli(['digest', '--send'], { env: { DATABASE_URL: t.url, WEBHOOK_ALLOW_PRIVATE: 'on' } })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/sent \(HTTP 200\), 3 items/)
    expect(receiver.requests).toHaveLength(before + 1)
    const counted = await runCli(['digest'], { env: { DATABASE_URL: t.url } })
    expect(counted.stdout).toContain('DEMO-AL: 3 unhandled (2 low ratings, 1 suggestions), 0 handled')
  })
})
