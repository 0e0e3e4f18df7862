/**
 * Who may do what, route by route: every administration and analytics loader (and the main action of
 * each administration route) and the API endpoints, called as anonymous, an administrator, a manager and
 * an analyst of the province (DEMO-AL) and a manager and an analyst of one department (DEMO-AL-SNV).
 * Each cell is an exact status (and, for redirects, where to).
 */
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiToken } from '#app/.server/auth/api-token.ts'
import { loadVersionDefinition } from '#app/.server/repos/questionnaires.ts'
import { createLink } from '#app/.server/services/links-admin.ts'
import { createQuestionnaire, newDraftFrom } from '#app/.server/services/questionnaire-admin.ts'
import { SIPAS_2017_ELEMENTS } from '#app/domain/questionnaire/templates/sipas2017.ts'
import { loader as accountLoader } from '#app/routes/account.password.tsx'
import { loader as adminLayoutLoader } from '#app/routes/admin.tsx'
import { action as agenciesAction, loader as agenciesLoader } from '#app/routes/admin.agencies.tsx'
import { loader as auditLoader } from '#app/routes/admin.audit.tsx'
import { action as dossiersAction, loader as dossiersLoader } from '#app/routes/admin.dossiers.tsx'
import { action as feedbackAction, loader as feedbackLoader } from '#app/routes/admin.feedback.tsx'
import { action as importAction, loader as importLoader } from '#app/routes/admin.import.tsx'
import { action as linksAction, loader as linksLoader } from '#app/routes/admin.links._index.tsx'
import { loader as kioskLoader } from '#app/routes/admin.links.$id.kiosk.tsx'
import { loader as posterLoader } from '#app/routes/admin_.links.$id.poster.tsx'
import { action as quarantineAction, loader as quarantineLoader } from '#app/routes/admin.quarantine.tsx'
import { action as proceduresAction, loader as proceduresLoader } from '#app/routes/admin.procedures.tsx'
import { action as questionnaireAction, loader as questionnaireLoader } from '#app/routes/admin.questionnaires.$id.tsx'
import {
  action as questionnairesAction,
  loader as questionnairesLoader,
} from '#app/routes/admin.questionnaires._index.tsx'
import { action as tokensAction, loader as tokensLoader } from '#app/routes/admin.tokens.tsx'
import { action as usersAction, loader as usersLoader } from '#app/routes/admin.users.tsx'
import { action as versionAction, loader as versionLoader } from '#app/routes/admin.versions.$id.tsx'
import { loader as agencyPageLoader } from '#app/routes/analytics.agency.$code.tsx'
import { loader as exportLoader } from '#app/routes/analytics.export.$format.ts'
import { loader as analyticsLoader } from '#app/routes/analytics._index.tsx'
import { loader as responsesLoader } from '#app/routes/analytics.responses.$format.ts'
import { action as invitationsAction } from '#app/routes/api.v1.invitations.ts'
import { loader as scoresLoader } from '#app/routes/api.v1.scores.ts'
import { action as loginAction } from '#app/routes/login.tsx'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { BASE, makeContext, type Outcome, PASSWORD, run, type SignedIn, signIn } from '#tests/helpers/remix.ts'
import { seed } from '../analytics/support.ts'
import { args, csvFile, get, idOf, post } from './support.ts'

const WHO = ['anonymous', 'admin', 'managerAL', 'analystAL', 'managerSNV', 'analystSNV'] as const
type Who = (typeof WHO)[number]
/** A status, or a redirect: 'login' is 302 to /login?redirectTo=<the path>; 'to:/x' a 302/303 to a URL starting with /x. */
type Cell = number | 'login' | `to:${string}`
type Row = [
  name: string,
  path: string,
  call: (cookie: string | undefined) => Promise<Outcome>,
  expected: Record<Who, Cell>,
]

let t: TestDatabase
let context: AppLoadContext
const users = {} as Record<Exclude<Who, 'anonymous'>, SignedIn>
const ids = {
  sipas: 0,
  sipasPublished: 0,
  draft: 0,
  stp: 0,
  snv: 0,
  al: 0,
  linkSTP: 0,
  linkSNV: 0,
  kioskSTP: 0,
  responseSTP: 0,
}
let draftDefinition = ''
let counter = 0
const unique = (prefix: string) => `${prefix}-${++counter}`

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  users.admin = await signIn(context, 'admin@matrix.vn', 'admin', null)
  users.managerAL = await signIn(context, 'manager-al@matrix.vn', 'manager', 'DEMO-AL')
  users.analystAL = await signIn(context, 'analyst-al@matrix.vn', 'analyst', 'DEMO-AL')
  users.managerSNV = await signIn(context, 'manager-snv@matrix.vn', 'manager', 'DEMO-AL-SNV')
  users.analystSNV = await signIn(context, 'analyst-snv@matrix.vn', 'analyst', 'DEMO-AL-SNV')
  ids.sipas = await idOf(t, 'questionnaire', 'SIPAS-2017')
  ids.sipasPublished = (
    await t.db
      .selectFrom('questionnaire_version')
      .select('id')
      .where('questionnaire_id', '=', ids.sipas)
      .where('status', '=', 'published')
      .executeTakeFirstOrThrow()
  ).id
  ids.stp = await idOf(t, 'agency', 'DEMO-AL-STP')
  ids.snv = await idOf(t, 'agency', 'DEMO-AL-SNV')
  ids.al = await idOf(t, 'agency', 'DEMO-AL')
  const actor = { userId: users.admin.userId, email: users.admin.email }
  const created = await createQuestionnaire(
    t.db,
    { code: 'MATRIX-Q', nameVi: 'Bộ câu hỏi ma trận', nameEn: 'Matrix questionnaire', template: 'SIPAS-2017' },
    actor,
  )
  if (!created.ok) throw new Error(created.error)
  ids.draft = created.versionId
  const { items: _i, versionId: _v, ...definition } = await loadVersionDefinition(t.db, ids.draft)
  draftDefinition = JSON.stringify(definition)
  const adminUser = {
    id: users.admin.userId,
    email: users.admin.email,
    role: 'admin' as const,
    agencyId: null,
    scopePath: null,
  }
  const link = (agencyId: number, kind: 'poster' | 'kiosk' = 'poster') =>
    createLink(t.db, adminUser, {
      agencyId,
      questionnaireId: ids.sipas,
      procedureId: null,
      counterLabel: null,
      kind,
    })
  const a = await link(ids.stp)
  const b = await link(ids.snv)
  const k = await link(ids.stp, 'kiosk')
  if (!a.ok || !b.ok || !k.ok) throw new Error('links')
  ids.linkSTP = a.id
  ids.linkSNV = b.id
  ids.kioskSTP = k.id
  expect(await newDraftFrom(t.db, ids.sipasPublished, actor)).toMatchObject({ ok: true })
  // A low-rated response at DEMO-AL-STP, a digest item to mark handled.
  ;[ids.responseSTP] = await seed(t, [{ agency: 'DEMO-AL-STP', at: new Date().toISOString(), profile: 'U', count: 1 }])
})
afterAll(async () => {
  await t?.cleanup()
})

const cookieOf = (who: Who) => (who === 'anonymous' ? undefined : users[who].cookie)

/** Every role, or every signed-in role, the same. */
const all = (cell: Cell): Record<Who, Cell> => Object.fromEntries(WHO.map((w) => [w, cell])) as Record<Who, Cell>
const signedIn = (cell: Cell, anonymous: Cell = 'login'): Record<Who, Cell> => ({ ...all(cell), anonymous })
/** Administration areas for administrators only. */
const adminOnly = (allowed: Cell): Record<Who, Cell> => ({
  anonymous: 'login',
  admin: allowed,
  managerAL: 403,
  analystAL: 403,
  managerSNV: 403,
  analystSNV: 403,
})
/** Areas for administrators and managers; `snv` is the SNV manager's cell (403 when the target is outside its subtree). */
const managers = (allowed: Cell, snv: Cell = allowed): Record<Who, Cell> => ({
  anonymous: 'login',
  admin: allowed,
  managerAL: allowed,
  analystAL: 403,
  managerSNV: snv,
  analystSNV: 403,
})

function importCsv() {
  const criteria = SIPAS_2017_ELEMENTS.flatMap((e) => e.items.filter((i) => i.role === 'criterion').map((i) => i.code))
  return csvFile('responses.csv', [
    ['external_id', 'agency_code', 'submitted_at', ...criteria],
    ['MATRIX-1', 'DEMO-AL-STP', '2026-03-10', ...criteria.map(() => '4')],
  ])
}

/** The link form as the links page posts it. */
const newLink = (agencyId: number, kind: 'poster' | 'kiosk') => ({
  intent: 'create',
  agencyId: String(agencyId),
  questionnaireId: String(ids.sipas),
  procedureId: '',
  counterLabel: '',
  kind,
})

/** One month of dossier counts as the dossiers page posts it. */
const dossierEntry = (agencyCode: string) => ({
  intent: 'set',
  agencyCode,
  month: '2026-05',
  received: '12',
  settled: '10',
  settledLate: '1',
  complained: '0',
})

/** The new-user form, with a fresh e-mail address each time. */
const newUser = (prefix: string, role: 'analyst' | 'admin', agencyCode: string) => ({
  intent: 'create',
  email: `${unique(prefix)}@matrix.vn`,
  role,
  agencyCode,
  password: PASSWORD,
})

type RouteFunction = (args: never) => unknown
type Params = Record<string, string>
/** Ids are known only after beforeAll, so a row's URL, fields and params may be thunks read at call time. */
type Late<T> = T | (() => T)
const now = <T>(value: Late<T>): T => (typeof value === 'function' ? (value as () => T)() : value)

/** A row's call: GET `url` through `loader`. */
const loads = (loader: RouteFunction, url: Late<string>, params?: Late<Params>) => (cookie: string | undefined) =>
  run(() => loader(args(context, get(now(url), cookie), params && now(params))))
/** A row's call: POST `fields` as a form to `url` through `action`. */
const submits =
  (action: RouteFunction, url: Late<string>, fields: Late<Record<string, string | File>>, params?: Late<Params>) =>
  (cookie: string | undefined) =>
    run(() => action(args(context, post(now(url), now(fields), cookie), params && now(params))))

const ROWS: Row[] = [
  // Administration: loaders.
  ['admin layout', '/admin', loads(adminLayoutLoader, '/admin'), managers(200)],
  [
    'questionnaires list',
    '/admin/questionnaires',
    loads(questionnairesLoader, '/admin/questionnaires'),
    adminOnly(200),
  ],
  [
    'questionnaire history',
    '/admin/questionnaires/:id',
    loads(
      questionnaireLoader,
      () => `/admin/questionnaires/${ids.sipas}`,
      () => ({ id: String(ids.sipas) }),
    ),
    adminOnly(200),
  ],
  [
    'version page',
    '/admin/versions/:id',
    loads(
      versionLoader,
      () => `/admin/versions/${ids.draft}`,
      () => ({ id: String(ids.draft) }),
    ),
    adminOnly(200),
  ],
  ['agencies', '/admin/agencies', loads(agenciesLoader, '/admin/agencies'), adminOnly(200)],
  ['procedures', '/admin/procedures', loads(proceduresLoader, '/admin/procedures'), adminOnly(200)],
  ['audit log', '/admin/audit', loads(auditLoader, '/admin/audit'), adminOnly(200)],
  ['response import', '/admin/import', loads(importLoader, '/admin/import'), adminOnly(200)],
  ['links', '/admin/links', loads(linksLoader, '/admin/links'), managers(200)],
  [
    'poster of a DEMO-AL-STP link',
    '/admin/links/:id/poster',
    loads(
      posterLoader,
      () => `/admin/links/${ids.linkSTP}/poster`,
      () => ({ id: String(ids.linkSTP) }),
    ),
    managers(200, 403),
  ],
  [
    'poster of a DEMO-AL-SNV link',
    '/admin/links/:id/poster',
    loads(
      posterLoader,
      () => `/admin/links/${ids.linkSNV}/poster`,
      () => ({ id: String(ids.linkSNV) }),
    ),
    managers(200),
  ],
  [
    'tablets of a DEMO-AL-STP kiosk link',
    '/admin/links/:id/kiosk',
    loads(
      kioskLoader,
      () => `/admin/links/${ids.kioskSTP}/kiosk`,
      () => ({ id: String(ids.kioskSTP) }),
    ),
    managers(200, 403),
  ],
  ['quarantined responses', '/admin/quarantine', loads(quarantineLoader, '/admin/quarantine'), adminOnly(200)],
  ['tokens', '/admin/tokens', loads(tokensLoader, '/admin/tokens'), managers(200)],
  ['dossier counts', '/admin/dossiers', loads(dossiersLoader, '/admin/dossiers'), managers(200)],
  ['users', '/admin/users', loads(usersLoader, '/admin/users'), managers(200)],
  ['feedback to handle', '/admin/feedback', loads(feedbackLoader, '/admin/feedback'), managers(200)],

  // Administration: the main action of each route.
  [
    'release quarantined responses (the count asked to confirm)',
    '/admin/quarantine',
    submits(quarantineAction, '/admin/quarantine', { intent: 'release' }),
    adminOnly(200),
  ],
  [
    'create questionnaire',
    '/admin/questionnaires',
    submits(questionnairesAction, '/admin/questionnaires', () => ({
      code: unique('MQ'),
      nameVi: 'Thử',
      nameEn: 'Test',
      template: 'SIPAS-2017',
    })),
    adminOnly('to:/admin/versions/'),
  ],
  [
    'new draft from the published version',
    '/admin/questionnaires/:id',
    submits(
      questionnaireAction,
      () => `/admin/questionnaires/${ids.sipas}`,
      () => ({ intent: 'newDraft', versionId: String(ids.sipasPublished) }),
      () => ({ id: String(ids.sipas) }),
    ),
    adminOnly('to:/admin/versions/'),
  ],
  [
    'save a draft',
    '/admin/versions/:id',
    submits(
      versionAction,
      () => `/admin/versions/${ids.draft}`,
      () => ({ intent: 'save', definition: draftDefinition }),
      () => ({ id: String(ids.draft) }),
    ),
    adminOnly(200),
  ],
  [
    'add an agency',
    '/admin/agencies',
    submits(agenciesAction, '/admin/agencies', () => ({
      intent: 'add',
      code: unique('M-AG'),
      nameVi: 'Đơn vị thử',
      nameEn: 'Test unit',
      level: 'commune',
      parentCode: 'DEMO-AL',
      validFrom: '2026-01-01',
    })),
    adminOnly(200),
  ],
  [
    'add a procedure',
    '/admin/procedures',
    submits(proceduresAction, '/admin/procedures', () => ({
      intent: 'add',
      code: unique('M-TTHC'),
      nameVi: 'Thủ tục thử',
      nameEn: 'Test procedure',
      level: 'commune',
      fieldVi: 'Thử',
      fieldEn: 'Test',
    })),
    adminOnly(200),
  ],
  [
    'preview a response import',
    '/admin/import',
    submits(importAction, '/admin/import', () => ({
      intent: 'preview',
      questionnaire: 'SIPAS-2017',
      file: importCsv(),
    })),
    adminOnly(200),
  ],
  [
    'create a link at DEMO-AL-STP',
    '/admin/links',
    submits(linksAction, '/admin/links', () => newLink(ids.stp, 'poster')),
    managers('to:/admin/links?done=created', 403),
  ],
  [
    'create a link at DEMO-AL-SNV',
    '/admin/links',
    submits(linksAction, '/admin/links', () => newLink(ids.snv, 'kiosk')),
    managers('to:/admin/links?done=created'),
  ],
  [
    'create a link at DEMO-AL (the province itself)',
    '/admin/links',
    submits(linksAction, '/admin/links', () => newLink(ids.al, 'poster')),
    managers('to:/admin/links?done=created', 403),
  ],
  [
    'enter dossier counts at DEMO-AL-STP',
    '/admin/dossiers',
    submits(dossiersAction, '/admin/dossiers', () => dossierEntry('DEMO-AL-STP')),
    managers(200, 403),
  ],
  [
    'mark a DEMO-AL-STP response handled',
    '/admin/feedback',
    submits(feedbackAction, '/admin/feedback', () => ({
      intent: 'handle',
      responseId: String(ids.responseSTP),
      note: 'Đã xử lý',
    })),
    managers('to:/admin/feedback?done=handle', 403),
  ],
  [
    'set the province digest webhook',
    '/admin/feedback',
    submits(feedbackAction, '/admin/feedback', {
      intent: 'webhook',
      agencyCode: 'DEMO-AL',
      url: 'https://hook.example.vn/hai-long',
      secret: 'khoa-bi-mat-ma-tran-2026',
      enabled: 'on',
    }),
    adminOnly('to:/admin/feedback?webhook=saved'),
  ],
  [
    'create a token at DEMO-AL-STP',
    '/admin/tokens',
    submits(tokensAction, '/admin/tokens', () => ({ intent: 'create', agencyId: String(ids.stp), label: 'matrix' })),
    managers(200, 403),
  ],
  [
    'create a token at DEMO-AL-SNV',
    '/admin/tokens',
    submits(tokensAction, '/admin/tokens', () => ({ intent: 'create', agencyId: String(ids.snv), label: 'matrix' })),
    managers(200),
  ],
  [
    'create an analyst at DEMO-AL-STP',
    '/admin/users',
    submits(usersAction, '/admin/users', () => newUser('u', 'analyst', 'DEMO-AL-STP')),
    managers(200, 403),
  ],
  [
    'create an analyst at DEMO-AL-SNV',
    '/admin/users',
    submits(usersAction, '/admin/users', () => newUser('u', 'analyst', 'DEMO-AL-SNV')),
    managers(200),
  ],
  [
    'create an administrator',
    '/admin/users',
    submits(usersAction, '/admin/users', () => newUser('a', 'admin', '')),
    { ...managers(403), admin: 200 },
  ],

  // Analytics: every signed-in role reads scores of its own subtree.
  ['scores page', '/analytics', loads(analyticsLoader, '/analytics'), signedIn(200)],
  [
    'scores page of DEMO-AL-STP',
    '/analytics?agency=DEMO-AL-STP',
    loads(analyticsLoader, '/analytics?agency=DEMO-AL-STP'),
    { ...signedIn(200), managerSNV: 403, analystSNV: 403 },
  ],
  [
    'agency page DEMO-AL-STP',
    '/analytics/agency/DEMO-AL-STP',
    loads(agencyPageLoader, '/analytics/agency/DEMO-AL-STP', { code: 'DEMO-AL-STP' }),
    { ...signedIn(200), managerSNV: 403, analystSNV: 403 },
  ],
  [
    'agency page DEMO-AL-SNV',
    '/analytics/agency/DEMO-AL-SNV',
    loads(agencyPageLoader, '/analytics/agency/DEMO-AL-SNV', { code: 'DEMO-AL-SNV' }),
    signedIn(200),
  ],
  [
    'agency page DEMO-AL (the province)',
    '/analytics/agency/DEMO-AL',
    loads(agencyPageLoader, '/analytics/agency/DEMO-AL', { code: 'DEMO-AL' }),
    { ...signedIn(200), managerSNV: 403, analystSNV: 403 },
  ],
  [
    'scores CSV',
    '/analytics/export/csv',
    loads(exportLoader, '/analytics/export/csv', { format: 'csv' }),
    signedIn(200),
  ],
  [
    'scores CSV of DEMO-AL-STP',
    '/analytics/export/csv?agency=DEMO-AL-STP',
    loads(exportLoader, '/analytics/export/csv?agency=DEMO-AL-STP', { format: 'csv' }),
    { ...signedIn(200), managerSNV: 403, analystSNV: 403 },
  ],
  [
    'raw responses CSV',
    '/analytics/responses/csv',
    loads(responsesLoader, '/analytics/responses/csv', { format: 'csv' }),
    // Microdata is a permission of its own: administrators, and those granted it (none here).
    { ...signedIn(403), admin: 200 },
  ],
  [
    'raw responses CSV of DEMO-AL-STP',
    '/analytics/responses/csv?agency=DEMO-AL-STP',
    loads(responsesLoader, '/analytics/responses/csv?agency=DEMO-AL-STP', { format: 'csv' }),
    { ...signedIn(403), admin: 200 },
  ],
  ['change password page', '/account/password', loads(accountLoader, '/account/password'), signedIn(200)],

  // The API takes bearer tokens only: a session cookie is no credential there (it would invite cross-site use).
  ['API scores with a cookie', '/api/v1/scores', loads(scoresLoader, '/api/v1/scores'), all(401)],
  [
    'API invitations with a cookie',
    '/api/v1/invitations',
    (c) =>
      run(() =>
        invitationsAction(
          args(
            context,
            new Request(`${BASE}/api/v1/invitations`, {
              method: 'POST',
              headers: { 'Content-Type': 'application/json', ...(c ? { Cookie: c } : {}) },
              body: JSON.stringify({ agencyCode: 'DEMO-AL-SNV' }),
            }),
          ),
        ),
      ),
    all(401),
  ],
]

function check(outcome: Outcome, cell: Exclude<Cell, 'login'>) {
  if (typeof cell === 'string') {
    expect([302, 303]).toContain(outcome.status)
    expect(outcome.location?.startsWith(cell.slice(3)), `${outcome.location} starts with ${cell.slice(3)}`).toBe(true)
  } else {
    expect(outcome.status, outcome.text.slice(0, 300)).toBe(cell)
  }
}

describe('authorization matrix', () => {
  for (const [name, path, call, expected] of ROWS) {
    describe(name, () => {
      for (const who of WHO) {
        it(`${who} → ${expected[who]}`, async () => {
          const outcome = await call(cookieOf(who))
          if (expected[who] === 'login') {
            expect(outcome.status).toBe(302)
            // The path asked for, with its query, comes back after signing in.
            expect(outcome.location).toMatch(/^\/login\?redirectTo=%2F/)
            const back = decodeURIComponent(outcome.location!.split('redirectTo=')[1]!)
            expect(back).toMatch(new RegExp(`^${path.replace(/[.?]/g, '\\$&').replace(/:id|:code/g, '[^/]+')}$`))
          } else check(outcome, expected[who])
        })
      }
    })
  }

  it('JSON clients get 401 instead of a redirect to the sign-in page', async () => {
    const outcome = await run(() =>
      exportLoader(
        args(context, get('/analytics/export/csv', undefined, { Accept: 'application/json' }), { format: 'csv' }),
      ),
    )
    expect(outcome.status).toBe(401)
    expect(outcome.body).toEqual({ error: 'unauthorized' })
  })

  it('a deactivated user is anonymous again', async () => {
    const gone = await signIn(context, 'gone@matrix.vn', 'manager', 'DEMO-AL')
    await t.db.updateTable('user').set({ active: 0 }).where('id', '=', gone.userId).execute()
    const outcome = await run(() => linksLoader(args(context, get('/admin/links', gone.cookie))))
    expect(outcome.status).toBe(302)
    expect(outcome.location).toBe('/login?redirectTo=%2Fadmin%2Flinks')
  })
})

describe('API with bearer tokens, by the token’s agency', () => {
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` })
  const scoresStatus = async (token: string, query: string) =>
    (await run(() => scoresLoader(args(context, get(`/api/v1/scores${query}`, undefined, bearer(token)))))).status
  const invite = (token: string, agencyCode: string) =>
    run(() =>
      invitationsAction(
        args(
          context,
          new Request(`${BASE}/api/v1/invitations`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', ...bearer(token) },
            body: JSON.stringify({ agencyCode }),
          }),
        ),
      ),
    )

  it('a DEMO-AL token reads the whole province and invites anywhere in it', async () => {
    const token = await createApiToken(t.db, ids.al, 'al', 'test')
    expect(await scoresStatus(token, '')).toBe(200)
    expect(await scoresStatus(token, '?agency=DEMO-AL-STP')).toBe(200)
    expect((await invite(token, 'DEMO-AL-STP')).status).toBe(201)
  })

  it('a DEMO-AL-SNV token is refused another department (403) and the province (403)', async () => {
    const token = await createApiToken(t.db, ids.snv, 'snv', 'test')
    expect(await scoresStatus(token, '')).toBe(200)
    expect(await scoresStatus(token, '?agency=DEMO-AL-SNV')).toBe(200)
    expect(await scoresStatus(token, '?agency=DEMO-AL-STP')).toBe(403)
    expect(await scoresStatus(token, '?agency=DEMO-AL')).toBe(403)
    expect((await invite(token, 'DEMO-AL-SNV')).status).toBe(201)
    const refused = await invite(token, 'DEMO-AL-STP')
    expect(refused.status).toBe(403)
    expect(refused.body).toMatchObject({ error: 'forbidden' })
  })

  it('no token, a malformed one or an unknown one → 401 with WWW-Authenticate', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { Authorization: 'Bearer short' },
      { Authorization: `Bearer hl_${'z'.repeat(40)}` },
      { Authorization: 'Basic dXNlcjpwYXNz' },
    ]) {
      const outcome = await run(() => scoresLoader(args(context, get('/api/v1/scores', undefined, headers))))
      expect(outcome.status).toBe(401)
      expect(outcome.headers.get('WWW-Authenticate')).toBe('Bearer')
    }
  })
})

describe('cross-site requests', () => {
  it('an administrator’s POST with a foreign Origin is refused (403) and changes nothing', async () => {
    const before = await t.db
      .selectFrom('agency')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const request = post(
      '/admin/agencies',
      {
        intent: 'add',
        code: 'EVIL-1',
        nameVi: 'Xấu',
        nameEn: 'Evil',
        level: 'commune',
        parentCode: 'DEMO-AL',
        validFrom: '2026-01-01',
      },
      users.admin.cookie,
      { Origin: 'https://evil.example' },
    )
    const outcome = await run(() => agenciesAction(args(context, request)))
    expect(outcome.status).toBe(403)
    const after = await t.db
      .selectFrom('agency')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
    expect(await t.db.selectFrom('agency').select('id').where('code', '=', 'EVIL-1').executeTakeFirst()).toBeUndefined()
  })

  it('a foreign Referer (no Origin) is refused too; this site’s Origin is accepted', async () => {
    const fields = { intent: 'create', agencyId: String(ids.snv), label: 'csrf' }
    const foreign = await run(() =>
      tokensAction(
        args(context, post('/admin/tokens', fields, users.managerAL.cookie, { Referer: 'https://evil.example/page' })),
      ),
    )
    expect(foreign.status).toBe(403)
    const same = await run(() =>
      tokensAction(args(context, post('/admin/tokens', fields, users.managerAL.cookie, { Origin: BASE }))),
    )
    expect(same.status).toBe(200)
  })

  it('the change-password action refuses a foreign Origin', async () => {
    const request = post(
      '/account/password',
      { current: PASSWORD, password: 'new-password-123', confirm: 'new-password-123' },
      users.analystAL.cookie,
      { Origin: 'https://evil.example' },
    )
    const { action } = await import('#app/routes/account.password.tsx')
    expect((await run(() => action(args(context, request)))).status).toBe(403)
  })
})

// Throttling itself (waits, known devices, audit, unlock): tests/integration/auth/sign-in-throttle.test.ts.
describe('sign-in', () => {
  it('the right password on a fresh account signs in (302 with a session cookie)', async () => {
    const email = 'fine@matrix.vn'
    await signIn(context, email, 'analyst', 'DEMO-AL')
    const outcome = await run(() =>
      loginAction(args(context, post('/login', { email, password: PASSWORD, redirectTo: '/analytics' }))),
    )
    expect(outcome.status).toBe(302)
    expect(outcome.location).toBe('/analytics')
    expect(outcome.headers.get('Set-Cookie')).toMatch(/^hl_session=/)
  })
})
