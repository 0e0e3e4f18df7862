/**
 * Population counts (interactions served, e.g. dossiers received) per agency and period, entered by
 * analysts or from the command line; post-stratified scores weight each agency to them.
 */
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '#db/schema.ts'
import { parsePeriod } from '#app/domain/period.ts'
import { agencyOptions } from '../analytics/filter-options.ts'
import { canSee, type Scope } from '../auth/scope.ts'
import { findAgencySummary } from '../repos/agency-tree.ts'
import { listPopulationCounts, upsertPopulationCount } from '../repos/population-counts.ts'
import { insertAudit } from '../repos/audit.ts'

export const populationInputSchema = z.object({
  agencyCode: z.string().trim().min(1, 'analytics.errors.agency').max(60),
  period: z
    .string()
    .trim()
    .refine((p) => parsePeriod(p) !== null, 'analytics.errors.period'),
  count: z.coerce
    .number({ error: 'analytics.population.badCount' })
    .int('analytics.population.badCount')
    .positive('analytics.population.badCount')
    .max(1e9, 'analytics.population.badCount'),
  source: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => v || null),
})

export type PopulationResult =
  | { ok: true }
  | { ok: false; status: 403 | 404; error: 'analytics.errors.unknownAgency' | 'analytics.errors.forbidden' }

export async function setPopulationCount(
  db: Kysely<Database>,
  input: z.output<typeof populationInputSchema>,
  who: Scope & { userId: number | null; actor: string },
): Promise<PopulationResult> {
  const agency = await findAgencySummary(db, input.agencyCode)
  if (!agency) return { ok: false, status: 404, error: 'analytics.errors.unknownAgency' }
  if (!canSee(who, agency)) return { ok: false, status: 403, error: 'analytics.errors.forbidden' }
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    await upsertPopulationCount(
      trx,
      { agencyId: agency.id, period: input.period, count: input.count, source: input.source },
      now,
    )
    await insertAudit(
      trx,
      {
        userId: who.userId,
        actor: who.actor,
        action: 'population.set',
        entity: 'population_count',
        entityId: `${input.agencyCode}:${input.period}`,
        details: input,
      },
      now,
    )
  })
  return { ok: true }
}

/** The population page: the agencies an analyst may enter counts for, and the counts already entered. */
export async function populationPage(db: Kysely<Database>, scope: Scope) {
  return { agencies: await agencyOptions(db, scope), counts: await listPopulationCounts(db, scope, null) }
}
