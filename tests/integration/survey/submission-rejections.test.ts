/**
 * Malformed and refused survey posts, driven through the real route actions (no-JS HTML action and the
 * JavaScript JSON action): each gets its status and a translated message, and nothing is stored.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loader as linkLoader } from '#app/routes/s.$code.tsx'
import { loader as invitationLoader } from '#app/routes/r.$code.tsx'
import { fieldName } from '#app/domain/survey/response-schema.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/db.ts'
import { ROOT } from '#scripts/support/root.ts'
import { makeContext, run } from '#tests/helpers/remix.ts'
import {
  callSurveyAction,
  counts,
  expectNothingStored,
  fixture,
  insertInvitation,
  newSid,
  post,
  replace,
  type SurveyFixture,
  usedAt,
  validFields,
  without,
} from './support.ts'

const messages = {
  vi: JSON.parse(fs.readFileSync(path.join(ROOT, 'locales/vi/survey.json'), 'utf8')).errors as Record<string, string>,
  en: JSON.parse(fs.readFileSync(path.join(ROOT, 'locales/en/survey.json'), 'utf8')).errors as Record<string, string>,
}

let t: TestDatabase
let f: SurveyFixture
beforeAll(async () => {
  t = await createTestDatabase({ seed: 'demo' })
  f = await fixture(t)
})
afterAll(async () => t?.cleanup())

type Kind = 's' | 'r'
type Lang = 'vi' | 'en-header' | 'en-query'
const LANGS: Lang[] = ['vi', 'en-header', 'en-query']
const PATHS = ['html', 'json'] as const
const langOf = (l: Lang) => (l === 'vi' ? 'vi' : 'en')

function send(
  kind: Kind,
  via: (typeof PATHS)[number],
  code: string,
  body: Array<[string, string]> | string,
  lang: Lang,
  ctx = makeContext(t),
  extraQuery = '',
) {
  const query = [lang === 'en-query' ? 'lng=en' : '', extraQuery].filter(Boolean).join('&')
  const url = `/${kind}/${encodeURIComponent(code)}${via === 'json' ? '/submit' : ''}${query ? `?${query}` : ''}`
  const request = post(url, body, lang === 'en-header' ? { 'Accept-Language': 'en-US,en;q=0.9' } : {})
  return callSurveyAction(kind, via, code, request, ctx)
}

/** The message a rejected post carries: thrown error pages hold a string, the form page and JSON hold `message`. */
function messageOf(data: unknown): unknown {
  if (typeof data === 'string') return data
  return (data as { message?: unknown } | null)?.message
}

interface Case {
  name: string
  kind?: Kind
  status: number
  key: string
  code?: () => string | Promise<string>
  body: () => Array<[string, string]> | string
  errors?: Record<string, string>
}

const bigText = 'ý'.repeat(1001)

const CASES: Case[] = [
  {
    name: 'an unknown link code',
    status: 404,
    key: 'linkNotFound',
    code: () => 'KHONG-CO-MA-NAY',
    body: () => validFields(f),
  },
  {
    name: 'an unknown item code',
    status: 400,
    key: 'unknownItem',
    body: () => validFields(f, [[fieldName('E9.9'), '3']]),
  },
  {
    name: 'an answer above the scale',
    status: 400,
    key: 'invalid',
    body: () => replace(validFields(f), fieldName('E1.1'), '6'),
    errors: { 'E1.1': 'survey.errors.outOfScale' },
  },
  {
    name: 'an answer below the scale',
    status: 400,
    key: 'invalid',
    body: () => replace(validFields(f), fieldName('E3.2'), '0'),
    errors: { 'E3.2': 'survey.errors.outOfScale' },
  },
  {
    name: 'a non-numeric scale answer',
    status: 400,
    key: 'invalid',
    body: () => replace(validFields(f), fieldName('E5.4'), '4.0'),
    errors: { 'E5.4': 'survey.errors.outOfScale' },
  },
  {
    name: 'an option that is not offered',
    status: 400,
    key: 'invalid',
    body: () => validFields(f, [[fieldName('X.expectations'), 'bribes']]),
    errors: { 'X.expectations': 'survey.errors.outOfScale' },
  },
  {
    name: 'missing required items',
    status: 400,
    key: 'invalid',
    body: () => without(validFields(f), fieldName('E2.3'), fieldName('E4.1')),
    errors: { 'E2.3': 'survey.errors.required', 'E4.1': 'survey.errors.required' },
  },
  {
    name: 'a blank required item',
    status: 400,
    key: 'invalid',
    body: () => replace(validFields(f), fieldName('E1.4'), ''),
    errors: { 'E1.4': 'survey.errors.required' },
  },
  {
    name: 'a suggestion over 1000 characters',
    status: 400,
    key: 'invalid',
    body: () => validFields(f, [[fieldName('S.suggestion'), bigText]]),
    errors: { 'S.suggestion': 'survey.errors.tooLong' },
  },
  {
    name: 'a body over 64 KB',
    status: 413,
    key: 'tooLong',
    body: () => validFields(f, [['padding', 'a'.repeat(70 * 1024)]]),
  },
  {
    name: 'a stale _version',
    status: 409,
    key: 'versionChanged',
    body: () => replace(validFields(f), '_version', String(f.versionId + 1000)),
  },
  { name: 'a missing _version', status: 409, key: 'versionChanged', body: () => without(validFields(f), '_version') },
  { name: 'a missing _sid', status: 400, key: 'missingSubmissionId', body: () => without(validFields(f), '_sid') },
  {
    name: 'a too short _sid',
    status: 400,
    key: 'missingSubmissionId',
    body: () => replace(validFields(f), '_sid', 'abc123'),
  },
  {
    name: 'a _sid with forbidden characters',
    status: 400,
    key: 'missingSubmissionId',
    body: () => replace(validFields(f), '_sid', 'abcdefgh ijklmnop/qrs'),
  },
  {
    name: 'a _sid longer than 64 characters',
    status: 400,
    key: 'missingSubmissionId',
    body: () => replace(validFields(f), '_sid', 'a'.repeat(65)),
  },
  {
    name: 'a filled honeypot',
    status: 400,
    key: 'rejected',
    body: () => replace(validFields(f), '_website', 'http://spam.example'),
  },
  {
    name: 'an unknown procedure code',
    status: 400,
    key: 'unknownProcedure',
    body: () => validFields(f, [['_procedure', 'TTHC-KHONG-TON-TAI']]),
    errors: { _procedure: 'survey.errors.unknownProcedure' },
  },
  {
    name: 'an unknown invitation code',
    kind: 'r',
    status: 404,
    key: 'invitationNotFound',
    code: () => 'INV-KHONG-CO',
    body: () => validFields(f),
  },
  // An invitation already used is thanked, not refused: see thanks-and-errors.test.ts.
  {
    name: 'an expired invitation',
    kind: 'r',
    status: 410,
    key: 'invitationExpired',
    code: async () => (await insertInvitation(t, f, { expiresAt: new Date(Date.now() - 60_000).toISOString() })).code,
    body: () => validFields(f),
  },
  // The same mistakes on an invitation must not use it up.
  {
    name: 'missing required items on an invitation',
    kind: 'r',
    status: 400,
    key: 'invalid',
    code: async () => (await insertInvitation(t, f)).code,
    body: () => without(validFields(f), fieldName('E1.1')),
    errors: { 'E1.1': 'survey.errors.required' },
  },
  {
    name: 'a stale _version on an invitation',
    kind: 'r',
    status: 409,
    key: 'versionChanged',
    code: async () => (await insertInvitation(t, f)).code,
    body: () => replace(validFields(f), '_version', '0'),
  },
  {
    name: 'a filled honeypot on an invitation',
    kind: 'r',
    status: 400,
    key: 'rejected',
    code: async () => (await insertInvitation(t, f)).code,
    body: () => replace(validFields(f), '_website', 'x'),
  },
  {
    name: 'a missing _sid on an invitation',
    kind: 'r',
    status: 400,
    key: 'missingSubmissionId',
    code: async () => (await insertInvitation(t, f)).code,
    body: () => without(validFields(f), '_sid'),
  },
  {
    name: 'a body over 64 KB on an invitation',
    kind: 'r',
    status: 413,
    key: 'tooLong',
    code: async () => (await insertInvitation(t, f)).code,
    body: () => validFields(f, [['padding', 'b'.repeat(70 * 1024)]]),
  },
]

describe.each(CASES)('a post with $name', (c) => {
  it.each(PATHS.flatMap((via) => LANGS.map((lang) => ({ via, lang }))))(
    'is refused on the $via path with a $lang message, storing nothing',
    async ({ via, lang }) => {
      const kind = c.kind ?? 's'
      const code = c.code ? await c.code() : f.linkCode
      const invitation =
        kind === 'r'
          ? await t.db.selectFrom('invitation').select(['id', 'used_at']).where('code', '=', code).executeTakeFirst()
          : undefined
      const before = await counts(t)

      const res = await send(kind, via, code, c.body(), lang)

      expect(res.status).toBe(c.status)
      await expectNothingStored(t, before)
      if (invitation) expect(await usedAt(t, invitation.id)).toBe(invitation.used_at)
      if (via === 'json') expect(res.data).toMatchObject({ ok: false })
      if (c.errors) expect((res.data as { errors: unknown }).errors).toEqual(c.errors)
      // Last, so a wrong message never hides a wrong status or a stored row.
      expect(messageOf(res.data)).toBe(messages[langOf(lang)][c.key])
    },
  )
})

describe('a no-JS post refused with field errors', () => {
  it('gives the answers back so the page can keep them checked', async () => {
    const body = validFields(f, [
      [fieldName('X.expectations'), 'time'],
      [fieldName('X.expectations'), 'online'],
      [fieldName('S.suggestion'), 'Góp ý'],
      ['_procedure', f.procedureCode],
    ])
    const res = await send('s', 'html', f.linkCode, without(body, fieldName('E2.1')), 'vi')
    expect(res.status).toBe(400)
    const data = res.data as { values: Record<string, unknown>; errors: Record<string, string> }
    expect(data.errors).toEqual({ 'E2.1': 'survey.errors.required' })
    expect(data.values[fieldName('E1.1')]).toBe('1')
    expect(data.values[fieldName('X.expectations')]).toEqual(['time', 'online'])
    expect(data.values[fieldName('S.suggestion')]).toBe('Góp ý')
    expect(data.values).not.toHaveProperty('_sid')
    expect(data.values).not.toHaveProperty('_website')
  })

  it('gives the chosen procedure back too, so the page keeps it selected', async () => {
    const body = validFields(f, [['_procedure', f.procedureCode]])
    const res = await send('s', 'html', f.linkCode, without(body, fieldName('E2.1')), 'vi')
    expect(res.status).toBe(400)
    expect((res.data as { values: Record<string, unknown> }).values._procedure).toBe(f.procedureCode)
  })
})

describe('rate limits', () => {
  // Caps quarantine instead of refusing: tests/integration/survey/quarantine.test.ts.
  it('never limits with RATE_LIMIT=off', async () => {
    const ctx = makeContext(t, { RATE_LIMIT: 'off', RATE_LIMIT_PER_CLIENT: '1', RATE_LIMIT_PER_LINK: '1' })
    const before = await counts(t)
    for (let i = 0; i < 6; i++)
      expect((await send('s', i % 2 ? 'json' : 'html', f.linkCode, validFields(f), 'vi', ctx)).status).toBe(
        i % 2 ? 200 : 303,
      )
    expect((await counts(t)).response).toBe(before.response + 6)
  })

  it('does not rate-limit invitations (each is single use anyway)', async () => {
    const ctx = makeContext(t, { RATE_LIMIT: 'on', RATE_LIMIT_PER_CLIENT: '1' })
    for (let i = 0; i < 3; i++) {
      const { code } = await insertInvitation(t, f)
      expect((await send('r', 'html', code, validFields(f), 'vi', ctx)).status).toBe(303)
    }
  })
})

describe('loaders refuse what cannot be answered', () => {
  const load = (
    loader: typeof linkLoader,
    kind: Kind,
    code: string,
    headers: Record<string, string> = {},
    query = '',
  ) =>
    run(() =>
      loader({
        request: new Request(`http://localhost/${kind}/${code}${query}`, { headers }),
        params: { code },
        context: makeContext(t),
      } as never),
    )

  it('404 for an unknown link, in Vietnamese by default and English on request', async () => {
    const vi = await load(linkLoader, 's', 'KHONG-CO')
    expect(vi).toMatchObject({ status: 404, data: messages.vi.linkNotFound, thrown: true })
    const en = await load(linkLoader, 's', 'KHONG-CO', { 'Accept-Language': 'en-US' })
    expect(en).toMatchObject({ status: 404, data: messages.en.linkNotFound })
    const query = await load(linkLoader, 's', 'KHONG-CO', {}, '?lng=en')
    expect(query).toMatchObject({ status: 404, data: messages.en.linkNotFound })
  })

  it('thanks a used invitation, 410 for an expired one, leaving them as they were', async () => {
    const used = await insertInvitation(t, f, { usedAt: '2025-01-01T00:00:00.000Z' })
    expect(await load(invitationLoader, 'r', used.code)).toMatchObject({
      status: 302,
      location: `/r/${used.code}/thanks?rated=1`,
    })
    const expired = await insertInvitation(t, f, { expiresAt: '2020-01-01T00:00:00.000Z' })
    expect(await load(invitationLoader, 'r', expired.code, { 'Accept-Language': 'en-US' })).toMatchObject({
      status: 410,
      data: messages.en.invitationExpired,
    })
    expect(await usedAt(t, expired.id)).toBeNull()
    expect(await usedAt(t, used.id)).toBe('2025-01-01T00:00:00.000Z')
  })

  it('serves the form for a valid link with a fresh submission id that is never cached', async () => {
    const res = await load(linkLoader, 's', f.linkCode)
    expect(res.status).toBe(200)
    expect(res.headers.get('Cache-Control')).toBe('no-store')
    const data = res.data as {
      survey: { version: { versionId: number; elements: Array<{ items: unknown[] }> } }
      submissionId: string
      procedures: unknown[]
    }
    expect(data.survey.version.versionId).toBe(f.versionId)
    expect(data.survey.version.elements).toHaveLength(5)
    expect(data.submissionId).toMatch(/^[A-Za-z0-9-]{16,64}$/)
    expect(data.procedures.length).toBeGreaterThan(0)
    expect(JSON.stringify(data)).not.toMatch(/"(elementId|id)":/)
    expect(newSid()).not.toBe(data.submissionId)
  })
})
