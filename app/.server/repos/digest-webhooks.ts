/** The province's digest webhooks (table digest_webhook, one row per root agency; ADR 0052). */
import type { Executor } from './questionnaires.ts'

export interface DigestWebhook {
  agencyId: number
  url: string
  secret: string
  enabled: boolean
  updatedBy: string
  updatedAt: string
  lastAttemptAt: string | null
  lastSuccessAt: string | null
  lastStatus: 'ok' | 'failed' | null
  lastDetail: string | null
}

const COLUMNS = [
  'agency_id',
  'url',
  'secret',
  'enabled',
  'updated_by',
  'updated_at',
  'last_attempt_at',
  'last_success_at',
  'last_status',
  'last_detail',
] as const

function toWebhook(r: {
  agency_id: number
  url: string
  secret: string
  enabled: number
  updated_by: string
  updated_at: string
  last_attempt_at: string | null
  last_success_at: string | null
  last_status: 'ok' | 'failed' | null
  last_detail: string | null
}): DigestWebhook {
  return {
    agencyId: r.agency_id,
    url: r.url,
    secret: r.secret,
    enabled: Number(r.enabled) === 1,
    updatedBy: r.updated_by,
    updatedAt: r.updated_at,
    lastAttemptAt: r.last_attempt_at,
    lastSuccessAt: r.last_success_at,
    lastStatus: r.last_status,
    lastDetail: r.last_detail,
  }
}

export async function findDigestWebhook(db: Executor, agencyId: number): Promise<DigestWebhook | undefined> {
  const row = await db.selectFrom('digest_webhook').select(COLUMNS).where('agency_id', '=', agencyId).executeTakeFirst()
  return row && toWebhook(row)
}

export async function listDigestWebhooks(db: Executor, enabledOnly = false): Promise<DigestWebhook[]> {
  const rows = await db
    .selectFrom('digest_webhook')
    .select(COLUMNS)
    .$if(enabledOnly, (qb) => qb.where('enabled', '=', 1))
    .orderBy('agency_id')
    .execute()
  return rows.map(toWebhook)
}

/** Inserts or replaces the configuration; a null secret keeps the stored one. */
export async function saveDigestWebhookRow(
  db: Executor,
  config: { agencyId: number; url: string; secret: string; enabled: boolean },
  by: string,
  now: string,
): Promise<void> {
  const values = {
    url: config.url,
    secret: config.secret,
    enabled: config.enabled ? 1 : 0,
    updated_by: by,
    updated_at: now,
  } as const
  await db
    .insertInto('digest_webhook')
    .values({ agency_id: config.agencyId, ...values })
    .onConflict((oc) => oc.column('agency_id').doUpdateSet(values))
    .execute()
}

export async function recordDelivery(
  db: Executor,
  agencyId: number,
  outcome: { ok: boolean; detail: string },
  now: string,
): Promise<void> {
  await db
    .updateTable('digest_webhook')
    .set({
      last_attempt_at: now,
      last_status: outcome.ok ? 'ok' : 'failed',
      last_detail: outcome.detail.slice(0, 200),
      ...(outcome.ok ? { last_success_at: now } : {}),
    })
    .where('agency_id', '=', agencyId)
    .execute()
}

/** The agencies at the top of the tree (the provinces), where a webhook can be configured. */
export async function rootAgencies(db: Executor) {
  return db
    .selectFrom('agency')
    .select(['id', 'code', 'name_vi', 'name_en', 'path'])
    .where('parent_id', 'is', null)
    .where('active', '=', 1)
    .orderBy('code')
    .execute()
}
