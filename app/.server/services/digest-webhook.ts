/**
 * The province's digest webhook (ADR 0052): an administrator sets a URL and a secret per root agency; the
 * digest of that province's unhandled items is POSTed as JSON, signed with HMAC-SHA256, on "send now" and
 * from `hailong digest --send` (run by cron). Deliveries are timed out, never follow redirects, and refuse
 * private addresses unless WEBHOOK_ALLOW_PRIVATE=on (checked again after DNS resolution). Each outcome is
 * recorded on the webhook and in the audit log; the receiver's body is never read into the database.
 */
import crypto from 'node:crypto'
import dns from 'node:dns'
import http from 'node:http'
import https from 'node:https'
import type { LookupFunction } from 'node:net'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '#db/schema.ts'
import { DIGEST_ITEM_LIMIT } from '#app/domain/insight/digest.ts'
import { checkWebhookUrl, isPrivateAddress, type WebhookUrlError } from '#app/domain/insight/webhook-target.ts'
import { formatDate } from '#app/domain/format.ts'
import type { SessionUser } from '../auth/session.ts'
import { insertAudit } from '../repos/audit.ts'
import {
  findDigestWebhook,
  listDigestWebhooks,
  recordDelivery,
  rootAgencies,
  saveDigestWebhookRow,
} from '../repos/digest-webhooks.ts'
import { feedbackDigest } from './feedback-digest.ts'

export const SIGNATURE_HEADER = 'X-HaiLong-Signature'
export const TIMESTAMP_HEADER = 'X-HaiLong-Timestamp'
export const SECRET_MIN = 16
export const SECRET_MAX = 200

export interface WebhookSettings {
  allowPrivate: boolean
  timeoutMs: number
}

/** `sha256=` and the hex HMAC-SHA256 of "<timestamp>.<body>" under the secret: the receiver recomputes it. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}

/** The page of every root agency and its webhook, without the secret. */
export async function webhookPage(db: Kysely<Database>) {
  const roots = await rootAgencies(db)
  const hooks = new Map((await listDigestWebhooks(db)).map((h) => [h.agencyId, h]))
  return roots.map((a) => {
    const h = hooks.get(a.id)
    return {
      agency: { id: a.id, code: a.code, nameVi: a.name_vi, nameEn: a.name_en },
      webhook: h
        ? {
            url: h.url,
            enabled: h.enabled,
            hasSecret: true,
            updatedBy: h.updatedBy,
            updatedAt: h.updatedAt,
            lastAttemptAt: h.lastAttemptAt,
            lastSuccessAt: h.lastSuccessAt,
            lastStatus: h.lastStatus,
            lastDetail: h.lastDetail,
          }
        : null,
    }
  })
}

const configSchema = z.object({
  agencyCode: z.string().trim().min(1).max(64),
  url: z.string().trim().min(1).max(2000),
  // Empty: keep the stored secret.
  secret: z.string().trim().max(SECRET_MAX),
  enabled: z.enum(['on', '']).default(''),
})

export type WebhookSaveError =
  | 'common.invalid'
  | 'common.notFound'
  | `feedback.webhook.errors.${WebhookUrlError | 'secretShort' | 'secretRequired'}`

/** Saves a root agency's webhook: the URL is checked, the secret stays when left empty; audited without it. */
export async function saveDigestWebhook(
  db: Kysely<Database>,
  user: Pick<SessionUser, 'id' | 'email'>,
  fields: Record<string, unknown>,
  settings: WebhookSettings,
): Promise<{ ok: true } | { ok: false; status: 400 | 404; error: WebhookSaveError }> {
  const parsed = configSchema.safeParse(fields)
  if (!parsed.success) return { ok: false, status: 400, error: 'common.invalid' }
  const input = parsed.data
  const agency = (await rootAgencies(db)).find((a) => a.code === input.agencyCode)
  if (!agency) return { ok: false, status: 404, error: 'common.notFound' }
  const url = checkWebhookUrl(input.url, settings.allowPrivate)
  if (!url.ok) return { ok: false, status: 400, error: `feedback.webhook.errors.${url.error}` }
  const stored = await findDigestWebhook(db, agency.id)
  if (!input.secret && !stored) return { ok: false, status: 400, error: 'feedback.webhook.errors.secretRequired' }
  if (input.secret && input.secret.length < SECRET_MIN)
    return { ok: false, status: 400, error: 'feedback.webhook.errors.secretShort' }
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    await saveDigestWebhookRow(
      trx,
      { agencyId: agency.id, url: url.url, secret: input.secret || stored!.secret, enabled: input.enabled === 'on' },
      user.email,
      now,
    )
    await insertAudit(
      trx,
      {
        userId: user.id,
        actor: user.email,
        action: 'webhook.configure',
        entity: 'digest_webhook',
        entityId: String(agency.id),
        // Never the secret: only whether it changed.
        details: { url: url.url, enabled: input.enabled === 'on', secretChanged: Boolean(input.secret) },
      },
      now,
    )
  })
  return { ok: true }
}

/** The JSON body of a delivery: the province's unhandled items, newest first, with the counts. */
export async function digestPayload(db: Kysely<Database>, agencyId: number, publicUrl: string, now: Date) {
  const agency = await db
    .selectFrom('agency')
    .select(['id', 'code', 'name_vi', 'name_en', 'path'])
    .where('id', '=', agencyId)
    .executeTakeFirstOrThrow()
  const digest = await feedbackDigest(
    db,
    { scopePath: agency.path },
    { now, status: 'unhandled', limit: DIGEST_ITEM_LIMIT },
  )
  return {
    type: 'hailong.feedback_digest',
    version: 1,
    province: { code: agency.code, nameVi: agency.name_vi, nameEn: agency.name_en },
    generatedAt: now.toISOString(),
    window: { from: digest.window.from, to: digest.window.to, days: digest.window.days },
    counts: {
      unhandled: digest.unhandled,
      unhandledLowRatings: digest.unhandledLowRatings,
      unhandledSuggestions: digest.unhandledSuggestions,
      handled: digest.handled,
    },
    items: digest.items.map((i) => ({
      responseId: i.responseId,
      agency: { code: i.agency.code, nameVi: i.agency.nameVi, nameEn: i.agency.nameEn },
      submittedAt: i.submittedAt,
      submittedOn: formatDate(i.submittedAt),
      lowRatings: i.lowRatings,
      suggestion: i.suggestion,
    })),
    url: `${publicUrl}/admin/feedback`,
  }
}

type Resolve = (
  hostname: string,
  options: dns.LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void,
) => void

/**
 * Resolves like dns.lookup, refusing the connection when any address of the name is private: a name
 * cannot smuggle the request inside (nor a rebinding answer between the check and the connection, since
 * this is the lookup the connection uses). `resolve` is replaceable for tests.
 */
export function guardedLookup(
  allowPrivate: boolean,
  resolve: Resolve = dns.lookup as unknown as Resolve,
): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0)
      const list = addresses as dns.LookupAddress[]
      const refused = !allowPrivate && list.some((a) => isPrivateAddress(a.address))
      if (refused) {
        const e = Object.assign(new Error(`${hostname} resolves to a private address`), { code: 'EPRIVATE' })
        return callback(e, '', 0)
      }
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list)
      return callback(null, list[0]!.address, list[0]!.family)
    })
  }
}

/** One POST; resolves with the HTTP status or a short error code ("timeout", "ECONNREFUSED", "EPRIVATE"). */
export function postJson(
  target: string,
  body: string,
  headers: Record<string, string>,
  settings: WebhookSettings,
): Promise<{ ok: boolean; detail: string }> {
  return new Promise((resolve) => {
    const url = new URL(target)
    const client = url.protocol === 'https:' ? https : http
    let settled = false
    const done = (outcome: { ok: boolean; detail: string }) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(outcome)
    }
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(settings.allowPrivate),
      },
      (response) => {
        // The body is read and dropped: only the status is recorded. Redirects are not followed.
        response.resume()
        response.on('end', () => {
          const status = response.statusCode ?? 0
          done({ ok: status >= 200 && status < 300, detail: `HTTP ${status}` })
        })
        response.on('error', () => done({ ok: false, detail: 'response error' }))
      },
    )
    // One deadline for the whole exchange, connection included.
    const timer = setTimeout(() => {
      done({ ok: false, detail: 'timeout' })
      request.destroy()
    }, settings.timeoutMs)
    request.on('error', (error: NodeJS.ErrnoException) => done({ ok: false, detail: error.code ?? 'error' }))
    request.end(body)
  })
}

export interface DeliveryOutcome {
  agencyId: number
  ok: boolean
  detail: string
  items: number
}

/** Sends the digest of one root agency to its webhook and records how it went (on the webhook and audited). */
export async function deliverDigest(
  db: Kysely<Database>,
  agencyId: number,
  options: WebhookSettings & {
    publicUrl: string
    actor: { userId: number | null; email: string }
    trigger: 'manual' | 'scheduled'
    now?: Date
  },
): Promise<DeliveryOutcome | undefined> {
  const hook = await findDigestWebhook(db, agencyId)
  if (!hook) return undefined
  const now = options.now ?? new Date()
  const payload = await digestPayload(db, agencyId, options.publicUrl, now)
  const body = JSON.stringify(payload)
  const timestamp = String(Math.floor(now.getTime() / 1000))
  // The stored URL was checked when saved; checked again in case the setting changed since.
  const target = checkWebhookUrl(hook.url, options.allowPrivate)
  const sent = target.ok
    ? await postJson(
        target.url,
        body,
        {
          'Content-Type': 'application/json; charset=utf-8',
          'User-Agent': 'HaiLong-digest/1',
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: signature(hook.secret, timestamp, body),
        },
        options,
      )
    : { ok: false, detail: target.error }
  const at = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    await recordDelivery(trx, agencyId, sent, at)
    await insertAudit(
      trx,
      {
        userId: options.actor.userId,
        actor: options.actor.email,
        action: 'webhook.deliver',
        entity: 'digest_webhook',
        entityId: String(agencyId),
        details: { ok: sent.ok, detail: sent.detail, items: payload.items.length, trigger: options.trigger },
      },
      at,
    )
  })
  return { agencyId, ok: sent.ok, detail: sent.detail, items: payload.items.length }
}

/** "Send now" from the feedback page: the root agency named by its code; undefined when it has no webhook. */
export async function sendDigestNow(
  db: Kysely<Database>,
  user: Pick<SessionUser, 'id' | 'email'>,
  agencyCode: string,
  options: WebhookSettings & { publicUrl: string },
): Promise<DeliveryOutcome | undefined> {
  const agency = (await rootAgencies(db)).find((a) => a.code === agencyCode)
  if (!agency) return undefined
  return deliverDigest(db, agency.id, {
    ...options,
    actor: { userId: user.id, email: user.email },
    trigger: 'manual',
  })
}

/** Every enabled webhook, one after the other (the scheduled run). */
export async function deliverAllDigests(
  db: Kysely<Database>,
  options: WebhookSettings & { publicUrl: string; now?: Date },
): Promise<DeliveryOutcome[]> {
  const outcomes: DeliveryOutcome[] = []
  for (const hook of await listDigestWebhooks(db, true)) {
    const outcome = await deliverDigest(db, hook.agencyId, {
      ...options,
      actor: { userId: null, email: 'cli' },
      trigger: 'scheduled',
    })
    if (outcome) outcomes.push(outcome)
  }
  return outcomes
}
