/**
 * The administrator's quarantine page: the filter (link code, reason, from, to in Vietnam time) read and
 * checked, the grouped summary, and release / re-quarantine in two steps (a count to confirm, then the
 * move). The moves themselves are services/quarantine.ts; bad input is refused before anything moves.
 */
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '#db/schema.ts'
import { canSee, type Scope } from '../auth/scope.ts'
import type { SessionUser } from '../auth/session.ts'
import type { QuarantineFilter } from '../repos/quarantine.ts'
import {
  countResponsesToMove,
  findLinkByCode,
  type QuarantineGroup,
  quarantineReasonsInScope,
  summarizeQuarantined,
} from '../repos/quarantine-summary.ts'
import { quarantineResponses, releaseResponses } from './quarantine.ts'

/** Groups shown per page. */
export const GROUPS_PER_PAGE = 50

const VIETNAM_OFFSET_MS = 7 * 3600_000

/** An empty field is an absent one. */
const optional = (max: number) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().max(max).optional())

const filterSchema = z.object({
  link: optional(64),
  reason: optional(100),
  from: optional(30),
  to: optional(30),
})

const moveSchema = filterSchema.extend({
  intent: z.enum(['release', 'quarantine']),
  confirmed: z.literal('yes').optional().catch(undefined),
  note: optional(200),
})

const pageSchema = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1) })

/** The filter as typed, normalised (times as "2026-11-29T08:00"): what the form shows again and the confirmation step posts back. */
export interface FilterValues {
  link: string
  reason: string
  from: string
  to: string
}

export type Failure = { ok: false; status: 400; error: string }
const invalid = (error: string): Failure => ({ ok: false, status: 400, error })

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?$/
const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?Z$/

/**
 * A date ("2026-11-29") or a date and time ("2026-11-29T08:00", as datetime-local sends it) read in
 * Vietnam time, as a UTC instant. A date alone means the start of that day, or with `endOfDay` the start
 * of the next one, so "to 29/11" includes the 29th. An instant with a Z (links from other admin pages) is
 * taken as it is. Null when it is not a real date.
 */
export function vietnamTimeToUtc(value: string, endOfDay = false): string | null {
  if (UTC_INSTANT.test(value)) {
    const instant = new Date(value)
    const year = instant.getUTCFullYear()
    if (Number.isNaN(instant.getTime()) || year < 2000 || year > 9999) return null
    return instant.toISOString().slice(0, 10) === value.slice(0, 10) ? instant.toISOString() : null
  }
  const m = LOCAL_TIME.exec(value)
  if (!m) return null
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const [hour, minute] = m[4] === undefined ? [0, 0] : [Number(m[4]), Number(m[5])]
  if (hour > 23 || minute > 59) return null
  const local = new Date(Date.UTC(year, month - 1, day, hour, minute))
  if (local.getUTCFullYear() !== year || local.getUTCMonth() !== month - 1 || local.getUTCDate() !== day) return null
  if (year < 2000 || year > 9999) return null
  const shift = m[4] === undefined && endOfDay ? 86_400_000 : 0
  return new Date(local.getTime() + shift - VIETNAM_OFFSET_MS).toISOString()
}

/** A UTC instant as Vietnam local time in datetime-local form, "2026-11-29T08:00". */
export function utcToVietnamTime(iso: string): string {
  return new Date(new Date(iso).getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 16)
}

const scopeOf = (user: SessionUser): Scope => ({ scopePath: user.scopePath })

/** Reads and checks the filter: a known link in the user's scope, real dates, `to` after `from`. */
export async function parseFilter(
  db: Kysely<Database>,
  user: SessionUser,
  fields: Record<string, unknown>,
): Promise<{ ok: true; filter: QuarantineFilter; values: FilterValues } | Failure> {
  const parsed = filterSchema.safeParse(fields)
  if (!parsed.success) return invalid('quarantine.errors.invalid')
  const { link, reason, from, to } = parsed.data
  const filter: QuarantineFilter = {}
  const found = link === undefined ? undefined : await findLinkByCode(db, link)
  if (link !== undefined) {
    // An unknown link and one outside the scope read alike, so the answer says nothing of other agencies.
    if (!found || !canSee(scopeOf(user), { path: found.agencyPath })) return invalid('quarantine.errors.link')
    filter.linkId = found.id
  }
  if (reason !== undefined) filter.reason = reason
  if (from !== undefined) {
    const instant = vietnamTimeToUtc(from)
    if (!instant) return invalid('quarantine.errors.date')
    filter.from = instant
  }
  if (to !== undefined) {
    const instant = vietnamTimeToUtc(to, true)
    if (!instant) return invalid('quarantine.errors.date')
    filter.to = instant
  }
  if (filter.from && filter.to && filter.to <= filter.from) return invalid('quarantine.errors.range')
  // Dates come back as the datetime-local form shows them: "to 29/11" as the 30th, 00:00.
  const values = {
    link: found?.code ?? '',
    reason: reason ?? '',
    from: filter.from ? utcToVietnamTime(filter.from) : '',
    to: filter.to ? utcToVietnamTime(filter.to) : '',
  }
  return { ok: true, filter, values }
}

export interface GroupView extends QuarantineGroup {
  /** The group's Vietnam hour as the filter reads it, "2026-11-29T08:00", and the next hour. */
  from: string
  to: string
}

/** The page: the filter's groups (one page of them), the totals, the reasons to choose from. */
export async function quarantinePage(db: Kysely<Database>, user: SessionUser, search: URLSearchParams) {
  const params = Object.fromEntries(search)
  const parsed = await parseFilter(db, user, params)
  if (!parsed.ok) return parsed
  const { page } = pageSchema.parse(params)
  const summary = await summarizeQuarantined(
    db,
    scopeOf(user),
    parsed.filter,
    GROUPS_PER_PAGE,
    (page - 1) * GROUPS_PER_PAGE,
  )
  const groups: GroupView[] = summary.groups.map((g) => {
    const start = `${g.hourUtc}:00:00.000Z`
    return {
      ...g,
      from: utcToVietnamTime(start),
      to: utcToVietnamTime(new Date(new Date(start).getTime() + 3600_000).toISOString()),
    }
  })
  return {
    ok: true as const,
    values: parsed.values,
    reasons: await quarantineReasonsInScope(db, scopeOf(user)),
    groups,
    totalGroups: summary.totalGroups,
    totalResponses: summary.totalResponses,
    page,
    perPage: GROUPS_PER_PAGE,
  }
}

export type MoveResult =
  | { ok: true; step: 'confirm'; intent: 'release' | 'quarantine'; count: number; values: FilterValues; note: string }
  | { ok: true; step: 'done'; intent: 'release' | 'quarantine'; moved: number }
  | Failure

/**
 * A release or re-quarantine. Without `confirmed=yes` it only counts what would move, for the
 * confirmation step; with it, it moves them. A re-quarantine needs a link and both ends of the time range,
 * so a slip cannot take a whole province out of its scores; its note, if any, goes into the audit entry.
 */
export async function moveResponses(
  db: Kysely<Database>,
  user: SessionUser,
  fields: Record<string, unknown>,
): Promise<MoveResult> {
  const parsed = moveSchema.safeParse(fields)
  if (!parsed.success) return invalid('quarantine.errors.invalid')
  const { intent, confirmed, note } = parsed.data
  const checked = await parseFilter(db, user, parsed.data)
  if (!checked.ok) return checked
  const release = intent === 'release'
  const values = release ? checked.values : { ...checked.values, reason: '' }
  // Counted responses have no reason: a re-quarantine selects by link and time only.
  const filter: QuarantineFilter = release ? checked.filter : { ...checked.filter, reason: undefined }
  if (!release && (filter.linkId === undefined || !filter.from || !filter.to))
    return invalid('quarantine.errors.needRange')
  if (confirmed !== 'yes') {
    const count = await countResponsesToMove(db, scopeOf(user), filter, release)
    return { ok: true, step: 'confirm', intent, count, values, note: note ?? '' }
  }
  const actor = { userId: user.id, actor: user.email, scope: scopeOf(user) }
  if (release) return { ok: true, step: 'done', intent, ...(await releaseResponses(db, actor, filter)) }
  // The audit entry records the filter as given; the note travels in it.
  const audited: QuarantineFilter & { note?: string } = note ? { ...filter, note } : filter
  return { ok: true, step: 'done', intent, ...(await quarantineResponses(db, actor, audited)) }
}
