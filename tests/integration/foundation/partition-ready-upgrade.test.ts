import { Migrator, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DB } from '#db/client.ts'
import { migrationProvider } from '#db/migrations/index.ts'
import { migrateToLatest } from '#db/migrate.ts'
import { seedDemoProvince, seedTemplates } from '#app/.server/services/seed.ts'
import { submitResponse } from '#app/.server/services/submit-response.ts'
import { getVersionDefinition } from '#app/.server/services/survey-definition.ts'
import { createEmptyDatabase, testDialect } from '#tests/helpers/db.ts'

const INITIAL = '2026-11-28T0300_initial'
let db: DB
let drop = async () => {}

interface OldResponse {
  id: number
  client: string
  agencyId: number
  month: string
  externalId: string | null
  invitationId: number | null
}
const before: OldResponse[] = []
let versionId: number
let itemIds: number[]
let deletedId: number

beforeAll(async () => {
  ;({ db, drop } = await createEmptyDatabase())
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo(INITIAL)
  if (error) throw error
  await seedTemplates(db)
  await seedDemoProvince(db)
  const version = await db
    .selectFrom('questionnaire_version as v')
    .innerJoin('questionnaire as q', 'q.id', 'v.questionnaire_id')
    .select('v.id')
    .where('q.code', '=', 'SIPAS-2017')
    .where('v.status', '=', 'published')
    .executeTakeFirstOrThrow()
  versionId = version.id
  itemIds = (
    await db
      .selectFrom('questionnaire_item')
      .select('id')
      .where('version_id', '=', versionId)
      .where('role', '=', 'criterion')
      .orderBy('position')
      .execute()
  ).map((i) => i.id)
  const agencies = await db
    .selectFrom('agency')
    .select(['id', 'code'])
    .where('valid_to', 'is', null)
    .orderBy('id')
    .limit(3)
    .execute()
  const invitation = await db
    .insertInto('invitation')
    .values({
      code: 'old-invitation',
      agency_id: agencies[0].id,
      questionnaire_id: (
        await db.selectFrom('questionnaire').select('id').where('code', '=', 'SIPAS-2017').executeTakeFirstOrThrow()
      ).id,
      procedure_id: null,
      dossier_hash: null,
      channel: 'counter',
      expires_at: '2099-01-01T00:00:00.000Z',
      used_at: '2026-02-01T00:00:00.000Z',
      created_at: '2026-01-01T00:00:00.000Z',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  // Responses in the initial schema's shape (written with SQL: the app's types describe the new one).
  for (let k = 0; k < 12; k++) {
    const agencyId = agencies[k % 3].id
    const month = `2026-0${1 + (k % 4)}`
    const client = `old-${k}`
    const externalId = k === 5 ? 'PAPER-0005' : null
    const invitationId = k === 7 ? invitation.id : null
    const { rows } = await sql<{
      id: number
    }>`insert into response (client_submission_id, version_id, agency_id, channel, invitation_id, submitted_at, period_month, weight_micro, external_id, source)
      values (${client}, ${versionId}, ${agencyId}, 'counter', ${invitationId}, ${`${month}-10T03:00:00.000Z`}, ${month}, 1000000, ${externalId}, ${externalId ? 'import' : 'web'}) returning id`.execute(
      db,
    )
    const id = Number(rows[0].id)
    for (const [position, itemId] of itemIds.entries())
      await sql`insert into answer (response_id, item_id, value_number) values (${id}, ${itemId}, ${1 + ((k + position) % 5)})`.execute(
        db,
      )
    before.push({ id, client, agencyId, month, externalId, invitationId })
  }
  // The newest response deleted: its id must not come back.
  deletedId = before.pop()!.id
  await sql`delete from answer where response_id = ${deletedId}`.execute(db)
  await sql`delete from response where id = ${deletedId}`.execute(db)
  await migrateToLatest(db)
}, 60_000)

afterAll(async () => {
  await db?.destroy()
  await drop()
})

describe('upgrading a database with responses to partition-ready responses and answers', () => {
  it('keeps every response and gives each submission id its key', async () => {
    const responses = await db
      .selectFrom('response')
      .select(['id', 'client_submission_id', 'agency_id', 'period_month', 'external_id', 'invitation_id'])
      .orderBy('id')
      .execute()
    expect(
      responses.map((r) => ({
        id: r.id,
        client: r.client_submission_id,
        agencyId: r.agency_id,
        month: r.period_month,
        externalId: r.external_id,
        invitationId: r.invitation_id,
      })),
    ).toEqual(before)
    const keys = await db.selectFrom('submission_key').selectAll().orderBy('response_id').execute()
    expect(keys).toEqual(before.map((r) => ({ client_submission_id: r.client, response_id: r.id })))
  })

  it('gives every answer its response’s agency and month, and keeps the values', async () => {
    const answers = await db
      .selectFrom('answer')
      .select(['response_id', 'item_id', 'value_number', 'agency_id', 'period_month'])
      .orderBy('response_id')
      .orderBy('item_id')
      .execute()
    expect(answers).toHaveLength(before.length * itemIds.length)
    const byId = new Map(before.map((r, k) => [r.id, { ...r, k }]))
    const positionOf = new Map(itemIds.map((id, position) => [id, position]))
    for (const a of answers) {
      const r = byId.get(a.response_id)!
      expect([a.agency_id, a.period_month]).toEqual([r.agencyId, r.month])
      expect(a.value_number).toBe(1 + ((r.k + positionOf.get(a.item_id)!) % 5))
    }
  })

  it('finds a stored submission on retry and never reuses an id', async () => {
    const version = await getVersionDefinition(db, versionId, 'published')
    const answers = Object.fromEntries(version.items.filter((i) => i.role === 'criterion').map((i) => [i.code, 5]))
    const context = {
      agencyId: before[0].agencyId,
      procedureId: null,
      channel: 'counter' as const,
      linkId: null,
      invitationId: null,
    }
    const retry = await submitResponse(db, {
      clientSubmissionId: before[3].client,
      version,
      context,
      answers,
      submittedAt: new Date('2026-05-02T03:00:00Z'),
    })
    expect(retry).toEqual({ status: 'duplicate', responseId: before[3].id })
    const fresh = await submitResponse(db, {
      clientSubmissionId: 'new-after-upgrade',
      version,
      context,
      answers,
      submittedAt: new Date('2026-05-02T03:00:00Z'),
    })
    expect(fresh.status).toBe('stored')
    expect((fresh as { responseId: number }).responseId).toBeGreaterThan(deletedId)
    const stored = await db
      .selectFrom('answer')
      .select(['agency_id', 'period_month'])
      .distinct()
      .where('response_id', '=', (fresh as { responseId: number }).responseId)
      .execute()
    expect(stored).toEqual([{ agency_id: before[0].agencyId, period_month: '2026-05' }])
  })

  it('still enforces the foreign keys of answers and submission keys', async () => {
    await expect(
      db
        .insertInto('answer')
        .values({
          response_id: 999_999,
          item_id: itemIds[0],
          value_number: 5,
          value_text: null,
          agency_id: before[0].agencyId,
          period_month: '2026-01',
        })
        .execute(),
    ).rejects.toThrow()
    if (testDialect() === 'postgres') {
      // An answer filed under another month than its response's is refused (it would sit in the wrong partition).
      await expect(
        db
          .insertInto('answer')
          .values({
            response_id: before[0].id,
            item_id: itemIds[0],
            value_number: 5,
            value_text: null,
            agency_id: before[0].agencyId,
            period_month: '2030-01',
          })
          .execute(),
      ).rejects.toThrow()
    } else {
      await expect(
        db.insertInto('submission_key').values({ client_submission_id: 'orphan', response_id: 999_999 }).execute(),
      ).rejects.toThrow()
    }
  })
})
