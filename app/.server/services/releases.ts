/**
 * Official releases (docs/publication.md, docs/decisions/0043): draft → approved → published.
 *
 * - create: an administrator or analyst whose scope covers the agency takes a snapshot now: the score
 *   table of the agency's subtree for the period, serialised canonically with its SHA-256. That text is
 *   the release; nothing recomputes it later, so later responses, imports and aggregate rebuilds cannot
 *   touch it.
 * - approve: a second person (not the creator), administrator or analyst, whose scope covers the agency.
 * - publish: an approved release becomes public; the published release it corrects (same agency, period
 *   and questionnaire) becomes superseded, and the diff of what moved is stored with the new one.
 *
 * Every step is audited (release.create, release.approve, release.publish). Errors are translation keys
 * of the `results` namespace.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Kysely } from 'kysely'
import type { Database, Role } from '#db/schema.ts'
import { formatPeriod, monthRange, parsePeriod } from '#app/domain/period.ts'
import {
  buildReleaseDocument,
  diffReleases,
  type ReleaseChange,
  type ReleaseDocument,
  serialiseRelease,
} from '#app/domain/publication/release-document.ts'
import packageJson from '../../../package.json'
import { canSee, type Scope } from '../auth/scope.ts'
import { listAllAgencies } from '../repos/agency-tree.ts'
import { insertAudit } from '../repos/audit.ts'
import { populationCountsOf } from '../repos/population-counts.ts'
import {
  findPublishedFor,
  findRelease,
  insertRelease,
  listReleases,
  markApproved,
  markPublished,
  markSuperseded,
  type ReleaseRecord,
  type ReleaseSummary,
} from '../repos/releases.ts'
import { findUserByEmail, findUserPlacement } from '../repos/users.ts'
import { computeScores } from './scores.ts'

export const DEFAULT_RELEASE_QUESTIONNAIRE = 'SIPAS-2017'

/** Who acts on a release: a user (web or `--as EMAIL`), with the role and scope the rules check. */
export interface ReleaseActor extends Scope {
  userId: number
  actor: string
  role: Role
}

export type ReleaseFailure = {
  ok: false
  status: 400 | 403 | 404 | 409 | 422
  error: string
  values?: Record<string, string>
}

/** Roles that may prepare, approve and publish releases. */
const RELEASE_ROLES: readonly Role[] = ['admin', 'analyst']

/** An active user as a release actor; null when no active account has the e-mail. */
export async function releaseActor(db: Kysely<Database>, email: string): Promise<ReleaseActor | null> {
  const account = await findUserByEmail(db, email)
  if (!account?.active) return null
  const placement = await findUserPlacement(db, account.id)
  // A non-administrator without an agency sees nothing: a path no agency has.
  const scopePath = account.role === 'admin' ? null : (placement?.agencyPath ?? '/0/')
  return { userId: account.id, actor: account.email, role: account.role, scopePath }
}

let cachedVersion: string | undefined

/** The package version, with the commit when the code runs from a git checkout (or HAILONG_COMMIT names it). */
export function appVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion
  let commit = process.env.HAILONG_COMMIT?.trim() || null
  if (!commit) {
    try {
      const git = path.join(process.cwd(), '.git')
      const head = fs.readFileSync(path.join(git, 'HEAD'), 'utf8').trim()
      if (!head.startsWith('ref: ')) commit = head
      else {
        const ref = head.slice(5)
        const loose = path.join(git, ref)
        if (fs.existsSync(loose)) commit = fs.readFileSync(loose, 'utf8').trim()
        else
          commit =
            fs
              .readFileSync(path.join(git, 'packed-refs'), 'utf8')
              .split('\n')
              .find((line) => line.endsWith(` ${ref}`))
              ?.split(' ')[0] ?? null
      }
    } catch {
      commit = null
    }
  }
  cachedVersion =
    commit && /^[0-9a-f]{7,40}$/.test(commit) ? `${packageJson.version}+${commit.slice(0, 12)}` : packageJson.version
  return cachedVersion
}

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')

export interface CreateReleaseInput {
  agencyCode: string
  period: string
  questionnaireCode?: string
}

/** The rules every step shares: a role that publishes, and the release's agency inside the actor's scope. */
function refusal(who: ReleaseActor, agency: { path: string }): ReleaseFailure | null {
  if (!RELEASE_ROLES.includes(who.role)) return { ok: false, status: 403, error: 'errors.role' }
  if (!canSee(who, agency)) return { ok: false, status: 403, error: 'errors.outOfScope' }
  return null
}

export async function createRelease(
  db: Kysely<Database>,
  input: CreateReleaseInput,
  who: ReleaseActor,
): Promise<{ ok: true; id: number; sha256: string } | ReleaseFailure> {
  const period = parsePeriod(input.period)
  if (!period) return { ok: false, status: 400, error: 'errors.period', values: { period: input.period } }
  const questionnaireCode = input.questionnaireCode ?? DEFAULT_RELEASE_QUESTIONNAIRE
  const agencies = await listAllAgencies(db)
  const agency = agencies.find((a) => a.code === input.agencyCode)
  if (!agency) return { ok: false, status: 404, error: 'errors.unknownAgency', values: { code: input.agencyCode } }
  const refused = refusal(who, agency)
  if (refused) return refused
  const months = monthRange(period)
  // Districts are shown (and ranked) as they were for periods before the 2025 reorganisation.
  const boundaries = months.to < '2025-07' ? 'historical' : 'current'
  const dataCutoff = new Date().toISOString()
  const scores = await computeScores(db, {
    questionnaireCode,
    rootAgencyCode: agency.code,
    period,
    boundaries,
  })
  if (!scores.ok)
    return { ok: false, status: 422, error: `errors.scores.${scores.error}`, values: { detail: scores.detail ?? '' } }
  const codeOf = new Map(agencies.map((a) => [a.id, a.code]))
  const population = (await populationCountsOf(db, formatPeriod(period)))
    .filter((p) => {
      const a = agencies.find((x) => x.id === p.agencyId)
      return a !== undefined && canSee({ scopePath: agency.path }, a)
    })
    .map((p) => ({ agencyCode: codeOf.get(p.agencyId)!, count: p.count }))
  const document = buildReleaseDocument({
    questionnaire: scores.questionnaire,
    elements: scores.elements,
    period: scores.period,
    previousPeriod: scores.previousPeriod,
    months: scores.months,
    boundaries: scores.boundaries,
    options: scores.options,
    rows: scores.rows,
    scope: { code: agency.code, nameVi: agency.nameVi, nameEn: agency.nameEn, level: agency.level },
    population,
    dataCutoff,
    appVersion: appVersion(),
  })
  const text = serialiseRelease(document)
  const sha256 = sha256Hex(text)
  const now = new Date().toISOString()
  const id = await db.transaction().execute(async (trx) => {
    const id = await insertRelease(
      trx,
      { agencyId: agency.id, period: scores.period, questionnaireCode, document: text, sha256, dataCutoff },
      who,
      now,
    )
    await insertAudit(
      trx,
      {
        userId: who.userId,
        actor: who.actor,
        action: 'release.create',
        entity: 'release',
        entityId: String(id),
        details: { agencyCode: agency.code, period: scores.period, questionnaireCode, sha256 },
      },
      now,
    )
    return id
  })
  return { ok: true, id, sha256 }
}

/** The release, if this person may act on it; outside their scope it is as unknown as a missing one. */
async function actionable(
  db: Kysely<Database>,
  id: number,
  who: ReleaseActor,
): Promise<{ ok: true; release: ReleaseRecord } | ReleaseFailure> {
  const release = Number.isSafeInteger(id) && id > 0 ? await findRelease(db, id) : undefined
  if (!release || !canSee(who, release))
    return { ok: false, status: 404, error: 'errors.unknownRelease', values: { id: String(id) } }
  const refused = refusal(who, release)
  return refused ?? { ok: true, release }
}

export async function approveRelease(
  db: Kysely<Database>,
  id: number,
  who: ReleaseActor,
): Promise<{ ok: true } | ReleaseFailure> {
  const checked = await actionable(db, id, who)
  if (!checked.ok) return checked
  const { release } = checked
  if (release.status !== 'draft') return { ok: false, status: 409, error: 'errors.notDraft' }
  if (release.createdByUserId === who.userId) return { ok: false, status: 403, error: 'errors.ownRelease' }
  const now = new Date().toISOString()
  const done = await db.transaction().execute(async (trx) => {
    if (!(await markApproved(trx, id, who, now))) return false
    await insertAudit(
      trx,
      {
        userId: who.userId,
        actor: who.actor,
        action: 'release.approve',
        entity: 'release',
        entityId: String(id),
        details: { agencyCode: release.agencyCode, period: release.period, sha256: release.sha256 },
      },
      now,
    )
    return true
  })
  return done ? { ok: true } : { ok: false, status: 409, error: 'errors.notDraft' }
}

export async function publishRelease(
  db: Kysely<Database>,
  id: number,
  who: ReleaseActor,
): Promise<{ ok: true; supersededId: number | null; changes: number } | ReleaseFailure> {
  const checked = await actionable(db, id, who)
  if (!checked.ok) return checked
  const { release } = checked
  if (release.status !== 'approved') return { ok: false, status: 409, error: 'errors.notApproved' }
  const now = new Date().toISOString()
  return db.transaction().execute(async (trx) => {
    const previous = await findPublishedFor(trx, release.agencyId, release.period, release.questionnaireCode)
    let supersedes: { id: number; diffJson: string } | null = null
    let changes: ReleaseChange[] = []
    if (previous) {
      changes = diffReleases(JSON.parse(previous.document), JSON.parse(release.document))
      supersedes = { id: previous.id, diffJson: JSON.stringify(changes) }
      await markSuperseded(trx, previous.id)
    }
    if (!(await markPublished(trx, id, supersedes, who, now)))
      return { ok: false as const, status: 409 as const, error: 'errors.notApproved' }
    await insertAudit(
      trx,
      {
        userId: who.userId,
        actor: who.actor,
        action: 'release.publish',
        entity: 'release',
        entityId: String(id),
        details: {
          agencyCode: release.agencyCode,
          period: release.period,
          sha256: release.sha256,
          supersedes: previous?.id ?? null,
          changes: changes.length,
        },
      },
      now,
    )
    return { ok: true as const, supersededId: previous?.id ?? null, changes: changes.length }
  })
}

/** Every release, newest first (the operator's list). */
export function allReleases(db: Kysely<Database>): Promise<ReleaseSummary[]> {
  return listReleases(db)
}

/** The releases whose agency the person sees, newest first (the page to prepare, approve and publish). */
export async function releasesInScope(db: Kysely<Database>, who: Scope): Promise<ReleaseSummary[]> {
  return (await listReleases(db)).filter((r) => canSee(who, r))
}

/** What anyone may read: published releases, and superseded ones (still cited, marked as such). */
const PUBLIC = ['published', 'superseded'] as const

export function publicReleases(db: Kysely<Database>, withSuperseded = false): Promise<ReleaseSummary[]> {
  return listReleases(db, withSuperseded ? [...PUBLIC] : ['published'])
}

export interface PublicRelease {
  summary: ReleaseSummary
  /** The exact bytes stored, to serve as they are. */
  text: string
  document: ReleaseDocument
  changes: ReleaseChange[] | null
  /** The release that superseded this one, if any. */
  supersededBy: number | null
}

/** A published or superseded release; undefined for drafts, approved ones and unknown ids. */
export async function publicRelease(db: Kysely<Database>, id: number): Promise<PublicRelease | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0) return undefined
  const record = await findRelease(db, id)
  if (!record || !(PUBLIC as readonly string[]).includes(record.status)) return undefined
  const { document, diffJson, ...summary } = record
  const supersededBy =
    record.status === 'superseded'
      ? ((await listReleases(db, [...PUBLIC])).find((r) => r.supersedesId === id)?.id ?? null)
      : null
  return {
    summary,
    text: document,
    document: JSON.parse(document) as ReleaseDocument,
    changes: diffJson === null ? null : (JSON.parse(diffJson) as ReleaseChange[]),
    supersededBy,
  }
}
