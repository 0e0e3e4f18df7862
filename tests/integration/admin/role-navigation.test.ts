/**
 * Issue 18: each role lands where it works after signing in, the navigation offers only what the role can
 * open, and a page the role may not open says so in plain Vietnamese (not "Forbidden").
 */
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROLE_HOME } from '#app/domain/role-home.ts'
import AdminHome, { loader as adminHomeLoader } from '#app/routes/admin._index.tsx'
import AdminLayout, { loader as adminLayoutLoader } from '#app/routes/admin.tsx'
import { loader as agenciesLoader } from '#app/routes/admin.agencies.tsx'
import { loader as quarantineLoader } from '#app/routes/admin.quarantine.tsx'
import { action as loginAction } from '#app/routes/login.tsx'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext, PASSWORD, run, type SignedIn, signIn } from '#tests/helpers/remix.ts'
import { renderPage } from '#tests/helpers/render-page.ts'
import { args, get, post } from './support.ts'

let t: TestDatabase
let context: AppLoadContext
const users: Record<'admin' | 'manager' | 'analyst', SignedIn> = {} as never

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  users.admin = await signIn(context, 'quantri@nav.vn', 'admin', null)
  users.manager = await signIn(context, 'quanly@nav.vn', 'manager', 'DEMO-AL-STP')
  users.analyst = await signIn(context, 'phantich@nav.vn', 'analyst', 'DEMO-AL')
})
afterAll(() => t?.cleanup())

/** The /admin/<section> links a rendered page offers. */
const adminLinks = (html: string) => [...html.matchAll(/href="\/admin\/([a-z]+)[^"]*"/g)].map((m) => m[1])

describe('where each role lands after signing in', () => {
  it.each([
    ['admin', '/admin'],
    ['manager', '/admin'],
    ['analyst', '/analytics'],
  ] as const)('%s → %s', async (role, home) => {
    expect(ROLE_HOME[role]).toBe(home)
    const outcome = await run(() =>
      loginAction(args(context, post('/login', { email: users[role].email, password: PASSWORD, redirectTo: '' }))),
    )
    expect(outcome.status).toBe(302)
    expect(outcome.location).toBe(home)
  })

  it('a sign-in on the way to a page still goes back to that page', async () => {
    const outcome = await run(() =>
      loginAction(
        args(context, post('/login', { email: users.admin.email, password: PASSWORD, redirectTo: '/analytics' })),
      ),
    )
    expect(outcome.location).toBe('/analytics')
  })
})

describe('the administration navigation offers only what the role can open', () => {
  it('a manager sees links, tokens, users, dossier counts and feedback, in the menu and on the home page, and no quarantine review', async () => {
    const request = get('/admin', users.manager.cookie)
    const layout = (await run(() => adminLayoutLoader(args(context, request)))).data
    const layoutHtml = await renderPage({
      page: AdminLayout,
      path: '/admin',
      data: layout,
      lng: 'vi',
      namespace: 'admin',
    })
    expect(new Set(adminLinks(layoutHtml))).toEqual(new Set(['links', 'tokens', 'users', 'dossiers', 'feedback']))
    const home = (await run(() => adminHomeLoader(args(context, request)))).data
    const homeHtml = await renderPage({ page: AdminHome, path: '/admin', data: home, lng: 'vi', namespace: 'admin' })
    expect(new Set(adminLinks(homeHtml))).toEqual(new Set(['links', 'tokens', 'users', 'dossiers', 'feedback']))
  })

  it('every section the manager is offered opens for the manager', async () => {
    for (const section of ['links', 'tokens', 'users', 'dossiers', 'feedback']) {
      const { loader } = await import(`#app/routes/admin.${section === 'links' ? 'links._index' : section}.tsx`)
      const outcome = await run(() => loader(args(context, get(`/admin/${section}`, users.manager.cookie))))
      expect(outcome.status, section).toBe(200)
    }
  })

  it('an administrator sees every section, quarantine included', async () => {
    const layout = (await run(() => adminLayoutLoader(args(context, get('/admin', users.admin.cookie))))).data
    const html = await renderPage({ page: AdminLayout, path: '/admin', data: layout, lng: 'vi', namespace: 'admin' })
    expect(adminLinks(html)).toEqual([
      'questionnaires',
      'agencies',
      'procedures',
      'links',
      'tokens',
      'users',
      'audit',
      'import',
      'quarantine',
      'dossiers',
      'feedback',
    ])
  })
})

describe('a page the role may not open', () => {
  it('answers 403 in plain Vietnamese (or English), not "Forbidden"', async () => {
    const vi = await run(() => agenciesLoader(args(context, get('/admin/agencies', users.manager.cookie))))
    expect(vi.status).toBe(403)
    expect(vi.data).toBe('Bạn không có quyền xem trang này.')
    const en = await run(() => quarantineLoader(args(context, get('/admin/quarantine?lng=en', users.analyst.cookie))))
    expect(en.status).toBe(403)
    expect(en.data).toBe('You may not see this page.')
  })

  it('answers JSON to a client that asks for JSON', async () => {
    const outcome = await run(() =>
      agenciesLoader(args(context, get('/admin/agencies', users.analyst.cookie, { Accept: 'application/json' }))),
    )
    expect(outcome.status).toBe(403)
    expect(outcome.body).toEqual({ error: 'forbidden' })
  })
})
