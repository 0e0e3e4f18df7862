// reusableQuery: a Kysely query compiled once and run with new arguments gives what building it anew
// gives, on both databases, inside and outside transactions; on PostgreSQL it is a prepared statement.
import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reusableQuery } from '#db/reusable-query.ts'
import type { Database } from '#db/schema.ts'
import { createTestDatabase, type TestDatabase, testDialect } from '#tests/helpers/db.ts'

let t: TestDatabase
beforeAll(async () => {
  t = await createTestDatabase({ seed: 'demo' })
})
afterAll(async () => t?.cleanup())

const agenciesUnder = (db: Kysely<Database>, prefix: string, level: string, limit: number) =>
  db
    .selectFrom('agency')
    .select(['code', 'level'])
    .where('code', 'like', prefix)
    .where('level', '=', level as 'commune')
    .where('active', '=', 1)
    .orderBy('code')
    .limit(limit)

describe('reusableQuery', () => {
  const reused = reusableQuery(agenciesUnder)

  it('returns what the freshly built query returns, for each set of arguments', async () => {
    for (const [prefix, level, limit] of [
      ['DEMO-%', 'commune', 3],
      ['DEMO-%', 'department', 10],
      ['NOPE-%', 'commune', 5],
    ] as const) {
      expect(await reused(t.db, prefix, level, limit)).toEqual(
        await agenciesUnder(t.db, prefix, level, limit).execute(),
      )
    }
    expect(await reused(t.db, 'DEMO-%', 'commune', 2)).toHaveLength(2)
  })

  it('runs inside a transaction and sees its uncommitted rows', async () => {
    await t.db
      .transaction()
      .execute(async (trx) => {
        await trx
          .insertInto('agency')
          .values({
            code: 'DEMO-ZZ-NEW',
            name_vi: 'Mới',
            name_en: 'New',
            level: 'commune',
            parent_id: null,
            path: '',
            valid_from: '2026-01-01',
            valid_to: null,
            active: 1,
            created_at: '2026-01-01T00:00:00Z',
          })
          .execute()
        expect((await reused(trx, 'DEMO-ZZ-%', 'commune', 5)).map((a) => a.code)).toEqual(['DEMO-ZZ-NEW'])
        throw new Error('roll back')
      })
      .catch(() => {})
    expect(await reused(t.db, 'DEMO-ZZ-%', 'commune', 5)).toEqual([])
  })

  // Parsed and planned once per connection, not at every run (ADR 0066).
  it.runIf(testDialect() === 'postgres')('runs as a statement prepared once on each connection', async () => {
    const prepared = await t.db.transaction().execute(async (trx) => {
      expect(await reused(trx, 'DEMO-%', 'commune', 3)).toHaveLength(3)
      expect(await reused(trx, 'DEMO-%', 'department', 10)).not.toHaveLength(0)
      const { rows } = await sql<{ name: string; statement: string }>`
        select name, statement from pg_prepared_statements where name like 'hl\_%'`.execute(trx)
      return rows
    })
    expect(prepared).toHaveLength(1)
    expect(prepared[0]!.statement).toMatch(/^\/\* prepared hl_[0-9a-f]{16} \*\/ select "code", "level" from "agency"/)
  })

  it('refuses a build that does not pass an argument through as a value', async () => {
    const ignoring = reusableQuery((db: Kysely<Database>, _code: string) =>
      db.selectFrom('agency').select('code').where('code', '=', 'fixed'),
    )
    await expect(ignoring(t.db, 'x')).rejects.toThrow(/argument 1 does not reach the compiled query/)
  })
})
