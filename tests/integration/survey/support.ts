/** Shared set-up for the survey route tests: the seeded link and version, form bodies, row counts. */
import type { AppLoadContext } from '@remix-run/node'
import { sql } from 'kysely'
import { expect } from 'vitest'
import { issueFormToken, tokenEntry } from '#app/.server/anti-rigging/form-token.ts'
import { currentVersionFor } from '#app/.server/repos/questionnaires.ts'
import { action as invitationHtmlAction } from '#app/routes/r.$code.tsx'
import { action as invitationJsonAction } from '#app/routes/r.$code_.submit.ts'
import { action as linkHtmlAction } from '#app/routes/s.$code.tsx'
import { action as linkJsonAction } from '#app/routes/s.$code_.submit.ts'
import { fieldName } from '#app/domain/survey/response-schema.ts'
import { SIPAS_2017_ELEMENTS } from '#app/domain/questionnaire/templates/sipas2017.ts'
import { rowCount, type TestDatabase } from '#tests/helpers/db.ts'
import { run } from '#tests/helpers/remix.ts'

export const CRITERIA = SIPAS_2017_ELEMENTS.flatMap((e) =>
  e.items.filter((i) => i.role === 'criterion').map((i) => i.code),
)

let sidCounter = 0
export function newSid(): string {
  sidCounter += 1
  return `test-sid-${process.pid}-${Date.now()}-${sidCounter}`
}

export interface SurveyFixture {
  linkCode: string
  linkId: number
  agencyId: number
  questionnaireId: number
  versionId: number
  procedureCode: string
}

export async function fixture(t: TestDatabase): Promise<SurveyFixture> {
  const link = await t.db
    .selectFrom('survey_link')
    .selectAll()
    .where('kind', '=', 'poster')
    .orderBy('id')
    .executeTakeFirstOrThrow()
  const versionId = (await currentVersionFor(t.db, link.agency_id, link.questionnaire_id))!.id
  const procedure = await t.db
    .selectFrom('procedure')
    .select('code')
    .where('active', '=', 1)
    .orderBy('id')
    .executeTakeFirstOrThrow()
  return {
    linkCode: link.code,
    linkId: link.id,
    agencyId: link.agency_id,
    questionnaireId: link.questionnaire_id,
    versionId,
    procedureCode: procedure.code,
  }
}

/** A complete, valid SIPAS answer set: every criterion, plus whatever `extra` adds or overrides. */
export function validFields(
  f: SurveyFixture,
  extra: Array<[string, string]> = [],
  sid = newSid(),
): Array<[string, string]> {
  const fields: Array<[string, string]> = [
    ['_sid', sid],
    ['_version', String(f.versionId)],
    ['_website', ''],
  ]
  for (const [i, code] of CRITERIA.entries()) fields.push([fieldName(code), String((i % 5) + 1)])
  return [...fields, ...extra]
}

export function without(fields: Array<[string, string]>, ...names: string[]) {
  return fields.filter(([k]) => !names.includes(k))
}

export function replace(fields: Array<[string, string]>, name: string, value: string) {
  return fields.map(([k, v]): [string, string] => (k === name ? [k, value] : [k, v]))
}

/** `s`: a poster link, `r`: an invitation; `html`: the no-JavaScript form post, `json`: the script's endpoint. */
export type SurveyEntry = 's' | 'r'
export type SubmitPath = 'html' | 'json'

/** Calls the one of the four survey actions that `kind` and `via` name, as Remix would for `request`. */
export function callSurveyAction(
  kind: SurveyEntry,
  via: SubmitPath,
  code: string,
  request: Request,
  context: AppLoadContext,
) {
  const actions = {
    s: { html: linkHtmlAction, json: linkJsonAction },
    r: { html: invitationHtmlAction, json: invitationJsonAction },
  }
  return run(() => actions[kind][via]({ request, params: { code }, context } as never))
}

/** The token the page at `path` would have carried, signed with the tests' secret (see makeContext). */
export function pageToken(path: string, options: { overCap?: boolean; issuedAt?: number } = {}): string {
  const [, kind, code] = path.split('/')
  return issueFormToken('x'.repeat(32), {
    entry: tokenEntry(kind!, decodeURIComponent(code!.split('?')[0]!)),
    networkHash: 'test',
    overCap: options.overCap ?? false,
    issuedAt: options.issuedAt,
  })
}

/**
 * A form post as the page would send it: with the page's token unless the fields carry their own `_token`
 * (a test of a missing or forged token passes one, possibly empty).
 */
export function post(path: string, fields: Array<[string, string]> | string, headers: Record<string, string> = {}) {
  const withToken =
    typeof fields === 'string' || fields.some(([k]) => k === '_token')
      ? fields
      : [...fields, ['_token', pageToken(path)]]
  return new Request(`http://localhost${path}`, {
    method: 'POST',
    body: typeof withToken === 'string' ? withToken : new URLSearchParams(withToken),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
  })
}

export async function counts(t: TestDatabase) {
  const out: Record<string, number> = {}
  for (const table of ['response', 'answer', 'item_aggregate', 'composite_aggregate'] as const) {
    out[table] = await rowCount(t.db, table)
  }
  // Aggregate rows are upserted: their n changes even when no row is added.
  out.item_n = Number(
    (await sql<{ n: number | null }>`select coalesce(sum(n), 0) as n from item_aggregate`.execute(t.db)).rows[0]!.n,
  )
  out.composite_n = Number(
    (await sql<{ n: number | null }>`select coalesce(sum(n), 0) as n from composite_aggregate`.execute(t.db)).rows[0]!
      .n,
  )
  return out
}

export async function expectNothingStored(t: TestDatabase, before: Awaited<ReturnType<typeof counts>>) {
  expect(await counts(t)).toEqual(before)
}

let invitationCounter = 0
export async function insertInvitation(
  t: TestDatabase,
  f: SurveyFixture,
  options: { expiresAt?: string; usedAt?: string | null } = {},
) {
  invitationCounter += 1
  const code = `INV${process.pid}x${invitationCounter}x${Date.now().toString(36)}`
  const { id } = await t.db
    .insertInto('invitation')
    .values({
      code,
      agency_id: f.agencyId,
      questionnaire_id: f.questionnaireId,
      procedure_id: null,
      dossier_hash: null,
      channel: 'counter',
      expires_at: options.expiresAt ?? new Date(Date.now() + 7 * 86_400_000).toISOString(),
      used_at: options.usedAt ?? null,
      created_at: new Date().toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id, code }
}

export async function usedAt(t: TestDatabase, id: number) {
  return (await t.db.selectFrom('invitation').select('used_at').where('id', '=', id).executeTakeFirstOrThrow()).used_at
}
