/**
 * Which survey a poster link opens, resolved in one statement (repos/links.ts findLinkTarget): the
 * agency's assigned version when it is published, else the newest published version; nothing for an
 * inactive link, an agency that no longer exists, or a questionnaire without a published version.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SIPAS_2017 } from '#app/domain/questionnaire/templates/sipas2017.ts'
import { insertVersion, publishVersion } from '#app/.server/repos/questionnaires.ts'
import { resolveLink } from '#app/.server/services/survey-entry.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'

let t: TestDatabase
let link: { id: number; code: string; agency_id: number; questionnaire_id: number }
let firstVersionId: number

const now = () => new Date().toISOString()

async function publishNewVersion(): Promise<number> {
  const id = await t.db.transaction().execute((trx) => insertVersion(trx, link.questionnaire_id, SIPAS_2017, now()))
  await publishVersion(t.db, id, now())
  return id
}

async function versionOpened(): Promise<number | string> {
  const entry = await resolveLink(t.db, link.code, false)
  return entry.ok ? entry.target.version.versionId : entry.problem.message
}

beforeEach(async () => {
  t = await createTestDatabase({ seed: 'demo' })
  link = await t.db
    .selectFrom('survey_link as l')
    .innerJoin('questionnaire as q', 'q.id', 'l.questionnaire_id')
    .select(['l.id', 'l.code', 'l.agency_id', 'l.questionnaire_id'])
    .where('q.code', '=', 'SIPAS-2017')
    .where('l.active', '=', 1)
    .orderBy('l.id')
    .executeTakeFirstOrThrow()
  firstVersionId = (
    await t.db
      .selectFrom('questionnaire_version')
      .select('id')
      .where('questionnaire_id', '=', link.questionnaire_id)
      .executeTakeFirstOrThrow()
  ).id
})
afterEach(async () => t?.cleanup())

describe('resolving a poster link', () => {
  it("opens the newest published version, with the link's agency", async () => {
    expect(await versionOpened()).toBe(firstVersionId)
    const second = await publishNewVersion()
    expect(await versionOpened()).toBe(second)
    const entry = await resolveLink(t.db, link.code, false)
    expect(entry.ok && entry.target.agency.id).toBe(link.agency_id)
    expect(entry.ok && entry.target.linkId).toBe(link.id)
  })

  it('opens the version assigned to the agency while it is published, and the newest once it is retired', async () => {
    const second = await publishNewVersion()
    await t.db
      .insertInto('agency_assignment')
      .values({
        agency_id: link.agency_id,
        questionnaire_id: link.questionnaire_id,
        version_id: firstVersionId,
        assigned_at: now(),
      })
      .execute()
    expect(await versionOpened()).toBe(firstVersionId)
    await t.db
      .updateTable('questionnaire_version')
      .set({ status: 'retired' })
      .where('id', '=', firstVersionId)
      .execute()
    expect(await versionOpened()).toBe(second)
  })

  it('finds no questionnaire when every version is retired', async () => {
    await t.db
      .updateTable('questionnaire_version')
      .set({ status: 'retired' })
      .where('questionnaire_id', '=', link.questionnaire_id)
      .execute()
    expect(await versionOpened()).toBe('survey.errors.noQuestionnaire')
  })

  it('finds no questionnaire for an agency that no longer exists', async () => {
    await t.db.updateTable('agency').set({ valid_to: '2026-01-01' }).where('id', '=', link.agency_id).execute()
    expect(await versionOpened()).toBe('survey.errors.noQuestionnaire')
  })

  it('finds no link when it is deactivated or unknown', async () => {
    await t.db.updateTable('survey_link').set({ active: 0 }).where('id', '=', link.id).execute()
    expect(await versionOpened()).toBe('survey.errors.linkNotFound')
    expect((await resolveLink(t.db, 'no-such-code', false)).ok).toBe(false)
  })

  it('is a kiosk when the link is one or the kiosk flag asks for it', async () => {
    const plain = await resolveLink(t.db, link.code, false)
    const asked = await resolveLink(t.db, link.code, true)
    expect(plain.ok && [plain.target.kiosk, plain.target.channel]).toEqual([false, 'counter'])
    expect(asked.ok && [asked.target.kiosk, asked.target.channel]).toEqual([true, 'kiosk'])
  })
})
