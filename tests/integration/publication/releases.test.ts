/**
 * Official releases end to end (issue #17, docs/publication.md): prepared, approved by a second person
 * whose scope covers them, published through `hailong release`; served without a session by the releases
 * API and /ket-qua with the exact bytes their SHA-256 names; untouched by later responses and by
 * `hailong aggregates rebuild`; corrected by a superseding release that shows what moved.
 */
import { createHash } from 'node:crypto'
import type { ComponentType } from 'react'
import { renderPage } from '#tests/helpers/render-page.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loader as listLoader } from '#app/routes/api.v1.releases.ts'
import { loader as documentLoader } from '#app/routes/api.v1.releases_.$id.ts'
import { action as workflowAction, loader as workflowLoader } from '#app/routes/analytics.releases.tsx'
import ReleasePage, { loader as pageLoader } from '#app/routes/ket-qua.$id.tsx'
import ResultsIndex, { loader as indexLoader } from '#app/routes/ket-qua._index.tsx'
import { loader as csvLoader } from '#app/routes/ket-qua_.$id.csv.ts'
import type { ReleaseDocument } from '#app/domain/publication/release-document.ts'
import { runCli } from '#scripts/support/cli.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, run, signIn } from '#tests/helpers/remix.ts'
import { type Batch, seed } from '../analytics/support.ts'

/**
 * 2026-Q1 under DEMO-AL: SNV 20 satisfied + 20 not → 50 %; STP and SNNMT 30 satisfied each → 100 % (a tie);
 * the commune P-ANLAC 28 + 7 → 80 %; the province (20 + 30 + 30 + 28) / 135 = 80 %.
 */
const BATCHES: Batch[] = [
  { agency: 'DEMO-AL-SNV', at: '2026-02-10T03:00:00Z', profile: 'S', count: 20 },
  { agency: 'DEMO-AL-SNV', at: '2026-02-12T03:00:00Z', profile: 'U', count: 20 },
  { agency: 'DEMO-AL-STP', at: '2026-01-15T03:00:00Z', profile: 'S', count: 30 },
  { agency: 'DEMO-AL-SNNMT', at: '2026-03-15T03:00:00Z', profile: 'S', count: 30 },
  { agency: 'DEMO-AL-P-ANLAC', at: '2026-02-20T03:00:00Z', profile: 'S', count: 28 },
  { agency: 'DEMO-AL-P-ANLAC', at: '2026-02-21T03:00:00Z', profile: 'U', count: 7 },
]

let t: TestDatabase
let context: ReturnType<typeof makeContext>
const cookies: Record<string, string> = {}
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  await seed(t, BATCHES)
  for (const [name, role, agency] of [
    ['author', 'analyst', 'DEMO-AL'],
    ['approver', 'analyst', 'DEMO-AL'],
    ['snv', 'analyst', 'DEMO-AL-SNV'],
    ['manager', 'manager', 'DEMO-AL'],
    ['admin', 'admin', null],
  ] as const)
    cookies[name] = (await signIn(context, `${name}@example.vn`, role, agency)).cookie
})
afterAll(() => t?.cleanup())

const cli = (...argv: string[]) => runCli(['release', ...argv], { env: { DATABASE_URL: t.url } })
const as = (who: string) => ['--as', `${who}@example.vn`]

async function create(who = 'author', period = '2026-Q1') {
  const r = await cli('create', '--agency', 'DEMO-AL', '--period', period, ...as(who))
  expect(r.stderr).toBe('')
  expect(r.status).toBe(0)
  return Number(r.stdout.trim().split('\n').at(-1))
}

/** GET a route's loader as an anonymous visitor (no cookie). */
async function get(loader: (args: never) => unknown, path: string, params: Record<string, string> = {}, headers = {}) {
  const request = new Request(`http://localhost${path}`, { headers })
  return run(() => (loader as (a: unknown) => unknown)({ request, params, context }))
}

let first: number

/** The server-rendered HTML of a public page on its loader's data. */
const render = (page: ComponentType, path: string, data: unknown, lng: 'vi' | 'en') =>
  renderPage({ page, path, data, lng, namespace: 'results' })

describe('hailong release and the workflow rules', () => {
  it('create prints the new id on its last line; a draft is not public', async () => {
    first = await create()
    expect(first).toBeGreaterThan(0)
    const row = await t.db.selectFrom('release').selectAll().where('id', '=', first).executeTakeFirstOrThrow()
    expect(row.status).toBe('draft')
    expect(row.period).toBe('2026-Q1')
    expect(sha256(row.document)).toBe(row.sha256)
    expect((await get(documentLoader, `/api/v1/releases/${first}`, { id: String(first) })).status).toBe(404)
    expect(((await get(listLoader, '/api/v1/releases')).body as { releases: unknown[] }).releases).toEqual([])
    const json = await cli('create', '--agency', 'DEMO-AL', '--period', 'Q1/2026', ...as('admin'), '--json')
    expect(json.status).toBe(0)
    const parsed = JSON.parse(json.stdout.trim().split('\n').at(-1)!)
    expect(parsed.id).toBeGreaterThan(first)
    expect(parsed.sha256).toMatch(/^[0-9a-f]{64}$/)
  })

  it('refuses bad input with a message and stores nothing', async () => {
    const before = await t.db.selectFrom('release').select('id').execute()
    const badPeriod = await cli('create', '--agency', 'DEMO-AL', '--period', '2026-Q5', ...as('author'))
    expect(badPeriod.status).toBe(2)
    expect(badPeriod.stderr).toContain('2026-Q5')
    const unknown = await cli('create', '--agency', 'NOPE', '--period', '2026-Q1', ...as('author'))
    expect(unknown.status).toBe(2)
    expect(unknown.stderr).toContain('NOPE')
    const outside = await cli('create', '--agency', 'DEMO-AL', '--period', '2026-Q1', ...as('snv'))
    expect(outside.status).toBe(2)
    expect(outside.stderr).toContain('outside your scope')
    const manager = await cli('create', '--agency', 'DEMO-AL', '--period', '2026-Q1', ...as('manager'))
    expect(manager.status).toBe(2)
    expect(manager.stderr).toContain('Only administrators and analysts')
    expect(await t.db.selectFrom('release').select('id').execute()).toEqual(before)
  })

  it('the author cannot approve their own release, nor can someone whose scope does not cover it', async () => {
    const own = await cli('approve', String(first), ...as('author'))
    expect(own.status).toBe(2)
    expect(own.stderr).toContain('cannot approve')
    const outside = await cli('approve', String(first), ...as('snv'))
    expect(outside.status).toBe(2)
    expect(outside.stderr).toContain(`no release #${first}`)
    const manager = await cli('approve', String(first), ...as('manager'))
    expect(manager.status).toBe(2)
    const early = await cli('publish', String(first), ...as('author'))
    expect(early.status).toBe(2)
    expect(early.stderr).toContain('not approved')
    const row = await t.db.selectFrom('release').select('status').where('id', '=', first).executeTakeFirstOrThrow()
    expect(row.status).toBe('draft')
  })

  it('a second person approves, then it is published and audited', async () => {
    expect((await cli('approve', String(first), ...as('approver'))).status).toBe(0)
    const published = await cli('publish', String(first), ...as('author'))
    expect(published.stderr).toBe('')
    expect(published.stdout).toContain(`Release ${first} published.`)
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('entity', '=', 'release')
      .where('entity_id', '=', String(first))
      .orderBy('id')
      .execute()
    expect(audit).toEqual([
      { action: 'release.create', actor: 'author@example.vn' },
      { action: 'release.approve', actor: 'approver@example.vn' },
      { action: 'release.publish', actor: 'author@example.vn' },
    ])
    const list = await cli('list')
    expect(list.stdout).toMatch(new RegExp(`^${first}\\tpublished\\tDEMO-AL\\t2026-Q1`, 'm'))
  })
})

describe('the published release, served without a session', () => {
  it('GET /api/v1/releases lists it, public and cacheable', async () => {
    const r = await get(listLoader, '/api/v1/releases')
    expect(r.status).toBe(200)
    expect(r.headers.get('Cache-Control')).toMatch(/^public/)
    const { releases } = r.body as { releases: Array<Record<string, unknown>> }
    const stored = await t.db.selectFrom('release').select('sha256').where('id', '=', first).executeTakeFirstOrThrow()
    expect(releases).toEqual([
      {
        id: first,
        period: '2026-Q1',
        questionnaire: 'SIPAS-2017',
        scope: { agencyCode: 'DEMO-AL', nameVi: expect.any(String), nameEn: expect.any(String) },
        publishedAt: expect.any(String),
        sha256: stored.sha256,
        supersedes: null,
      },
    ])
    const etag = r.headers.get('ETag')!
    expect((await get(listLoader, '/api/v1/releases', {}, { 'If-None-Match': etag })).status).toBe(304)
  })

  it('GET /api/v1/releases/{id} serves the bytes whose SHA-256 is the release hash, with it as ETag', async () => {
    const r = await get(documentLoader, `/api/v1/releases/${first}`, { id: String(first) })
    expect(r.status).toBe(200)
    expect(r.headers.get('Cache-Control')).toMatch(/^public/)
    const bytes = Buffer.from(await r.response!.arrayBuffer())
    const hash = createHash('sha256').update(bytes).digest('hex')
    const stored = await t.db.selectFrom('release').select('sha256').where('id', '=', first).executeTakeFirstOrThrow()
    expect(hash).toBe(stored.sha256)
    expect(r.headers.get('ETag')).toBe(`"${hash}"`)
    const again = await get(
      documentLoader,
      `/api/v1/releases/${first}`,
      { id: String(first) },
      { 'If-None-Match': `"${hash}"` },
    )
    expect(again.status).toBe(304)
    const unknown = await get(documentLoader, '/api/v1/releases/999999', { id: '999999' }, { 'Accept-Language': 'en' })
    expect(unknown.status).toBe(404)
    expect((unknown.body as { message: string }).message).toBe('There is no release #999999.')
  })

  it('ranks by level: departments among themselves, communes apart, the province never, ties shared', async () => {
    const row = await t.db.selectFrom('release').select('document').where('id', '=', first).executeTakeFirstOrThrow()
    const doc = JSON.parse(row.document) as ReleaseDocument
    const rank = (code: string) => doc.agencies.find((a) => a.code === code)?.rank
    expect(rank('DEMO-AL')).toBeNull()
    // The province's own 80 % would tie with the commune's 80 %: it is not ranked with its units.
    expect(doc.agencies.find((a) => a.code === 'DEMO-AL')!.overall.percent).toBe(80)
    expect(rank('DEMO-AL-STP')).toEqual({ group: 'department', rank: 1, of: 3 })
    expect(rank('DEMO-AL-SNNMT')).toEqual({ group: 'department', rank: 1, of: 3 })
    expect(rank('DEMO-AL-SNV')).toEqual({ group: 'department', rank: 3, of: 3 })
    // Departments without responses are in their group, unranked.
    expect(rank('DEMO-AL-SXD')).toMatchObject({ group: 'department', rank: null })
    expect(rank('DEMO-AL-P-ANLAC')).toEqual({ group: 'commune', rank: 1, of: 1 })
    expect(doc.rankings.map((g) => g.group)).toEqual(['department', 'commune'])
    expect(doc.agencies.find((a) => a.code === 'DEMO-AL-SXD')!.overall.percent).toBeNull()
  })

  it('/ket-qua lists it and /ket-qua/{id} shows it, with a CSV carrying the hash', async () => {
    const index = await get(indexLoader, '/ket-qua')
    expect(index.status).toBe(200)
    expect((index.data as { releases: Array<{ id: number }> }).releases.map((r) => r.id)).toEqual([first])
    const page = await get(pageLoader, `/ket-qua/${first}`, { id: String(first) })
    expect(page.status).toBe(200)
    const data = page.data as { document: ReleaseDocument; changes: unknown; status: string }
    expect(data.status).toBe('published')
    expect(data.changes).toBeNull()
    const csv = await get(csvLoader, `/ket-qua/${first}/csv`, { id: String(first) })
    expect(csv.status).toBe(200)
    const stored = await t.db.selectFrom('release').select('sha256').where('id', '=', first).executeTakeFirstOrThrow()
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    expect(lines[0]).toMatch(/^release_id,release_sha256,period,agency_code/)
    expect(lines.slice(1).every((l) => l.startsWith(`${first},${stored.sha256},2026-Q1,`))).toBe(true)
    expect((await get(pageLoader, '/ket-qua/424242', { id: '424242' })).status).toBe(404)
    const vi = await render(ReleasePage, `/ket-qua/${first}`, page.data, 'vi')
    expect(vi).toContain('Xếp hạng theo cấp')
    expect(vi).toContain('Sở, ban, ngành')
    expect(vi).toContain('80,00%')
    expect(vi).toContain(stored.sha256)
    const en = await render(ReleasePage, `/ket-qua/${first}`, page.data, 'en')
    expect(en).toContain('Rankings by level')
    expect(en).toContain('Communes and wards')
    expect(en).toContain('1 of 3')
    expect(en).toContain('share of criteria satisfied')
    expect(await render(ResultsIndex, '/ket-qua', index.data, 'vi')).toContain(`/ket-qua/${first}`)
  })

  it('the database itself refuses to change or delete a published release', async () => {
    await expect(t.db.updateTable('release').set({ document: '{}' }).where('id', '=', first).execute()).rejects.toThrow(
      /immutable/,
    )
    await expect(
      t.db.updateTable('release').set({ status: 'draft' }).where('id', '=', first).execute(),
    ).rejects.toThrow(/immutable/)
    await expect(t.db.deleteFrom('release').where('id', '=', first).execute()).rejects.toThrow(/immutable/)
  })
})

describe('frozen, then corrected', () => {
  let bytes: string
  let hash: string
  let second: number

  it('keeps its bytes and hash after more responses land in its period and after aggregates rebuild', async () => {
    const served = async () => (await get(documentLoader, `/api/v1/releases/${first}`, { id: String(first) })).text
    bytes = await served()
    hash = sha256(bytes)
    // 20 more unsatisfied responses for the home affairs department in February 2026.
    await seed(t, [{ agency: 'DEMO-AL-SNV', at: '2026-02-11T03:00:00Z', profile: 'U', count: 20 }])
    expect(await served()).toBe(bytes)
    const rebuild = await runCli(['aggregates', 'rebuild'], { env: { DATABASE_URL: t.url } })
    expect(rebuild.status).toBe(0)
    expect(await served()).toBe(bytes)
    const row = await t.db
      .selectFrom('release')
      .select(['sha256', 'status'])
      .where('id', '=', first)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ sha256: hash, status: 'published' })
  })

  it('a correction supersedes it and shows what moved', async () => {
    second = await create('admin')
    expect((await cli('approve', String(second), ...as('approver'))).status).toBe(0)
    const published = await cli('publish', String(second), ...as('admin'))
    expect(published.stdout).toContain(`supersedes release ${first}`)
    const { releases } = (await get(listLoader, '/api/v1/releases')).body as {
      releases: Array<{ id: number; supersedes: number | null }>
    }
    expect(releases.map((r) => [r.id, r.supersedes])).toEqual([[second, first]])
    // The superseded release is still served as it was, marked superseded.
    const old = await get(documentLoader, `/api/v1/releases/${first}`, { id: String(first) })
    expect(old.text).toBe(bytes)
    expect(old.headers.get('X-Release-Status')).toBe('superseded')
    const page = await get(pageLoader, `/ket-qua/${second}`, { id: String(second) })
    const data = page.data as {
      changes: Array<{ agency: string; quantity: string; before: unknown; after: unknown }>
      trend: { columns: unknown[] }
    }
    // SNV: 20/40 → 20/60, 50 % → 33.33 %; it stays third of three.
    expect(data.changes).toContainEqual({ agency: 'DEMO-AL-SNV', quantity: 'overall', before: 50, after: 33.33 })
    expect(data.changes).toContainEqual({ agency: 'DEMO-AL-SNV', quantity: 'overall.n', before: 40, after: 60 })
    const oldPage = await get(pageLoader, `/ket-qua/${first}`, { id: String(first) })
    expect((oldPage.data as { supersededBy: number }).supersededBy).toBe(second)
  })
})

describe('/analytics/releases, the same workflow on the web', () => {
  async function post(who: string, body: Record<string, string>) {
    const request = new Request('http://localhost/analytics/releases', {
      method: 'POST',
      body: new URLSearchParams(body),
      headers: { Cookie: cookies[who]!, Origin: 'http://localhost', 'Accept-Language': 'en' },
    })
    return run(() => workflowAction({ request, params: {}, context }))
  }
  const list = async (who: string) => {
    const request = new Request('http://localhost/analytics/releases', { headers: { Cookie: cookies[who]! } })
    return (await run(() => workflowLoader({ request, params: {}, context }))).data as {
      releases: Array<{ id: number; status: string; period: string; mine: boolean }>
    }
  }

  it('prepares, refuses the author approving, approves by another, publishes', async () => {
    const created = await post('author', { intent: 'create', agencyCode: 'DEMO-AL', period: '2026-Q2' })
    expect(created.status).toBe(200)
    const draft = (await list('author')).releases.find((r) => r.period === '2026-Q2')!
    expect(draft).toMatchObject({ status: 'draft', mine: true })
    const own = await post('author', { intent: 'approve', id: String(draft.id) })
    expect(own.status).toBe(403)
    expect((own.data as { message: string }).message).toBe('errors.ownRelease')
    expect((await post('approver', { intent: 'approve', id: String(draft.id) })).status).toBe(200)
    expect((await post('author', { intent: 'publish', id: String(draft.id) })).status).toBe(200)
    expect((await list('approver')).releases.find((r) => r.id === draft.id)!.status).toBe('published')
    // A department's analyst sees none of the province's releases; a manager may not open the page.
    expect((await list('snv')).releases).toEqual([])
    const manager = await run(() =>
      workflowLoader({
        request: new Request('http://localhost/analytics/releases', { headers: { Cookie: cookies.manager! } }),
        params: {},
        context,
      }),
    )
    expect(manager.status).toBeGreaterThanOrEqual(300)
  })
})
