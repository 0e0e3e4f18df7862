/**
 * Population counts (interactions served, e.g. dossiers received) per agency and period, entered by
 * analysts or from the command line; post-stratified scores weight each agency to them.
 */
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '#db/schema.ts'
import { parsePeriod } from '#app/domain/period.ts'
import { insertAudit } from '../repos/users.ts'

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
  who: { scopePath: string | null; userId: number | null; actor: string },
): Promise<PopulationResult> {
  const agency = await db
    .selectFrom('agency')
    .select(['id', 'path'])
    .where('code', '=', input.agencyCode)
    .executeTakeFirst()
  if (!agency) return { ok: false, status: 404, error: 'analytics.errors.unknownAgency' }
  if (who.scopePath !== null && !agency.path.startsWith(who.scopePath))
    return { ok: false, status: 403, error: 'analytics.errors.forbidden' }
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('population_count')
      .values({ agency_id: agency.id, period: input.period, count: input.count, source: input.source, created_at: now })
      .onConflict((oc) =>
        oc.columns(['agency_id', 'period']).doUpdateSet({ count: input.count, source: input.source, created_at: now }),
      )
      .execute()
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

export async function listPopulationCounts(db: Kysely<Database>, scopePath: string | null, period: string | null) {
  return db
    .selectFrom('population_count as p')
    .innerJoin('agency as a', 'a.id', 'p.agency_id')
    .select(['a.code', 'a.name_vi', 'a.name_en', 'p.period', 'p.count', 'p.source'])
    .$if(scopePath !== null, (qb) => qb.where('a.path', 'like', `${scopePath}%`))
    .$if(period !== null, (qb) => qb.where('p.period', '=', period!))
    .orderBy('p.period', 'desc')
    .orderBy('a.path')
    .limit(500)
    .execute()
}
