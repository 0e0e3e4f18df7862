/**
 * Population counts (interactions served, e.g. dossiers received) per agency and period, entered by
 * analysts or from the command line; post-stratified scores weight each agency to them. A count takes
 * effect at once only when its author may move every rollup it feeds; otherwise it waits for approval
 * (population-approval.ts). docs/decisions/0037 states the rule.
 */
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '#db/schema.ts'
import { canonicalPeriod, parsePeriod } from '#app/domain/period.ts'
import { agencyOptions } from '../analytics/filter-options.ts'
import { canSee, type Scope } from '../auth/scope.ts'
import { findAgencySummary } from '../repos/agency-tree.ts'
import { findUserByEmail, findUserPlacement } from '../repos/users.ts'
import { insertAudit } from '../repos/audit.ts'
import {
  type CountActor,
  insertPendingCount,
  listPendingCounts,
  listPopulationCounts,
  supersedePendingCount,
  upsertPopulationCount,
} from '../repos/population-counts.ts'
import { coversEveryRollup, implausibility, MAX_POPULATION_COUNT, rollupRootsOf } from './population-rules.ts'

export const populationInputSchema = z.object({
  agencyCode: z
    .string({ error: 'analytics.errors.agency' })
    .trim()
    .min(1, 'analytics.errors.agency')
    .max(60, 'analytics.errors.agency'),
  // Stored and looked up by its canonical text only: "2026-q3" and "Q3/2026" are "2026-Q3".
  period: z
    .string({ error: 'analytics.errors.period' })
    .max(40, 'analytics.errors.period')
    .transform((text, ctx) => {
      const canonical = canonicalPeriod(text)
      if (canonical === null) ctx.addIssue({ code: 'custom', message: 'analytics.errors.period' })
      return canonical ?? z.NEVER
    }),
  // Digits only: "1.200" is 1 200 in Vietnamese and 1.2 in English, "1e3" and "-3" are no one's count.
  count: z
    .union([z.string(), z.number()], { error: 'analytics.population.badCount' })
    .transform((value) => String(value).trim())
    .pipe(
      z
        .string()
        .regex(/^\d{1,16}$/, 'analytics.population.badCount')
        .transform(Number)
        .pipe(
          z.number().min(1, 'analytics.population.badCount').max(MAX_POPULATION_COUNT, 'analytics.population.tooLarge'),
        ),
    ),
  source: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => v || null),
})

export type PopulationInput = z.output<typeof populationInputSchema>

export interface PopulationFailure {
  ok: false
  status: 403 | 404 | 409 | 422
  error: string
  /** Values for the message (counts, periods). */
  values?: Record<string, string | number>
}

export type PopulationEntryResult = { ok: true; outcome: 'applied' | 'pending' } | PopulationFailure

/**
 * Enters a count for an agency in the author's scope. It replaces the approved count at once when the
 * author covers every rollup it feeds; otherwise it is stored as pending, replacing any count pending for
 * the same agency and period, and weighting ignores it until someone else approves it.
 */
export async function setPopulationCount(
  db: Kysely<Database>,
  input: PopulationInput,
  who: Scope & CountActor,
): Promise<PopulationEntryResult> {
  const agency = await findAgencySummary(db, input.agencyCode)
  if (!agency) return { ok: false, status: 404, error: 'analytics.errors.unknownAgency' }
  if (!canSee(who, agency)) return { ok: false, status: 403, error: 'analytics.errors.forbidden' }
  const refused = await implausibility(db, agency.id, parsePeriod(input.period)!, input.count)
  if (refused) return { ok: false, ...refused }
  const applies = coversEveryRollup(who, (await rollupRootsOf(db))(agency))
  const count = { agencyId: agency.id, period: input.period, count: input.count, source: input.source }
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    const superseded = await supersedePendingCount(trx, agency.id, input.period, who, now)
    const details = { ...input, superseded }
    if (applies) {
      await upsertPopulationCount(trx, count, now)
      await insertAudit(
        trx,
        {
          userId: who.userId,
          actor: who.actor,
          action: 'population.set',
          entity: 'population_count',
          entityId: `${input.agencyCode}:${input.period}`,
          details,
        },
        now,
      )
      return
    }
    const id = await insertPendingCount(trx, count, who, now)
    await insertAudit(
      trx,
      {
        userId: who.userId,
        actor: who.actor,
        action: 'population.propose',
        entity: 'population_count_proposal',
        entityId: String(id),
        details,
      },
      now,
    )
  })
  return { ok: true, outcome: applies ? 'applied' : 'pending' }
}

/** NO_AGENCY of auth/session.ts: a non-administrator without an agency sees nothing. */
const NO_AGENCY = '/0/'

/** Who the command line acts as with `--as EMAIL`: that active user, with the scope they sign in with. */
export async function populationActor(db: Kysely<Database>, email: string): Promise<(Scope & CountActor) | null> {
  const account = await findUserByEmail(db, email)
  if (!account?.active) return null
  const placement = await findUserPlacement(db, account.id)
  const scopePath = account.role === 'admin' ? null : (placement?.agencyPath ?? NO_AGENCY)
  return { scopePath, userId: account.id, actor: account.email }
}

/**
 * The population page: the agencies a user may enter counts for, the approved counts of their scope, and
 * the pending ones, each marked with whether this user may decide it.
 */
export async function populationPage(db: Kysely<Database>, who: Scope & { userId: number }) {
  const [agencies, counts, pending, rootsOf] = await Promise.all([
    agencyOptions(db, who),
    listPopulationCounts(db, who, null),
    listPendingCounts(db, who),
    rollupRootsOf(db),
  ])
  return {
    agencies,
    counts,
    pending: pending.map((p) => ({
      id: p.id,
      code: p.code,
      nameVi: p.nameVi,
      nameEn: p.nameEn,
      period: p.period,
      count: p.count,
      source: p.source,
      enteredBy: p.enteredBy,
      enteredAt: p.enteredAt,
      canDecide: p.enteredByUserId !== who.userId && coversEveryRollup(who, rootsOf({ id: p.agencyId, path: p.path })),
    })),
  }
}
