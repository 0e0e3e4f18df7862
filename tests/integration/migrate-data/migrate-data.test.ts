/**
 * `hailong migrate-data`: a SQLite province with a row in every table, copied by the real command line
 * into a fresh database on the test PostgreSQL server, then compared row by row and score by score.
 * Needs PostgreSQL, so it runs in the "postgres" project only (vitest.config.ts).
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createApiToken } from '#app/.server/auth/api-token.ts'
import { insertAgency } from '#app/.server/repos/agencies.ts'
import { findQuestionnaireByCode, latestPublishedVersion } from '#app/.server/repos/questionnaires.ts'
import { updateAgency } from '#app/.server/services/agencies-admin.ts'
import { issueSetupToken } from '#app/.server/services/first-admin.ts'
import { createInvitation, invitationRequestSchema } from '#app/.server/services/invitations.ts'
import { writeDossierCounts } from '#app/.server/services/dossier-counts.ts'
import { COPIED_TABLES, migrateData, type TableName } from '#app/.server/services/migrate-data.ts'
import { setPopulationCount } from '#app/.server/services/population.ts'
import { assignVersion, newDraftFrom, publishDraft } from '#app/.server/services/questionnaire-admin.ts'
import { approveRelease, createRelease, publishRelease, releaseActor } from '#app/.server/services/releases.ts'
import { computeScores } from '#app/.server/services/scores.ts'
import { seedDemoResponses } from '#app/.server/services/seed.ts'
import { submitResponse } from '#app/.server/services/submit-response.ts'
import { getVersionDefinition } from '#app/.server/services/survey-definition.ts'
import { createDb, type DB } from '#db/client.ts'
import { runCli } from '#scripts/support/cli.ts'
import { tempDir, type TestDatabase } from '#tests/helpers/db.ts'
import { postgresUrlFor, prepareDatabase } from '#tests/helpers/prepare-db.ts'
import { makeContext, signIn } from '#tests/helpers/remix.ts'

let dir: string
let sourceFile: string
let source: DB
let admin: pg.Pool
const targets: Array<{ name: string; db: DB }> = []

/** A new, empty database on the test server (dropped after the file). */
async function createTarget(): Promise<{ url: string; db: DB }> {
  const name = `migrate_data_${process.pid}_${crypto.randomBytes(4).toString('hex')}`
  await admin.query(`create database ${name}`)
  const url = postgresUrlFor(inject('postgresAdminUrl'), name)
  const db = createDb({ dialect: 'postgres', url, poolSize: 2 })
  targets.push({ name, db })
  return { url, db }
}

/** Every table's rows, each as JSON, sorted: two databases hold the same data when these are equal. */
async function contents(db: DB, table: TableName): Promise<string[]> {
  const rows = await db.selectFrom(table).selectAll().execute()
  return rows.map((row) => JSON.stringify(row)).sort()
}

async function counts(db: DB): Promise<Record<string, number>> {
  const result: Record<string, number> = {}
  for (const table of COPIED_TABLES) {
    result[table] = Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  }
  return result
}

/** The value with every number replaced by a matcher accepting it to nine decimal places. */
function withNumbersClose(value: unknown): unknown {
  if (typeof value === 'number') return expect.closeTo(value, 9)
  if (Array.isArray(value)) return value.map(withNumbersClose)
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withNumbersClose(v)]))
  return value
}

const maxId = async (db: DB, table: 'response' | 'agency' | 'api_token') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirstOrThrow()
    ).id,
  )

/**
 * Gives every table rows through the app's own services, including what the copy must get right: a
 * published version created from another one, a draft with items, a unit moved under a newer unit (its
 * parent has a higher id), a response through a link and an invitation.
 */
async function fillEveryTable(db: DB): Promise<void> {
  await issueSetupToken(db)
  const t = { db, dialect: 'sqlite', url: sourceFile, file: sourceFile, dir } as TestDatabase
  const context = makeContext(t)
  const signedIn = await signIn(context, 'admin@example.vn', 'admin', null)
  const actor = { userId: signedIn.userId, email: signedIn.email }
  const sessionUser = {
    id: signedIn.userId,
    email: signedIn.email,
    role: 'admin' as const,
    agencyId: null,
    scopePath: null,
  }

  await seedDemoResponses(db, 150, { seed: 1 })
  const sipas = (await findQuestionnaireByCode(db, 'SIPAS-2017'))!
  const first = (await latestPublishedVersion(db, sipas.id))!
  const second = await newDraftFrom(db, first.id, actor)
  if (!second.ok) throw new Error(second.error)
  expect(await publishDraft(db, second.versionId, actor)).toMatchObject({ ok: true })
  expect(await newDraftFrom(db, second.versionId, actor)).toMatchObject({ ok: true })
  const province = await db.selectFrom('agency').select('id').where('code', '=', 'DEMO-AL').executeTakeFirstOrThrow()
  expect(await assignVersion(db, second.versionId, [province.id], actor)).toMatchObject({ ok: true })
  await seedDemoResponses(db, 150, { seed: 2 })

  await insertAgency(
    db,
    {
      code: 'DEMO-AL-KHU',
      nameVi: 'Ban Quản lý khu kinh tế (mẫu)',
      nameEn: 'Economic Zone Authority (demo)',
      level: 'department',
      parentId: province.id,
      validFrom: '2025-07-01',
      validTo: null,
    },
    new Date().toISOString(),
  )
  const moved = await db
    .selectFrom('agency')
    .select(['id', 'name_vi', 'name_en'])
    .where('code', '=', 'DEMO-AL-X-HOATHUAN')
    .executeTakeFirstOrThrow()
  expect(
    await updateAgency(db, sessionUser, moved.id, {
      nameVi: moved.name_vi,
      nameEn: moved.name_en,
      parentCode: 'DEMO-AL-KHU',
    }),
  ).toMatchObject({ ok: true })

  await createApiToken(db, province.id, 'BI', 'test')
  await setPopulationCount(
    db,
    { agencyCode: 'DEMO-AL', period: '2026', count: 5000, source: null },
    { scopePath: null, userId: null, actor: 'test' },
  )
  // A count waiting for approval: a department's figure moves the province's score, so it is not applied.
  const department = await signIn(context, 'analyst@snv.vn', 'analyst', 'DEMO-AL-SNV')
  const snv = await db.selectFrom('agency').select('path').where('code', '=', 'DEMO-AL-SNV').executeTakeFirstOrThrow()
  expect(
    await setPopulationCount(
      db,
      { agencyCode: 'DEMO-AL-SNV', period: '2026', count: 5000, source: null },
      { scopePath: snv.path, userId: department.userId, actor: department.email },
    ),
  ).toMatchObject({ ok: true, outcome: 'pending' })
  // The one-stop shop's dossiers of a month (issue #17): copied, and the scores' QĐ 766 rates agree.
  await writeDossierCounts(
    db,
    [
      {
        agencyId: province.id,
        agencyCode: 'DEMO-AL',
        month: new Date().toISOString().slice(0, 7),
        received: 120,
        settled: 100,
        settledLate: 2,
        complained: 1,
        ratedDissatisfied: null,
      },
    ],
    { source: 'api', actor: 'test', userId: null },
  )
  const invitation = await createInvitation(
    db,
    context.config,
    invitationRequestSchema.parse({ agencyCode: 'DEMO-AL', dossierCode: 'HS-0001' }),
    { scopePath: null, actor: 'test' },
  )
  if (!invitation.ok) throw new Error(invitation.error)
  const invitationId = (
    await db
      .selectFrom('invitation')
      .select('id')
      .where('code', '=', invitation.invitation.code)
      .executeTakeFirstOrThrow()
  ).id
  const link = await db
    .selectFrom('survey_link')
    .select(['id', 'agency_id'])
    .where('agency_id', '=', province.id)
    .executeTakeFirstOrThrow()
  const version = await getVersionDefinition(db, second.versionId, 'published')
  const answers = Object.fromEntries(version.items.filter((i) => i.type === 'scale5').map((i) => [i.code, 5]))
  const stored = await submitResponse(db, {
    clientSubmissionId: crypto.randomUUID(),
    version,
    answers,
    submittedAt: new Date(),
    context: { agencyId: link.agency_id, procedureId: null, channel: 'counter', linkId: link.id, invitationId },
  })
  expect(stored.status).toBe('stored')

  // Tables no service fills outside a live request: a failed sign-in's throttle, a network's counted window,
  // a spent form token and an enrolled kiosk tablet.
  const at = new Date().toISOString()
  await db
    .insertInto('sign_in_throttle')
    .values({ subject: 'net:test', failures: 1, last_failure_at: at, blocked_until: at })
    .execute()
  await db
    .insertInto('network_counter')
    .values({
      link_id: link.id,
      network_hash: 'a'.repeat(64),
      kind: 'counted',
      window_start: at.slice(0, 13),
      count: 3,
    })
    .execute()
  await db.insertInto('form_token_use').values({ nonce: crypto.randomUUID(), used_at: at }).execute()
  await db
    .insertInto('kiosk_device')
    .values({ token_hash: 'b'.repeat(64), link_id: link.id, label: 'Quầy 1', enrolled_at: at, enrolled_by: null })
    .execute()
  // A rollout of the second version to the province from a day far ahead: copied, and no score moves.
  await db
    .insertInto('version_rollout')
    .values({
      version_id: second.versionId,
      agency_id: province.id,
      include_subtree: 1,
      effective_date: '2099-01-01',
      effective_at: '2098-12-31T17:00:00.000Z',
      created_at: at,
      created_by: null,
    })
    .execute()

  // A poster letterhead of the province.
  await db
    .insertInto('poster_header')
    .values({
      agency_id: province.id,
      unit_name: 'UBND TỈNH DEMO',
      office_name: 'Bộ phận Một cửa',
      hotline: '0236 3 123 456',
      updated_by: 'admin@example.vn',
      updated_at: at,
    })
    .execute()

  // A digest item marked handled, and the province's digest webhook (docs/insight.md, "Closing the loop").
  const anyResponse = await db.selectFrom('response').select(['id', 'agency_id']).executeTakeFirstOrThrow()
  await db
    .insertInto('feedback_handling')
    .values({
      response_id: anyResponse.id,
      agency_id: anyResponse.agency_id,
      handled: 1,
      note: 'Đã gọi lại cho công dân',
      updated_by_user_id: signedIn.userId,
      updated_by: signedIn.email,
      updated_at: at,
    })
    .execute()
  await db
    .insertInto('digest_webhook')
    .values({
      agency_id: province.id,
      url: 'https://hook.example.vn/hai-long',
      secret: 's'.repeat(32),
      enabled: 1,
      updated_by: signedIn.email,
      updated_at: at,
      last_attempt_at: null,
      last_success_at: null,
      last_status: null,
      last_detail: null,
    })
    .execute()

  // Releases the database guards once published: the lower id is published last and supersedes the higher.
  const secondAdmin = await signIn(context, 'admin2@example.vn', 'admin', null)
  const author = await releaseActor(db, signedIn.email)
  const approver = await releaseActor(db, secondAdmin.email)
  const year = String(new Date().getUTCFullYear())
  const ids: number[] = []
  for (let k = 0; k < 3; k++) {
    const created = await createRelease(db, { agencyCode: 'DEMO-AL', period: year }, author!)
    if (!created.ok) throw new Error(created.error)
    ids.push(created.id)
  }
  for (const id of [ids[1]!, ids[0]!]) {
    expect(await approveRelease(db, id, approver!)).toEqual({ ok: true })
    expect(await publishRelease(db, id, author!)).toMatchObject({ ok: true })
  }
}

beforeAll(async () => {
  admin = new pg.Pool({ connectionString: inject('postgresAdminUrl'), max: 2 })
  dir = tempDir('hailong-migrate-data-')
  sourceFile = path.join(dir, 'province.sqlite')
  source = createDb({ dialect: 'sqlite', file: sourceFile })
  await prepareDatabase(source, 'demo')
  await fillEveryTable(source)
})

afterAll(async () => {
  await source?.destroy()
  for (const target of targets) {
    await target.db.destroy()
    await admin.query(`drop database if exists ${target.name} with (force)`)
  }
  await admin?.end()
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

describe('hailong migrate-data', () => {
  let target: { url: string; db: DB }
  let sourceCounts: Record<string, number>

  beforeAll(async () => {
    target = await createTarget()
    sourceCounts = await counts(source)
  })

  it('the source has rows in every table', () => {
    for (const table of COPIED_TABLES) expect(sourceCounts[table], table).toBeGreaterThan(0)
  })

  it('copies every table (exit 0) and reports the counts of both sides', async () => {
    const r = await runCli(['migrate-data', '--from', `sqlite:${sourceFile}`, '--to', target.url, '--json'])
    expect(r.status, r.stderr).toBe(0)
    const summary = JSON.parse(r.stdout)
    expect(summary.tables).toEqual(
      COPIED_TABLES.map((table) => ({ table, source: sourceCounts[table], target: sourceCounts[table] })),
    )
    expect(summary.scores).toMatchObject({
      questionnaires: ['ND61-DOSSIER', 'SIPAS-2017', 'SIPAS-SHORT'],
      boundaries: ['current', 'historical'],
    })
    expect(summary.scores.compared).toBe(3 * 2 * summary.scores.years.length)
    expect(r.stderr).toContain(`answer: ${sourceCounts.answer}/${sourceCounts.answer} rows`)
  })

  it('the target holds exactly the rows of the source, ids included', async () => {
    expect(await counts(target.db)).toEqual(sourceCounts)
    for (const table of COPIED_TABLES)
      expect(await contents(target.db, table), table).toEqual(await contents(source, table))
  })

  // Equal to 1e-9: each database adds up the floating-point aggregates in its own order (SQLite along
  // its plan, PostgreSQL along its own), which changes the last bits of some sums and of what follows.
  it('the scores are the same on both databases', async () => {
    const years = (await source.selectFrom('response').select('period_month').distinct().execute()).map((r) =>
      Number(r.period_month.slice(0, 4)),
    )
    for (const questionnaireCode of ['SIPAS-2017', 'ND61-DOSSIER']) {
      for (const year of new Set(years)) {
        for (const boundaries of ['current', 'historical'] as const) {
          const request = {
            questionnaireCode,
            rootAgencyCode: null,
            period: { kind: 'year', year } as const,
            boundaries,
          }
          const expected = await computeScores(source, request)
          expect(await computeScores(target.db, request), `${questionnaireCode} ${year} ${boundaries}`).toEqual(
            withNumbersClose(expected),
          )
        }
      }
    }
  })

  it('new rows get fresh ids after the copy (the id sequences were moved past the copied ids)', async () => {
    const before = {
      response: await maxId(source, 'response'),
      agency: await maxId(source, 'agency'),
      api_token: await maxId(source, 'api_token'),
    }
    await seedDemoResponses(target.db, 1, { seed: 3 })
    const agencyId = await insertAgency(
      target.db,
      {
        code: 'DEMO-AL-NEW',
        nameVi: 'Mới',
        nameEn: 'New',
        level: 'department',
        parentId: null,
        validFrom: '2026-01-01',
        validTo: null,
      },
      new Date().toISOString(),
    )
    await createApiToken(target.db, agencyId, 'after the move', 'test')
    expect(await maxId(target.db, 'response')).toBe(before.response + 1)
    expect(agencyId).toBe(before.agency + 1)
    expect(await maxId(target.db, 'api_token')).toBe(before.api_token + 1)
  })

  it('a second run into the now non-empty target exits 1 and changes nothing', async () => {
    const before = await counts(target.db)
    const r = await runCli(['migrate-data', '--from', `sqlite:${sourceFile}`, '--to', target.url])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/hailong migrate-data: the target database is not empty \(rows in: agency, /)
    expect(r.stdout).toBe('')
    expect(await counts(target.db)).toEqual(before)
  })

  it('refuses a source that is not at the current schema (exit 1)', async () => {
    const bare = path.join(dir, 'bare.sqlite')
    new SQLite(bare).close()
    const r = await runCli(['migrate-data', '--from', `sqlite:${bare}`, '--to', target.url])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(
      /the source is not at the current schema \(pending migrations: 2026-11-28T0300_initial, [^)]+\); run "hailong migrate" on it first/,
    )
  })

  describe('bad arguments exit 2 with a message, before connecting to anything', () => {
    // A database that does not exist: connecting to it would fail with status 1, not 2.
    const nowhere = () => postgresUrlFor(inject('postgresAdminUrl'), 'never_created')
    it.each([
      ['no --from', () => ['--to', nowhere()], /--from is required/],
      ['no --to', () => ['--from', `sqlite:${sourceFile}`], /--to is required/],
      [
        'a missing file',
        () => ['--from', `sqlite:${path.join(dir, 'missing.sqlite')}`, '--to', nowhere()],
        /--from: no SQLite file at .*missing\.sqlite/,
      ],
      ['a folder', () => ['--from', `sqlite:${dir}`, '--to', nowhere()], /--from: no SQLite file at/],
      [
        'PostgreSQL as the source',
        () => ['--from', nowhere(), '--to', nowhere()],
        /--from must name a SQLite file \(sqlite:FILE\)/,
      ],
      [
        'SQLite as the target',
        () => ['--from', `sqlite:${sourceFile}`, '--to', `sqlite:${path.join(dir, 'copy.sqlite')}`],
        /--to must be a postgres:\/\/ URL/,
      ],
      [
        'an unknown flag',
        () => ['--from', `sqlite:${sourceFile}`, '--to', nowhere(), '--force'],
        /Unknown option '--force'/,
      ],
      [
        'a stray argument',
        () => ['--from', `sqlite:${sourceFile}`, '--to', nowhere(), 'now'],
        /Unexpected argument 'now'/,
      ],
    ])('%s', async (_case, args, message) => {
      const r = await runCli(['migrate-data', ...args()])
      expect(r.status, r.stderr).toBe(2)
      expect(r.stderr).toMatch(message)
      expect(r.stderr).toContain('Run "hailong migrate-data --help" for usage.')
      expect(r.stdout).toBe('')
      expect(fs.existsSync(path.join(dir, 'copy.sqlite'))).toBe(false)
    })
  })
})

describe('migrateData (the service)', () => {
  it('a failure half-way leaves the target empty, and a later run copies everything', async () => {
    const target = await createTarget()
    const readOnlySource = createDb({ dialect: 'sqlite', file: sourceFile }, { readonly: true })
    try {
      // Small batches: the composite keys of answers and aggregates page across many batches.
      const failing = migrateData(readOnlySource, target.db, {
        batchRows: 500,
        onProgress: ({ table, copied }) => {
          if (table === 'answer' && copied >= 2000) throw new Error('connection lost')
        },
      })
      await expect(failing).rejects.toThrow('copying answer after 2000 rows: connection lost')
      for (const [table, n] of Object.entries(await counts(target.db))) expect(n, table).toBe(0)

      const report = await migrateData(readOnlySource, target.db, { batchRows: 500 })
      expect(report.tables.every((t) => t.source === t.target)).toBe(true)
      expect(await counts(target.db)).toEqual(await counts(source))
      for (const table of ['answer', 'item_aggregate', 'composite_aggregate'] as const) {
        expect(await contents(target.db, table), table).toEqual(await contents(source, table))
      }
    } finally {
      await readOnlySource.destroy()
    }
  })
})
