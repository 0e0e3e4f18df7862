/**
 * How much body each request may send, decided before a byte of it is read: by the path the router will
 * serve, the method, the declared content type and, for the largest bodies only, a signed-in user.
 * Reading a body whole and counting its fields is cheap only because these caps come first.
 */
import { MAX_FORM_BYTES } from '../services/survey-submission.ts'
import { isApiPath, isCredentialPage, surveyPage } from './request-path.ts'

const KiB = 1024
const MiB = 1024 * KiB

export interface BodyBudget {
  /** Why this budget: shown nowhere, but named in the tests and the security check. */
  kind: 'none' | 'credentials' | 'survey' | 'api' | 'anonymous' | 'signed-in form' | 'signed-in upload'
  maxBytes: number
  /** Fields of a form body (URL-encoded pairs, multipart parts); parsing a million of them blocks the server. */
  maxFields: number
  /** A body must arrive within this time, and never pause longer than IDLE_MS, or the socket is closed. */
  deadlineMs: number
}

/** The longest pause between two pieces of a body, for every budget. */
export const IDLE_MS = 10_000

const SMALL_DEADLINE_MS = 20_000
/** A 25 MiB upload at 2 Mbit/s. The Node server's own request timeout is set above it (scripts/server/prepare.ts). */
export const UPLOAD_DEADLINE_MS = 120_000

const budget = (kind: BodyBudget['kind'], maxBytes: number, maxFields: number, deadlineMs = SMALL_DEADLINE_MS) => ({
  kind,
  maxBytes,
  maxFields,
  deadlineMs,
})

/** GET and HEAD carry no body. */
export const NO_BODY = budget('none', 0, 0)
/** Sign-in, set-up and password change: a few short fields. */
export const CREDENTIALS = budget('credentials', 8 * KiB, 20)
/** A citizen's answers: 22 criteria, a profile and a suggestion box fit many times over (as the service's own cap). */
export const SURVEY = budget('survey', MAX_FORM_BYTES, 400)
/** The JSON API for other systems (one invitation per call). */
export const API = budget('api', 64 * KiB, 0)
/** Anything else from someone not signed in: they can only be refused or sent to sign in. */
export const ANONYMOUS = budget('anonymous', 8 * KiB, 20)
/** Administration and analytics forms. */
export const SIGNED_IN_FORM = budget('signed-in form', 1 * MiB, 5_000)
/** Catalogue and response imports (the import reader refuses files over 20 MiB itself). */
export const SIGNED_IN_UPLOAD = budget('signed-in upload', 25 * MiB, 50, UPLOAD_DEADLINE_MS)

export function isFormContentType(contentType: string): boolean {
  const type = contentType.split(';')[0]!.trim().toLowerCase()
  return type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data'
}

/**
 * The budget of one request. `signedIn` is asked only when it matters (a body to an ordinary page),
 * because it costs a database lookup of the session.
 */
export async function bodyBudget(
  method: string,
  path: string,
  contentType: string,
  signedIn: () => Promise<boolean>,
): Promise<BodyBudget> {
  if (method === 'GET' || method === 'HEAD') return NO_BODY
  if (isCredentialPage(path)) return CREDENTIALS
  const survey = surveyPage(path)
  if (survey === 'form' || survey === 'submit') return SURVEY
  if (isApiPath(path)) return API
  if (!(await signedIn())) return ANONYMOUS
  return contentType.toLowerCase().startsWith('multipart/form-data') ? SIGNED_IN_UPLOAD : SIGNED_IN_FORM
}

/**
 * Fields in a form body, counted on the raw bytes: "&"-separated pairs, or multipart boundaries. Null when a
 * multipart body names no boundary (unparsable: refused as such).
 */
export function countFormFields(body: Buffer, contentType: string): number | null {
  const type = contentType.split(';')[0]!.trim().toLowerCase()
  if (type === 'multipart/form-data') {
    const boundary = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType)
    const value = boundary?.[1] ?? boundary?.[2]
    if (!value) return null
    return occurrences(body, Buffer.from(`--${value}`)) - 1
  }
  if (body.length === 0) return 0
  return occurrences(body, Buffer.from('&')) + 1
}

function occurrences(haystack: Buffer, needle: Buffer): number {
  let count = 0
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) count++
  return count
}
