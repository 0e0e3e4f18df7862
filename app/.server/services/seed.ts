/**
 * Seeds what is missing: the built-in questionnaire templates (published), and the demo province when
 * the database has no agency at all. Idempotent: running it again changes nothing.
 */
import crypto from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '#db/schema.ts'
import { DEMO_PROCEDURE_LINKS } from '#db/seeds/demo-procedure-agencies.ts'
import { DEMO_AGENCIES, DEMO_PROCEDURES, DEMO_SUCCESSIONS, REORGANISATION_DATE } from '#db/seeds/demo-province.ts'
import { generateDemoHistory } from '#db/seeds/demo-responses.ts'
import { periodMonthOf } from '#app/domain/period.ts'
import type { QuestionnaireDefinition } from '#app/domain/questionnaire/definition.ts'
import { DOSSIER_RATING, DOSSIER_RATING_V1 } from '#app/domain/questionnaire/templates/dossier-rating.ts'
import { SIPAS_SHORT } from '#app/domain/questionnaire/templates/sipas-short.ts'
import { SIPAS_2017 } from '#app/domain/questionnaire/templates/sipas2017.ts'
import type { AnswerValue } from '#app/domain/survey/response-schema.ts'
import { countAgencies, insertAgency, recordSuccession } from '../repos/agencies.ts'
import { insertLink } from '../repos/links.ts'
import { insertProcedures, setProcedureAgencies } from '../repos/procedures.ts'
import {
  findQuestionnaireByCode,
  insertQuestionnaire,
  insertVersion,
  latestPublishedVersion,
  listVersions,
  loadVersionDefinition,
  publishVersion,
} from '../repos/questionnaires.ts'
import { randomCode } from '../codes.ts'
import { getVersionDefinition } from './survey-definition.ts'
import { storeResponses, type Submission, submitResponse } from './submit-response.ts'

/**
 * Seeded once per code: a database that already holds a template keeps its published versions as they
 * are, so rewording a template here changes only new databases and new questionnaires made from it.
 * A template added later (SIPAS-SHORT) is added to existing databases at the next start.
 */
export const BUILT_IN_TEMPLATES: QuestionnaireDefinition[] = [SIPAS_2017, SIPAS_SHORT, DOSSIER_RATING]

export interface SeedReport {
  templates: string[]
  demoProvince: boolean
  /** Synthetic responses seeded with the demo province (its history since January 2024). */
  demoResponses: number
}

export interface SeedOptions {
  /**
   * How many synthetic responses to seed with the demo province, when it is seeded (HAILONG_DEMO_RESPONSES
   * for the server and the CLI; 0 for none, the default here so tests and tools start from an empty demo).
   */
  demoResponses?: number
  /** Seed of the demo history's random generator: the same seed gives the same answers. */
  demoSeed?: number
}

/**
 * A built-in template's published revisions, oldest first, where it has more than one. Published versions
 * are frozen, so a revised template is a new version: a new database gets every revision in order (the
 * same history everywhere), and a database seeded with the earlier ones gets the later ones at its next
 * start, but only while its versions are exactly the seeded ones (an administrator's own version, even a
 * draft, is never overtaken by a template).
 */
export const TEMPLATE_REVISIONS: Record<string, QuestionnaireDefinition[]> = {
  [DOSSIER_RATING.code]: [DOSSIER_RATING_V1, DOSSIER_RATING],
}

export async function seedTemplates(db: Kysely<Database>, now = new Date().toISOString()): Promise<string[]> {
  const created: string[] = []
  for (const template of BUILT_IN_TEMPLATES) {
    const revisions = TEMPLATE_REVISIONS[template.code] ?? [template]
    const existing = await findQuestionnaireByCode(db, template.code)
    const seeded = existing ? (await listVersions(db, existing.id)).length : 0
    if (existing && (seeded === 0 || seeded >= revisions.length)) continue
    await db.transaction().execute(async (trx) => {
      const questionnaireId = existing?.id ?? (await insertQuestionnaire(trx, template, now))
      for (const revision of revisions.slice(seeded)) {
        const versionId = await insertVersion(trx, questionnaireId, revision, now)
        await publishVersion(trx, versionId, now)
      }
    })
    created.push(template.code)
  }
  return created
}

export async function seedDemoProvince(
  db: Kysely<Database>,
  now = new Date().toISOString(),
  options: SeedOptions = {},
): Promise<boolean> {
  if ((await countAgencies(db)) > 0) return false
  const sipas = await findQuestionnaireByCode(db, SIPAS_2017.code)
  if (!sipas) throw new Error('seed the templates before the demo province')
  await db.transaction().execute(async (trx) => {
    const ids = new Map<string, number>()
    for (const a of DEMO_AGENCIES) {
      const parentId = a.parent ? ids.get(a.parent)! : null
      ids.set(a.code, await insertAgency(trx, { ...a, parentId }, now))
    }
    for (const [from, to, kind] of DEMO_SUCCESSIONS)
      await recordSuccession(trx, ids.get(from)!, ids.get(to)!, kind, REORGANISATION_DATE)
    // The upgrade tests seed a database at an older migration: the national codes and the links to agencies
    // came with migration 2026-11-30T0300 and are seeded only where it has run.
    const linked = (await trx.introspection.getTables()).some((t) => t.name === 'procedure_agency')
    const procedureIds = await insertProcedures(
      trx,
      DEMO_PROCEDURES.map((p) => ({
        ...p,
        nationalCode: linked ? (DEMO_PROCEDURE_LINKS[p.code]?.nationalCode ?? null) : undefined,
      })),
    )
    // Each procedure linked to the agencies that handle it, so a commune's survey offers its own first.
    for (const [code, id] of linked ? procedureIds : []) {
      const agencyIds = (DEMO_PROCEDURE_LINKS[code]?.agencies ?? []).flatMap((a) => ids.get(a) ?? [])
      await setProcedureAgencies(trx, id, agencyIds)
    }
    for (const a of DEMO_AGENCIES.filter((x) => x.validTo === null)) {
      await insertLink(
        trx,
        {
          code: randomCode(),
          agencyId: ids.get(a.code)!,
          questionnaireId: sipas.id,
          procedureId: null,
          counterLabel: null,
          kind: 'poster',
        },
        now,
      )
    }
    // In the same transaction: a start interrupted half-way leaves no demo province without its history
    // (the next start would not seed it again, since agencies exist).
    if (options.demoResponses)
      await seedDemoHistory(trx, sipas.id, options.demoResponses, { seed: options.demoSeed, now: new Date(now) })
  })
  return true
}

export async function seedAll(db: Kysely<Database>, options: SeedOptions = {}): Promise<SeedReport> {
  const templates = await seedTemplates(db)
  const demoProvince = await seedDemoProvince(db, new Date().toISOString(), options)
  return { templates, demoProvince, demoResponses: demoProvince ? (options.demoResponses ?? 0) : 0 }
}

/**
 * Responses per write: at most a few hundred, all of one month, so each statement's aggregate rows (units ×
 * items × answers of that month) stay under both databases' limits on bound parameters (storeResponses).
 */
const HISTORY_CHUNK = 250

function monthChunks<T extends { submittedAt: Date }>(rows: T[]): T[][] {
  const chunks: T[][] = []
  let month = ''
  for (const row of rows) {
    const m = periodMonthOf(row.submittedAt)
    const last = chunks.at(-1)
    if (last && m === month && last.length < HISTORY_CHUNK) last.push(row)
    else chunks.push([row])
    month = m
  }
  return chunks
}

/**
 * The demo province's history (db/seeds/demo-responses.ts): `count` synthetic SIPAS responses from January
 * 2024 to `now`, on the units open on each day, before and after the 1 July 2025 reorganisation. Written
 * in bulk in the caller's transaction with the aggregates, like a group commit, not request by request:
 * 20,000 responses take seconds, not minutes.
 */
export async function seedDemoHistory(
  trx: Transaction<Database>,
  questionnaireId: number,
  count: number,
  options: { seed?: number; now?: Date } = {},
): Promise<number> {
  const versionRow = await latestPublishedVersion(trx, questionnaireId)
  if (!versionRow) throw new Error('the SIPAS template is not seeded')
  const version = await loadVersionDefinition(trx, versionRow.id)
  const agencies = await trx.selectFrom('agency').select(['id', 'code', 'level', 'valid_from', 'valid_to']).execute()
  const procedures = await trx.selectFrom('procedure').select(['id', 'code']).execute()
  const agencyId = new Map(agencies.map((a) => [a.code, a.id]))
  const procedureId = new Map(procedures.map((p) => [p.code, p.id]))
  const history = generateDemoHistory(
    agencies.map((a) => ({ code: a.code, level: a.level, validFrom: a.valid_from, validTo: a.valid_to })),
    version,
    { count, seed: options.seed, now: options.now },
  )
  const seed = options.seed ?? 0
  let index = 0
  for (const rows of monthChunks(history)) {
    const chunk = rows.map(
      (r): Submission => ({
        clientSubmissionId: `demo:${seed}:${index++}`,
        version,
        context: {
          agencyId: agencyId.get(r.agencyCode)!,
          procedureId: r.procedureCode ? (procedureId.get(r.procedureCode) ?? null) : null,
          channel: r.channel,
          linkId: null,
          invitationId: null,
        },
        answers: r.answers,
        submittedAt: r.submittedAt,
        source: 'synthetic',
      }),
    )
    await storeResponses(trx, chunk)
  }
  return history.length
}

/** A small deterministic generator, so synthetic data is the same for the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1
  return () => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 4294967296
  }
}

/**
 * Adds `count` plausible synthetic SIPAS responses spread over the current demo agencies and the last
 * twelve months, through the real submission path (so aggregates stay consistent). Each agency gets
 * its own level of satisfaction, so rankings and charts have something to show.
 */
export async function seedDemoResponses(
  db: Kysely<Database>,
  count: number,
  options: { seed?: number; months?: number; agencyCodes?: string[] } = {},
): Promise<number> {
  const random = seededRandom(options.seed ?? 20261128)
  const sipas = await findQuestionnaireByCode(db, SIPAS_2017.code)
  const versionRow = sipas && (await latestPublishedVersion(db, sipas.id))
  if (!versionRow) throw new Error('the SIPAS template is not seeded')
  const version = await getVersionDefinition(db, versionRow.id, versionRow.status)
  let agencies = await db
    .selectFrom('agency')
    .select(['id', 'code'])
    .where('valid_to', 'is', null)
    .orderBy('id')
    .execute()
  if (options.agencyCodes) agencies = agencies.filter((a) => options.agencyCodes!.includes(a.code))
  if (!agencies.length) throw new Error('no current agency to attach responses to')
  const procedures = await db.selectFrom('procedure').select('id').execute()
  const months = options.months ?? 12
  const now = Date.now()
  const scaleItems = version.items.filter((i) => i.type === 'scale5')
  const expectations = version.items.find((i) => i.role === 'expectation')
  for (let k = 0; k < count; k++) {
    const agencyIndex = Math.floor(random() * agencies.length)
    const agency = agencies[agencyIndex]
    // Agencies differ: the share of satisfied answers ranges from about 70% to 95%.
    const propensity = 0.7 + (0.25 * ((agencyIndex * 7) % agencies.length)) / Math.max(1, agencies.length - 1)
    const answers: Record<string, AnswerValue> = {}
    for (const item of scaleItems) {
      if (!item.required && random() < 0.3) continue
      answers[item.code] = random() < propensity ? (random() < 0.5 ? 5 : 4) : 1 + Math.floor(random() * 3)
    }
    if (expectations?.options && random() < 0.6) {
      answers[expectations.code] = expectations.options.filter(() => random() < 0.25).map((o) => o.value)
      if (!(answers[expectations.code] as string[]).length) delete answers[expectations.code]
    }
    const submittedAt = new Date(now - random() * months * 30 * 24 * 3600 * 1000)
    await submitResponse(db, {
      clientSubmissionId: crypto.randomUUID(),
      version,
      context: {
        agencyId: agency.id,
        procedureId: procedures.length ? procedures[Math.floor(random() * procedures.length)].id : null,
        channel: 'counter',
        linkId: null,
        invitationId: null,
      },
      answers,
      submittedAt,
      source: 'synthetic',
    })
  }
  return count
}
