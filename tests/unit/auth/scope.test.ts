/** The scope rule (app/.server/auth/scope.ts) at its edges, in memory and as SQL on a real SQLite file. */
import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { canSee, EVERYTHING, type Scope, subtreePattern, whereInScope } from '#app/.server/auth/scope.ts'

// A province (1) with a department (2), its sibling (23) whose id shares the prefix "2", a commune under 2,
// a deactivated unit under 2, and a predecessor (7) merged into 2 from another province (6).
const AGENCIES = [
  { id: 1, path: '/1/', active: 1 },
  { id: 2, path: '/1/2/', active: 1 },
  { id: 23, path: '/1/23/', active: 1 },
  { id: 24, path: '/1/2/24/', active: 1 },
  { id: 25, path: '/1/2/25/', active: 0 },
  { id: 6, path: '/6/', active: 0 },
  { id: 7, path: '/6/7/', active: 0 },
]
const department: Scope = { scopePath: '/1/2/' }

describe('canSee', () => {
  it('lets an administrator (no scope path) see every agency, roots included', () => {
    for (const agency of AGENCIES) expect(canSee(EVERYTHING, agency)).toBe(true)
  })

  it('lets a province-scoped user see the whole province and nothing outside it', () => {
    const province: Scope = { scopePath: '/1/' }
    expect(AGENCIES.filter((a) => canSee(province, a)).map((a) => a.id)).toEqual([1, 2, 23, 24, 25])
  })

  it('includes the scope root itself', () => {
    expect(canSee(department, { path: '/1/2/' })).toBe(true)
  })

  it('does not let /1/2/ see its sibling /1/23/, whose path shares the prefix "/1/2"', () => {
    expect(canSee(department, { path: '/1/23/' })).toBe(false)
  })

  it('does not let a department see its parent', () => {
    expect(canSee(department, { path: '/1/' })).toBe(false)
  })

  it('keeps a deactivated unit of the subtree visible (its history is still read)', () => {
    expect(canSee(department, { path: '/1/2/25/' })).toBe(true)
  })

  it('does not reach a predecessor merged in from outside the subtree', () => {
    expect(canSee(department, { path: '/6/7/' })).toBe(false)
  })

  it('lets a user without an agency see nothing', () => {
    expect(AGENCIES.some((a) => canSee({ scopePath: '/0/' }, a))).toBe(false)
  })
})

describe('subtreePattern', () => {
  it('is the path followed by %', () => {
    expect(subtreePattern('/1/2/')).toBe('/1/2/%')
  })

  it.each(['/1/2', '1/2/', "/1/2/' or 1=1 --", '/%/', '/_/'])('refuses %j, which is not an agency path', (path) => {
    expect(() => subtreePattern(path)).toThrow(/not an agency path/)
  })
})

describe('whereInScope (SQL)', () => {
  const sqlite = new Database(':memory:')
  sqlite.exec('create table agency (id integer primary key, path text not null, active integer not null)')
  const insert = sqlite.prepare('insert into agency (id, path, active) values (?, ?, ?)')
  for (const a of AGENCIES) insert.run(a.id, a.path, a.active)
  const db = new Kysely<{ agency: { id: number; path: string; active: number } }>({
    dialect: new SqliteDialect({ database: sqlite }),
  })
  afterAll(() => db.destroy())

  const idsIn = async (scope: Scope) =>
    (await whereInScope(db.selectFrom('agency').select('id'), 'path', scope).orderBy('id').execute()).map((r) => r.id)

  it('returns every agency for an administrator', async () => {
    expect(await idsIn(EVERYTHING)).toEqual([1, 2, 6, 7, 23, 24, 25])
  })

  it('returns the subtree, deactivated units included, and not the prefix-sharing sibling', async () => {
    expect(await idsIn(department)).toEqual([2, 24, 25])
  })

  it('agrees with canSee on every agency and scope', async () => {
    for (const scope of [EVERYTHING, department, { scopePath: '/1/' }, { scopePath: '/6/' }, { scopePath: '/0/' }]) {
      const expected = AGENCIES.filter((a) => canSee(scope, a))
        .map((a) => a.id)
        .sort((a, b) => a - b)
      expect(await idsIn(scope)).toEqual(expected)
    }
  })
})
