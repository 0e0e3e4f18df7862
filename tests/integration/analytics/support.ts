/**
 * Known SIPAS responses for the analytics tests, submitted through the real submission path so the
 * aggregates are the ones production keeps, plus a loader context and a signed-in analyst.
 */
import crypto from 'node:crypto'
import type { AppLoadContext } from '@remix-run/node'
import { createSession } from '#app/.server/auth/session.ts'
import { loadConfig } from '#app/.server/env.ts'
import { createRateLimiter } from '#app/.server/rate-limit.ts'
import { findQuestionnaireByCode, latestPublishedVersion } from '#app/.server/repos/questionnaires.ts'
import { getVersionDefinition, type VersionDefinition } from '#app/.server/services/survey-definition.ts'
import { submitResponse } from '#app/.server/services/submit-response.ts'
import { createUser } from '#app/.server/services/users.ts'
import type { TestDatabase } from '#tests/helpers/db.ts'

export const ELEMENT_CRITERIA: Record<string, string[]> = {
  E1: ['E1.1', 'E1.2', 'E1.3', 'E1.4'],
  E2: ['E2.1', 'E2.2', 'E2.3', 'E2.4', 'E2.5'],
  E3: ['E3.1', 'E3.2', 'E3.3', 'E3.4', 'E3.5', 'E3.6'],
  E4: ['E4.1', 'E4.2', 'E4.3'],
  E5: ['E5.1', 'E5.2', 'E5.3', 'E5.4'],
}
export const CRITERIA = Object.values(ELEMENT_CRITERIA).flat()

/**
 * Answer profiles (every criterion answered):
 * S — all satisfied (5): every composite 1.
 * U — all unsatisfied (2): every composite 0.
 * H — E1, E3, E5 satisfied (4), E2 and E4 not (1 and 3): elements 1, 0, 1, 0, 1 → overall 3/5 = 0.6.
 */
export type Profile = 'S' | 'U' | 'H'
export function answersFor(profile: Profile): Record<string, number> {
  const value = (element: string) => {
    if (profile === 'S') return 5
    if (profile === 'U') return 2
    return { E1: 4, E2: 1, E3: 4, E4: 3, E5: 4 }[element]!
  }
  return Object.fromEntries(Object.entries(ELEMENT_CRITERIA).flatMap(([e, codes]) => codes.map((c) => [c, value(e)])))
}

export async function sipasVersion(t: TestDatabase): Promise<VersionDefinition> {
  const q = await findQuestionnaireByCode(t.db, 'SIPAS-2017')
  const row = await latestPublishedVersion(t.db, q!.id)
  return getVersionDefinition(t.db, row!.id, row!.status)
}

export async function agencyId(t: TestDatabase, code: string): Promise<number> {
  return (await t.db.selectFrom('agency').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id
}

export interface Batch {
  agency: string
  /** An instant; its month in Vietnam time (UTC+7) decides the period. */
  at: string
  profile: Profile
  count: number
  weight?: number
  extra?: Record<string, string | number | string[]>
}

let counter = 0
export async function seed(t: TestDatabase, batches: Batch[]): Promise<number[]> {
  const version = await sipasVersion(t)
  const ids: number[] = []
  for (const b of batches) {
    const id = await agencyId(t, b.agency)
    for (let k = 0; k < b.count; k++) {
      counter += 1
      const result = await submitResponse(t.db, {
        clientSubmissionId: `analytics-${process.pid}-${counter}-${crypto.randomUUID()}`,
        version,
        context: { agencyId: id, procedureId: null, channel: 'counter', linkId: null, invitationId: null },
        answers: { ...answersFor(b.profile), ...(b.extra ?? {}) },
        submittedAt: new Date(b.at),
        weightMicro: Math.round((b.weight ?? 1) * 1e6),
      })
      if (result.status !== 'stored') throw new Error(`not stored: ${result.status}`)
      ids.push(result.responseId)
    }
  }
  return ids
}

export function makeContext(t: TestDatabase): AppLoadContext {
  const config = loadConfig({
    ...process.env,
    RATE_LIMIT: 'off',
    DATABASE_URL: t.url,
    HAILONG_SECRET: 'x'.repeat(32),
    PUBLIC_URL: 'http://localhost',
  })
  return { db: t.db, config, rateLimiter: createRateLimiter(600), clientAddress: '127.0.0.1' } as AppLoadContext
}

/** A signed-in user of the given role and agency: the `Cookie` header value to send. */
export async function signIn(
  context: AppLoadContext,
  email: string,
  role: 'admin' | 'manager' | 'analyst',
  agencyCode: string | null,
): Promise<string> {
  const created = await createUser(context.db, { email, role, agencyCode, password: 'password123456' }, 'test')
  if (!created.ok) throw new Error(created.error)
  const setCookie = await createSession(context, created.userId)
  return setCookie.split(';')[0]!
}

export { run } from '#tests/helpers/remix.ts'

/** The published percentage the way the spec rounds it (half away from zero, two decimals). */
export const pct = (share: number) => Math.round(share * 100 * 100 + 1e-9) / 100

/** Minimal RFC 4180 parser (quoted cells, doubled quotes, CRLF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(cell)
      cell = ''
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else cell += c
  }
  if (cell !== '' || row.length) {
    row.push(cell)
    rows.push(row)
  }
  return rows
}
