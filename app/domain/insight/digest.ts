/**
 * Closing the loop (issue #19, point 5; SIPAS element 5, receiving and handling feedback): the digest of the
 * responses an agency should read and answer — the low ratings and the suggestions of its units — built
 * here from plain rows so the rule is tested without a database (docs/insight.md, "Closing the loop").
 *
 * A response is an item of the digest when, within the window, it has
 * - a **low rating**: an answer to a scored question (a criterion, an element's overall question or the
 *   overall question) whose answer label says "dissatisfied" — 1 or 2 on the five-level scale (Rất không hài
 *   lòng, Không hài lòng), 0 on the three-level scale and the 2 / 1 / 0 indicators (Không hài lòng, Quá hạn,
 *   Không thuận tiện). "Bình thường" (3 of 5) is not a complaint and is left out; or
 * - a **suggestion**: a non-empty answer to the suggestion question.
 * Quarantined responses are never items (the repository leaves them out; ADR 0040). The suggestion is
 * shown masked as the themes show it: phone, identity and e-mail marks (masked again, for rows stored
 * before masking at the write) and names after a title of address.
 */
import { maskPersonalData } from '../privacy/personal-data.ts'
import { maskNames } from './themes.ts'

/** Scored item roles whose answers can be low ratings. Expectations ask what matters, not how it went. */
export const RATED_ROLES = ['criterion', 'element_overall', 'overall'] as const
export type RatedRole = (typeof RATED_ROLES)[number]

/** The highest answer value that is a low rating, per scale type. */
export const LOW_RATING_MAX = { scale5: 2, scale3: 0, points210: 0 } as const
export type RatedType = keyof typeof LOW_RATING_MAX

/** Days back from now that the digest covers. */
export const DIGEST_WINDOW_DAYS = 30
/** Longest note a person writes when marking an item handled or reopening it. */
export const HANDLING_NOTE_MAX = 500
/** Items a digest carries (the webhook's body, the landing page's list); the counts cover all of them. */
export const DIGEST_ITEM_LIMIT = 20

/** Whether an answer value to an item of the type and role is a low rating. */
export function isLowRating(type: string, role: string, value: number | null): boolean {
  if (value === null || !(RATED_ROLES as readonly string[]).includes(role)) return false
  const max = (LOW_RATING_MAX as Record<string, number | undefined>)[type]
  return max !== undefined && value <= max
}

/** One answer that may make its response an item: a scored answer or a suggestion. */
export interface DigestAnswerRow {
  responseId: number
  agencyId: number
  agencyCode: string
  agencyNameVi: string
  agencyNameEn: string
  /** ISO instant of the submission. */
  submittedAt: string
  itemCode: string
  itemLabelVi: string
  itemLabelEn: string
  itemType: string
  itemRole: string
  valueNumber: number | null
  valueText: string | null
  /** The response's handling mark, repeated on each of its answers; null when never marked. */
  handled: { handled: boolean; note: string | null; by: string; at: string } | null
}

export interface LowCriterion {
  code: string
  labelVi: string
  labelEn: string
  value: number
}

export interface DigestItem {
  responseId: number
  agency: { id: number; code: string; nameVi: string; nameEn: string }
  submittedAt: string
  lowRatings: LowCriterion[]
  /** The suggestion as shown: masked; null when the response has none. */
  suggestion: string | null
  handled: boolean
  /** The latest mark (handled or reopened), if any. */
  mark: { note: string | null; by: string; at: string } | null
}

export interface Digest {
  /** Unhandled items with at least one low rating / with a suggestion (one item can count in both). */
  unhandledLowRatings: number
  unhandledSuggestions: number
  unhandled: number
  handled: number
  /** Items, unhandled first, then newest first; as many as asked for. */
  items: DigestItem[]
  /** All items before the limit: what the counts cover. */
  total: number
}

/** The suggestion as the digest shows it. */
export function maskSuggestion(text: string): string {
  return maskNames(maskPersonalData(text.trim()))
}

/**
 * Groups answer rows into digest items. Rows of a response with neither a low rating nor a suggestion are
 * dropped, so the repository may hand over every scored answer it read. `filter` keeps only handled or only
 * unhandled items in the list; the counts always cover both.
 */
export function buildDigest(
  rows: readonly DigestAnswerRow[],
  options: { limit?: number; status?: 'unhandled' | 'handled' | 'all' } = {},
): Digest {
  const byResponse = new Map<number, DigestItem>()
  for (const row of rows) {
    let item = byResponse.get(row.responseId)
    if (!item) {
      item = {
        responseId: row.responseId,
        agency: { id: row.agencyId, code: row.agencyCode, nameVi: row.agencyNameVi, nameEn: row.agencyNameEn },
        submittedAt: row.submittedAt,
        lowRatings: [],
        suggestion: null,
        handled: row.handled?.handled ?? false,
        mark: row.handled ? { note: row.handled.note, by: row.handled.by, at: row.handled.at } : null,
      }
      byResponse.set(row.responseId, item)
    }
    if (isLowRating(row.itemType, row.itemRole, row.valueNumber))
      item.lowRatings.push({
        code: row.itemCode,
        labelVi: row.itemLabelVi,
        labelEn: row.itemLabelEn,
        value: row.valueNumber!,
      })
    else if (row.itemRole === 'suggestion' && row.valueText && row.valueText.trim())
      item.suggestion = maskSuggestion(row.valueText)
  }
  const all = [...byResponse.values()].filter((i) => i.lowRatings.length > 0 || i.suggestion !== null)
  for (const item of all) item.lowRatings.sort((a, b) => a.code.localeCompare(b.code))
  all.sort(
    (a, b) =>
      Number(a.handled) - Number(b.handled) ||
      (a.submittedAt < b.submittedAt ? 1 : a.submittedAt > b.submittedAt ? -1 : 0) ||
      b.responseId - a.responseId,
  )
  const unhandled = all.filter((i) => !i.handled)
  const status = options.status ?? 'all'
  const listed = status === 'all' ? all : all.filter((i) => i.handled === (status === 'handled'))
  return {
    unhandledLowRatings: unhandled.filter((i) => i.lowRatings.length > 0).length,
    unhandledSuggestions: unhandled.filter((i) => i.suggestion !== null).length,
    unhandled: unhandled.length,
    handled: all.length - unhandled.length,
    items: listed.slice(0, options.limit ?? listed.length),
    total: listed.length,
  }
}

/** The instant `days` days before `now`: where the window starts. */
export function windowStart(now: Date, days = DIGEST_WINDOW_DAYS): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString()
}

export type NoteError = 'noteRequired' | 'noteTooLong'

/** A handling note: required when marking handled, optional when reopening; trimmed, at most HANDLING_NOTE_MAX. */
export function checkNote(
  raw: unknown,
  required: boolean,
): { ok: true; note: string | null } | { ok: false; error: NoteError } {
  const note = typeof raw === 'string' ? raw.trim() : ''
  if (!note) return required ? { ok: false, error: 'noteRequired' } : { ok: true, note: null }
  if ([...note].length > HANDLING_NOTE_MAX) return { ok: false, error: 'noteTooLong' }
  return { ok: true, note }
}
