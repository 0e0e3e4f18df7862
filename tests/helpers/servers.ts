/**
 * Production servers on a test database, as several app servers behind a load balancer would run, and the
 * survey they serve. An administrator is created first, so no server opens a first-admin setup link (two
 * at once would collide).
 */
import fs from 'node:fs'
import { expect } from 'vitest'
import { createUser } from '#app/.server/services/users.ts'
import { type RunningServer, startServer } from '#scripts/support/server-process.ts'
import type { TestDatabase } from './db.ts'

/** The secret every server of a test shares, so a form token one issues the others accept. */
export const SHARED_SECRET = 'k'.repeat(40)

export async function startServersOn(
  t: TestDatabase,
  count: number,
  env: Record<string, string> = {},
): Promise<RunningServer[]> {
  const admin = await createUser(
    t.db,
    { email: 'admin@example.gov.vn', role: 'admin', agencyCode: null, password: 'ruộng bậc thang 2026' },
    'test',
  )
  if (!admin.ok) throw new Error(admin.error)
  const shared = { DATABASE_URL: t.url, HAILONG_SECRET: SHARED_SECRET, DATABASE_POOL_SIZE: '4', ...env }
  const servers: RunningServer[] = []
  for (let i = 0; i < count; i++) servers.push(await startServer(shared))
  return servers
}

/** Stops each server (it must exit cleanly) and removes its folder. */
export async function stopServers(servers: RunningServer[]) {
  for (const server of servers) {
    expect(await server.stop()).toBe(0)
    fs.rmSync(server.dir, { recursive: true, force: true })
  }
}

/** The first active poster links of the seeded province, their published version and its criteria. */
export async function posterSurvey(t: Pick<TestDatabase, 'db'>, links = 1) {
  const rows = await t.db
    .selectFrom('survey_link')
    .select(['id', 'code', 'questionnaire_id', 'agency_id'])
    .where('active', '=', 1)
    .where('kind', '=', 'poster')
    .orderBy('id')
    .limit(links)
    .execute()
  const version = await t.db
    .selectFrom('questionnaire_version')
    .select('id')
    .where('questionnaire_id', '=', rows[0]!.questionnaire_id)
    .where('status', '=', 'published')
    .orderBy('version_number', 'desc')
    .executeTakeFirstOrThrow()
  const criteria = await t.db
    .selectFrom('questionnaire_item')
    .select('code')
    .where('version_id', '=', version.id)
    .where('role', '=', 'criterion')
    .execute()
  return { links: rows, versionId: version.id, criteria: criteria.map((c) => c.code) }
}
