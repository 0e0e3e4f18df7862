/**
 * One citizen's form post, from raw FormData to a stored response. The no-JS form post and the
 * JavaScript submission send the same fields and come through here, so they are validated alike.
 * Outcomes are values with an HTTP status; the routes only render them (HTML or JSON).
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { type FieldErrors, fieldName, itemCodeOf, validateAnswers } from '#app/domain/survey/response-schema.ts'
import type { AppConfig } from '../env.ts'
import { networkHash } from '../anti-rigging/client-network.ts'
import { timeOrderedUuid } from '../ordered-id.ts'
import { checkFormToken, tokenEntry } from '../anti-rigging/form-token.ts'
import { findProcedureByCode } from '../repos/procedures.ts'
import { isEnrolledKiosk } from './kiosk-enrolment.ts'
import { resolveEntry, type EntryKind, type EntryProblem, type SurveyTarget } from './survey-entry.ts'
import { submitResponse } from './submit-response.ts'

/** Names of the form's own fields, next to the answers (which start with "q:"). */
export const META = {
  submissionId: '_sid',
  version: '_version',
  procedure: '_procedure',
  honeypot: '_website',
  kiosk: '_kiosk',
  formToken: '_token',
} as const

/** Cap on the whole form: 22 criteria and a suggestion box fit many times over. */
export const MAX_FORM_BYTES = 64 * 1024
const SUBMISSION_ID = /^[A-Za-z0-9-]{16,64}$/

export type FormValues = Record<string, string | string[]>

export type SubmissionOutcome =
  | { status: 303; kiosk: boolean; responseId: number; duplicate: boolean }
  | { status: 400; target: SurveyTarget; message: string; errors: FieldErrors; values: FormValues }
  | {
      status: 409
      target: SurveyTarget
      message: 'survey.errors.versionChanged'
      errors: FieldErrors
      values: FormValues
    }
  | { status: 429; target: SurveyTarget; message: 'survey.errors.rateLimited' }
  | { status: 404 | 410; problem: EntryProblem }
  | { status: 413; message: 'survey.errors.tooLong' }

export interface SubmissionDeps {
  db: Kysely<Database>
  config: AppConfig
  clientAddress: string
}

/** One pass over the fields: a name given once is a string, a name given several times a list. */
function formValues(form: FormData | URLSearchParams): FormValues {
  const values: FormValues = {}
  for (const [key, value] of form) {
    if (typeof value !== 'string') continue
    const before = values[key]
    if (before === undefined) values[key] = value
    else if (Array.isArray(before)) before.push(value)
    else values[key] = [before, value]
  }
  return values
}

/** Form posts are URL-encoded (native forms and our script alike); multipart is accepted too. */
async function parseForm(body: string, contentType: string): Promise<FormValues> {
  if (!contentType.includes('multipart/form-data')) return formValues(new URLSearchParams(body))
  try {
    return formValues(
      await new Request('http://form', { method: 'POST', body, headers: { 'Content-Type': contentType } }).formData(),
    )
  } catch {
    return {}
  }
}

// A published version's items never change: their form field names are collected once per version.
const fieldsOf = new WeakMap<readonly { code: string }[], Set<string>>()
function itemFields(items: readonly { code: string }[]): Set<string> {
  let fields = fieldsOf.get(items)
  if (!fields) {
    fields = new Set(items.map((i) => fieldName(i.code)))
    fieldsOf.set(items, fields)
  }
  return fields
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? ''

export async function handleSubmission(
  deps: SubmissionDeps,
  kind: EntryKind,
  code: string,
  request: Request,
): Promise<SubmissionOutcome> {
  const declared = Number(request.headers.get('Content-Length') ?? 0)
  if (declared > MAX_FORM_BYTES) return { status: 413, message: 'survey.errors.tooLong' }
  const body = await request.text()
  if (Buffer.byteLength(body) > MAX_FORM_BYTES) return { status: 413, message: 'survey.errors.tooLong' }
  const values = await parseForm(body, request.headers.get('Content-Type') ?? '')
  const kiosk = first(values[META.kiosk]) === '1'
  const submissionId = first(values[META.submissionId])
  const entry = await resolveEntry(deps.db, kind, code, kiosk)
  if (!entry.ok) {
    // The retry of a submission that used up its invitation gets the same thank-you page, not a 410.
    const stored =
      entry.problem.status === 410 && SUBMISSION_ID.test(submissionId)
        ? await findStoredInvitationSubmission(deps.db, code, submissionId)
        : undefined
    if (stored) return { status: 303, kiosk, responseId: stored.id, duplicate: true }
    return { status: entry.problem.status, problem: entry.problem }
  }
  const target = entry.target

  // A filled honeypot is a robot; it learns nothing more than a human who made a mistake would.
  if (first(values[META.honeypot]) !== '')
    return { status: 400, target, message: 'survey.errors.rejected', errors: {}, values: {} }

  // Never a refusal: a response that fails a check is thanked like any other and stored quarantined.
  const { secret, antiRigging } = deps.config
  const network = networkHash(secret, deps.clientAddress, antiRigging)
  const token = checkFormToken(
    secret,
    first(values[META.formToken]),
    tokenEntry(kind, code),
    antiRigging.tokenTtlSeconds,
  )
  // A kiosk is a tablet enrolled for this very link: its page said so (signed) and its device cookie is
  // checked again now, so a revoked tablet stops counting at once and a page token alone proves nothing.
  const enrolledKiosk =
    target.linkKind === 'kiosk' &&
    target.linkId !== null &&
    token.ok &&
    token.claims.kiosk &&
    (await isEnrolledKiosk(deps.db, deps.config, request.headers.get('Cookie'), target.linkId))
  const quarantineReason = !token.ok
    ? token.reason
    : enrolledKiosk
      ? null
      : target.linkKind === 'kiosk'
        ? 'kiosk not enrolled'
        : token.claims.overCap
          ? 'network cap'
          : null
  const capped = kind === 's' && antiRigging.capsEnabled && target.linkId !== null && !enrolledKiosk

  // The answers, plus the chosen procedure so a no-JS error page shows it still chosen.
  const answerValues: FormValues = {}
  for (const key in values) if (key.startsWith('q:')) answerValues[key] = values[key]!
  answerValues[META.procedure] = first(values[META.procedure])
  if (String(target.version.versionId) !== first(values[META.version])) {
    return { status: 409, target, message: 'survey.errors.versionChanged', errors: {}, values: answerValues }
  }
  const items = target.version.items
  const known = itemFields(items)
  const unknown = Object.keys(answerValues).some((field) => itemCodeOf(field) !== null && !known.has(field))
  if (unknown) return { status: 400, target, message: 'survey.errors.unknownItem', errors: {}, values: answerValues }

  if (!SUBMISSION_ID.test(submissionId))
    return { status: 400, target, message: 'survey.errors.missingSubmissionId', errors: {}, values: answerValues }

  const validated = validateAnswers(items, answerValues)
  if (!validated.ok)
    return { status: 400, target, message: 'survey.errors.invalid', errors: validated.errors, values: answerValues }

  let procedureId = target.procedure?.id ?? null
  const procedureCode = first(values[META.procedure])
  if (procedureId === null && procedureCode) {
    const procedure = await findProcedureByCode(deps.db, procedureCode)
    if (!procedure)
      return {
        status: 400,
        target,
        message: 'survey.errors.unknownProcedure',
        errors: { [META.procedure]: 'survey.errors.unknownProcedure' },
        values: answerValues,
      }
    procedureId = procedure.id
  }

  const result = await submitResponse(deps.db, {
    clientSubmissionId: submissionId,
    version: target.version,
    context: {
      agencyId: target.agency.id,
      procedureId,
      channel: target.channel,
      linkId: target.linkId,
      invitationId: target.invitationId,
    },
    answers: validated.answers,
    submittedAt: new Date(),
    quarantineReason,
    entryChannel: kind === 'r' ? 'invitation' : enrolledKiosk ? 'kiosk' : 'open_link',
    networkHash: network,
    guard: {
      nonce: token.ok ? token.claims.nonce : null,
      cap: capped
        ? { linkId: target.linkId!, networkHash: network, perHour: antiRigging.perHour, perDay: antiRigging.perDay }
        : null,
    },
  })
  if (result.status === 'invitation_used')
    return { status: 410, problem: { status: 410, message: 'survey.errors.invitationUsed' } }
  return { status: 303, kiosk: target.kiosk, responseId: result.responseId, duplicate: result.status === 'duplicate' }
}

/** The response this very invitation received under this submission id (never another survey's). */
async function findStoredInvitationSubmission(db: Kysely<Database>, invitationCode: string, submissionId: string) {
  return db
    .selectFrom('submission_key as k')
    .innerJoin('response as r', 'r.id', 'k.response_id')
    .innerJoin('invitation as i', 'i.id', 'r.invitation_id')
    .select('r.id')
    .where('k.client_submission_id', '=', submissionId)
    .where('i.code', '=', invitationCode)
    .executeTakeFirst()
}

/** A fresh client submission id for a form rendered by the server; time-ordered, see ordered-id.ts. */
export function newSubmissionId(): string {
  return timeOrderedUuid()
}
