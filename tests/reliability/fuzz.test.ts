// Thousands of generated malformed requests against the survey actions, the invitations API and sign-in:
// only 4xx answers with a message, never a 5xx, never a stored row from a rejected request.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiToken } from '#app/.server/auth/api-token.ts'
import { action as surveyPageAction } from '#app/routes/s.$code.tsx'
import { action as surveySubmitAction } from '#app/routes/s.$code_.submit.ts'
import { action as invitationsAction } from '#app/routes/api.v1.invitations.ts'
import { action as loginAction } from '#app/routes/login.tsx'
import { createTestDatabase, rowCount, type TestDatabase } from '#tests/helpers/db.ts'
import { makeContext } from '#tests/helpers/remix.ts'

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000)
let t: TestDatabase
let context: Parameters<typeof surveySubmitAction>[0]['context']
let linkCode: string
let token: string

beforeAll(async () => {
  t = await createTestDatabase()
  context = makeContext(t)
  linkCode = (await t.db.selectFrom('survey_link').select('code').orderBy('id').executeTakeFirstOrThrow()).code
  const agency = await t.db.selectFrom('agency').select('id').where('code', '=', 'DEMO-AL').executeTakeFirstOrThrow()
  token = await createApiToken(t.db, agency.id, 'fuzz', 'test')
})
afterAll(() => t.cleanup())

async function counts() {
  const n = (table: 'response' | 'answer' | 'item_aggregate' | 'invitation' | 'session') => rowCount(t.db, table)
  return {
    response: await n('response'),
    answer: await n('answer'),
    aggregate: await n('item_aggregate'),
    invitation: await n('invitation'),
    session: await n('session'),
  }
}

/** Calls a Remix action and returns its status, whether it returned or threw a Response / data(). */
async function statusOf(run: () => Promise<unknown>): Promise<{ status: number; body: string }> {
  try {
    const result = await run()
    if (result instanceof Response) return { status: result.status, body: await result.clone().text() }
    const init = (result as { init?: { status?: number } } | null)?.init
    return { status: init?.status ?? 200, body: JSON.stringify((result as { data?: unknown })?.data ?? result) }
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, body: await thrown.clone().text() }
    const init = (thrown as { init?: { status?: number }; data?: unknown }).init
    if (init?.status) return { status: init.status, body: JSON.stringify((thrown as { data?: unknown }).data) }
    throw thrown
  }
}

const itemCodes = [
  'E1.1',
  'E2.3',
  'E5.4',
  'O.overall',
  'X.expectations',
  'S.suggestion',
  'P.gender',
  'NOPE',
  '',
  '../../x',
  'E1.1; drop table response',
]
const key = fc.oneof(
  fc.constantFrom('_sid', '_version', '_procedure', '_website', '_kiosk', 'intent'),
  fc.constantFrom(...itemCodes).map((c) => `q:${c.replaceAll('.', ':')}`),
  fc.string({ maxLength: 30 }),
)
const value = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer({ min: -10, max: 10 }).map(String),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '4',
    '5',
    '6',
    'NaN',
    'Infinity',
    '1e309',
    '<script>alert(1)</script>',
    '=1+1',
    'null',
    '{"a":1}',
    'Đ'.repeat(50),
  ),
  fc.string({ minLength: 900, maxLength: 1200 }),
)
const formBody = fc.array(fc.tuple(key, value), { maxLength: 40 }).map((pairs) => new URLSearchParams(pairs))

describe('fuzzing the survey actions', () => {
  it('never answers 5xx and never stores a rejected submission', async () => {
    const before = await counts()
    await fc.assert(
      fc.asyncProperty(formBody, fc.boolean(), async (body, json) => {
        const request = new Request(`http://localhost/s/${linkCode}${json ? '/submit' : ''}`, { method: 'POST', body })
        const run = json
          ? () => surveySubmitAction({ request, params: { code: linkCode }, context })
          : () => surveyPageAction({ request, params: { code: linkCode }, context })
        const { status, body: text } = await statusOf(run)
        expect(status).toBeGreaterThanOrEqual(400)
        expect(status).toBeLessThan(500)
        expect(text.length).toBeGreaterThan(0)
      }),
      { numRuns: RUNS },
    )
    expect(await counts()).toEqual(before)
  }, 120_000)
})

describe('fuzzing the invitations API', () => {
  const jsonBody = fc.oneof(
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc
      .record(
        {
          agencyCode: fc.oneof(
            fc.constantFrom('DEMO-AL', 'DEMO-AL-SNV', 'DEMO-BS', 'NOPE', ''),
            fc.string(),
            fc.integer(),
          ),
          procedureCode: fc.option(fc.oneof(fc.constantFrom('DEMO-TTHC-001', 'X'), fc.string()), { nil: undefined }),
          dossierCode: fc.option(fc.string({ maxLength: 150 }), { nil: undefined }),
          channel: fc.option(fc.oneof(fc.constantFrom('counter', 'online', 'fax'), fc.string()), { nil: undefined }),
          expiresInDays: fc.option(fc.oneof(fc.integer({ min: -5, max: 200 }), fc.double(), fc.string()), {
            nil: undefined,
          }),
        },
        { requiredKeys: [] },
      )
      .map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 200 }),
  )
  it('answers 2xx or 4xx with a message, and stores an invitation only with a 2xx', async () => {
    await fc.assert(
      fc.asyncProperty(jsonBody, fc.constantFrom('good', 'bad', 'none'), async (body, auth) => {
        const before = await counts()
        const headers: Record<string, string> = { 'Content-Type': 'application/json' }
        if (auth !== 'none') headers.Authorization = `Bearer ${auth === 'good' ? token : 'hl_not-a-real-token-000'}`
        const request = new Request('http://localhost/api/v1/invitations', { method: 'POST', body, headers })
        const { status, body: text } = await statusOf(() => invitationsAction({ request, params: {}, context }))
        expect(status).toBeLessThan(500)
        const after = await counts()
        if (status >= 400) {
          expect(after.invitation).toBe(before.invitation)
          expect(JSON.parse(text).message ?? JSON.parse(text).error).toBeTruthy()
        }
      }),
      { numRuns: RUNS },
    )
  }, 120_000)
})

describe('fuzzing the sign-in form', () => {
  it('answers 400, 401 or 429 and never creates a session', async () => {
    const before = await counts()
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('email', 'password', 'redirectTo', 'x'), value), { maxLength: 6 }),
        async (pairs) => {
          const request = new Request('http://localhost/login', { method: 'POST', body: new URLSearchParams(pairs) })
          const { status } = await statusOf(() => loginAction({ request, params: {}, context }))
          expect([400, 401, 429]).toContain(status)
        },
      ),
      { numRuns: Math.min(RUNS, 150) },
    )
    expect((await counts()).session).toBe(before.session)
  }, 120_000)
})
