/**
 * Issue 18: "a crawler over every route, as each role, finds no raw code or English UI word on any Vietnamese
 * page". The built server runs on a seeded database with answers; each role signs in through the form and
 * walks every page it can reach: the navigation, every same-site link found on a page, and the pages that
 * need an id (a link's poster, a version, an agency's scores). Every page's visible text is checked for
 * translation keys and audit codes, raw code values (levels, methods, roles), ISO dates and English UI words.
 */
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemoResponses } from '#app/.server/services/seed.ts'
import { createUser } from '#app/.server/services/users.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { PASSWORD } from '#tests/helpers/remix.ts'
import { decodeEntities, leaks, visibleText } from '#tests/helpers/wording-leaks.ts'
import { startServersOn, stopServers } from '#tests/helpers/servers.ts'
import type { RunningServer } from '#scripts/support/server-process.ts'

let t: TestDatabase
let server: RunningServer

/** The administrator startServersOn creates, and one user of each other role. */
const USERS = {
  admin: 'admin@example.gov.vn',
  manager: 'quanly@anlac.example.vn',
  analyst: 'phantich@anlac.example.vn',
} as const
type RoleName = keyof typeof USERS

/** Where each role should land after signing in (issue 18: "each role lands where it works"). */
const HOME: Record<RoleName, string> = { admin: '/admin', manager: '/admin', analyst: '/analytics' }

beforeAll(async () => {
  t = await createTestDatabase({ seed: 'demo' })
  // Answers, so the analytics pages show tables, periods and numbers rather than "not enough data".
  await seedDemoResponses(t.db, 300)
  for (const role of ['manager', 'analyst'] as const) {
    const created = await createUser(
      t.db,
      { email: USERS[role], role, agencyCode: 'DEMO-AL', password: PASSWORD },
      'test',
    )
    if (!created.ok) throw new Error(created.error)
  }
  ;[server] = await startServersOn(t, 1, { RATE_LIMIT: 'off' })
}, 240_000)
afterAll(async () => {
  if (server) await stopServers([server])
  await t?.cleanup()
})

// ---------------------------------------------------------------------------------------------------------
// The walk.

async function signIn(role: RoleName): Promise<{ cookie: string; landing: string }> {
  const res = await fetch(`${server.url}/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Accept-Language': 'vi' },
    body: new URLSearchParams({ email: USERS[role], password: PASSWORD, redirectTo: '' }).toString(),
    redirect: 'manual',
  })
  expect(res.status, `${role} signs in`).toBe(302)
  const session = res.headers.getSetCookie().find((c) => c.startsWith('hl_session='))
  if (!session) throw new Error(`no session cookie for ${role}`)
  return {
    cookie: `${session.split(';')[0]}; lng=vi`,
    landing: new URL(res.headers.get('Location')!, server.url).pathname,
  }
}

/** Pages that change something when opened, or are not HTML pages. */
const SKIP = [
  /^\/logout/,
  /^\/api\//,
  /^\/healthz/,
  /\/qr\.(svg|png)$/,
  /\.csv$/,
  /^\/analytics\/export\//,
  /^\/analytics\/responses\//,
  /^\/setup\//,
  /^\/procedures\/search/,
  /\/submit$/,
]

/** The pages that need a real id, in case no page links to them. */
async function parameterisedPages(): Promise<string[]> {
  const link = await t.db
    .selectFrom('survey_link')
    .select(['id', 'code'])
    .where('kind', '=', 'poster')
    .executeTakeFirstOrThrow()
  const kiosk = await t.db.selectFrom('survey_link').select('id').where('kind', '=', 'kiosk').executeTakeFirst()
  const questionnaire = await t.db.selectFrom('questionnaire').select('id').orderBy('id').executeTakeFirstOrThrow()
  const version = await t.db.selectFrom('questionnaire_version').select('id').orderBy('id').executeTakeFirstOrThrow()
  return [
    '/',
    '/admin',
    '/analytics',
    '/account/password',
    '/quyen-rieng-tu',
    '/ket-qua',
    `/admin/links/${link.id}/poster`,
    ...(kiosk ? [`/admin/links/${kiosk.id}/kiosk`] : []),
    `/admin/questionnaires/${questionnaire.id}`,
    `/admin/versions/${version.id}`,
    '/analytics/agency/DEMO-AL',
    '/analytics/agency/DEMO-AL-STP',
    '/analytics/population',
    '/analytics/releases',
    `/s/${link.code}`,
  ]
}

interface Visit {
  url: string
  status: number
  /** Reached through a link on a page (the navigation included), not from the list of ids. */
  linked: boolean
  problems: string[]
}

/** Same-site page links on a page (href="/…"), fragment dropped. */
function linksOn(html: string): string[] {
  return [...html.matchAll(/<a\b[^>]*\bhref="(\/[^"#]*)/g)].map((m) => decodeEntities(m[1]!))
}

/**
 * Walks breadth-first from the role's pages. Query strings are kept (filters, periods, languages) but each
 * path is visited with at most a few of them, so a page with many filter links does not blow the walk up.
 */
async function crawl(role: RoleName, cookie: string, landing: string, extras: string[]): Promise<Visit[]> {
  const seen = new Set<string>()
  const perPath = new Map<string, number>()
  const queue = [{ url: landing, linked: false }]
  const visits: Visit[] = []
  // The pages reachable by links come first; the list of ids only adds what no link led to.
  let extrasAdded = false
  while (visits.length < 250) {
    if (queue.length === 0 && !extrasAdded) {
      extrasAdded = true
      queue.push(...extras.map((url) => ({ url, linked: false })))
    }
    if (queue.length === 0) break
    const { url, linked } = queue.shift()!
    const parsed = new URL(url, server.url)
    // English pages are English on purpose; the walk checks the Vietnamese UI.
    if (parsed.searchParams.get('lng') === 'en') continue
    const key = parsed.pathname + parsed.search
    if (seen.has(key) || SKIP.some((re) => re.test(parsed.pathname))) continue
    seen.add(key)
    const n = perPath.get(parsed.pathname) ?? 0
    if (n >= 3) continue
    perPath.set(parsed.pathname, n + 1)
    const res = await fetch(`${server.url}${key}`, { headers: { Cookie: cookie }, redirect: 'manual' })
    if (res.status >= 300 && res.status < 400) {
      const location = res.headers.get('Location')
      if (location?.startsWith('/')) queue.push({ url: location, linked })
      continue
    }
    if (!(res.headers.get('content-type') ?? '').includes('text/html')) continue
    const html = await res.text()
    const problems = leaks(visibleText(html)).map((p) => `${role} ${key} (${res.status}): ${p}`)
    if (res.status >= 500) problems.push(`${role} ${key}: status ${res.status}`)
    // A link a page offers must lead somewhere the role may go (issue 18: no section that answers Forbidden).
    if (linked && res.status === 403) problems.push(`${role} ${key}: a link leads to a forbidden page`)
    visits.push({ url: key, status: res.status, linked, problems })
    for (const next of linksOn(html)) queue.push({ url: next, linked: true })
  }
  return visits
}

describe('the Vietnamese UI, walked as each role', () => {
  it('the leak detector sees what it looks for', () => {
    const page =
      '<html><head><title>x</title></head><body><main><td>auth.sign_in</td><td>province</td><td>2026-11-30</td>' +
      '<button>Save</button><code>external_id</code><a href="/?lng=en" lang="en">Switch to English</a>' +
      '<p>admin@example.gov.vn</p><script>var a = "b.c"</script></main></body></html>'
    const found = leaks(visibleText(page)).map((p) => p.split('"')[1])
    expect(found.sort()).toEqual(['2026-11-30', 'Save', 'auth.sign_in', 'province'].sort())
  })

  for (const role of ['admin', 'manager', 'analyst'] as const) {
    it(`${role}: lands where the role works, and no page shows a code or an English word`, async () => {
      const { cookie, landing } = await signIn(role)
      expect.soft(landing).toBe(HOME[role])
      const visits = await crawl(role, cookie, landing, await parameterisedPages())
      expect(visits.length).toBeGreaterThan(role === 'admin' ? 15 : 5)
      const problems = visits.flatMap((v) => v.problems)
      if (process.env.WORDING_CRAWL_DUMP)
        fs.appendFileSync(
          process.env.WORDING_CRAWL_DUMP,
          [...visits.map((v) => `${role} visited ${v.url} ${v.status}`), ...problems, ''].join('\n'),
        )
      expect(problems.join('\n')).toBe('')
    }, 240_000)
  }

  it('a citizen: the survey, its error summary, the thank-you page and the error pages speak Vietnamese', async () => {
    const cookie = 'lng=vi'
    const link = await t.db
      .selectFrom('survey_link')
      .select('code')
      .where('kind', '=', 'poster')
      .where('active', '=', 1)
      .orderBy('id')
      .executeTakeFirstOrThrow()
    const problems: string[] = []
    const check = async (label: string, res: Response) => {
      const html = await res.text()
      problems.push(...leaks(visibleText(html)).map((p) => `citizen ${label} (${res.status}): ${p}`))
      if (res.status >= 500) problems.push(`citizen ${label}: status ${res.status}`)
      return html
    }
    const get = (path: string) => fetch(`${server.url}${path}`, { headers: { Cookie: cookie }, redirect: 'manual' })
    for (const path of [
      '/',
      '/login',
      '/ket-qua',
      '/quyen-rieng-tu',
      `/s/${link.code}?step=1`,
      '/s/KHONGCO',
      '/r/KHONGCO',
    ])
      await check(path, await get(path))
    // The served form, posted empty (the error summary), then answered (the thank-you page), without JavaScript.
    const page = await check(`/s/${link.code}`, await get(`/s/${link.code}`))
    const hidden = Object.fromEntries(
      [...page.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [
        m[1]!,
        decodeEntities(m[2]!),
      ]),
    )
    expect(hidden._token, 'the page carries a form token').toBeTruthy()
    const post = (fields: Record<string, string>) =>
      fetch(`${server.url}/s/${link.code}`, {
        method: 'POST',
        headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url },
        body: new URLSearchParams(fields).toString(),
        redirect: 'manual',
      })
    const empty = await post(hidden)
    expect(empty.status).toBe(400)
    await check(`POST /s/${link.code} (empty)`, empty)
    // Each radio group answered with its first choice.
    const answers: Record<string, string> = {}
    for (const m of page.matchAll(/<input[^>]*type="radio"[^>]*>/g)) {
      const name = /name="([^"]+)"/.exec(m[0])?.[1]
      const value = /value="([^"]*)"/.exec(m[0])?.[1]
      if (name && value !== undefined && !(name in answers)) answers[name] = decodeEntities(value)
    }
    const sent = await post({ ...hidden, ...answers })
    expect(sent.status, 'a complete answer is thanked with a redirect').toBe(303)
    const thanks = sent.headers.get('Location')!
    await check(thanks, await get(thanks))
    expect(problems.join('\n')).toBe('')
  }, 120_000)
})
