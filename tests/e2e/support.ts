/**
 * What the end-to-end tests share: the built server and a browser, reading the server's database file,
 * seeding it through the command line, signing in and filling the survey form.
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { Browser, Page } from 'playwright-core'
import { expect } from 'vitest'
import { SIPAS_2017_ELEMENTS } from '#app/domain/questionnaire/templates/sipas2017.ts'
import { fieldName } from '#app/domain/survey/response-schema.ts'
import { launchBrowser } from '#tests/helpers/browser.ts'
import { runCli } from '#scripts/support/cli.ts'
import { ROOT } from '#scripts/support/root.ts'
import { type RunningServer, startServer } from '#scripts/support/server-process.ts'

export const CRITERIA = SIPAS_2017_ELEMENTS.flatMap((e) =>
  e.items.filter((i) => i.role === 'criterion').map((i) => i.code),
)

export class ServerDb {
  readonly db: Database.Database
  constructor(file: string) {
    this.db = new Database(file, { fileMustExist: true })
    this.db.pragma('busy_timeout = 5000')
  }
  linkCode(offset = 0): string {
    return (
      this.db
        .prepare("select code from survey_link where kind = 'poster' and active = 1 order by id limit 1 offset ?")
        .get(offset) as { code: string }
    ).code
  }
  responseCount(): number {
    return (this.db.prepare('select count(*) as n from response').get() as { n: number }).n
  }
  responsesForLink(code: string): number {
    return (
      this.db
        .prepare('select count(*) as n from response r join survey_link l on l.id = r.link_id where l.code = ?')
        .get(code) as { n: number }
    ).n
  }
  latestResponse() {
    return this.db.prepare('select * from response order by id desc limit 1').get() as Record<string, unknown> & {
      id: number
      client_submission_id: string
    }
  }
  answersOf(responseId: number): Record<string, number | string> {
    const rows = this.db
      .prepare(
        'select i.code, a.value_number, a.value_text from answer a join questionnaire_item i on i.id = a.item_id where a.response_id = ? order by i.position',
      )
      .all(responseId) as Array<{ code: string; value_number: number | null; value_text: string | null }>
    return Object.fromEntries(rows.map((r) => [r.code, (r.value_number ?? r.value_text)!]))
  }
  procedureCodeOf(responseId: number): string | null {
    const row = this.db
      .prepare('select p.code from response r left join procedure p on p.id = r.procedure_id where r.id = ?')
      .get(responseId) as { code: string | null }
    return row.code
  }
  insertInvitation(code: string, options: { usedAt?: string | null; expiresAt?: string } = {}) {
    const link = this.db
      .prepare("select agency_id, questionnaire_id from survey_link where kind = 'poster' order by id limit 1")
      .get() as { agency_id: number; questionnaire_id: number }
    this.db
      .prepare(
        'insert into invitation (code, agency_id, questionnaire_id, procedure_id, dossier_hash, channel, expires_at, used_at, created_at) values (?, ?, ?, null, null, ?, ?, ?, ?)',
      )
      .run(
        code,
        link.agency_id,
        link.questionnaire_id,
        'counter',
        options.expiresAt ?? new Date(Date.now() + 86_400_000).toISOString(),
        options.usedAt ?? null,
        new Date().toISOString(),
      )
  }
  invitationUsedAt(code: string): string | null {
    return (this.db.prepare('select used_at from invitation where code = ?').get(code) as { used_at: string | null })
      .used_at
  }
  close() {
    this.db.close()
  }
}

export interface Answers {
  criteria: Record<string, string>
  optional: Record<string, string>
  expectations: string[]
  suggestion?: string
  procedure?: string
}

/** A full set of answers: every criterion (a mix of levels), some optional items, one expectation, a suggestion. */
export function sampleAnswers(procedure: string, suggestion = 'Nên có thêm ghế chờ — cảm ơn cán bộ!'): Answers {
  return {
    criteria: Object.fromEntries(CRITERIA.map((code, i) => [code, String(((i * 3) % 5) + 1)])),
    optional: { 'E2.overall': '3', 'O.overall': '4', 'P.age': '26-40' },
    expectations: ['online'],
    suggestion,
    procedure,
  }
}

function expectedRows(a: Answers): Record<string, number | string> {
  const out: Record<string, number | string> = {}
  for (const [code, v] of Object.entries(a.criteria)) out[code] = Number(v)
  for (const [code, v] of Object.entries(a.optional)) out[code] = /^\d$/.test(v) ? Number(v) : v
  if (a.expectations.length) out['X.expectations'] = JSON.stringify(a.expectations)
  if (a.suggestion?.trim()) out['S.suggestion'] = a.suggestion.trim()
  return out
}

export const radio = (code: string, value: string) => `input[name="${fieldName(code)}"][value="${value}"]`

export async function fill(page: Page, a: Answers, skip: string[] = []) {
  for (const [code, v] of [...Object.entries(a.criteria), ...Object.entries(a.optional)]) {
    if (!skip.includes(code)) await page.check(radio(code, v))
  }
  for (const v of a.expectations) await page.check(`input[name="${fieldName('X.expectations')}"][value="${v}"]`)
  if (a.suggestion !== undefined) await page.fill(`textarea[name="${fieldName('S.suggestion')}"]`, a.suggestion)
  if (a.procedure) await page.check(`input[name="_procedure"][value="${a.procedure}"]`)
}

/**
 * With JavaScript, the form is usable for validation and local storage only once React has hydrated it.
 * The page's scripts wait for the citizen's first act (ADR 0064): a Shift key press is one that changes
 * nothing on the page, so a test that has not touched the page yet starts them with it.
 */
export async function waitForHydration(page: Page) {
  await page.keyboard.press('Shift')
  await waitForEnhancement(page)
}

/** Waits until the script has taken the survey form over, without acting on the page. */
export async function waitForEnhancement(page: Page) {
  await page.waitForFunction(
    () => (document.getElementById('survey-form') as HTMLFormElement | null)?.noValidate === true,
  )
}

export async function expectStored(sdb: ServerDb, a: Answers, extra: Record<string, unknown> = {}) {
  const response = sdb.latestResponse()
  expect(sdb.answersOf(response.id)).toEqual(expectedRows(a))
  expect(sdb.procedureCodeOf(response.id)).toBe(a.procedure ?? null)
  expect(response).toMatchObject({ source: 'web', ...extra })
  return response
}

function firstProcedure(sdb: ServerDb): string {
  return (
    (sdb.db.prepare("select code from procedure where code = 'DEMO-TTHC-002'").get() as { code: string } | undefined)
      ?.code ?? (sdb.db.prepare('select code from procedure order by id limit 1').get() as { code: string }).code
  )
}

/**
 * startServer, tolerant of a build being rewritten at that moment (the suite's global setup, or another
 * run sharing the checkout, may be running `remix vite:build`): waits for the build and retries a start
 * that failed only because the server bundle was missing.
 */
async function startBuiltServer(env: Record<string, string>): Promise<RunningServer> {
  const bundle = path.join(ROOT, 'build/server/index.js')
  for (let attempt = 1; ; attempt++) {
    const deadline = Date.now() + 120_000
    while (!fs.existsSync(bundle) || !fs.existsSync(path.join(ROOT, 'build/client/assets'))) {
      if (Date.now() > deadline) throw new Error('no build: run `npx remix vite:build`')
      await new Promise((r) => setTimeout(r, 500))
    }
    try {
      return await startServer(env)
    } catch (error) {
      if (attempt >= 4 || !/ERR_MODULE_NOT_FOUND|Cannot find module/.test(String(error))) throw error
      await new Promise((r) => setTimeout(r, 3000))
    }
  }
}

/** The survey's own translations in both languages, for asserting the texts a citizen sees. */
export const SURVEY_TEXTS = {
  vi: JSON.parse(fs.readFileSync(path.join(ROOT, 'locales/vi/survey.json'), 'utf8')),
  en: JSON.parse(fs.readFileSync(path.join(ROOT, 'locales/en/survey.json'), 'utf8')),
}

/** What an end-to-end file runs against: the built server on a fresh seeded database, a browser, that database. */
export interface E2eSession {
  server: RunningServer
  browser: Browser
  sdb: ServerDb
}

/** Starts the server and the browser side by side; if one fails, the other is closed before the error is thrown. */
export async function openSession(env: Record<string, string> = { RATE_LIMIT: 'off' }): Promise<E2eSession> {
  const [server, browser] = await Promise.allSettled([startBuiltServer(env), launchBrowser()])
  if (server.status === 'rejected' || browser.status === 'rejected') {
    if (browser.status === 'fulfilled') await browser.value.close()
    if (server.status === 'fulfilled') await server.value.stop()
    throw server.status === 'rejected' ? server.reason : (browser as PromiseRejectedResult).reason
  }
  return { server: server.value, browser: browser.value, sdb: new ServerDb(server.value.databaseFile) }
}

export async function closeSession(session: E2eSession | undefined): Promise<void> {
  session?.sdb.close()
  await session?.browser.close()
  await session?.server.stop()
}

/** A session for the citizen's pages, with the link and the procedure they answer through. */
export interface SurveySession extends E2eSession {
  /** The first active poster link. */
  code: string
  /** A procedure a citizen can pick. */
  procedure: string
}

export async function openSurveySession(env?: Record<string, string>): Promise<SurveySession> {
  const session = await openSession(env)
  return { ...session, code: session.sdb.linkCode(), procedure: firstProcedure(session.sdb) }
}

/** Demo responses and one user on the server's database, added through the command line as an operator would. */
export async function addDemoData(
  server: RunningServer,
  options: { responses: number; user: { email: string; password: string; role: 'admin' | 'analyst'; agency?: string } },
): Promise<void> {
  const env = { DATABASE_URL: server.databaseFile }
  const seeded = await runCli(['seed', '--demo-responses', String(options.responses)], { env })
  expect(seeded.status, seeded.stderr).toBe(0)
  const { email, password, role, agency } = options.user
  const user = await runCli(
    ['user', 'create', '--email', email, '--role', role, ...(agency ? ['--agency', agency] : [])],
    { input: `${password}\n`, env },
  )
  expect(user.status, user.stderr).toBe(0)
}

/** Asks for a page behind sign-in, is sent to the login form with the page to return to, signs in and is sent back. */
export async function signInThroughForm(
  page: Page,
  server: RunningServer,
  pathname: string,
  email: string,
  password: string,
) {
  await page.goto(`${server.url}${pathname}`)
  await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('redirectTo') === pathname)
  await page.locator('#email').fill(email)
  await page.locator('#password').fill(password)
  await Promise.all([
    page.waitForURL((url) => url.pathname === pathname),
    page.locator('form[method="post"] button[type="submit"]').click(),
  ])
}
